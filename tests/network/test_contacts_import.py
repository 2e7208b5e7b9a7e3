"""Address book import: members found by verified address, invitations within the weekly
allowance (all or none), e-mail invitations only with consent, non-members' addresses erased,
all-or-nothing on bad files, the CLI."""

import datetime
import io
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from carnet.core.models import Job
from carnet.network.contacts import importing
from carnet.network.contacts.parsing import ContactFileError
from carnet.network.models import Block, EmailInvitation, Invitation
from carnet.network.quotas import QuotaExceeded
from carnet.network.relations_support import RelationError
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _csv(*rows: str) -> bytes:
    return ("Name,Email\n" + "".join(f"{row}\n" for row in rows)).encode()


@pytest.fixture
def zoe(db):
    return MemberFactory(email="zoe@example.org", first_name="Zoé", last_name="Lambert")


def test_import_matches_members_by_verified_address_only(alice, bob, zoe):
    unverified = MemberFactory(email="unverified@example.org")
    EmailAddress.objects.filter(user=unverified).update(verified=False)
    secondary = MemberFactory(email="main@example.org")
    EmailAddress.objects.create(user=secondary, email="Second@Example.org", verified=True)
    job = importing.contacts_import(
        member=alice,
        data=_csv(
            "Zoé,ZOE@example.org",
            "Bob,bob@example.org",
            "Someone,unverified@example.org",
            "Other,second@example.org",
            "Nobody,nobody@example.org",
            "Me,alice@example.org",
            "No address,",
        ),
        filename="contacts.csv",
    )
    report = job.report
    assert {(m["id"], m["state"]) for m in report["members"]} == {
        (zoe.pk, "invitable"),
        (bob.pk, "connected"),
        (secondary.pk, "invitable"),
    }
    assert [(c["email"], c["state"]) for c in report["non_members"]] == [
        ("unverified@example.org", "invitable"),
        ("nobody@example.org", "invitable"),
    ]
    assert [(s["line"], s["reason"]) for s in report["skipped"]] == [(7, "your own address"), (8, "no e-mail address")]
    assert (report["read"], report["imported"], report["file"]) == (7, 5, "contacts.csv")
    assert job.owner == alice and job.status == "done"


def test_duplicates_pending_and_blocked_members(alice, zoe, mallory):
    pending = MemberFactory(email="pending@example.org")
    Invitation.objects.create(sender=pending, recipient=alice)
    Block.objects.create(blocker=mallory, blocked=alice)
    job = importing.contacts_import(
        member=alice,
        data=_csv("Zoé,zoe@example.org", "Zoé again,zoe@example.org", "P,pending@example.org", "M,mallory@example.org"),
    )
    states = {m["id"]: m["state"] for m in job.report["members"]}
    assert states == {zoe.pk: "invitable", pending.pk: "pending"}
    reasons = [s["reason"] for s in job.report["skipped"]]
    assert reasons == ["same address as line 2", "this member cannot be invited"]
    assert job.report["non_members"] == []  # a blocked member is never offered an e-mail either


def test_bad_file_writes_nothing(alice):
    with pytest.raises(ContactFileError):
        importing.contacts_import(member=alice, data=b"\x00\x01\x02binary")
    assert not Job.objects.exists()


def test_invite_members_within_the_weekly_allowance_all_or_none(alice, zoe, settings):
    others = [MemberFactory(email=f"m{i}@example.org") for i in range(3)]
    job = importing.contacts_import(
        member=alice, data=_csv("Zoé,zoe@example.org", *(f"M{i},m{i}@example.org" for i in range(3)))
    )
    from carnet.network.plans import FREE

    Invitation.objects.bulk_create(
        [Invitation(sender=alice, recipient=MemberFactory()) for _ in range(FREE.invitations_per_week - 2)]
    )
    with pytest.raises(QuotaExceeded, match="invitations per week"):
        importing.contacts_invite_members(member=alice, job=job, user_ids=[zoe.pk, *(o.pk for o in others)])
    assert not Invitation.objects.filter(recipient__in=[zoe, *others]).exists()
    result = importing.contacts_invite_members(member=alice, job=job, user_ids=[zoe.pk, others[0].pk])
    assert result == {"invited": 2, "skipped": []}
    assert Invitation.objects.filter(sender=alice, recipient__in=[zoe, others[0]]).count() == 2
    job.refresh_from_db()
    assert job.report["invited_members"] == 2
    assert {m["id"]: m["state"] for m in job.report["members"]}[zoe.pk] == "invited"


def test_only_members_of_the_import_can_be_invited_through_it(alice, zoe, mallory):
    job = importing.contacts_import(member=alice, data=_csv("Zoé,zoe@example.org"))
    with pytest.raises(RelationError):
        importing.contacts_invite_members(member=alice, job=job, user_ids=[mallory.pk])
    assert not Invitation.objects.exists()


