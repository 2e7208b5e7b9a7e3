"""The index follows the database: services and admin writes (model signals, on commit), the
SEEDED signal, `carnet search reindex` with its Job; a field hidden is gone at commit."""

import io
import json

import pytest
from django.core.management import call_command

from carnet.core.models import Job, JobStatus
from carnet.core.visibility import Audience
from carnet.profiles import services as profiles
from carnet.search.engines import PeopleQuery
from carnet.search.models import SearchDocument
from carnet.search.selectors import people_search
from carnet.search.services import REINDEX_JOB_KIND
from tests.factories import MemberFactory, OrganizationFactory


def _found(viewer, member, **query) -> bool:
    return member.pk in [c.pk for c in people_search(viewer=viewer, query=PeopleQuery(**query), limit=50).cards]


def test_profile_and_section_changes_reach_the_index(alice, mallory, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        profiles.profile_update(profile=alice.profile, headline="Glassblower")
    assert _found(mallory, alice, text="glassblower")
    organization = OrganizationFactory(name="Vitrum")
    with django_capture_on_commit_callbacks(execute=True):
        position = profiles.section_item_create(
            profile=alice.profile,
            section="positions",
            data={"organization": organization, "title": "Furnace lead", "start_date": "2020-01-01"},
        )
        profiles.profile_skill_add(profile=alice.profile, name="Lampworking")
    assert _found(mallory, alice, company="vitrum") and _found(mallory, alice, text="lampwork furnace")
    with django_capture_on_commit_callbacks(execute=True):
        profiles.section_item_delete(item=position)
    assert not _found(mallory, alice, company="vitrum")


def test_hiding_a_field_drops_the_document_at_commit(alice, mallory, django_capture_on_commit_callbacks, settings):
    with django_capture_on_commit_callbacks(execute=True):
        profiles.profile_update(profile=alice.profile, location="Saint-Malo")
    assert _found(mallory, alice, location="saint malo")
    # With the database queue the rebuild runs later: until then the member is not found at all.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        profiles.profile_visibility_update(profile=alice.profile, choices={"location": Audience.ONLY_ME})
    assert not SearchDocument.objects.filter(member=alice).exists()
    assert not _found(mallory, alice, location="saint malo")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    from carnet.search.tasks import index_members_task

    index_members_task.enqueue([alice.pk])  # the queued rebuild, once a worker runs it
    assert _found(mallory, alice, text="alice") and not _found(mallory, alice, location="saint malo")


def test_rename_deactivation_and_company_rename(alice, mallory, django_capture_on_commit_callbacks):
    organization = OrganizationFactory(name="Oldname")
    with django_capture_on_commit_callbacks(execute=True):
        profiles.section_item_create(
            profile=alice.profile,
            section="positions",
            data={"organization": organization, "title": "Chef", "start_date": "2020-01-01", "is_current": True},
        )
        profiles.profile_intro_update(profile=alice.profile, first_name="Alicia", last_name="Martin")
    assert _found(mallory, alice, text="alicia")
    with django_capture_on_commit_callbacks(execute=True):
        organization.name = "Newname"
        organization.save()
    assert _found(mallory, alice, company="newname") and not _found(mallory, alice, company="oldname")
    with django_capture_on_commit_callbacks(execute=True):
        alice.is_active = False
        alice.save(update_fields=["is_active"])
    assert not SearchDocument.objects.filter(member=alice).exists()


def test_nothing_is_indexed_for_a_rolled_back_change(alice, mallory, django_capture_on_commit_callbacks):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        profiles.profile_update(profile=alice.profile, headline="Ghostwriter")
        raise RuntimeError
    assert callbacks == []
    assert not _found(mallory, alice, text="ghostwriter")


def test_seeded_signal_rebuilds_the_index(db):
    from carnet.core.seed import SEEDED

    members = [MemberFactory() for _ in range(3)]
    assert not SearchDocument.objects.exists()
    SEEDED.send(sender=None, report={})
    assert set(SearchDocument.objects.values_list("member_id", flat=True)) == {m.pk for m in members}


def test_reindex_command_rebuilds_with_a_job(alice, mallory):
    stdout, stderr = io.StringIO(), io.StringIO()
    SearchDocument.objects.all().delete()
    call_command("search", "reindex", "--batch-size", "1", stdout=stdout, stderr=stderr)
    report = json.loads(stdout.getvalue())
    assert report["members"] == report["documents"] == 2 and report["engine"] == "database"
    assert SearchDocument.objects.count() == 2
    job = Job.objects.get(kind=REINDEX_JOB_KIND)
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 2, 2)
    assert "search index" in stderr.getvalue()  # the progress bar


def test_reindex_command_refuses_a_bad_batch_size(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="--batch-size"):
        call_command("search", "reindex", "--batch-size", "0", stdout=io.StringIO(), stderr=io.StringIO())


def test_carnet_cli_runs_the_command(db, capsys):
    from carnet.cli import main

    main(["search", "reindex", "--no-progress"])
    assert json.loads(capsys.readouterr().out)["members"] == 0
