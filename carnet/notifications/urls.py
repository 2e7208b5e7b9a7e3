from django.urls import path

from carnet.notifications import views

app_name = "notifications"
urlpatterns = [path("notifications/", views.index, name="index")]
