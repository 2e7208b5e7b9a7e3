from django.urls import path

from carnet.profiles import urls_activity, urls_documents, views

app_name = "profiles"
urlpatterns = [
    path("me/", views.me, name="me"),
    path("me/edit/intro/", views.edit_intro, name="edit_intro"),
    path("in/<slug:slug>/", views.detail, name="detail"),
]
# Documents, PDF CV, activity (who viewed, timeline), public address, robots.txt and sitemap.
urlpatterns += urls_documents.urlpatterns + urls_activity.urlpatterns
