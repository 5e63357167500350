"""The Celery application. Settings come from config/settings.py (CELERY_* names)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("hestia")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
