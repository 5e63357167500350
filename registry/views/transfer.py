"""Import of CSV files (dry run first, then all rows or none) and CSV export of the registry."""

import base64
import hashlib
import zlib

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import AuditEntry
from accounts.permissions import staff_view
from accounts.services import audit_log
from registry import exporting
from registry.encryption import decrypt, encrypt
from registry.forms_transfer import ImportForm
from registry.importing import COLUMNS, KIND_LABELS, REQUIRED, ImportReport, import_file

# A checked file waits in the session for "Import now", encrypted: it holds passport and
# account numbers, which are never stored in clear.
PENDING_KEY = "registry_import_pending"
# The report table shows this many rows; the counts above it always cover the whole file.
REPORT_ROWS_SHOWN = 1000


def _seal(text: str) -> str:
    return encrypt(base64.b64encode(zlib.compress(text.encode())).decode())


def _unseal(token: str) -> str:
    return zlib.decompress(base64.b64decode(decrypt(token))).decode()


def _digest(kind: str, text: str) -> str:
    return hashlib.sha256(f"{kind}\n{text}".encode()).hexdigest()


def _render(request, form: ImportForm, report: ImportReport | None = None, pending: str = ""):
    context = {
        "form": form,
        "report": report,
        "pending": pending,
        "limit": REPORT_ROWS_SHOWN,
        "columns": [
            (label, [(name, name in REQUIRED[kind]) for name in COLUMNS[kind]])
            for kind, label in KIND_LABELS.items()
        ],
    }
    if report is not None:
        context.update(
            kind_label=KIND_LABELS[report.kind],
            rows_shown=report.rows[:REPORT_ROWS_SHOWN],
            errors_shown=report.errors[:REPORT_ROWS_SHOWN],
        )
    return render(request, "registry/transfer_import.html", context)


def _done(request, report: ImportReport):
    messages.success(request, report.summary())
    return redirect("registry:registry-import")


@staff_view("registry.import_registry")
@require_http_methods(["GET", "POST"])
def import_registry(request):
    if request.method == "POST" and "confirm" in request.POST:
        return _import_checked_file(request)
    if request.method != "POST":
        return _render(request, ImportForm())
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, form)
    kind, text = form.cleaned_data["kind"], form.cleaned_data["file"]
    dry_run = form.cleaned_data["dry_run"]
    # A new upload replaces any file that was waiting for "Import now".
    request.session.pop(PENDING_KEY, None)
    report = import_file(
        kind=kind, file_text=text, by=request.user, dry_run=dry_run, request=request
    )
    if not report.ok:
        form.add_error(None, report.summary())
        return _render(request, form, report)
    if not dry_run:
        return _done(request, report)
    pending = ""
    if report.changes:
        pending = _digest(kind, text)
        request.session[PENDING_KEY] = {"kind": kind, "digest": pending, "file": _seal(text)}
    return _render(request, ImportForm(initial={"kind": kind}), report, pending)


def _import_checked_file(request):
    """After a dry run, "Import now" applies the same file, checked again, with no new upload."""
    pending = request.session.get(PENDING_KEY)
    if not pending or pending.get("digest") != request.POST.get("confirm"):
        messages.error(
            request, _("The checked file is no longer available. Upload it again to import it.")
        )
        return redirect("registry:registry-import")
    del request.session[PENDING_KEY]
    kind = pending["kind"]
    report = import_file(
        kind=kind,
        file_text=_unseal(pending["file"]),
        by=request.user,
        dry_run=False,
        request=request,
    )
    if report.ok:
        return _done(request, report)
    # The registry changed since the dry run; the file must be checked again.
    form = ImportForm(initial={"kind": kind})
    messages.error(request, report.summary())
    return _render(request, form, report)


@staff_view("registry.export_registry")
@require_GET
def export_registry(request, kind: str):
    if kind not in exporting.KINDS:
        raise Http404
    if not request.user.has_perm(exporting.VIEW_PERMISSIONS[kind]):
        raise PermissionDenied
    audit_log(
        action=AuditEntry.Action.EXPORT,
        request=request,
        object_type=exporting.OBJECT_TYPES[kind],
        detail=kind,
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(
        exporting.export_lines(kind), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="hestia-{kind}-{stamp}.csv"'
    return response


urlpatterns = [
    path("import/", import_registry, name="registry-import"),
    path("export/<slug:kind>/", export_registry, name="registry-export"),
]
