"""Failed Celery tasks are kept for the operations view (name, error type and first line only)."""

import logging

from celery.signals import task_failure

logger = logging.getLogger(__name__)


@task_failure.connect(dispatch_uid="hestia-task-failure")
def task_failure_record(sender=None, task_id=None, exception=None, **kwargs) -> None:
    from oversight.models import TaskFailure

    message = str(exception or "").splitlines()[0] if exception else ""
    try:
        TaskFailure.objects.create(
            task_name=getattr(sender, "name", str(sender))[:200],
            task_id=str(task_id or "")[:64],
            exception=type(exception).__name__[:200],
            message=message[:300],
        )
    except Exception:  # the database may be what failed; the worker's log keeps the error
        logger.exception("Could not record the failure of task %s.", task_id)
