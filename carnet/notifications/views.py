from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from carnet.notifications import selectors, services

PAGE_SIZE = 25


@login_required
@require_GET
def index(request):
    page = Paginator(selectors.notification_list(recipient=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/index.html", {"page": page, "items": page.object_list})


@login_required
@require_GET
def open_notification(request, notification_id):
    """Follow a notification's link, marking it read on the way."""
    notification = services.notification_mark_read(recipient=request.user, notification_id=notification_id)
    if notification is None:
        raise Http404
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect("notifications:index")
    return redirect(target)


@login_required
@require_POST
def mark_read(request, notification_id):
    notification = services.notification_mark_read(recipient=request.user, notification_id=notification_id)
    if notification is None:
        raise Http404
    if request.headers.get("HX-Request"):
        unread = selectors.notification_unread_count(recipient=request.user)
        return render(
            request, "notifications/_item.html", {"n": notification, "unread_notifications": unread, "oob": True}
        )
    return redirect("notifications:index")


@login_required
@require_POST
def mark_all_read(request):
    services.notifications_mark_read(recipient=request.user)
    return redirect("notifications:index")
