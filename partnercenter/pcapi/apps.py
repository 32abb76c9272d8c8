from django.apps import AppConfig


class PartnerCenterApiConfig(AppConfig):
    name = "partnercenter.pcapi"
    label = "pcapi"
    verbose_name = "Partner Center API"
    default_auto_field = "django.db.models.BigAutoField"
