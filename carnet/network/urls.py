from django.urls import path

from carnet.network import views

app_name = "network"
urlpatterns = [path("network/", views.index, name="index")]
