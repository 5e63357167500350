from django.db import migrations

TASK = "notifications.tasks.messages_sweep"


def periodic_sweep(apps, schema_editor):
    interval_model = apps.get_model("django_celery_beat", "IntervalSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = interval_model.objects.get_or_create(every=1, period="minutes")
    task_model.objects.update_or_create(
        name="Send due notices",
        defaults={
            "task": TASK,
            "interval": every_minute,
            "crontab": None,
            "enabled": True,
            # A sweep still waiting in the broker when the next one is due is of no use.
            "expire_seconds": 55,
            "description": (
                "Sends queued notices that are due (retries, SMS held back by the quiet "
                "hours) and re-queues any a dead worker or a broker outage left behind."
            ),
        },
    )


def periodic_sweep_reverse(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    # After 0003_contact_point, which was already the app's latest migration when this one was
    # written: the two are independent, and one chain keeps the migration graph free of conflicts.
    dependencies = [
        ("notifications", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(periodic_sweep, periodic_sweep_reverse),
    ]
