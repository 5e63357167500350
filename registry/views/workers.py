"""Workers: search, registration, the worker's page, and the phones, languages, consents and
language-course referrals that belong to a worker."""

from functools import partial

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.forms.models import model_to_dict
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import AuditEntry
from accounts.permissions import object_for, staff_view
from accounts.services import audit_log
from accounts.viewtools import form_errors_from
from registry import selectors, services
from registry.forms_workers import (
    ConsentForm,
    CourseReferralForm,
    LanguageForm,
    PhoneForm,
    PhoneUnsafeForm,
    PhoneUpdateForm,
    WorkerCreateForm,
    WorkerFilterForm,
    WorkerForm,
)
from registry.models import Consent, LanguageCourseReferral, Worker, WorkerPhone
from registry.panels import PanelInclude, worker_panels

Action = AuditEntry.Action
PAGE_SIZE = 25


def _phone_error_field(error: ValidationError, *, number: str, sms: str) -> str:
    codes = {getattr(item, "code", None) for item in getattr(error, "error_list", [error])}
    return sms if "unsafe" in codes else number


# --- List and search ------------------------------------------------------------------------


@staff_view("registry.view_worker")
def worker_list(request):
    form = WorkerFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    workers = selectors.worker_search(
        q=filters.get("q", ""),
        mission=filters.get("mission"),
        employer=filters.get("employer"),
        status=filters.get("status", ""),
        nationality=filters.get("nationality", ""),
    )
    # Names and dates of birth are personal data: who looked, and whether they searched.
    audit_log(
        action=Action.VIEW,
        request=request,
        object_type="registry.worker",
        detail="worker search" if filters.get("q") else "worker list",
    )
    page = Paginator(workers, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registry/worker_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "today": timezone.localdate(),
        },
    )


# --- The person -------------------------------------------------------------------------------


@staff_view("registry.add_worker")
@require_http_methods(["GET", "POST"])
def worker_create(request):
    form = WorkerCreateForm(request.POST or None)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicates = selectors.possible_duplicates(
            family_name=data["family_name"],
            given_names=data["given_names"],
            other_spellings=data["other_spellings"],
            date_of_birth=data["date_of_birth"],
            passport_number=data["passport_number"],
        )
        if duplicates and not data["none_is_same_person"]:
            form.add_error(
                "none_is_same_person",
                _(
                    "Check the records listed above first. If none of them is this worker, tick this box."
                ),
            )
        else:
            worker = _worker_create(request, form, checked=[d.worker for d in duplicates])
            if worker is not None:
                messages.success(request, _("The worker is registered."))
                return redirect("registry:worker-detail", pk=worker.pk)
    return render(
        request,
        "registry/worker_form.html",
        {"form": form, "duplicates": duplicates, "creating": True},
    )


def _worker_create(request, form: WorkerCreateForm, checked: list[Worker] = ()) -> Worker | None:
    """The person, the first phone and the consent together, or nothing at all. Records the
    officer's check that the possible duplicates shown are other people."""
    data = form.cleaned_data
    try:
        with transaction.atomic():
            worker = services.worker_save(by=request.user, request=request, **form.person_data())
            if data["phone_number"]:
                try:
                    services.phone_add(
                        by=request.user,
                        worker=worker,
                        number=data["phone_number"],
                        is_safe=data["phone_is_safe"],
                        is_sms_number=data["phone_is_sms_number"],
                        request=request,
                    )
                except ValidationError as error:
                    field = _phone_error_field(
                        error, number="phone_number", sms="phone_is_sms_number"
                    )
                    raise ValidationError({field: error.messages}) from None
            services.consent_record(
                by=request.user,
                worker=worker,
                kind=Consent.Kind.DATA_PROCESSING,
                given=True,
                request=request,
            )
            for other in checked:
                services.worker_mark_not_duplicate(
                    by=request.user, worker=worker, other=other, request=request
                )
    except ValidationError as error:
        form_errors_from(form, error)
        return None
    return worker


@staff_view("registry.change_worker")
@require_http_methods(["GET", "POST"])
def worker_update(request, pk):
    worker = object_for(request, Worker, "registry.change_worker", pk=pk)
    if request.method == "POST":
        form = WorkerForm(request.POST)
        if form.is_valid():
            try:
                services.worker_save(
                    by=request.user, worker=worker, request=request, **form.person_data()
                )
            except ValidationError as error:
                worker.refresh_from_db()  # the service set the refused values on this instance
                form_errors_from(form, error)
            else:
                messages.success(request, _("The worker's details are saved."))
                return redirect("registry:worker-detail", pk=worker.pk)
    else:
        form = WorkerForm(initial=model_to_dict(worker, fields=services.WORKER_FIELDS))
        # The form holds the full passport number.
        audit_log(
            action=Action.VIEW,
            request=request,
            obj=worker,
            detail="edit form; passport number shown in full",
        )
    return render(
        request,
        "registry/worker_form.html",
        {"form": form, "worker": worker, "creating": False},
    )


