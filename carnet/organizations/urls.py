from django.urls import path

from carnet.organizations import views

app_name = "organizations"
urlpatterns = [
    path("company/<slug:slug>/", views.company, name="company"),
    path("school/<slug:slug>/", views.school, name="school"),
]
