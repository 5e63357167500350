"""The interviews panel on the registry's worker page (registered in InterviewsConfig.ready, so
the registry never imports interviews): the next interview and how many are open."""

from interviews.selectors import worker_next_interview

TEMPLATE = "interviews/worker_panel.html"


def worker_panel(request, worker) -> tuple[str, dict] | None:
    """(template name, context) for users who may see interviews, None for the others. One
    query: the worker's open interviews this user may see, the next of them and their count."""
    if not request.user.has_perm("interviews.view_interview"):
        return None
    upcoming, open_count = worker_next_interview(request.user, worker)
    return TEMPLATE, {
        "interviews_worker": worker,
        "interviews_next": upcoming,
        "interviews_open_count": open_count,
    }
