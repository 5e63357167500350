"""Renewal clearance: the list of cards coming up for renewal, one card's clearance, the
supervisor's decision on a hold, the printable notice for the card office; and the interview
policy page.

Clearances are for those who handle renewals: protocol officers and supervisors. Interviewers do
not hold interviews.view_clearance, and every view also asks for interviews.book_interview: a card
on hold would tell them an urgent concern is open about another interviewer's worker.
"""

import datetime as dt
import logging
from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import AuditEntry
from accounts.permissions import object_for, staff_view
from accounts.services import audit_log
from interviews import clearance as service
from interviews.forms_clearance import (
    DEFAULT_DAYS,
    UNCLEARED,
    ClearanceDecisionForm,
    ClearanceFilterForm,
    InterviewPolicyForm,
)
from interviews.models import ClearanceDecision, InterviewKind, InterviewPolicy
from interviews.services import policy_current
from registry.encryption import normalise_identifier
from registry.models import IdentityCard
from registry.selectors import actively_employed_workers

logger = logging.getLogger(__name__)
Action = AuditEntry.Action
PAGE_SIZE = 50
VIEW = "interviews.view_clearance"
# Those who handle renewals; see the module's docstring.
HANDLES_RENEWALS = "interviews.book_interview"
DECIDE = "interviews.decide_clearance"
NOTICE_CSS = "css/clearance-notice.css"


def _cards():
    return IdentityCard.objects.select_related("worker")


def _card_for(request, card_pk: int, permission: str = VIEW) -> IdentityCard:
    return object_for(request, _cards(), permission, pk=card_pk)


@staff_view(VIEW, HANDLES_RENEWALS)
@require_GET
def clearance_list(request):
    """Cards expiring soon, whether their renewal may go ahead and, if not, the first reason."""
    form = ClearanceFilterForm(request.GET or None)
    days, status, number, after_days, employed = DEFAULT_DAYS, "", "", None, False
    if form.is_valid():
        days = form.cleaned_data["days"] or DEFAULT_DAYS
        status = form.cleaned_data["status"]
        number = normalise_identifier(form.cleaned_data["number"])
        after_days = form.cleaned_data["after_days"]
        employed = form.cleaned_data["employed"]
    today = timezone.localdate()
    cards = (
        _cards()
        # Not shown and not needed for the clearance: the encrypted passport number above all.
        .defer(
            "created_at",
            "updated_at",
            "worker__passport_number",
            "worker__other_spellings",
            "worker__search_names",
        )
        .filter(
            status=IdentityCard.Status.ISSUED,
            expiry_date__gte=today,
            expiry_date__lte=today + dt.timedelta(days=days),
        )
        .order_by("expiry_date", "pk")
    )
    if number:
        cards = cards.filter(number_normalised__contains=number)
    if after_days is not None:
        cards = cards.filter(expiry_date__gt=today + dt.timedelta(days=after_days))
    if employed:
        # The same condition as the dashboard's cards (oversight.dashboard.cards_expiring).
        cards = cards.filter(worker_id__in=actively_employed_workers())
    # The status is computed, not stored: compute the whole range, then filter and page it.
    clearances = service.clearances_for(cards, today=today)
    counts = Counter(clearance.status for clearance in clearances)
    if status == UNCLEARED:
        cleared = (service.Status.CLEARED, service.Status.RELEASED)
        clearances = [clearance for clearance in clearances if clearance.status not in cleared]
    elif status:
        clearances = [clearance for clearance in clearances if clearance.status == status]
    page = Paginator(clearances, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    audit_log(
        action=Action.VIEW,
        request=request,
        object_type="registry.identitycard",
        detail="clearance list",
    )
    return render(
        request,
        "interviews/clearance_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "days": days,
            "today": today,
            "counts": [
                (value, label, counts.get(value, 0)) for value, label in service.Status.choices
            ],
            "total": sum(counts.values()),
        },
    )


@staff_view(VIEW, HANDLES_RENEWALS)
@require_GET
def clearance_detail(request, card_pk: int):
    card = _card_for(request, card_pk)
    clearance = service.clearance_for(card)
    decisions = ClearanceDecision.objects.filter(card=card).select_related("decided_by")
    may_decide = request.user.has_perm(DECIDE)
    # Only supervisors, who see every concern, learn that a concern holds the card, and which.
    sees_concerns = request.user.has_perm("interviews.view_all_concerns")
    holding = list(service.open_urgent_concerns(card)) if clearance.held and sees_concerns else []
    audit_log(action=Action.VIEW, request=request, obj=card, detail="clearance")
    return render(
        request,
        "interviews/clearance_detail.html",
        {
            "card": card,
            "clearance": clearance,
            "decisions": decisions,
            "may_decide": may_decide,
            "holding_concerns": holding,
            "sees_concerns": sees_concerns,
        },
    )


@staff_view(VIEW, HANDLES_RENEWALS, DECIDE)
@require_http_methods(["GET", "POST"])
def clearance_decide(request, card_pk: int):
    """A supervisor releases or refuses a renewal on hold, with the reason."""
    card = _card_for(request, card_pk, DECIDE)
    clearance = service.clearance_for(card)
    if not clearance.held:
        messages.info(request, _("This renewal is not on hold; there is nothing to decide."))
        return redirect("interviews:clearance-detail", card_pk=card.pk)
    form = ClearanceDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            service.clearance_decide(
                card=card,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("Your decision is recorded."))
            return redirect("interviews:clearance-detail", card_pk=card.pk)
    return render(
        request,
        "interviews/clearance_decide.html",
        {"card": card, "clearance": clearance, "form": form},
    )


