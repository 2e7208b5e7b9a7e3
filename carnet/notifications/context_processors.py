from carnet.notifications.selectors import notification_unread_count


def unread(request):
    """The unread count of the badge in the navigation: one indexed COUNT per page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": notification_unread_count(recipient=user)}
