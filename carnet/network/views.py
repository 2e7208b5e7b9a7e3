from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from carnet.network import selectors
from carnet.profiles.selectors import profile_cards


@login_required
def index(request):
    page = Paginator(selectors.connection_list(member_id=request.user.pk), 25).get_page(request.GET.get("page"))
    cards = profile_cards([user.profile for user in page.object_list], viewer=request.user)
    return render(request, "network/index.html", {"page": page, "cards": cards})
