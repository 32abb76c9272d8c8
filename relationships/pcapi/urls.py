"""``/v1/`` addresses of relationships's resources (no trailing slashes, as Partner Center has them)."""

urlpatterns: list = []
