"""The work account pages of a signed-in user (sign-up and sign-in are in the root URLconf)."""

from django.urls import path

from . import views, views_apps

app_name = "accounts"
urlpatterns = [
    path("partner/users/", views.users, name="users"),
    path("partner/users/admin-agent/", views.admin_agent_join, name="admin-agent-join"),
    path("partner/users/<uuid:user_id>/roles/", views.user_roles, name="user-roles"),
    path("account/password/", views.password_change, name="password-change"),
    path("account/tokens/", views.api_tokens, name="api-tokens"),
    path("account/tokens/<uuid:token_id>/revoke/", views.api_token_revoke, name="api-token-revoke"),
    path("account/apps/", views_apps.apps, name="apps"),
    path("account/apps/<int:app_id>/revoke/", views_apps.app_revoke, name="app-revoke"),
    path("account/apps/<int:app_id>/secret/", views_apps.app_secret, name="app-secret"),
]
