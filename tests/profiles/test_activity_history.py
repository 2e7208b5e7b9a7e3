"""The profile's timeline: meaningful changes recorded from the profile services, shown under
the visibility of what changed, hideable by the owner."""

from __future__ import annotations

import datetime

import pytest

from carnet.core.visibility import Audience, Relation
from carnet.profiles import activity, services
from carnet.profiles import documents as docs
from carnet.profiles.models import DocumentKind, HistoryEntry, HistoryKind
from tests.factories import OrganizationFactory
from tests.profiles.pdf_samples import make_pdf, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(django_capture_on_commit_callbacks):
    """Run a profile service and the after-commit listeners it triggers (the history)."""

    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


def _position(record, member, title, organization=None, **extra):
    data = {"title": title, "start_date": datetime.date(2022, 1, 1), "is_current": True, **extra}
    if organization is not None:
        data["organization"] = organization
    else:
        data.setdefault("company_name", "Freelance")
    return record(services.section_item_create, profile=member.profile, section="positions", data=data)


def _kinds(member):
    return list(HistoryEntry.objects.filter(profile=member.profile).values_list("kind", "summary"))


def test_new_position_then_promotion_at_the_same_company(record, alice):
    acme = OrganizationFactory(name="Acme")
    _position(record, alice, "Engineer", acme)
    _position(record, alice, "Senior engineer", acme, start_date=datetime.date(2024, 1, 1))
    _position(record, alice, "Mentor", None, company_name="Code Club")
    assert sorted(_kinds(alice)) == sorted(
        [
            (HistoryKind.NEW_POSITION, "Engineer · Acme"),
            (HistoryKind.PROMOTION, "Senior engineer · Acme"),
            (HistoryKind.NEW_POSITION, "Mentor · Code Club"),
        ]
    )
    entry = HistoryEntry.objects.filter(kind=HistoryKind.PROMOTION).get()
    assert entry.field == "current_position"
    alice.profile.refresh_from_db()
    assert alice.profile.last_meaningful_update is not None


def test_past_positions_filled_in_later_are_not_news(record, alice):
    _position(
        record,
        alice,
        "Intern",
        None,
        company_name="Old Corp",
        start_date=datetime.date(2010, 1, 1),
        end_date=datetime.date(2010, 6, 1),
        is_current=False,
    )
    assert _kinds(alice) == []


def test_skills_added_in_one_sitting_make_one_entry(record, alice):
    for name in ("Python", "Django", "python"):
        record(services.profile_skill_add, profile=alice.profile, name=name)
    assert _kinds(alice) == [(HistoryKind.NEW_SKILL, "Python, Django")]


def test_headline_education_and_certification(record, alice):
    record(services.profile_update, profile=alice.profile, headline="Data engineer")
    record(services.profile_update, profile=alice.profile, headline="Staff data engineer")
    record(services.profile_update, profile=alice.profile, location="Lyon")
    school = OrganizationFactory(name="INSA Lyon", kind="school", slug="insa")
    record(
        services.section_item_create,
        profile=alice.profile,
        section="education",
        data={"organization": school, "degree": "MSc", "field_of_study": "Computer science"},
    )
    record(
        services.section_item_create,
        profile=alice.profile,
        section="certifications",
        data={"name": "AWS Solutions Architect", "authority": "Amazon"},
    )
    assert sorted(_kinds(alice)) == sorted(
        [
            (HistoryKind.HEADLINE, "Staff data engineer"),
            (HistoryKind.EDUCATION, "MSc, Computer science · INSA Lyon"),
            (HistoryKind.CERTIFICATION, "AWS Solutions Architect · Amazon"),
        ]
    )


def test_unknown_field_is_refused(alice):
    with pytest.raises(ValueError):
        activity.history_record(profile=alice.profile, kind=HistoryKind.NEW_SKILL, field="skils", summary="x")


def _entry(member, kind, field, summary, item_audience=""):
    return activity.history_record(
        profile=member.profile, kind=kind, field=field, summary=summary, item_audience=item_audience
    )


