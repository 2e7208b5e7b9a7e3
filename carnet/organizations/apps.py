from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "carnet.organizations"
    label = "organizations"
