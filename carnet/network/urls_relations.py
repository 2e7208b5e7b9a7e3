"""URLs of introductions, recommendations, endorsements, suggestions and contacts. Included
from network/urls.py, so the names live in the "network" namespace."""

from django.urls import path

from carnet.network import views_relations as views

urlpatterns = [
    path("network/introductions/", views.introduction_list, name="introductions"),
    path("network/introductions/new/<slug:slug>/", views.introduction_new, name="introduction_new"),
    path("network/introductions/<int:pk>/", views.introduction_detail, name="introduction_detail"),
    path(
        "network/introductions/<int:pk>/<str:action>/",
        views.introduction_action,
        name="introduction_action",
    ),
    path("network/recommendations/", views.recommendation_list, name="recommendations"),
    path("network/recommendations/ask/<slug:slug>/", views.recommendation_ask, name="recommendation_ask"),
    path("network/recommendations/write/<slug:slug>/", views.recommendation_write, name="recommendation_write"),
    path("network/recommendations/<int:pk>/edit/", views.recommendation_edit, name="recommendation_edit"),
    path(
        "network/recommendations/<int:pk>/<str:action>/",
        views.recommendation_action,
        name="recommendation_action",
    ),
    path("network/endorsements/<int:pk>/<str:action>/", views.endorse, name="endorse"),
    path("network/suggestions/", views.suggestion_list, name="suggestions"),
    path("network/suggestions/<slug:slug>/dismiss/", views.suggestion_dismiss, name="suggestion_dismiss"),
    path("network/colleagues/", views.colleague_list, name="colleagues"),
    path("network/classmates/", views.classmate_list, name="classmates"),
    path("network/contacts/", views.contacts, name="contacts"),
    path("network/contacts/imports/<int:pk>/", views.contacts_import, name="contacts_import"),
    path(
        "network/contacts/imports/<int:pk>/invite-members/",
        views.contacts_invite_members,
        name="contacts_invite_members",
    ),
    path(
        "network/contacts/imports/<int:pk>/invite-emails/",
        views.contacts_invite_emails,
        name="contacts_invite_emails",
    ),
    path("network/contacts/imports/<int:pk>/close/", views.contacts_import_close, name="contacts_import_close"),
    path("network/contacts/export.<str:fmt>", views.contacts_export, name="contacts_export"),
]
