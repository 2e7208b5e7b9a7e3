"""Profile page sections of the network's relations: endorsements, recommendations and the
introduction/recommendation buttons. The profile template only includes them; each tag reads
what it needs in a fixed number of queries, through the policy."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string

from carnet.core.visibility import Relation

register = template.Library()


def _viewer(context):
    request = context.get("request")
    return getattr(request, "user", None)


def _previewing(view) -> bool:
    # "View my profile as": the owner sees what others would, without buttons of their own.
    return getattr(view, "preview", None) is not None


@register.simple_tag(takes_context=True)
def profile_endorsements(context, view):
    """The skills and endorsements block (network/_endorsements.html). Without the Endorse
    buttons (any viewer but a connection) it shows only projected values, so it is served
    from a cached fragment keyed by them (carnet.core.fragments); the buttons hold the
    viewer's CSRF token, so a connection's block is rendered for each request."""
    from carnet.core import fragments
    from carnet.network.endorsements import ProfileEndorsements
    from carnet.network.endorsements import profile_endorsements as read

    template = "network/_endorsements.html"
    if view is None:
        return render_to_string(template, {"data": ProfileEndorsements([], False)})
    data = read(profile=view.profile, viewer=_viewer(context), relation=view.relation)
    if _previewing(view):
        data.can_endorse = False
    if data.can_endorse:
        return render_to_string(
            template, {"data": data, "request": context.get("request"), "csrf_token": context.get("csrf_token")}
        )
    return fragments.render(template, {"data": data}, _endorsements_values(data))


def _endorsements_values(data) -> tuple:
    """Everything network/_endorsements.html shows without the Endorse buttons."""
    from carnet.profiles.selectors import card_values

    return tuple(
        (
            skill.pk,
            skill.name,
            skill.count,
            skill.colleagues,
            skill.company,
            skill.others,
            tuple(card_values(endorser) for endorser in skill.endorsers),
        )
        for skill in data.skills
    )


@register.inclusion_tag("network/_recommendations.html", takes_context=True)
def profile_recommendations(context, view):
    from carnet.network.recommendations import recommendations_for_profile

    if view is None:
        return {"items": []}
    return {"items": recommendations_for_profile(profile=view.profile, viewer=_viewer(context), relation=view.relation)}


@register.inclusion_tag("network/introductions/_profile_action.html", takes_context=True)
def profile_relation_actions(context, view):
    """Ask for an introduction (2nd degree), recommend / ask for a recommendation (1st degree)."""
    from carnet.network.templatetags.network_actions import network_actions

    viewer = _viewer(context)
    if view is None:
        return {"actions": None, "network": None}
    # Connect / pending / accept, follow, remove and block come first, in the same block.
    network = network_actions(context, view)
    if viewer is None or not viewer.is_authenticated or _previewing(view):
        return {"actions": None, "network": network}
    actions = {}
    if view.relation == Relation.CONNECTION:
        actions = {"recommend": True, "ask_recommendation": True}
    elif view.relation in (Relation.SECOND_DEGREE, Relation.MEMBER) and view.degree in (2, 3):
        actions = {"introduction": True}
    return {"actions": actions or None, "view": view, "network": network}
