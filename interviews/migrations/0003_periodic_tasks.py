from django.conf import settings
from django.db import migrations

SCHEDULE_TASK = "interviews.tasks.interviews_schedule_daily"
REMINDERS_TASK = "interviews.tasks.interviews_send_reminders"


def periodic_tasks(apps, schema_editor):
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    interval_model = apps.get_model("django_celery_beat", "IntervalSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    six_in_the_morning, _ = crontab_model.objects.get_or_create(
        minute="0",
        hour="6",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    every_quarter_hour, _ = interval_model.objects.get_or_create(every=15, period="minutes")
    task_model.objects.update_or_create(
        name="Schedule interviews",
        defaults={
            "task": SCHEDULE_TASK,
            "crontab": six_in_the_morning,
            "interval": None,
            "enabled": True,
            "description": (
                "Every morning: publishes the interviewers' slots, creates the renewal "
                "interviews whose window has opened, books them and invites the workers."
            ),
        },
    )
    task_model.objects.update_or_create(
        name="Send appointment reminders",
        defaults={
            "task": REMINDERS_TASK,
            "interval": every_quarter_hour,
            "crontab": None,
            "enabled": True,
            # A run still waiting in the broker when the next one is due is of no use.
            "expire_seconds": 14 * 60,
            "description": "Reminds workers of their appointments at the policy's offsets.",
        },
    )


def periodic_tasks_reverse(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task__in=[SCHEDULE_TASK, REMINDERS_TASK]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0002_roles"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(periodic_tasks, periodic_tasks_reverse)]
