from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "carnet.profiles"
    label = "profiles"
