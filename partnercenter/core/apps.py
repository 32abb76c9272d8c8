from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "partnercenter.core"
    label = "core"

    def ready(self):
        from . import generations, schema  # noqa: F401 - connections see their writes; the schema extension
