from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "carnet.search"
    label = "search"
