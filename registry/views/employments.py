"""Contracts, the in-person registration and ID cards (recommendations 36 and 37).

Thin views: each loads its object through accounts.permissions, calls one registry service and
puts the service's refusal back on the form, so bad input changes nothing.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import AuditEntry
from accounts.permissions import object_for, staff_view
from accounts.services import audit_log
from registry import services
from registry.forms_employments import (
    CardForm,
    EmploymentActivateForm,
    EmploymentEndForm,
    EmploymentForm,
    RegistrationForm,
    language_name,
)
from registry.models import Employment, IdentityCard, LanguageLevel, Worker

# Below these levels a worker cannot follow the registration in the host state's language.
LOW_LEVELS = {LanguageLevel.NONE, LanguageLevel.BASIC}


def _audit_read(request, obj) -> None:
    """A form that shows a contract's terms or a card is a read of the worker's data."""
    if request.method == "GET":
        audit_log(action=AuditEntry.Action.VIEW, request=request, obj=obj)


def _worker_page(worker_id: int) -> str:
    return reverse("registry:worker-detail", kwargs={"pk": worker_id})


def _posted(request):
    """The submitted data on POST, even when empty (an empty POST must still be validated)."""
    return request.POST if request.method == "POST" else None


def _employments():
    return Employment.objects.select_related("worker", "employer__mission")


def _put_errors_on(form, error: ValidationError) -> None:
    """A service's refusal goes on the field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _warn_breaches(request, breaches: list[str]) -> None:
    if breaches:
        messages.warning(
            request,
            _(
                "This contract does not meet the policy, so it needs a supervisor's exception before it can become active: %(breaches)s"
            )
            % {"breaches": " ".join(breaches)},
        )


# --- Employments --------------------------------------------------------------------------


