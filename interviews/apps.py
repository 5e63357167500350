from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterviewsConfig(AppConfig):
    name = "interviews"
    verbose_name = _("Interviews")

    def ready(self):
        # The registry shows other apps' panels on the worker's page without importing them.
        from interviews.panels import worker_panel
        from registry.panels import register_worker_panel

        register_worker_panel(worker_panel)
