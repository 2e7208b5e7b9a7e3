"""Degree badges and "How you're connected", from the graph engine (or SQL when it is not ready).

    {% load network_graph %}
    {% degree_badge view %}                 "1st" / "2nd" / "3rd" / "Out of network" beside a member
    {% how_connected view as connected %}   the chain block of a profile page (network/_chain.html)

`degree_badge` reads ProfileView.degree, which the page's one batched call already filled
(profile_cards → visibility.relations_with_degrees → the engine): no query per member.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from carnet.core.visibility import Relation

register = template.Library()

SHORT = {
    1: pgettext_lazy("degree of connection", "1st"),
    2: pgettext_lazy("degree of connection", "2nd"),
    3: pgettext_lazy("degree of connection", "3rd"),
}
LONG = {
    1: _("1st-degree connection"),
    2: _("2nd-degree connection"),
    3: _("3rd-degree connection"),
}


@register.simple_tag
def degree_badge(view):
    """The degree of a member from the viewer, visible short and spoken in full."""
    relation = getattr(view, "relation", None)
    degree = getattr(view, "degree", None)
    if relation in (None, Relation.ANONYMOUS, Relation.SELF, Relation.BLOCKED):
        return ""
    if degree in SHORT:
        short, long = SHORT[degree], LONG[degree]
        css = f"degree-{degree}"
    else:
        short, long = pgettext_lazy("degree of connection", "Out of network"), _("outside your network")
        css = "degree-out"
    return format_html(
        '<span class="degree-badge {}"><span aria-hidden="true">{}</span>'
        '<span class="visually-hidden">{}</span></span>',
        css,
        short,
        long,
    )


@register.simple_tag(takes_context=True)
def how_connected(context, view):
    """The mutual connections (2nd degree) or shortest chains (3rd) between the viewer and the
    profile's member, as cards; None for anonymous visitors, oneself and "view as" previews."""
    from carnet.network.graph.selectors import how_connected as read

    request = context.get("request")
    viewer = getattr(request, "user", None)
    if view is None or getattr(view, "preview", None) is not None:
        return None
    if getattr(view, "relation", None) in (Relation.BLOCKED, Relation.ANONYMOUS, Relation.SELF):
        return None
    connected = read(viewer=viewer, member_id=view.pk)
    if connected is not None:
        _render_cards(connected)
    return connected


def _render_cards(connected) -> None:
    """Render the block's member cards in one batch of cached fragments (carnet.core.fragments),
    each under the values its projection shows (card_values): up to a dozen mutual connections'
    cards were a third of the profile page's template work."""
    from carnet.core import fragments
    from carnet.profiles.selectors import card_values

    cards = [*connected.mutual, *(card for chain in connected.chains for card in chain)]
    html = iter(fragments.render_many("profiles/_card.html", [({"view": card}, card_values(card)) for card in cards]))
    connected.mutual_html = [next(html) for _card in connected.mutual]
    connected.chains_html = [[next(html) for _card in chain] for chain in connected.chains]