def test_email_invitations_need_consent_and_erase_the_other_addresses(
    alice, django_capture_on_commit_callbacks, settings
):
    job = importing.contacts_import(
        member=alice, data=_csv("Ann,ann@example.org", "Ben,ben@example.org", "Cy,cy@example.org")
    )
    with pytest.raises(RelationError, match="Tick the box"):
        importing.contacts_invite_emails(member=alice, job=job, keys=[0], consent=False)
    assert not EmailInvitation.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        count = importing.contacts_invite_emails(member=alice, job=job, keys=[0, 2], consent=True)
    assert count == 2
    assert sorted(EmailInvitation.objects.values_list("email", flat=True)) == ["ann@example.org", "cy@example.org"]
    assert sorted(m.to[0] for m in mail.outbox) == ["ann@example.org", "cy@example.org"]
    assert "Alice Martin would like to connect with you" in mail.outbox[0].body
    job.refresh_from_db()
    assert job.report["non_members"] == [] and job.report["scrubbed"]
    assert "ben@example.org" not in str(job.report)
    with pytest.raises(RelationError, match="erased"):
        importing.contacts_invite_emails(member=alice, job=job, keys=[1], consent=True)


def test_email_invitations_count_against_the_weekly_allowance(alice):
    from carnet.network.plans import FREE

    Invitation.objects.bulk_create(
        [Invitation(sender=alice, recipient=MemberFactory()) for _ in range(FREE.invitations_per_week - 1)]
    )
    job = importing.contacts_import(member=alice, data=_csv("Ann,ann@example.org", "Ben,ben@example.org"))
    with pytest.raises(QuotaExceeded):
        importing.contacts_invite_emails(member=alice, job=job, keys=[0, 1], consent=True)
    assert not EmailInvitation.objects.exists()
    job.refresh_from_db()
    assert len(job.report["non_members"]) == 2  # nothing sent: the member may choose fewer


def test_already_invited_addresses_are_not_offered_again(alice):
    EmailInvitation.objects.create(sender=alice, email="ann@example.org")
    job = importing.contacts_import(member=alice, data=_csv("Ann,ann@example.org"))
    assert job.report["non_members"][0]["state"] == "already_invited"
    with pytest.raises(RelationError):
        importing.contacts_invite_emails(member=alice, job=job, keys=[0], consent=True)


def test_old_imports_are_erased_by_the_cleanup(alice):
    job = importing.contacts_import(member=alice, data=_csv("Ann,ann@example.org"))
    fresh = importing.contacts_import(member=alice, data=_csv("Ben,ben@example.org"))
    Job.objects.filter(pk=job.pk).update(created=timezone.now() - datetime.timedelta(hours=25))
    call_command("relations_cleanup", stdout=io.StringIO())
    job.refresh_from_db()
    fresh.refresh_from_db()
    assert job.report["scrubbed"] and "ann@example.org" not in str(job.report)
    assert fresh.report["non_members"][0]["email"] == "ben@example.org"


def test_closing_an_import_erases_addresses(alice, mallory):
    job = importing.contacts_import(member=alice, data=_csv("Ann,ann@example.org"))
    with pytest.raises(RelationError):
        importing.contacts_import_close(member=mallory, job=job)
    importing.contacts_import_close(member=alice, job=job)
    job.refresh_from_db()
    assert job.report["scrubbed"]


def test_real_vcard_fixture_imports(alice):
    EmailAddress.objects.create(user=MemberFactory(email="x@example.org"), email="asmithk@gmail.com", verified=True)
    job = importing.contacts_import(member=alice, data=(FIXTURES / "vcard" / "gmail-list.vcf").read_bytes())
    assert job.report["format"] == "vcard"
    assert len(job.report["members"]) == 1 and len(job.report["non_members"]) == 2


# ---------------------------------------------------------------------------------------
# CLI: carnet contacts import FILE --member EMAIL [--invite-members]
# ---------------------------------------------------------------------------------------
def test_cli_imports_invites_members_and_keeps_no_addresses(alice, zoe, tmp_path):
    path = tmp_path / "Connections.csv"
    header = (FIXTURES / "linkedin_connections" / "Connections-2024-12_full_export.csv").read_bytes()
    path.write_bytes(
        header
        + b"Zoe,Lambert,https://www.linkedin.com/in/zoe,zoe@example.org,Acme,Engineer,04 Jul 2023\n"
        + b"Paul,Martin,https://www.linkedin.com/in/paul,,Globex,CTO,01 Feb 2022\n"
        + b"Ann,Other,https://www.linkedin.com/in/ann,ann@example.org,Initech,PM,01 Feb 2022\n"
    )
    out = io.StringIO()
    call_command("contacts", "import", str(path), "--member", "ALICE@example.org", "--invite-members", stdout=out)
    text = out.getvalue()
    assert "Format: linkedin" in text and "members found: 1" in text and "Invitations sent: 1" in text
    assert "line 6: no e-mail address" in text
    assert Invitation.objects.filter(sender=alice, recipient=zoe).exists()
    assert not EmailInvitation.objects.exists()
    assert "ann@example.org" not in str(Job.objects.get().report)


def test_cli_refuses_bad_input_clearly(alice, tmp_path):
    bad = tmp_path / "photo.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(CommandError, match="binary"):
        call_command("contacts", "import", str(bad), "--member", "alice@example.org", stdout=io.StringIO())
    with pytest.raises(CommandError, match="No member"):
        call_command("contacts", "import", str(bad), "--member", "nobody@example.org", stdout=io.StringIO())
    with pytest.raises(CommandError, match="No such file"):
        call_command("contacts", "import", str(tmp_path / "nope"), "--member", "alice@example.org")
    assert not Job.objects.exists()
