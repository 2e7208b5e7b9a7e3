"""Writes to the connection graph."""

from __future__ import annotations

from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from carnet.network import graph
from carnet.network.models import Connection


def connection_create(*, member, other, when=None) -> bool:
    """Connect two members (both directed rows). Returns False if they already were."""
    if member.pk == other.pk:
        raise ValueError("A member cannot connect to themself.")
    when = when or timezone.now()
    try:
        with transaction.atomic():
            Connection.objects.bulk_create(
                [
                    Connection(member_id=member.pk, other_id=other.pk, created=when),
                    Connection(member_id=other.pk, other_id=member.pk, created=when),
                ]
            )
    except IntegrityError:
        return False
    transaction.on_commit(partial(graph.on_connect, member.pk, other.pk))
    return True


def connection_remove(*, member, other) -> None:
    """Remove the connection between two members, both directions."""
    Connection.objects.filter(member_id=member.pk, other_id=other.pk).delete()
    Connection.objects.filter(member_id=other.pk, other_id=member.pk).delete()
    transaction.on_commit(partial(graph.on_disconnect, member.pk, other.pk))
