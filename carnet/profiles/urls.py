from django.urls import path

from carnet.profiles import views

app_name = "profiles"
urlpatterns = [
    path("me/", views.me, name="me"),
    path("me/edit/intro/", views.edit_intro, name="edit_intro"),
    path("in/<slug:slug>/", views.detail, name="detail"),
]
