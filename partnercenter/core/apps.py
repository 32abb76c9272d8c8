from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "partnercenter.core"
    label = "core"
