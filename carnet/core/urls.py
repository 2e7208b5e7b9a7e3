from django.urls import path

from carnet.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("jobs/", views.jobs, name="jobs"),
    path("messaging/", views.messaging, name="messaging"),
]
