"""Agreements, the partner profile and the partner's users."""

urlpatterns: list = []
