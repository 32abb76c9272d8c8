"""Staff pages: the review queue and one enrollment's review."""

urlpatterns: list = []
