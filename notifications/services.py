"""The one entry point other apps use to tell a worker something."""

from notifications.models import NoticeRequest


def notify(worker, kind: str, context: dict | None = None, *, by=None) -> NoticeRequest:
    """Record that `worker` must receive the notice `kind`, in their preferred language.

    Runs inside the caller's transaction: if the change that caused it rolls back, so does this.
    """
    return NoticeRequest.objects.create(
        worker=worker,
        kind=kind,
        language=worker.preferred_language,
        context=context or {},
        requested_by=by,
    )
