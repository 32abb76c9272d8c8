from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "partnercenter.core"
    label = "core"

    def ready(self):
        from . import schema  # noqa: F401 - registers the schema extension
