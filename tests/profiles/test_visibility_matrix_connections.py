"""The visibility matrix, `connections` column: who may learn whom a member is connected to.

The policy field "connections" (PROFILE_FIELD_DEFAULTS["connections"], "My connections
list") is Alice's choice of who may see her connections. No page lists another member's
connections, so the surfaces that reveal them are:
- the "How you're connected" block of a profile page (mutual connections on a 1st/2nd-degree
  profile, shortest chains on a 3rd-degree one) and its API (/profiles/{slug}/mutual, /chain),
  where Alice appears as an intermediate: naming her there says who she is connected to;
- the introduction request (page and API), which offers the mutual connections as
  intermediaries;
- for Alice herself: My network, /api/v1/network/connections and the contacts export.

The world: Alice ("Qxlist") is connected to bob and to tina ("Qxtarget"); carol is bob's
connection; mallory is a stranger. So tina is bob's 2nd degree through Alice alone, and
carol's 3rd degree through bob then Alice. For each audience Alice may choose and each
viewer (anonymous, stranger, 2nd degree, connection, owner), every surface is asked, and
the fact "Alice is connected to tina" must show exactly when the surface carries it for that
viewer and the audience admits them. The expectations are written out by hand, not computed
with the policy under test. Every case runs with the graph engine and with SQL.

The "public" and "members" audiences admit strangers and anonymous visitors, but no surface
shows a member's connections to them (no connections list of another member, no chain
without a path): for them the fact must never show, on any surface, whatever the audience.
"""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from carnet.network import graph
from carnet.network.graph.runtime import GraphRuntime, set_runtime
from carnet.network.services import connection_create
from carnet.profiles.portability.selectors import resume_export
from tests.factories import MemberFactory
from tests.profiles.matrix_oracle import ADMITS, AUDIENCES, VIEWERS
from tests.profiles.pdf_samples import pdf_text

pytestmark = pytest.mark.django_db


# Surfaces about tina, the member Alice leads to: the fact shows as Alice named there.
TARGET_SURFACES = ("target_page", "target_mutual_api", "target_chain_api", "intro_page", "intro_api")
# Surfaces about Alice or the viewer's own network: the fact shows as tina named there.
OWNER_SURFACES = (
    "alice_page",
    "alice_api",
    "alice_mutual_api",
    "alice_chain_api",
    "alice_resume",
    "alice_vcard",
    "alice_pdf",
    "own_network_page",
    "own_connections_api",
    "own_contacts_export",
)
# Who each surface tells "Alice is connected to tina" when the audience admits them:
# bob (her connection) sees Alice as the mutual connection on tina's profile and may ask her
# for an introduction; carol (2nd degree) sees Alice as the second hop of the chain to tina;
# Alice sees her own list. Nothing else carries it.
CARRIES = {
    "target_page": {"connection", "second_degree"},
    "target_mutual_api": {"connection"},
    "target_chain_api": {"connection", "second_degree"},
    "intro_page": {"connection"},
    "intro_api": {"connection"},
    "own_network_page": {"self"},
    "own_connections_api": {"self"},
    "own_contacts_export": {"self"},
}


@pytest.fixture(params=["engine", "sql"])
def answered_by(request):
    """Every case twice: from the graph engine (built from the test database) and from SQL."""
    runtime = GraphRuntime(mode="sync" if request.param == "engine" else "off")
    previous = set_runtime(runtime)
    yield request.param
    runtime.stop()
    set_runtime(previous)


@pytest.fixture
def world(alice, bob, carol, mallory):
    alice.last_name = "Qxlist"
    alice.save(update_fields=["last_name"])
    tina = MemberFactory(email="tina@example.org", first_name="Tina", last_name="Qxtarget", password=None)
    connection_create(member=alice, other=tina)
    members = {"member": mallory, "second_degree": carol, "connection": bob, "self": alice}
    return alice, tina, members


def _set_list_audience(member, audience: str) -> None:
    profile = member.profile
    profile.visibility = {**profile.visibility, "connections": audience}
    profile.save(update_fields=["visibility"])
    graph.on_member_changed(member)  # the hook runs on commit; tests do not commit


def _client(member) -> Client:
    client = Client()
    if member is not None:
        client.force_login(member)
    return client


def _text(response) -> str:
    if response.status_code != 200:
        return ""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def _how_connected(page: str) -> str:
    match = re.search(r'<section class="card how-connected".*?</section>', page, re.S)
    return match[0] if match else ""


def _target_surfaces(client, alice, tina, member) -> dict[str, str]:
    t = tina.profile.slug
    target_page = _text(client.get(f"/in/{t}/"))
    return {
        # Alice's own name is in her header: on tina's page she reads the chain block only.
        "target_page": _how_connected(target_page) if member == alice else target_page,
        "target_mutual_api": _text(client.get(f"/api/v1/profiles/{t}/mutual")),
        "target_chain_api": _text(client.get(f"/api/v1/profiles/{t}/chain")),
        "intro_page": "" if member == alice else _text(client.get(f"/network/introductions/new/{t}/")),
        "intro_api": _text(client.get(f"/api/v1/relations/introductions/intermediaries/{t}")),
    }