@staff_view("registry.view_worker")
def worker_detail(request, pk):
    worker = object_for(request, Worker, "registry.view_worker", pk=pk)
    in_full = request.user.has_perm("registry.change_worker")
    page = selectors.worker_page(worker, passport_in_full=in_full)
    audit_log(
        action=Action.VIEW,
        request=request,
        obj=worker,
        detail="worker page; passport number shown in full"
        if page.passport_in_full
        else "worker page",
    )
    return render(
        request,
        "registry/worker_detail.html",
        {
            "worker": worker,
            "page": page,
            # Other apps' records of this worker (registry.panels), each shown by its own template.
            "panels": [PanelInclude(*panel) for panel in worker_panels(request, worker)],
            "today": timezone.localdate(),
            "now": timezone.now(),
            "expiring_soon_days": selectors.EXPIRING_SOON_DAYS,
        },
    )


@staff_view("registry.change_worker")
@require_POST
def worker_not_duplicate(request, pk, other_pk):
    worker = object_for(request, Worker, "registry.change_worker", pk=pk)
    other = object_for(request, Worker, "registry.change_worker", pk=other_pk)
    if worker.pk == other.pk:
        messages.error(request, _("A record cannot be marked as different from itself."))
    else:
        services.worker_mark_not_duplicate(
            by=request.user, worker=worker, other=other, request=request
        )
        messages.success(
            request,
            _("The two records are marked as different people; they are no longer listed."),
        )
    return redirect("registry:worker-detail", pk=worker.pk)


# --- Phones, languages, consents, course referrals ------------------------------------------


def _save_from_subform(request, worker, form, save, *, done: str, **texts):
    """On a valid POST, call `save(**cleaned_data)`: its refusal goes back on the form, its
    success to the worker's page with `done`. Otherwise show the form."""
    if request.method == "POST" and form.is_valid():
        try:
            save(**form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, done)
            return redirect("registry:worker-detail", pk=worker.pk)
    return _subform(request, worker, form, **texts)


def _subform(
    request,
    worker,
    form,
    *,
    title: str,
    submit: str,
    intro: str = "",
    phone: WorkerPhone | None = None,
    danger: bool = False,
):
    return render(
        request,
        "registry/worker_subform.html",
        {
            "worker": worker,
            "form": form,
            "title": title,
            "submit": submit,
            "intro": intro,
            "phone": phone,
            "danger": danger,
        },
    )


@staff_view("registry.change_worker")
@require_http_methods(["GET", "POST"])
def worker_phone_add(request, pk):
    worker = object_for(request, Worker, "registry.change_worker", pk=pk)
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.phone_add(by=request.user, worker=worker, request=request, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(
                form, error, _phone_error_field(error, number="number", sms="is_sms_number")
            )
        else:
            messages.success(request, _("The phone number is added."))
            return redirect("registry:worker-detail", pk=worker.pk)
    return _subform(
        request,
        worker,
        form,
        title=_("Add a phone number"),
        submit=_("Add the phone number"),
        intro=_(
            "A phone the employer can read or controls is not safe: the worker gets no SMS on it."
        ),
    )


@staff_view("registry.change_worker")
@require_POST
def phone_mark_unsafe(request, pk):
    phone = object_for(
        request, WorkerPhone.objects.select_related("worker"), "registry.change_worker", pk=pk
    )
    form = PhoneUnsafeForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("The note is too long: at most 200 characters. The phone number was not changed."),
        )
    else:
        services.phone_mark_unsafe(
            by=request.user, phone=phone, note=form.cleaned_data["note"], request=request
        )
        messages.success(
            request, _("The phone number is marked as not safe. It will receive no SMS notices.")
        )
    return redirect("registry:worker-detail", pk=phone.worker_id)


def _phone_for(request, pk) -> WorkerPhone:
    return object_for(
        request, WorkerPhone.objects.select_related("worker"), "registry.change_worker", pk=pk
    )


