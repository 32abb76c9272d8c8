"""The review queue API (program staff)."""

urlpatterns: list = []
