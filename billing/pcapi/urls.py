"""``/v1/`` addresses of billing's resources (no trailing slashes, as Partner Center has them)."""

urlpatterns: list = []