def _owner_surfaces(client, alice, tina, member) -> dict[str, str]:
    a = alice.profile.slug
    alice_pdf = client.get(f"/in/{a}/cv.pdf")
    return {
        "alice_page": _text(client.get(f"/in/{a}/")),  # its JSON-LD included
        "alice_api": _text(client.get(f"/api/v1/profiles/{a}")),
        "alice_mutual_api": _text(client.get(f"/api/v1/profiles/{a}/mutual")),
        "alice_chain_api": _text(client.get(f"/api/v1/profiles/{a}/chain")),
        "alice_resume": json.dumps(resume_export(profile=alice.profile, viewer=member)),
        "alice_vcard": _text(client.get(f"/in/{a}/vcard")),
        "alice_pdf": pdf_text(alice_pdf.content) if alice_pdf.status_code == 200 else "",
        "own_network_page": _text(client.get("/network/")),
        "own_connections_api": _text(client.get("/api/v1/network/connections")),
        "own_contacts_export": _text(client.get("/network/contacts/export.csv")),
    }


def _reveals(surface: str, text: str, alice, tina) -> bool:
    """Whether `text` tells that Alice and tina are connected (or how many connections Alice has)."""
    if surface in TARGET_SURFACES:
        return "Qxlist" in text or f"/in/{alice.profile.slug}/" in text or f'"{alice.profile.slug}"' in text
    # Alice has two connections (bob and tina): a count of them is her list too.
    count = re.search(r"\b2\s+connections\b", text) if surface.startswith("alice_") else None
    return "Qxtarget" in text or tina.profile.slug in text or count is not None


def _left_out_as_expected(viewer, audience, shown_on, alice, members) -> list[str]:
    """When Alice is left out, bob still counts one mutual connection with tina (his own
    connections, as LinkedIn shows) and carol learns only that a chain is hidden."""
    admitted = viewer in ADMITS[audience]
    if viewer == "connection":
        mutual = json.loads(shown_on["target_mutual_api"])
        slugs = [m["slug"] for m in mutual["items"]]
        if mutual["total"] != 1 or slugs != ([alice.profile.slug] if admitted else []):
            return [f"mutual as {viewer}: {mutual}"]
    if viewer == "second_degree":
        chain = json.loads(shown_on["target_chain_api"])
        hops = [[m["slug"] for m in c] for c in chain["chains"]]
        wanted = [[members["connection"].profile.slug, alice.profile.slug]] if admitted else []
        if chain["degree"] != 3 or hops != wanted or chain["hidden"] is admitted:
            return [f"chain as {viewer}: {chain}"]
    return []


@pytest.mark.parametrize("audience", AUDIENCES)
def test_alices_connections_show_exactly_to_her_audience_on_every_surface(audience, answered_by, world):
    alice, tina, members = world
    _set_list_audience(alice, audience)
    failures = []
    for viewer in VIEWERS:
        member = members.get(viewer)
        client = _client(member)
        shown_on = _target_surfaces(client, alice, tina, member)
        if audience in ("public", "only_me"):
            # Alice's own surfaces and the viewer's own network carry the fact for Alice only,
            # whatever the audience: checking them at the widest audience (where a leak to
            # someone else would show) and the narrowest (where Alice must still see her
            # list) covers the three between, at a fraction of the requests (CI runs this).
            shown_on |= _owner_surfaces(client, alice, tina, member)
        for surface, text in shown_on.items():
            shown = _reveals(surface, text, alice, tina)
            expected = viewer in CARRIES.get(surface, set()) and viewer in ADMITS[audience]
            if shown != expected:
                failures.append(f"{surface} as {viewer}: {'shown' if shown else 'hidden'}")
        failures += _left_out_as_expected(viewer, audience, shown_on, alice, members)
    assert not failures, f"connections={audience} ({answered_by}):\n" + "\n".join(failures)


def test_the_engine_rechecks_an_audience_it_has_not_heard_of_yet(world):
    """Alice hides her list but the engine's copy still says public (the on-commit event is
    late): the database is asked again before anyone is named."""
    alice, tina, members = world
    runtime = GraphRuntime(mode="sync")
    previous = set_runtime(runtime)
    try:
        _set_list_audience(alice, "public")
        bob, carol = members["connection"], members["second_degree"]
        assert "Qxlist" in _text(_client(carol).get(f"/api/v1/profiles/{tina.profile.slug}/chain"))
        profile = alice.profile
        profile.visibility = {**profile.visibility, "connections": "only_me"}
        profile.save(update_fields=["visibility"])  # no graph.on_member_changed: the engine is behind
        for viewer in (bob, carol):
            client = _client(viewer)
            for url in (f"/in/{tina.profile.slug}/", f"/api/v1/profiles/{tina.profile.slug}/chain"):
                assert "Qxlist" not in _text(client.get(url)), (viewer, url)
        assert _client(carol).get(f"/api/v1/profiles/{tina.profile.slug}/chain").json()["hidden"] is True
    finally:
        runtime.stop()
        set_runtime(previous)


