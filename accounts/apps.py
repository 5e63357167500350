from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Staff accounts and audit")

    def connect_signals(self) -> None:
        from accounts import receivers  # noqa: F401

    def ready(self) -> None:
        from accounts import display

        display.install()
        self.connect_signals()
