"""``/v1/`` addresses of enrollment's resources (no trailing slashes, as Partner Center has them)."""

urlpatterns: list = []
