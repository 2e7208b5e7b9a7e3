from django.urls import path

from carnet.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    # Clients that ask for /favicon.ico without reading the page's <link rel="icon">.
    path("favicon.ico", views.favicon),
    path("healthz", views.healthz, name="healthz"),
    path("jobs/", views.jobs, name="jobs"),
    path("messaging/", views.messaging, name="messaging"),
]
