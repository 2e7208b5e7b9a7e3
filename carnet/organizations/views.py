from django.http import Http404
from django.shortcuts import render

from carnet.organizations import selectors
from carnet.organizations.models import OrganizationKind
from carnet.profiles.selectors import profile_cards


def _page(request, slug, kind):
    organization = selectors.organization_get(slug=slug, kind=kind)
    if organization is None:
        raise Http404
    members = [user.profile for user in selectors.organization_members(organization=organization)]
    cards = [card for card in profile_cards(members, viewer=request.user) if card.name]
    return render(request, "organizations/detail.html", {"organization": organization, "cards": cards})


def company(request, slug):
    return _page(request, slug, OrganizationKind.COMPANY)


def school(request, slug):
    return _page(request, slug, OrganizationKind.SCHOOL)
