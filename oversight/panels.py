"""The oversight panel on the registry's worker page (registered in OversightConfig.ready): links to
the worker's legal holds and to the subject-access export. No query: the worker's page must stay
within its budget (issue 7), and the holds page says which are in place."""

TEMPLATE = "oversight/worker_panel.html"


def worker_panel(request, worker) -> tuple[str, dict] | None:
    user = request.user
    may_holds = user.has_perm("oversight.view_legalhold")
    may_export = user.has_perm("oversight.subject_access")
    if not (may_holds or may_export):
        return None
    return TEMPLATE, {
        "oversight_worker": worker,
        "oversight_may_holds": may_holds,
        "oversight_may_export": may_export,
    }
