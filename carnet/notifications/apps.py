from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class NotificationsConfig(AppConfig):
    name = "carnet.notifications"
    label = "notifications"

    def ready(self):
        from carnet.notifications.models import Notification
        from carnet.notifications.unread import _on_notification_change

        # Every save and delete (also cascades) makes the recipient's cached unread count stale.
        post_save.connect(_on_notification_change, sender=Notification, dispatch_uid="notifications-unread-save")
        post_delete.connect(_on_notification_change, sender=Notification, dispatch_uid="notifications-unread-delete")
