from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class AccountsConfig(AppConfig):
    name = "carnet.accounts"
    label = "accounts"

    def ready(self):
        from carnet.accounts.backends import _on_user_change
        from carnet.accounts.models import User

        # Every save and delete of a member makes their cached row (backends.py) stale.
        post_save.connect(_on_user_change, sender=User, dispatch_uid="accounts-user-cache-save")
        post_delete.connect(_on_user_change, sender=User, dispatch_uid="accounts-user-cache-delete")
