from carnet.notifications.unread import unread_count_cached


def unread(request):
    """The unread count of the badge in the navigation, cached per member (carnet/notifications/unread.py)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count_cached(recipient=user)}
