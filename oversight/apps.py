from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = _("Oversight")

    def ready(self) -> None:
        from oversight import receivers  # noqa: F401 - connects the task-failure receiver
        from oversight.panels import worker_panel
        from registry.panels import register_worker_panel

        register_worker_panel(worker_panel)