def notice_reference(clearance: service.Clearance) -> str:
    return f"HCL-{clearance.card.pk:06d}-{clearance.computed_on:%Y%m%d}"


def notice_html(clearance: service.Clearance, *, request, for_pdf: bool = False) -> str:
    """The notice for the card office: the card, the worker's name, the status, the reasons,
    the date and a reference. Never what holds the card nor anything said in an interview."""
    return render_to_string(
        "interviews/clearance_notice.html",
        {
            "clearance": clearance,
            "card": clearance.card,
            "reference": notice_reference(clearance),
            "issued_by": request.user,
            "for_pdf": for_pdf,
            "ministry_name": settings.HESTIA_MINISTRY_NAME,
        },
        request=request,
    )


class PdfUnavailable(RuntimeError):
    pass


def notice_pdf(html: str) -> bytes:
    try:
        from weasyprint import CSS, HTML
    except (ImportError, OSError) as error:
        raise PdfUnavailable(str(error)) from error
    stylesheet = finders.find(NOTICE_CSS)
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=stylesheet)] if stylesheet else [])


@staff_view(VIEW, HANDLES_RENEWALS)
@require_GET
def clearance_notice(request, card_pk: int):
    card = _card_for(request, card_pk)
    clearance = service.clearance_for(card)
    audit_log(action=Action.VIEW, request=request, obj=card, detail="clearance notice")
    return HttpResponse(notice_html(clearance, request=request))


@staff_view(VIEW, HANDLES_RENEWALS)
@require_GET
def clearance_notice_pdf(request, card_pk: int):
    card = _card_for(request, card_pk)
    clearance = service.clearance_for(card)
    try:
        pdf = notice_pdf(notice_html(clearance, request=request, for_pdf=True))
    except PdfUnavailable:
        logger.exception("The clearance notice cannot be rendered: WeasyPrint or Pango is missing.")
        return HttpResponse(
            _("The notice cannot be printed as a PDF from this server at the moment."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    audit_log(action=Action.EXPORT, request=request, obj=card, detail="clearance notice pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="clearance-{notice_reference(clearance)}.pdf"'
    )
    return response


# --- The interview policy -----------------------------------------------------------------


def _policy_versions(policy: InterviewPolicy, limit: int = 50) -> list[dict]:
    """Every saved version, newest first, with the fields that changed from the one before."""
    versions = list(
        policy.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    rows = []
    for version, older in zip(versions, [*versions[1:], None], strict=False):
        if len(rows) == limit:
            break
        changes = []
        if older is not None:
            for name in service.POLICY_FIELDS:
                before, after = getattr(older, name), getattr(version, name)
                if before != after:
                    label = InterviewPolicy._meta.get_field(name).verbose_name
                    changes.append((label, _hours(before), _hours(after)))
        rows.append({"version": version, "changes": changes, "first": older is None})
    return rows


def _hours(value) -> str:
    if isinstance(value, list):
        return ", ".join(str(hour) for hour in value) or "—"
    return str(value)


@staff_view("interviews.view_interviewpolicy")
@require_http_methods(["GET", "POST"])
def policy_edit(request):
    """Administrators change the interview policy; supervisors read it and its history."""
    may_change = request.user.has_perm("interviews.change_interviewpolicy")
    if request.method == "POST" and not may_change:
        raise PermissionDenied
    policy = policy_current()
    form = None
    if may_change:
        form = InterviewPolicyForm(
            request.POST if request.method == "POST" else None,
            initial=InterviewPolicyForm.initial_for(policy),
        )
        if request.method == "POST" and form.is_valid():
            try:
                service.interview_policy_save(
                    policy=policy, by=request.user, request=request, **form.cleaned_data
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for name, errors in error.error_dict.items():
                        form.add_error(name if name in form.fields else None, errors)
                else:
                    form.add_error(None, error)
            else:
                messages.success(request, _("The interview policy was saved."))
                return redirect("interviews:policy-edit")
    rules = [
        (InterviewPolicy._meta.get_field(name).verbose_name, _hours(getattr(policy, name)))
        for name in service.POLICY_FIELDS
    ]
    return render(
        request,
        "interviews/policy_edit.html",
        {
            "policy": policy,
            "form": form,
            "rules": rules,
            "kinds": InterviewKind.choices,
            "versions": _policy_versions(policy),
        },
    )


urlpatterns = [
    path("clearances/", clearance_list, name="clearance-list"),
    path("clearances/<int:card_pk>/", clearance_detail, name="clearance-detail"),
    path("clearances/<int:card_pk>/decide/", clearance_decide, name="clearance-decide"),
    path("clearances/<int:card_pk>/notice/", clearance_notice, name="clearance-notice"),
    path("clearances/<int:card_pk>/notice.pdf", clearance_notice_pdf, name="clearance-notice-pdf"),
    path("policy/", policy_edit, name="policy-edit"),
]
