from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "carnet.network"
    label = "network"

    def ready(self):
        from carnet.core import visibility
        from carnet.network import graph
        from carnet.network.graph.signals import connect_signals

        # Degrees come from the graph engine when it is ready, from SQL otherwise (graph.degrees).
        visibility.register_degree_provider(graph.degrees)
        connect_signals()
