from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "partnercenter.accounts"
    label = "accounts"
    verbose_name = _("Work accounts")

    def ready(self):
        from . import events  # noqa: F401  (declare the audit event kinds)
