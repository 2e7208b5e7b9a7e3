from django.apps import AppConfig


class FeedConfig(AppConfig):
    name = "carnet.feed"
    label = "feed"
