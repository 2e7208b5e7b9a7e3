from django.urls import include, path

from carnet.network import views

app_name = "network"
urlpatterns = [
    path("network/", views.index, name="index"),
    path("network/invitations/", views.invitations, name="invitations"),
    path("network/invitations/sent/", views.invitations_sent, name="invitations_sent"),
    path("network/invitations/<int:pk>/accept/", views.invitation_accept, name="invitation_accept"),
    path("network/invitations/<int:pk>/ignore/", views.invitation_ignore, name="invitation_ignore"),
    path("network/invitations/<int:pk>/report/", views.invitation_report, name="invitation_report"),
    path("network/invitations/<int:pk>/withdraw/", views.invitation_withdraw, name="invitation_withdraw"),
    path("network/invite/<slug:slug>/", views.invite, name="invite"),
    path("network/connections/<slug:slug>/remove/", views.connection_remove, name="connection_remove"),
    path("network/connections/<slug:slug>/labels/", views.connection_labels, name="connection_labels"),
    path("network/follow/<slug:slug>/", views.follow, name="follow"),
    path("network/unfollow/<slug:slug>/", views.unfollow, name="unfollow"),
    path("network/followers/", views.followers, name="followers"),
    path("network/following/", views.following, name="following"),
    path("network/block/<slug:slug>/", views.block, name="block"),
    path("network/unblock/<slug:slug>/", views.unblock, name="unblock"),
    path("network/blocked/", views.blocked, name="blocked"),
    path("network/labels/", views.labels, name="labels"),
    path("network/labels/<int:pk>/rename/", views.label_rename, name="label_rename"),
    path("network/labels/<int:pk>/delete/", views.label_delete, name="label_delete"),
    path("settings/plan/", views.plan, name="plan"),
    path("staff/plans/", views.plan_grants, name="plan_grants"),
]

# Introductions, recommendations, endorsements, suggestions, contacts (carnet/network/urls_relations.py).
urlpatterns += [path("", include("carnet.network.urls_relations"))]