@staff_view("registry.change_worker")
@require_http_methods(["GET", "POST"])
def phone_update(request, pk):
    phone = _phone_for(request, pk)
    was_sms_number = phone.is_sms_number
    form = PhoneUpdateForm(
        request.POST if request.method == "POST" else None,
        initial={
            "is_safe": phone.is_safe,
            "is_sms_number": phone.is_sms_number,
            "note": phone.note,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.phone_update(
                by=request.user, phone=phone, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            codes = {getattr(item, "code", None) for item in getattr(error, "error_list", [])}
            form_errors_from(
                form, error, "is_sms_number" if codes & {"not_mobile", "unsafe"} else None
            )
        else:
            messages.success(request, _("The phone number's details are saved."))
            if was_sms_number and not phone.is_sms_number:
                messages.warning(
                    request,
                    _(
                        "This number no longer receives SMS notices. Choose another safe mobile number for them."
                    ),
                )
            return redirect("registry:worker-detail", pk=phone.worker_id)
    return _subform(
        request,
        phone.worker,
        form,
        title=_("Change a phone number"),
        submit=_("Save the phone number"),
        intro=_("A phone that is not safe receives no SMS notices."),
        phone=phone,
    )


@staff_view("registry.change_worker")
@require_http_methods(["GET", "POST"])
def phone_remove(request, pk):
    phone = _phone_for(request, pk)
    if request.method == "POST":
        was_sms_number = phone.is_sms_number
        worker_pk = phone.worker_id
        services.phone_remove(by=request.user, phone=phone, request=request)
        messages.success(request, _("The phone number is removed."))
        if was_sms_number:
            messages.warning(
                request,
                _(
                    "The worker now has no number for SMS notices. Add a safe mobile number for them."
                ),
            )
        return redirect("registry:worker-detail", pk=worker_pk)
    return _subform(
        request,
        phone.worker,
        forms.Form(),
        title=_("Remove a phone number"),
        submit=_("Remove the phone number"),
        intro=_("Remove a number that is wrong or that the worker no longer has."),
        phone=phone,
        danger=True,
    )


@staff_view("registry.change_worker")
@require_http_methods(["GET", "POST"])
def worker_language_add(request, pk):
    worker = object_for(request, Worker, "registry.change_worker", pk=pk)
    return _save_from_subform(
        request,
        worker,
        LanguageForm(request.POST or None),
        partial(services.language_set, by=request.user, worker=worker, request=request),
        done=_("The language is saved."),
        title=_("Add a language"),
        submit=_("Save the language"),
        intro=_("A language already on record gets the new level."),
    )


@staff_view("registry.change_worker")
@require_http_methods(["GET", "POST"])
def worker_consent_add(request, pk):
    worker = object_for(request, Worker, "registry.change_worker", pk=pk)
    return _save_from_subform(
        request,
        worker,
        ConsentForm(request.POST or None),
        partial(services.consent_record, by=request.user, worker=worker, request=request),
        done=_("The consent is recorded."),
        title=_("Record a consent"),
        submit=_("Record the consent"),
        intro=_("The latest record of each kind is the one that counts."),
    )


@staff_view("registry.change_worker")
@require_http_methods(["GET", "POST"])
def worker_course_referral_add(request, pk):
    worker = object_for(request, Worker, "registry.change_worker", pk=pk)
    return _save_from_subform(
        request,
        worker,
        CourseReferralForm(request.POST or None, initial={"referred_on": timezone.localdate()}),
        partial(services.course_referral_save, by=request.user, worker=worker, request=request),
        done=_("The language-course referral is recorded."),
        title=_("Refer to a language course"),
        submit=_("Record the referral"),
    )


@staff_view("registry.change_worker")
@require_http_methods(["GET", "POST"])
def course_referral_update(request, pk):
    referral = object_for(
        request,
        LanguageCourseReferral.objects.select_related("worker"),
        "registry.change_worker",
        pk=pk,
    )
    initial = model_to_dict(
        referral, fields=["language", "provider", "referred_on", "outcome", "note"]
    )
    form = CourseReferralForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.course_referral_save(
                by=request.user,
                worker=referral.worker,
                referral=referral,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("The language-course referral is saved."))
            return redirect("registry:worker-detail", pk=referral.worker_id)
    return _subform(
        request,
        referral.worker,
        form,
        title=_("Change a language-course referral"),
        submit=_("Save the referral"),
    )


urlpatterns = [
    path("workers/", worker_list, name="worker-list"),
    path("workers/new/", worker_create, name="worker-create"),
    path("workers/<int:pk>/", worker_detail, name="worker-detail"),
    path("workers/<int:pk>/edit/", worker_update, name="worker-update"),
    path("workers/<int:pk>/phones/new/", worker_phone_add, name="worker-phone-add"),
    path("phones/<int:pk>/mark-unsafe/", phone_mark_unsafe, name="phone-mark-unsafe"),
    path("phones/<int:pk>/edit/", phone_update, name="phone-update"),
    path("phones/<int:pk>/remove/", phone_remove, name="phone-remove"),
    path("workers/<int:pk>/languages/new/", worker_language_add, name="worker-language-add"),
    path("workers/<int:pk>/consents/new/", worker_consent_add, name="worker-consent-add"),
    path(
        "workers/<int:pk>/course-referrals/new/",
        worker_course_referral_add,
        name="worker-course-referral-add",
    ),
    path("course-referrals/<int:pk>/edit/", course_referral_update, name="course-referral-update"),
    path(
        "workers/<int:pk>/not-duplicate/<int:other_pk>/",
        worker_not_duplicate,
        name="worker-not-duplicate",
    ),
]
