"""My network's first page (no query string) runs SQL built once per thread (carnet.core.compiled):
it must show what the ORM's path shows (?page=1 takes it), rows, count and pagination."""

import pytest

from carnet.core import compiled
from carnet.network import selectors, views
from carnet.network.services import block_create, connection_create, connection_remove, label_add_member, label_create
from carnet.profiles import services
from tests.factories import MemberFactory
from tests.pages import page_html

pytestmark = pytest.mark.django_db


def _main(client, url) -> str:
    page = page_html(client, url, blank_next=True)
    return page[page.index("<main") : page.index("</main>")]


def _connect(alice, count):
    members = [MemberFactory() for _ in range(count)]
    for member in members:
        connection_create(member=alice, other=member)
    return members


@pytest.mark.parametrize("count", [0, 1, views.PAGE_SIZE, views.PAGE_SIZE + 3])
def test_the_first_page_is_the_orm_page(alice_client, alice, count):
    _connect(alice, count)
    assert _main(alice_client, "/network/") == _main(alice_client, "/network/?page=1")


def test_rows_and_count_are_the_orm_ones(alice, bob, django_assert_num_queries):
    members = _connect(alice, 30)
    services.profile_update(profile=members[-1].profile, headline="Builds bridges")
    first = views._first_page()
    expected = list(selectors.network_list(member_id=alice.pk).only(*views.CONNECTION_ROW_COLUMNS)[: views.PAGE_SIZE])
    rows = first.rows(alice.pk)
    assert first.count(alice.pk) == 31 == selectors.connection_count(member_id=alice.pk)
    assert first.count(MemberFactory().pk) == 0 and first.rows(MemberFactory().pk) == []

    def shown(row):
        other = row.other
        profile = other.profile
        return (
            row.pk, row.created, row.other_id, other.display_name, other.is_active,
            profile.slug, profile.headline, profile.location, profile.photo.name, profile.visibility,
        )  # fmt: skip

    with django_assert_num_queries(0):  # the same columns loaded, nothing deferred read later
        compiled = [shown(row) for row in rows]
    assert compiled == [shown(row) for row in expected]
    assert "Builds bridges" in [row.other.profile.headline for row in rows]


def test_changes_show_on_the_next_request(alice_client, alice, bob):
    dave = MemberFactory(first_name="Dave", last_name="Newman")
    connection_create(member=alice, other=dave)
    assert "Dave Newman" in _main(alice_client, "/network/")
    services.profile_update(profile=dave.profile, headline="Freshly edited headline")
    label_add_member(label=label_create(owner=alice, name="Climbing club"), member=dave)
    page = _main(alice_client, "/network/")
    assert "Freshly edited headline" in page and "Climbing club" in page and "2 connections" in page
    connection_remove(member=alice, other=dave)
    page = _main(alice_client, "/network/")
    assert "Dave Newman" not in page and "1 connection" in page
    block_create(blocker=bob, blocked=alice)
    assert "Bob Durand" not in _main(alice_client, "/network/")


def test_a_selector_the_first_page_cannot_compile_falls_back_to_the_orm(alice_client, alice, monkeypatch):
    # A network_list whose query carries the member's id twice: no single slot to fill in.
    _connect(alice, 3)
    original = selectors.network_list

    def twice(*, member_id, **kwargs):
        return original(member_id=member_id, **kwargs).exclude(other_id=member_id)

    monkeypatch.setattr(selectors, "network_list", twice)
    monkeypatch.setattr(compiled, "_queries", {})  # compiled again, from the patched selector
    assert views._first_page() is None
    assert "3 connections" in _main(alice_client, "/network/")


def test_the_filter_fields_show_the_member_own_labels_as_they_are_now(client, alice, carol):
    # The no-filter form is kept per language and label list: a rename shows at once, and a
    # member never sees another member's labels.
    from carnet.network.services import label_rename

    label = label_create(owner=alice, name="Climbing club")
    client.force_login(alice)
    assert "Climbing club</option>" in _main(client, "/network/")
    label_rename(label=label, name="Bouldering club")
    page = _main(client, "/network/")
    assert "Bouldering club</option>" in page and "Climbing club" not in page
    client.force_login(carol)
    assert "Bouldering club" not in _main(client, "/network/")
