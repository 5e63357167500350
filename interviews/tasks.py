from celery import shared_task


@shared_task(soft_time_limit=1800, time_limit=1900)
def interviews_schedule_daily() -> dict:
    """The daily scheduling run: publish slots, create and book the renewal interviews whose
    window has opened, invite the workers (interviews.scheduling.schedule_run)."""
    from interviews.scheduling import schedule_run

    return schedule_run().as_dict()


@shared_task
def interviews_send_reminders() -> int:
    """Send the reminders due at the policy's offsets; each is sent once, even when two workers
    run this task at the same time (interviews.scheduling.reminders_send)."""
    from interviews.scheduling import reminders_send

    return reminders_send()
