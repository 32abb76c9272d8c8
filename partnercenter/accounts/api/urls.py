from django.urls import path

from . import apps, views

urlpatterns = [
    path("signup/", views.SignupView.as_view(), name="api-signup"),
    path("auth/token/", views.AuthTokenView.as_view(), name="api-auth-token"),
    path("domains/<str:prefix>/", views.DomainAvailabilityView.as_view(), name="api-domain"),
    path("me/password/", views.MePasswordView.as_view(), name="api-me-password"),
    path("me/tokens/", views.MeTokensView.as_view(), name="api-me-tokens"),
    path("me/tokens/<uuid:token_id>/", views.MeTokenDetailView.as_view(), name="api-me-token"),
    path("partner/users/", views.PartnerUsersView.as_view(), name="api-partner-users"),
    path("partner/users/<uuid:user_id>/", views.PartnerUserDetailView.as_view(), name="api-partner-user"),
    path("partner/apps/", apps.PartnerAppsView.as_view(), name="api-partner-apps"),
    path("partner/apps/<int:app_id>/", apps.PartnerAppDetailView.as_view(), name="api-partner-app"),
    path(
        "partner/apps/<int:app_id>/secret/",
        apps.PartnerAppSecretView.as_view(),
        name="api-partner-app-secret",
    ),
]
