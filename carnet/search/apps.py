from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "carnet.search"
    label = "search"

    def ready(self):
        from carnet.search.signals import connect_signals

        connect_signals()
