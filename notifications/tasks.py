from celery import shared_task


# Its result is only logged: none is stored, whatever result backend is configured.
@shared_task(acks_late=True, ignore_result=True)
def message_dispatch(message_id: int) -> str:
    """Send one queued message (re-fetched by id; claimed so a duplicate task sends nothing)."""
    from notifications.dispatch import message_send

    return message_send(message_id=message_id)


@shared_task
def messages_sweep() -> int:
    """Queue messages that are due: retries, quiet hours over, and any a dead worker or a broker
    outage left behind."""
    from notifications.dispatch import messages_sweep as sweep

    return sweep()


@shared_task
def batch_run(batch_id: int) -> int:
    """Send a batch of notices (re-fetched by id; resumes where a previous run stopped)."""
    from notifications.services import batch_run as run

    return run(batch_id=batch_id)
