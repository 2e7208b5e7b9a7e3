"""`{% memo name=value ... %}...{% endmemo %}`: a piece of a template rendered once per process
for each language and each set of named values, then reused.

The signed-in shell (base.html) is the same for every member apart from a few live values
(CSRF token, name, unread badge, current path): its links, labels and language form cost about
half of a page that shows nothing else (bench/pages.py). Those pieces are wrapped in `memo`.

What makes it safe to share between requests and members:
- The piece is rendered in a context that holds only the values its tag names (and nothing
  else: no request, no user, no CSRF token, no context processor). A per-request variable put
  inside by mistake renders empty for everyone instead of leaking; `{% csrf_token %}` renders
  nothing. Keep per-request values outside the piece, or name them (they then become part of
  the key: name only values of a small, fixed set, such as the section of the URL).
- The key is the named values plus the active language, the URLconf and the script prefix, so
  `{% translate %}`, `{% url %}` and `{% static %}` are rendered for the right ones.
- The rendered pieces live on the template node: a template loaded again (autoreload, a
  different loader) starts empty, and every setting change (tests) empties them all.
- `{% block %}` cannot be put inside (a child template could not override it).
"""

from __future__ import annotations

import weakref

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.template.loader_tags import BlockNode
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

register = template.Library()

# More entries than this means a key holds an unbounded value (a bug): start again rather
# than grow without limit.
MAX_ENTRIES = 512

_nodes: weakref.WeakSet[MemoNode] = weakref.WeakSet()


class MemoNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist: template.NodeList, values: dict[str, template.base.FilterExpression]):
        self.nodelist = nodelist
        self.values = values
        self.rendered: dict[tuple, str] = {}
        _nodes.add(self)

    def render(self, context: template.Context) -> str:
        values = {name: expression.resolve(context) for name, expression in self.values.items()}
        key = (get_language(), get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), *values.values())
        try:
            return self.rendered[key]
        except KeyError:
            pass
        isolated = template.Context(
            values, autoescape=context.autoescape, use_l10n=context.use_l10n, use_tz=context.use_tz
        )
        isolated.template = context.template
        html = self.nodelist.render(isolated)
        if len(self.rendered) >= MAX_ENTRIES:
            self.rendered.clear()
        self.rendered[key] = html
        return html


@register.tag
def memo(parser, token):
    bits = token.split_contents()[1:]
    values = template.base.token_kwargs(bits, parser)
    if bits:
        raise template.TemplateSyntaxError("{% memo %} takes only name=value arguments")
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(BlockNode):
        raise template.TemplateSyntaxError("{% block %} cannot be inside {% memo %}: it could not be overridden")
    return MemoNode(nodelist, values)


def _forget_all(**kwargs) -> None:
    for node in list(_nodes):
        node.rendered.clear()


setting_changed.connect(_forget_all, dispatch_uid="carnet.core.templatetags.memo")
