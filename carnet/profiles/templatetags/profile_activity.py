"""Blocks of the profile page that belong to documents, history and SEO. Each takes the page's
ProfileView, so "view my profile as" previews them through the same policy."""

from __future__ import annotations

from django import template

from carnet.core.visibility import Relation

register = template.Library()


@register.inclusion_tag("profiles/activity/_seo_meta.html")
def profile_seo(view):
    """Canonical link, robots, Open Graph and JSON-LD: from the anonymous projection only."""
    from carnet.profiles.seo import profile_meta

    return {"meta": profile_meta(view.profile)}


def _page(context) -> dict:
    # Forms inside the blocks need the page's request and CSRF token.
    return {"request": context.get("request"), "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("profiles/_documents.html", takes_context=True)
def profile_documents(context, view):
    from carnet.profiles.documents import documents_for_relation

    documents = documents_for_relation(profile=view.profile, relation=view.relation)
    # From the view's relation, not request.user: a "view as public visitor" preview must not
    # offer what only signed-in members get (the "save as PDF" link).
    signed_in = view.relation >= Relation.MEMBER
    return {
        **_page(context),
        "documents": documents,
        "owner": view.relation == Relation.SELF,
        "signed_in": signed_in,
        "view": view,
    }


@register.inclusion_tag("profiles/_timeline.html", takes_context=True)
def profile_timeline(context, view):
    from carnet.profiles.views_activity import timeline_for

    return {**_page(context), **timeline_for(view), "view": view}