def test_the_mutual_connections_on_alices_profile_follow_their_own_lists(answered_by, world):
    """Carol (2nd degree) on Alice's profile sees bob, the connection they share, named when
    bob's list admits her, whatever Alice chose for hers: a shared connection is the viewer's
    own connection (LinkedIn: "members will still see connections they share with you").
    Bob hiding his list hides him here; Alice hiding hers does not."""
    alice, _tina, members = world
    bob, carol = members["connection"], members["second_degree"]
    client = _client(carol)
    _set_list_audience(alice, "only_me")
    page = _how_connected(_text(client.get(f"/in/{alice.profile.slug}/")))
    assert "Bob Durand" in page
    assert [m["slug"] for m in client.get(f"/api/v1/profiles/{alice.profile.slug}/mutual").json()["items"]] == [
        bob.profile.slug
    ]
    _set_list_audience(bob, "only_me")
    page = _how_connected(_text(client.get(f"/in/{alice.profile.slug}/")))
    assert "Bob Durand" not in page and bob.profile.slug not in page
    mutual = client.get(f"/api/v1/profiles/{alice.profile.slug}/mutual").json()
    assert mutual == {"total": 1, "items": [], "next_cursor": None}


@pytest.mark.parametrize("audience", ["connections", "only_me"])
def test_asking_a_hidden_intermediary_answers_like_asking_a_stranger_to_the_target(audience, answered_by, world):
    """Bob cannot learn that Alice knows tina by naming her as the intermediary himself: the
    refusal is the one he gets for carol, his connection who does not know tina. With her
    list open to connections (the control) Alice may be asked."""
    alice, tina, members = world
    bob, carol = members["connection"], members["second_degree"]
    _set_list_audience(alice, audience)
    client = _client(bob)

    def ask(intermediary):
        payload = {"target": tina.profile.slug, "intermediary": intermediary.profile.slug, "message": "Hello"}
        response = client.post("/api/v1/relations/introductions", payload, content_type="application/json")
        return response.status_code, response.json()

    refused = ask(carol)
    assert refused[0] == 403
    if audience == "only_me":
        assert ask(alice) == refused
        page = client.post(
            f"/network/introductions/new/{tina.profile.slug}/", {"intermediary": alice.pk, "message": "Hi"}
        )
        assert page.status_code == 400 and "Qxlist" not in page.content.decode()
    else:
        assert ask(alice)[0] == 201


# (Alice's list, bob's list) -> whether an anonymous visitor may learn they are connected.
ENDORSER_CASES = [
    ("connections", "connections", False),  # the defaults
    ("public", "only_me", True),
    ("only_me", "public", True),
    ("members", "members", False),
    ("only_me", "only_me", False),
]


@pytest.mark.parametrize(("alice_list", "bob_list", "public"), ENDORSER_CASES)
def test_an_endorser_is_named_to_anonymous_visitors_only_when_one_of_the_two_lists_is_public(
    alice_list, bob_list, public, world
):
    """Only connections endorse, so naming an endorser says who Alice is connected to. Members
    still see who endorsed her (LinkedIn: "members will still be able to see connections who
    endorse you"); anonymous visitors, search engines and scrapers included, see the count
    only, unless Alice or bob opened their list to the public."""
    from carnet.network.endorsements import endorsement_add
    from carnet.profiles.services import profile_skill_add

    alice, _tina, members = world
    bob = members["connection"]
    item = profile_skill_add(profile=alice.profile, name="Qxskill")
    endorsement_add(endorser=bob, profile_skill=item)
    _set_list_audience(alice, alice_list)
    _set_list_audience(bob, bob_list)
    slug = alice.profile.slug
    for viewer, expected in (("anonymous", public), ("member", True), ("second_degree", True)):
        client = _client(members.get(viewer))
        page = _text(client.get(f"/in/{slug}/"))
        skills = client.get(f"/api/v1/relations/profiles/{slug}/skills").json()["skills"]
        assert "Qxskill" in page and "1 endorsement" in page, viewer
        assert [s["endorsements"] for s in skills] == [1], viewer
        endorsers = [m["slug"] for m in skills[0]["endorsers"]]
        assert ("Bob Durand" in page) is expected, (viewer, "page")
        assert (endorsers == [bob.profile.slug]) is expected and (endorsers in ([], [bob.profile.slug])), viewer


def test_asking_for_an_introduction_does_not_reveal_a_block_between_two_other_members(world):
    """Bob names carol (his connection, who does not know tina) as the intermediary: the
    answer must not change when carol and tina block each other, a matter between them."""
    from carnet.network.services import block_create

    _alice, tina, members = world
    bob, carol = members["connection"], members["second_degree"]
    client = _client(bob)
    payload = {"target": tina.profile.slug, "intermediary": carol.profile.slug, "message": "Hello"}

    def ask():
        response = client.post("/api/v1/relations/introductions", payload, content_type="application/json")
        return response.status_code, response.json()

    before = ask()
    assert before[0] == 403
    block_create(blocker=carol, blocked=tina)
    assert ask() == before
