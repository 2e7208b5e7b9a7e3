from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from carnet.notifications.models import Notification
from carnet.notifications.services import notifications_mark_read


@login_required
def index(request):
    items = list(Notification.objects.filter(recipient=request.user)[:100])
    notifications_mark_read(recipient=request.user)
    return render(request, "notifications/index.html", {"items": items})
