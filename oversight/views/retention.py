"""Retention policy, its dry run and application, legal holds, and subject access."""

import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import AuditEntry
from accounts.permissions import object_for, staff_view
from accounts.services import audit_log
from notifications.rights import PdfUnavailable
from oversight import retention, subject_access
from oversight.forms import (
    ApplyRetentionForm,
    LegalHoldForm,
    LiftHoldForm,
    RetentionPolicyForm,
    SubjectAccessForm,
)
from oversight.models import LegalHold, RetentionRun
from registry.models import Worker

Action = AuditEntry.Action
# The dry run shows this many workers on the page; the command lists all of them.
DRY_RUN_ROWS = 200


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


@staff_view("oversight.view_retentionpolicy")
@require_http_methods(["GET", "POST"])
def retention_view(request):
    policy = retention.policy_current()
    may_edit = request.user.has_perm("oversight.change_retentionpolicy")
    form = RetentionPolicyForm(request.POST or None, instance=policy) if may_edit else None
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if form.is_valid():
            retention.policy_save(
                policy=retention.policy_current(),
                by=request.user,
                request=request,
                **form.cleaned_data,
            )
            messages.success(request, _("The retention policy was saved."))
            return redirect("oversight:retention")
    due = retention.due_for_anonymisation(policy=policy)
    to_anonymise = retention.not_held(due)
    held = retention.held(due).prefetch_related("legal_holds")
    audit_log(
        action=Action.VIEW, request=request, object_type="oversight.retention", detail="dry run"
    )
    return render(
        request,
        "oversight/retention.html",
        {
            "policy": policy,
            "form": form,
            "apply_form": ApplyRetentionForm(),
            "to_anonymise": to_anonymise[:DRY_RUN_ROWS],
            "to_anonymise_total": to_anonymise.count(),
            "held": held[:DRY_RUN_ROWS],
            "held_total": held.count(),
            "messages_total": retention.messages_due_for_blanking(policy=policy).count(),
            "runs": RetentionRun.objects.select_related("started_by")[:10],
            "history": policy.history.select_related("history_user")[:10],
            "may_apply": request.user.has_perm("oversight.add_retentionrun"),
        },
    )


@staff_view("oversight.add_retentionrun")
@require_POST
def retention_apply_now(request):
    form = ApplyRetentionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the box to confirm: nothing was removed."))
        return redirect("oversight:retention")
    result = retention.retention_apply(dry_run=False, by=request.user, request=request)
    messages.success(
        request,
        _(
            "%(workers)s workers anonymised, %(held)s kept under a hold or an open concern, "
            "%(messages)s message texts removed."
        )
        % {
            "workers": result.run.workers_anonymised,
            "held": result.run.workers_held,
            "messages": result.run.message_bodies_removed,
        },
    )
    return redirect("oversight:retention")


@staff_view("oversight.view_legalhold")
@require_safe
def legal_hold_list(request):
    holds = (
        LegalHold.objects.filter(lifted_at__isnull=True)
        .select_related("worker", "owner", "placed_by")
        .order_by("review_on", "placed_at")
    )
    return render(
        request,
        "oversight/legal_hold_list.html",
        {"holds": holds[:500], "total": holds.count(), "today": timezone.localdate()},
    )


@staff_view("oversight.view_legalhold", "registry.view_worker")
@require_http_methods(["GET", "POST"])
def worker_holds(request, worker_pk):
    worker = get_object_or_404(Worker, pk=worker_pk)
    may_place = request.user.has_perm("oversight.add_legalhold")
    form = LegalHoldForm(request.POST or None) if may_place else None
    if request.method == "POST":
        if not may_place:
            raise PermissionDenied
        if form.is_valid():
            try:
                retention.legal_hold_place(
                    worker=worker,
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                    owner=form.cleaned_data["owner"],
                    review_on=form.cleaned_data["review_on"],
                    by=request.user,
                    request=request,
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("The legal hold is in place."))
                return redirect("oversight:worker-holds", worker_pk=worker.pk)
    holds = LegalHold.objects.filter(worker=worker).select_related(
        "owner", "placed_by", "lifted_by"
    )
    return render(
        request,
        "oversight/worker_holds.html",
        {
            "worker": worker,
            "holds": holds,
            "form": form,
            "lift_form": LiftHoldForm(),
            "may_lift": request.user.has_perm("oversight.change_legalhold"),
        },
    )


@staff_view("oversight.change_legalhold")
@require_POST
def legal_hold_lift(request, pk):
    hold = get_object_or_404(LegalHold, pk=pk)
    form = LiftHoldForm(request.POST)
    if form.is_valid():
        try:
            retention.legal_hold_lift(
                hold=hold, reason=form.cleaned_data["lift_reason"], by=request.user, request=request
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The legal hold was lifted."))
    else:
        messages.error(request, _("Give the reason for lifting the hold: nothing was changed."))
    return redirect("oversight:worker-holds", worker_pk=hold.worker_id)


def _languages():
    return [(code, _(str(name))) for code, name in settings.LANGUAGES]


@staff_view("oversight.subject_access", "registry.view_worker")
@require_safe
def subject_access_page(request, worker_pk):
    worker = object_for(request, Worker, "registry.view_worker", pk=worker_pk)
    language = subject_access.pdf_language(worker)
    form = SubjectAccessForm(initial={"language": language}, languages=_languages())
    return render(
        request,
        "oversight/subject_access.html",
        {
            "worker": worker,
            "form": form,
            "restricted": subject_access.may_read_restricted(request.user),
            "worker_language_available": language == worker.preferred_language,
        },
    )


@staff_view("oversight.subject_access", "registry.view_worker")
@require_safe
def subject_access_json(request, worker_pk):
    worker = get_object_or_404(Worker, pk=worker_pk)
    data = subject_access.worker_data(worker, user=request.user)
    audit_log(
        action=Action.EXPORT,
        request=request,
        obj=worker,
        detail="subject access (JSON)"
        + ("; restricted content included" if data["restricted_content_included"] else ""),
    )
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="hestia-worker-{worker.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response


@staff_view("oversight.subject_access", "registry.view_worker")
@require_safe
def subject_access_pdf(request, worker_pk):
    worker = get_object_or_404(Worker, pk=worker_pk)
    form = SubjectAccessForm(request.GET, languages=_languages())
    language = (
        form.cleaned_data["language"] if form.is_valid() else subject_access.pdf_language(worker)
    )
    try:
        pdf = subject_access.worker_pdf(worker, user=request.user, language=language)
    except PdfUnavailable:
        return HttpResponse(
            _("The PDF cannot be produced on this server at the moment; the JSON file can."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    audit_log(
        action=Action.EXPORT,
        request=request,
        obj=worker,
        detail=f"subject access (PDF, {language})"
        + (
            "; restricted content included"
            if subject_access.may_read_restricted(request.user)
            else ""
        ),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="hestia-worker-{worker.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [
    path("retention/", retention_view, name="retention"),
    path("retention/apply/", retention_apply_now, name="retention-apply"),
    path("legal-holds/", legal_hold_list, name="legal-hold-list"),
    path("workers/<int:worker_pk>/legal-holds/", worker_holds, name="worker-holds"),
    path("legal-holds/<int:pk>/lift/", legal_hold_lift, name="legal-hold-lift"),
    path("workers/<int:worker_pk>/subject-access/", subject_access_page, name="subject-access"),
    path(
        "workers/<int:worker_pk>/subject-access.json",
        subject_access_json,
        name="subject-access-json",
    ),
    path(
        "workers/<int:worker_pk>/subject-access.pdf", subject_access_pdf, name="subject-access-pdf"
    ),
]