def test_each_entry_follows_the_visibility_of_what_changed(alice):
    alice.profile.visibility = {"skills": Audience.ONLY_ME, "activity": Audience.PUBLIC}
    alice.profile.save()
    _entry(alice, HistoryKind.NEW_SKILL, "skills", "Secret skill")
    _entry(alice, HistoryKind.NEW_POSITION, "current_position", "CTO · Acme")
    _entry(alice, HistoryKind.NEW_CV, "documents", "Connections CV", Audience.CONNECTIONS)
    _entry(alice, HistoryKind.CERTIFICATION, "certifications", "Members cert")

    def seen(relation):
        return {e.summary for e in activity.history_visible(profile=alice.profile, relation=relation)}

    assert seen(Relation.ANONYMOUS) == {"CTO · Acme"}
    assert seen(Relation.MEMBER) == {"CTO · Acme", "Members cert"}
    assert seen(Relation.CONNECTION) == {"CTO · Acme", "Members cert", "Connections CV"}
    assert seen(Relation.SELF) == {"CTO · Acme", "Members cert", "Connections CV", "Secret skill"}
    assert seen(Relation.BLOCKED) == set()


def test_the_activity_setting_hides_the_whole_timeline(alice):
    _entry(alice, HistoryKind.NEW_POSITION, "current_position", "CTO · Acme")
    alice.profile.visibility = {"activity": Audience.ONLY_ME}
    alice.profile.save()
    assert activity.history_visible(profile=alice.profile, relation=Relation.CONNECTION) == []
    assert len(activity.history_visible(profile=alice.profile, relation=Relation.SELF)) == 1


def test_cv_entry_follows_the_cv(alice, bob, mallory):
    cv = docs.document_create(
        profile=alice.profile, kind=DocumentKind.CV, name="My CV", audience=Audience.MEMBERS, upload=upload(make_pdf())
    )
    assert [e.summary for e in activity.history_visible(profile=alice.profile, relation=Relation.MEMBER)] == ["My CV"]
    docs.document_update(document=cv, audience=Audience.CONNECTIONS)
    assert activity.history_visible(profile=alice.profile, relation=Relation.MEMBER) == []
    docs.document_delete(document=cv)
    assert not HistoryEntry.objects.exists()


def test_owner_hides_an_entry(client, alice, bob, mallory):
    entry = _entry(alice, HistoryKind.NEW_POSITION, "current_position", "CTO · Acme")
    url = f"/me/history/{entry.pk}/hide/"
    response = client.post(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(mallory)
    assert client.post(url).status_code == 404
    client.force_login(alice)
    assert client.post(url, HTTP_HX_REQUEST="true").status_code == 200
    entry.refresh_from_db()
    assert entry.hidden
    assert activity.history_visible(profile=alice.profile, relation=Relation.CONNECTION) == []
    assert activity.history_visible(profile=alice.profile, relation=Relation.SELF)[0].hidden
    client.post(url, {"hidden": "0"})
    entry.refresh_from_db()
    assert not entry.hidden


def test_timeline_on_the_profile_page(client, alice, bob, mallory):
    _entry(alice, HistoryKind.NEW_POSITION, "current_position", "CTO · Acme")
    _entry(alice, HistoryKind.NEW_CV, "documents", "Connections CV", Audience.CONNECTIONS)
    client.force_login(bob)
    page = client.get(alice.profile.get_absolute_url()).content.decode()
    assert "Profile updated" in page and "CTO · Acme" in page and "Connections CV" in page
    assert "Hide" not in page
    client.force_login(mallory)
    page = client.get(alice.profile.get_absolute_url()).content.decode()
    assert "CTO · Acme" in page and "Connections CV" not in page
    client.force_login(alice)
    page = client.get(alice.profile.get_absolute_url()).content.decode()
    assert f"/me/history/{HistoryEntry.objects.first().pk}/hide/" in page


def test_history_api(client, alice, mallory):
    entry = _entry(alice, HistoryKind.NEW_CV, "documents", "Connections CV", Audience.CONNECTIONS)
    url = f"/api/v1/activity/history/{alice.profile.slug}"
    assert client.get(url).json() == []  # anonymous: activity is for members by default
    client.force_login(mallory)
    assert client.get(url).json() == []
    assert (
        client.post(
            f"/api/v1/activity/history/{entry.pk}/hide", {"hidden": True}, content_type="application/json"
        ).status_code
        == 404
    )
    client.force_login(alice)
    body = client.get(url).json()
    assert [(e["kind"], e["summary"]) for e in body] == [("new_cv", "Connections CV")]
    response = client.post(
        f"/api/v1/activity/history/{entry.pk}/hide", {"hidden": True}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["hidden"] is True