@staff_view("registry.add_employment")
@require_http_methods(["GET", "POST"])
def employment_create(request, worker_pk):
    worker = object_for(request, Worker, "registry.add_employment", pk=worker_pk)
    policy = services.policy_current()
    form = EmploymentForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            employment = services.employment_create(
                by=request.user, worker=worker, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            _put_errors_on(form, error)
        else:
            messages.success(
                request,
                _(
                    "The employment with %(employer)s was recorded. It becomes active after the worker's in-person registration."
                )
                % {"employer": employment.employer},
            )
            _warn_breaches(request, services.employment_policy_breaches(employment, policy))
            return redirect(_worker_page(worker.pk))
    open_employment = (
        worker.employments.exclude(status=Employment.Status.ENDED)
        .select_related("employer__mission")
        .first()
    )
    return render(
        request,
        "registry/employment_form.html",
        {
            "worker": worker,
            "form": form,
            "policy": policy,
            "open_employment": open_employment,
            "creating": True,
        },
    )


@staff_view("registry.change_employment")
@require_http_methods(["GET", "POST"])
def employment_update(request, pk):
    employment = object_for(request, _employments(), "registry.change_employment", pk=pk)
    _audit_read(request, employment)
    policy = services.policy_current()
    initial = {name: getattr(employment, name) for name in services.EMPLOYMENT_FIELDS}
    form = EmploymentForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            employment = services.employment_update(
                by=request.user, employment=employment, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            _put_errors_on(form, error)
            employment = _employments().get(pk=employment.pk)
        else:
            messages.success(request, _("The employment was updated."))
            if employment.status in (Employment.Status.PRE_NOTIFIED, Employment.Status.REGISTERED):
                _warn_breaches(request, services.employment_policy_breaches(employment, policy))
            return redirect(_worker_page(employment.worker_id))
    return render(
        request,
        "registry/employment_form.html",
        {
            "worker": employment.worker,
            "employment": employment,
            "form": form,
            "policy": policy,
            "creating": False,
        },
    )


@staff_view("registry.change_employment")
@require_http_methods(["GET", "POST"])
def employment_activate(request, pk):
    """GET shows what would be approved; POST activates, with a supervisor's reason if needed."""
    employment = object_for(request, _employments(), "registry.change_employment", pk=pk)
    _audit_read(request, employment)
    breaches = services.employment_policy_breaches(employment)
    needs_exception = bool(breaches) and not employment.policy_override_reason
    may_override = request.user.has_perm("registry.override_policy")
    form = EmploymentActivateForm(_posted(request), with_reason=needs_exception and may_override)
    if request.method == "POST" and form.is_valid():
        try:
            services.employment_activate(
                by=request.user,
                employment=employment,
                override_reason=form.cleaned_data.get("override_reason", ""),
                request=request,
            )
        except ValidationError as error:
            _put_errors_on(form, error)
            employment = _employments().get(pk=employment.pk)
        else:
            if needs_exception:
                messages.success(
                    request,
                    _(
                        "The employment is active. The exception to the policy was recorded with your name."
                    ),
                )
            else:
                messages.success(request, _("The employment is active."))
            return redirect(_worker_page(employment.worker_id))
    return render(
        request,
        "registry/employment_activate.html",
        {
            "worker": employment.worker,
            "employment": employment,
            "form": form,
            "breaches": breaches,
            "needs_exception": needs_exception,
            "may_override": may_override,
            "can_activate": employment.status
            in (Employment.Status.REGISTERED, Employment.Status.SUSPENDED),
        },
    )


@staff_view("registry.change_employment")
@require_POST
def employment_suspend(request, pk):
    employment = object_for(request, _employments(), "registry.change_employment", pk=pk)
    _audit_read(request, employment)
    try:
        services.employment_suspend(by=request.user, employment=employment, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The employment is suspended."))
    return redirect(_worker_page(employment.worker_id))


@staff_view("registry.change_employment")
@require_http_methods(["GET", "POST"])
def employment_end(request, pk):
    employment = object_for(request, _employments(), "registry.change_employment", pk=pk)
    _audit_read(request, employment)
    form = EmploymentEndForm(
        _posted(request),
        initial={"end_date": employment.end_date or timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.employment_end(
                by=request.user,
                employment=employment,
                reason=form.cleaned_data["reason"],
                end_date=form.cleaned_data["end_date"],
                card_returned=form.cleaned_data["card_returned"],
                request=request,
            )
        except ValidationError as error:
            _put_errors_on(form, error)
        else:
            if form.cleaned_data["card_returned"]:
                messages.success(
                    request,
                    _("The employment has ended. The cards issued for it are marked as returned."),
                )
            else:
                messages.success(
                    request,
                    _(
                        "The employment has ended. The card was not returned: follow this up with the mission."
                    ),
                )
            return redirect(_worker_page(employment.worker_id))
    cards = employment.cards.filter(status=IdentityCard.Status.ISSUED)
    return render(
        request,
        "registry/employment_end.html",
        {
            "worker": employment.worker,
            "employment": employment,
            "form": form,
            "issued_cards": cards,
        },
    )


# --- Registration -------------------------------------------------------------------------


def _staff_languages() -> set[str]:
    """Languages the ministry's staff can hold a registration in without an interpreter."""
    return {code for code, _name in settings.LANGUAGES} | {settings.HESTIA_HOST_LANGUAGE}


def _language_needs(worker: Worker) -> dict:
    """What the officer must know before speaking to the worker (recommendation 38).

    An interpreter is needed when the worker speaks little of the host state's language and
    lists none of the staff's languages at a working level or better.
    """
    languages = [
        {
            "code": entry.language,
            "name": language_name(entry.language),
            "level": entry.get_level_display(),
        }
        for entry in worker.languages.all()
    ]
    staff_language_listed = any(
        entry.language in _staff_languages() and entry.level not in LOW_LEVELS
        for entry in worker.languages.all()
    )
    return {
        "preferred_code": worker.preferred_language,
        "preferred_name": language_name(worker.preferred_language),
        "languages": languages,
        "host_level": worker.get_host_language_level_display(),
        "interpreter_needed": worker.host_language_level in LOW_LEVELS
        and not staff_language_listed,
    }


@staff_view("registry.add_registration")
@require_http_methods(["GET", "POST"])
def registration_create(request, pk):
    employment = object_for(
        request,
        _employments().prefetch_related("worker__languages"),
        "registry.add_registration",
        pk=pk,
    )
    worker = employment.worker
    form = RegistrationForm(
        _posted(request),
        initial={
            "held_at": timezone.localtime().replace(second=0, microsecond=0),
            "language": worker.preferred_language,
            "leaflet_language": worker.preferred_language,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = services.registration_record(
                by=request.user, employment=employment, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            _put_errors_on(form, error)
            employment = _employments().prefetch_related("worker__languages").get(pk=pk)
        else:
            language = language_name(result.registration.leaflet_language)
            if result.activated:
                messages.success(
                    request,
                    _(
                        "The registration is recorded and the employment is active. The rights information was requested in %(language)s."
                    )
                    % {"language": language},
                )
            else:
                messages.warning(
                    request,
                    _(
                        "The registration is recorded. The employment waits for a supervisor's exception because the contract does not meet the policy: %(breaches)s The rights information was requested in %(language)s."
                    )
                    % {"breaches": " ".join(result.breaches), "language": language},
                )
            return redirect(_worker_page(worker.pk))
    if request.method == "GET":
        # The page shows the worker's language profile: a read of their record.
        audit_log(
            action=AuditEntry.Action.VIEW,
            request=request,
            obj=worker,
            detail="registration form",
        )
    return render(
        request,
        "registry/registration_form.html",
        {
            "worker": employment.worker,
            "employment": employment,
            "form": form,
            "needs": _language_needs(employment.worker),
            "already_registered": employment.status != Employment.Status.PRE_NOTIFIED,
        },
    )


# --- Cards --------------------------------------------------------------------------------


def _card_initial(card: IdentityCard) -> dict:
    return {
        "kind": card.kind,
        "number": card.number,
        "issue_date": card.issue_date,
        "expiry_date": card.expiry_date,
        "status": card.status,
        "employment": card.employment_id,
    }


@staff_view("registry.add_identitycard")
@require_http_methods(["GET", "POST"])
def card_create(request, worker_pk):
    worker = object_for(request, Worker, "registry.add_identitycard", pk=worker_pk)
    open_employment = worker.employments.exclude(status=Employment.Status.ENDED).first()
    form = CardForm(
        _posted(request),
        worker=worker,
        initial={"employment": open_employment.pk if open_employment else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            card = services.card_save(
                by=request.user, worker=worker, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            _put_errors_on(form, error)
        else:
            messages.success(
                request,
                _("%(card)s was recorded.") % {"card": card},
            )
            return redirect(_worker_page(worker.pk))
    return render(
        request, "registry/card_form.html", {"worker": worker, "form": form, "creating": True}
    )


@staff_view("registry.change_identitycard")
@require_http_methods(["GET", "POST"])
def card_update(request, pk):
    card = object_for(
        request,
        IdentityCard.objects.select_related("worker"),
        "registry.change_identitycard",
        pk=pk,
    )
    _audit_read(request, card)
    worker = card.worker
    form = CardForm(_posted(request), worker=worker, initial=_card_initial(card))
    if request.method == "POST" and form.is_valid():
        try:
            card = services.card_save(
                by=request.user, worker=worker, card=card, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            _put_errors_on(form, error)
            card = IdentityCard.objects.select_related("worker").get(pk=pk)
        else:
            messages.success(request, _("%(card)s was updated.") % {"card": card})
            return redirect(_worker_page(worker.pk))
    return render(
        request,
        "registry/card_form.html",
        {"worker": worker, "card": card, "form": form, "creating": False},
    )


urlpatterns = [
    path("workers/<int:worker_pk>/employments/new/", employment_create, name="employment-create"),
    path("employments/<int:pk>/edit/", employment_update, name="employment-update"),
    path("employments/<int:pk>/activate/", employment_activate, name="employment-activate"),
    path("employments/<int:pk>/suspend/", employment_suspend, name="employment-suspend"),
    path("employments/<int:pk>/end/", employment_end, name="employment-end"),
    path("employments/<int:pk>/registration/", registration_create, name="registration-create"),
    path("workers/<int:worker_pk>/cards/new/", card_create, name="card-create"),
    path("cards/<int:pk>/edit/", card_update, name="card-update"),
]
