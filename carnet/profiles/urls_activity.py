"""Routes of profile activity (who viewed, timeline, settings) and of search engines
(public address, robots.txt, sitemap). Added to profiles.urls, namespace "profiles"."""

from django.urls import path

from carnet.profiles import views_activity, views_seo

urlpatterns = [
    path("me/profile-views/", views_activity.visits, name="visits"),
    path("me/settings/activity/", views_activity.activity_settings, name="activity_settings"),
    path("me/history/<int:pk>/hide/", views_activity.history_hide, name="history_hide"),
    path("me/address/", views_seo.slug_edit, name="slug_edit"),
    path("robots.txt", views_seo.robots_txt, name="robots_txt"),
    path("sitemap.xml", views_seo.sitemap_index, name="sitemap"),
    path("sitemap-<section>.xml", views_seo.sitemap_section, name="sitemap_section"),
]
