"""What keeps the search index in step with profiles: model signals, acted on after commit.

- A profile, position, education or skill of a member saved or deleted, or the account saved
  (name, active flag): the member's document is rebuilt by a task queued on commit.
- A profile saved with its visibility possibly changed: the document is also dropped at once
  on commit, before the task rebuilds it, so a field the member just hid is never found in
  the meantime (with the database queue, the task may run seconds later).
- A company or school page saved (renamed): the documents of its members are rebuilt.
- `carnet seed` writes in bulk without model signals: it sends SEEDED, and the whole index is
  rebuilt by a task.
Writes that bypass all of these (raw SQL, queryset.update) need `carnet search reindex`.
Each change queues its own task (rebuilding a document twice is harmless, and cheap).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save


def _reindex(member_id, *, using, forget: bool = False) -> None:
    if member_id is None:
        return
    member_id = int(member_id)

    def on_commit():
        from carnet.search.services import forget_members
        from carnet.search.tasks import index_members_task

        if forget:
            forget_members(member_ids=[member_id])
        index_members_task.enqueue([member_id])

    transaction.on_commit(on_commit, using=using)


def _on_profile_saved(sender, instance, update_fields=None, using=None, **kwargs):
    _reindex(instance.pk, using=using, forget=update_fields is None or "visibility" in update_fields)


def _on_member_item_changed(sender, instance, using=None, **kwargs):
    _reindex(instance.profile_id, using=using)


def _on_profile_deleted(sender, instance, using=None, **kwargs):
    _reindex(instance.pk, using=using, forget=True)


def _on_user_saved(sender, instance, update_fields=None, created=False, using=None, **kwargs):
    if created:
        return  # no profile yet: profile_create comes next
    if update_fields is not None and not {"first_name", "last_name", "is_active"} & set(update_fields):
        return  # last_login and the like
    _reindex(instance.pk, using=using, forget=not instance.is_active)


def _on_organization_saved(sender, instance, created=False, using=None, **kwargs):
    if created:
        return
    from carnet.profiles.models import Education, Position

    def reindex_members():
        from carnet.search.tasks import index_members_task

        ids = set(Position.objects.filter(organization=instance).values_list("profile_id", flat=True))
        ids |= set(Education.objects.filter(organization=instance).values_list("profile_id", flat=True))
        if ids:
            index_members_task.enqueue(sorted(ids))

    transaction.on_commit(reindex_members, using=using)


def _on_seeded(sender, **kwargs):
    from carnet.search.tasks import reindex_all_task

    reindex_all_task.enqueue()


def connect_signals() -> None:
    from django.contrib.auth import get_user_model

    from carnet.core.seed import SEEDED
    from carnet.organizations.models import Organization
    from carnet.profiles.models import Education, Position, Profile, ProfileSkill

    post_save.connect(_on_profile_saved, sender=Profile, dispatch_uid="search-profile-saved")
    post_delete.connect(_on_profile_deleted, sender=Profile, dispatch_uid="search-profile-deleted")
    for model in (Position, Education, ProfileSkill):
        post_save.connect(_on_member_item_changed, sender=model, dispatch_uid=f"search-{model.__name__}-saved")
        post_delete.connect(_on_member_item_changed, sender=model, dispatch_uid=f"search-{model.__name__}-deleted")
    post_save.connect(_on_user_saved, sender=get_user_model(), dispatch_uid="search-user-saved")
    post_save.connect(_on_organization_saved, sender=Organization, dispatch_uid="search-organization-saved")
    SEEDED.connect(_on_seeded, dispatch_uid="search-seeded")
