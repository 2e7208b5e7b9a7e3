from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "carnet.profiles"
    label = "profiles"

    def ready(self):
        from carnet.profiles.activity import history_on_profile_changed
        from carnet.profiles.signals import profile_changed

        # The profile's timeline records what the profile services announce.
        profile_changed.connect(history_on_profile_changed, dispatch_uid="profiles.history")

        from carnet.core.schedule import register_daily
        from carnet.profiles.tasks import send_profile_reminders

        register_daily(send_profile_reminders)
