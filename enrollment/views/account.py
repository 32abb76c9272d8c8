"""The partner's account pages: agreement, partner profile, users and roles."""

urlpatterns: list = []
