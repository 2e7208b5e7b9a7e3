from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "carnet.network"
    label = "network"

    def ready(self):
        from carnet.core import visibility
        from carnet.network import graph, plans, quotas
        from carnet.network.graph.signals import connect_signals
        from carnet.network.selectors import blocked_among

        # Degrees come from the graph engine when it is ready, from SQL otherwise (graph.degrees).
        visibility.register_degree_provider(graph.degrees, blocks=blocked_among)
        plans.register_plan_resolver(quotas.plan_from_grants)
        connect_signals()

        from carnet.core.schedule import register_daily
        from carnet.network.tasks import relations_cleanup_daily

        register_daily(relations_cleanup_daily)
