"""What tells the graph engine that a member's data changed, besides the connection services.

- A profile saved (its "connections" audience may have changed), a position or an education
  saved or deleted: the member's row in the engine is re-read after commit.
- `carnet seed` writes in bulk without model signals: it sends SEEDED, and every process
  rebuilds.
Bulk writes that bypass both (raw SQL, queryset.update) are caught by the periodic rebuild
(CARNET_GRAPH_MAX_AGE) or `carnet graph rebuild`.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save


def _member_changed(member_id: int) -> None:
    from carnet.network import graph

    transaction.on_commit(lambda: graph.on_member_changed(member_id))


def _on_profile_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and "visibility" not in update_fields:
        return
    _member_changed(instance.pk)


def _on_section_changed(sender, instance, **kwargs):
    if instance.profile_id is not None:
        _member_changed(instance.profile_id)


def _on_seeded(sender, **kwargs):
    from carnet.network.graph.runtime import get_runtime

    get_runtime().request_rebuild()


def connect_signals() -> None:
    from carnet.core.seed import SEEDED
    from carnet.profiles.models import Education, Position, Profile

    post_save.connect(_on_profile_saved, sender=Profile, dispatch_uid="graph-profile")
    for model in (Position, Education):
        post_save.connect(_on_section_changed, sender=model, dispatch_uid=f"graph-{model.__name__}-saved")
        post_delete.connect(_on_section_changed, sender=model, dispatch_uid=f"graph-{model.__name__}-deleted")
    SEEDED.connect(_on_seeded, dispatch_uid="graph-seeded")
