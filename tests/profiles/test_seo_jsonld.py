"""The schema.org JSON-LD of a profile: only public fields, and only real schema.org terms
(checked against the 30.0 vocabulary in tests/fixtures/schemaorg)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest

from carnet.core.visibility import Audience
from carnet.profiles import seo
from carnet.profiles.selectors import profile_get
from tests.factories import EducationFactory, PositionFactory, ProfileSkillFactory, SkillFactory

pytestmark = pytest.mark.django_db
VOCABULARY = Path(__file__).resolve().parents[1] / "fixtures" / "schemaorg" / "vocabulary-30.0-min.json"


@lru_cache(maxsize=1)
def vocabulary() -> dict:
    return json.loads(VOCABULARY.read_text())


def ancestors(type_name: str) -> set[str]:
    classes = vocabulary()["classes"]
    seen, todo = set(), [type_name]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo += classes[current]
    return seen


def check_node(node: dict, path: str = "$") -> int:
    """Every property of a typed node exists and applies to the node's type; returns how many were checked."""
    checked = 0
    type_name = node["@type"]
    assert type_name in vocabulary()["classes"], f"{path}: unknown type {type_name}"
    lineage = ancestors(type_name)
    for key, value in node.items():
        if key.startswith("@"):
            continue
        prop = vocabulary()["properties"].get(key)
        assert prop is not None, f"{path}.{key}: not a schema.org property"
        assert lineage & set(prop["domain"]), f"{path}.{key}: not a property of {type_name}"
        checked += 1
        for child in value if isinstance(value, list) else [value]:
            if isinstance(child, dict):
                checked += check_node(child, f"{path}.{key}")
    return checked


@pytest.fixture
def full_alice(alice):
    profile = alice.profile
    profile.headline = "Data engineer"
    profile.location = "Lyon, France"
    profile.about = "About me."
    profile.save()
    PositionFactory(profile=profile, title="Lead data engineer", organization__name="Acme Analytics")
    EducationFactory(profile=profile, organization__name="Université de Lyon")
    ProfileSkillFactory(profile=profile, skill=SkillFactory(name="Apache Spark", normalized="apache spark"))
    return alice


def _jsonld(member) -> dict:
    meta = seo.profile_meta(profile_get(slug=member.profile.slug))
    return json.loads(meta.jsonld)


def test_every_emitted_property_is_real_schema_org(full_alice):
    data = _jsonld(full_alice)
    assert data["@context"] == "https://schema.org"
    assert check_node(data) >= 10
    person = data["mainEntity"]
    assert person["@type"] == "Person" and person["name"] == "Alice Martin"
    assert person["jobTitle"] == "Lead data engineer"
    assert person["worksFor"]["name"] == "Acme Analytics"
    assert person["alumniOf"][0]["@type"] == "EducationalOrganization"
    assert person["knowsAbout"] == ["Apache Spark"]


def test_the_checker_catches_invented_properties():
    with pytest.raises(AssertionError):
        check_node({"@type": "Person", "name": "x", "favouriteColour": "blue"})
    with pytest.raises(AssertionError):
        check_node({"@type": "Organization", "jobTitle": "CEO"})  # a Person property


def test_only_what_an_anonymous_visitor_may_see(full_alice):
    full_alice.profile.visibility = {
        "headline": Audience.MEMBERS,
        "current_position": Audience.CONNECTIONS,
        "skills": Audience.NETWORK,
        "education": Audience.ONLY_ME,
        "location": Audience.MEMBERS,
    }
    full_alice.profile.save()
    person = _jsonld(full_alice)["mainEntity"]
    text = json.dumps(person, ensure_ascii=False)
    for hidden in ("Data engineer", "Lead data engineer", "Acme", "Apache Spark", "Université", "Lyon"):
        assert hidden not in text, hidden
    assert set(person) == {"@type", "name", "url"}


def test_no_json_ld_when_the_name_is_not_public(full_alice):
    full_alice.profile.visibility = {"name": Audience.MEMBERS}
    full_alice.profile.save()
    meta = seo.profile_meta(profile_get(slug=full_alice.profile.slug))
    assert meta.jsonld is None and not meta.indexable and meta.open_graph == []
