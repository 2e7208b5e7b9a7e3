"""`{% network_actions view %}`: Connect / Pending / Accept, Follow, Remove and Block buttons for
a profile page, from the viewer's relationship with the member (three small queries)."""

from django import template

from carnet.core.visibility import Relation
from carnet.network.selectors import relationship_state

register = template.Library()


@register.inclusion_tag("network/_profile_actions.html", takes_context=True)
def network_actions(context, view):
    request = context.get("request")
    viewer = getattr(request, "user", None)
    shown = bool(viewer and viewer.is_authenticated and view.relation not in (Relation.SELF, Relation.BLOCKED))
    # A "view my profile as" preview is the owner looking at themself: no buttons.
    shown = shown and getattr(view, "preview", None) is None
    return {
        "view": view,
        "shown": shown,
        "anonymous": not (viewer and viewer.is_authenticated),
        "state": relationship_state(viewer=viewer, member_id=view.pk) if shown else None,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
