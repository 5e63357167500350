"""Panels other apps show on the worker's page, without the registry importing them.

An app registers a function from its AppConfig.ready():

    from registry.panels import register_worker_panel

    register_worker_panel(worker_panel)

The function takes (request, worker) and returns (template_name, context), or None to show
nothing (for instance to a user without the permission to see it). Each panel is rendered in
the page's "Other records" area, right after the person's details, by {% include %}: its
template sees its own context on top of the page's (worker, perms, request), and titles itself
with an <h3>.

The page must stay within 15 queries (issue 7). It runs 13 without any panel; the interviews
panel adds one, and the request that refreshes the session's last-seen time (once a minute)
one more. A new panel therefore runs no query of its own, as the oversight panel, unless it
makes room for it.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.http import HttpRequest

from registry.models import Worker

WorkerPanel = Callable[[HttpRequest, Worker], tuple[str, dict] | None]

_worker_panels: list[WorkerPanel] = []


def register_worker_panel(panel: WorkerPanel) -> WorkerPanel:
    """Show `panel` on every worker's page, after those registered before it; once only."""
    if panel not in _worker_panels:
        _worker_panels.append(panel)
    return panel


def unregister_worker_panel(panel: WorkerPanel) -> None:
    if panel in _worker_panels:
        _worker_panels.remove(panel)


@contextmanager
def only_worker_panels(*panels: WorkerPanel) -> Iterator[None]:
    """Show exactly these panels (none if none is given) while the with block runs, then those
    registered before again (tests)."""
    registered = _worker_panels[:]
    _worker_panels[:] = panels
    try:
        yield
    finally:
        _worker_panels[:] = registered


def worker_panels(request: HttpRequest, worker: Worker) -> list[tuple[str, dict]]:
    """(template_name, context) of each registered panel that has something for this request."""
    found = []
    for panel in list(_worker_panels):
        shown = panel(request, worker)
        if shown is not None:
            template_name, context = shown
            found.append((template_name, context))
    return found


class PanelInclude:
    """One panel, for {% include panel %}: its template, with its own context pushed on top of
    the page's, so that the panel's template reads its values by their own names."""

    def __init__(self, template_name: str, context: dict):
        self.template_name = template_name
        self.context = context

    def render(self, context) -> str:
        template = context.template.engine.get_template(self.template_name)
        with context.push(self.context):
            return template.render(context)
