"""The people search page. Thin: parse the form, call the selector, render."""

from __future__ import annotations

import math

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from carnet.network.quotas import QuotaExceeded
from carnet.search.engines import SearchTimeout
from carnet.search.forms import PeopleSearchForm
from carnet.search.selectors import PAGE_SIZE, TOO_BROAD, PeopleResults, people_search, search_depth_status


def _page_number(value) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


@login_required
def people(request):
    """Search members by name, headline, company, position, location, skill or school.

    Sign-in is required, as on LinkedIn: there is no public directory to scrape.
    """
    form = PeopleSearchForm(request.GET or None)
    query = form.people_query()
    number = _page_number(request.GET.get("page"))
    try:
        results = people_search(viewer=request.user, query=query, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    except QuotaExceeded as exc:
        results = PeopleResults(query=query, depth=exc.status.limit, depth_message=str(exc))
    except SearchTimeout:
        results = PeopleResults(query=query, depth=search_depth_status(request.user).limit)
        results.error = str(TOO_BROAD)
    if not results.depth_message and results.beyond_depth and not results.has_more:
        results.depth_message = search_depth_status(request.user).message
    pages = max(1, math.ceil(results.reachable / PAGE_SIZE))
    context = {
        "form": form,
        "results": results,
        "searched": not query.is_empty,
        "number": number,
        "pages": pages,
        "previous_page": number - 1 if 1 < number <= pages + 1 else None,
        "next_page": number + 1 if number < pages and results.has_more else None,
    }
    return render(request, "search/people.html", context)
