from django.urls import path

from carnet.accounts import views

app_name = "accounts"
urlpatterns = [
    path("settings/", views.settings_index, name="settings"),
    path("settings/tokens/", views.tokens, name="tokens"),
    path("settings/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
