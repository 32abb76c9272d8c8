from django.urls import path

from . import views

urlpatterns = [
    path("signup/", views.SignupView.as_view(), name="api-signup"),
    path("auth/token/", views.AuthTokenView.as_view(), name="api-auth-token"),
    path("me/", views.MeView.as_view(), name="api-me"),
    path("domains/<str:prefix>/", views.DomainAvailabilityView.as_view(), name="api-domain"),
]
