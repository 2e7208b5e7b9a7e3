from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "carnet.network"
    label = "network"

    def ready(self):
        from carnet.core import visibility
        from carnet.network.selectors import degrees_sql

        visibility.register_degree_provider(degrees_sql)
