"""The worker's bank account, its evidence, its verification and the salary seen on it
(recommendation 39: the salary is paid into an account in the worker's sole name)."""

from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import AuditEntry
from accounts.permissions import object_for, staff_view
from accounts.services import audit_log
from registry import services
from registry.encryption import search_hash
from registry.forms_bank import (
    BankAccountCorrectForm,
    BankAccountEndForm,
    BankAccountForm,
    BankAccountVerifyForm,
    BankAttentionFilterForm,
    EvidenceUploadForm,
    SalaryDepositForm,
)
from registry.models import BankAccount, BankEvidence, Worker
from registry.selectors_bank import AccountState, workers_needing_bank_attention

Action = AuditEntry.Action

EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}
KNOWN_SUFFIXES = {
    "application/pdf": {".pdf"},
    "image/png": {".png"},
    "image/jpeg": {".jpg", ".jpeg"},
}


def _grouped(value: str) -> str:
    """'BE71096123456769' -> 'BE71 0961 2345 6769', as printed on bank letters."""
    return " ".join(value[i : i + 4] for i in range(0, len(value), 4))


def _may_see_full_number(user) -> bool:
    return user.has_perm("registry.change_bankaccount") or user.has_perm(
        "registry.verify_bankaccount"
    )


def _verification_state(account: BankAccount) -> str:
    if account.status == BankAccount.Status.VERIFIED:
        expires = account.verification_expires_on
        if expires is not None and expires < timezone.localdate():
            return "expired"
        return "verified"
    return account.status


def _account_for(request, permission: str, pk: int) -> BankAccount:
    return object_for(
        request,
        BankAccount.objects.select_related("worker", "verified_by"),
        permission,
        pk=pk,
    )


def _detail(
    request,
    account: BankAccount,
    *,
    upload_form=None,
    verify_form=None,
    deposit_form=None,
):
    """The account page; also shown again, with the errors, when one of its forms is refused."""
    user = request.user
    full = _may_see_full_number(user)
    # Reading a worker's bank account is restricted data: every look at it is in the log.
    audit_log(
        action=Action.VIEW,
        request=request,
        obj=account,
        detail="full account number shown" if full else "account number masked",
    )
    if user.has_perm("registry.add_bankevidence"):
        upload_form = upload_form or EvidenceUploadForm()
    if user.has_perm("registry.verify_bankaccount"):
        verify_form = verify_form or BankAccountVerifyForm(account=account)
    if user.has_perm("registry.change_bankaccount"):
        deposit_form = deposit_form or SalaryDepositForm(account=account)
    evidence = []
    if user.has_perm("registry.view_bankevidence"):
        evidence = account.evidence.select_related("uploaded_by")
    deposits = account.deposits.select_related("employment__employer").order_by("-month", "-id")
    return render(
        request,
        "registry/bank_account_detail.html",
        {
            "account": account,
            "worker": account.worker,
            "show_full_number": full,
            "iban": _grouped(account.iban) if full and account.iban else "",
            "account_number": _grouped(account.account_number)
            if full and account.account_number
            else "",
            "verification_state": _verification_state(account),
            "evidence": evidence,
            "deposits": deposits,
            "upload_form": upload_form,
            "verify_form": verify_form,
            "deposit_form": deposit_form,
        },
    )


def _refuse_if_already_recorded(form: BankAccountForm, worker: Worker) -> None:
    """An account typed again for the same worker is a repeat, not a shared account: say so."""
    data = form.cleaned_data
    try:
        checked = services.bank_account_check(
            iban=data["iban"],
            account_number=data["account_number"],
            bank_code=data["bank_code"],
            country=data["country"],
        )
    except ValidationError:
        return  # the service explains what is wrong with the number
    # The same identifier services.bank_account_add hashes.
    identifier = checked.iban or f"{checked.bank_code}{checked.account_number}"
    already = (
        worker.bank_accounts.filter(account_hash=search_hash(identifier))
        .exclude(status=BankAccount.Status.CLOSED)
        .exists()
    )
    if already:
        form.add_error(
            "iban" if checked.iban else "account_number",
            _("This account is already recorded for this worker."),
        )


@staff_view("registry.add_bankaccount")
@require_http_methods(["GET", "POST"])
def bank_account_create(request, worker_pk: int):
    worker = object_for(request, Worker, "registry.add_bankaccount", pk=worker_pk)
    form = BankAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _refuse_if_already_recorded(form, worker)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.bank_account_add(
                by=request.user, worker=worker, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The bank account was added."))
            if account.name_mismatch:
                messages.warning(
                    request,
                    _(
                        "The account holder's names differ from the worker's names. Check that the account is the worker's own before verifying it."
                    ),
                )
            if not account.sole_holder:
                messages.warning(
                    request,
                    _(
                        "The worker is not the sole holder of this account. The salary must be paid into an account in the worker's sole name, so this account cannot be verified."
                    ),
                )
            return redirect("registry:bank-account-detail", pk=account.pk)
    return render(request, "registry/bank_account_form.html", {"form": form, "worker": worker})


@staff_view("registry.view_bankaccount")
def bank_account_detail(request, pk: int):
    account = _account_for(request, "registry.view_bankaccount", pk)
    return _detail(request, account)


@staff_view("registry.add_bankevidence", "registry.view_bankaccount")
@require_POST
def bank_evidence_upload(request, pk: int):
    account = _account_for(request, "registry.add_bankevidence", pk)
    form = EvidenceUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.bank_evidence_add(
                by=request.user, account=account, upload=form.cleaned_data["file"], request=request
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("The document was stored with the account."))
            return redirect("registry:bank-account-detail", pk=account.pk)
    return _detail(request, account, upload_form=form)


def _download_name(evidence: BankEvidence) -> str:
    """The uploaded name, with an extension that matches what the file really is."""
    name = PurePath(evidence.original_name.replace("\\", "/")).name or "evidence"
    if PurePath(name).suffix.lower() in KNOWN_SUFFIXES.get(evidence.content_type, set()):
        return name
    return f"{PurePath(name).stem or 'evidence'}{EXTENSIONS.get(evidence.content_type, '')}"


@staff_view("registry.view_bankevidence")
def bank_evidence_download(request, pk: int):
    evidence = object_for(
        request, BankEvidence.objects.select_related("account"), "registry.view_bankevidence", pk=pk
    )
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    audit_log(action=Action.VIEW, request=request, obj=evidence)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=_download_name(evidence),
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@staff_view("registry.verify_bankaccount", "registry.view_bankaccount")
@require_POST
def bank_account_verify(request, pk: int):
    account = _account_for(request, "registry.verify_bankaccount", pk)
    form = BankAccountVerifyForm(request.POST, account=account)
    if form.is_valid():
        try:
            services.bank_account_verify(
                by=request.user,
                account=account,
                method=form.cleaned_data["method"],
                verified_on=form.cleaned_data["verified_on"],
                accept_name_difference=form.cleaned_data.get("accept_name_difference", False),
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The account is verified until %(date)s.")
                % {"date": date_format(account.verification_expires_on)},
            )
            return redirect("registry:bank-account-detail", pk=account.pk)
    return _detail(request, account, verify_form=form)


@staff_view("registry.change_bankaccount", "registry.view_bankaccount")
@require_POST
def salary_deposit_create(request, pk: int):
    account = _account_for(request, "registry.change_bankaccount", pk)
    form = SalaryDepositForm(request.POST, account=account)
    if form.is_valid():
        try:
            deposit = services.salary_deposit_record(
                by=request.user, account=account, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            values = {
                "month": deposit.month.strftime("%Y-%m"),
                "shortfall": deposit.shortfall,
                "currency": deposit.currency,
            }
            if deposit.shortfall > 0:
                messages.warning(
                    request,
                    _(
                        "The deposit for %(month)s was recorded. It is %(shortfall)s %(currency)s below the contract wage."
                    )
                    % values,
                )
            else:
                messages.success(
                    request,
                    _("The deposit for %(month)s was recorded. The contract wage was paid in full.")
                    % values,
                )
            return redirect("registry:bank-account-detail", pk=account.pk)
    return _detail(request, account, deposit_form=form)


def _account_end(request, pk: int, *, permission: str, service, status: str):
    """Close or reject the account: a confirmation form asking why, then the service."""
    account = _account_for(request, permission, pk)
    form = BankAccountEndForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            service(
                by=request.user,
                account=account,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if status == BankAccount.Status.CLOSED:
                messages.success(request, _("The account is closed."))
            else:
                messages.success(request, _("The account is rejected."))
            return redirect("registry:bank-account-detail", pk=account.pk)
    return render(
        request,
        "registry/bank_account_end.html",
        {
            "account": account,
            "worker": account.worker,
            "form": form,
            "status": status,
            "allowed": account.status
            in (BankAccount.Status.UNVERIFIED, BankAccount.Status.VERIFIED),
        },
    )


@staff_view("registry.change_bankaccount", "registry.view_bankaccount")
@require_http_methods(["GET", "POST"])
def bank_account_close(request, pk: int):
    return _account_end(
        request,
        pk,
        permission="registry.change_bankaccount",
        service=services.bank_account_close,
        status=BankAccount.Status.CLOSED,
    )


@staff_view("registry.verify_bankaccount", "registry.view_bankaccount")
@require_http_methods(["GET", "POST"])
def bank_account_reject(request, pk: int):
    return _account_end(
        request,
        pk,
        permission="registry.verify_bankaccount",
        service=services.bank_account_reject,
        status=BankAccount.Status.REJECTED,
    )


@staff_view("registry.change_bankaccount", "registry.view_bankaccount")
@require_http_methods(["GET", "POST"])
def bank_account_update(request, pk: int):
    account = _account_for(request, "registry.change_bankaccount", pk)
    form = BankAccountCorrectForm(
        request.POST if request.method == "POST" else None,
        initial={"holder_names": account.holder_names, "sole_holder": account.sole_holder},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.bank_account_correct(
                by=request.user, account=account, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The account holder details are corrected."))
            if account.name_mismatch:
                messages.warning(
                    request,
                    _(
                        "The account holder's names differ from the worker's names. Check that the account is the worker's own before verifying it."
                    ),
                )
            if not account.sole_holder:
                messages.warning(
                    request,
                    _(
                        "The worker is not the sole holder of this account. The salary must be paid into an account in the worker's sole name, so this account cannot be verified."
                    ),
                )
            return redirect("registry:bank-account-detail", pk=account.pk)
    if request.method == "GET":
        # The form shows the holder's names as the bank gave them.
        audit_log(action=Action.VIEW, request=request, obj=account, detail="correction form")
    return render(
        request,
        "registry/bank_account_correct.html",
        {
            "account": account,
            "worker": account.worker,
            "form": form,
            "refusal": services.bank_account_correction_refusal(account),
        },
    )


ATTENTION_PAGE_SIZE = 50


# A work queue for those who verify accounts: protocol officers and supervisors.
@staff_view("registry.view_bankaccount", "registry.verify_bankaccount")
@require_GET
def bank_account_attention(request):
    """Workers in active employment whose salary account is missing, not verified, or whose
    verification has expired (recommendation 39)."""
    form = BankAttentionFilterForm(request.GET or None)
    state = form.cleaned_data["state"] if form.is_valid() else ""
    today = timezone.localdate()
    workers = workers_needing_bank_attention(state=state, today=today)
    page = Paginator(workers, ATTENTION_PAGE_SIZE).get_page(request.GET.get("page"))
    labels = dict(AccountState.choices)
    for worker in page:
        worker.bank_state_label = labels[worker.bank_state]
    # Workers' names beside the state of their accounts: who looked is logged.
    audit_log(
        action=Action.VIEW,
        request=request,
        object_type="registry.bankaccount",
        detail="accounts needing attention",
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registry/bank_account_attention.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "today": today,
            "may_add": request.user.has_perm("registry.add_bankaccount"),
        },
    )


urlpatterns = [
    path("bank-accounts/attention/", bank_account_attention, name="bank-account-attention"),
    path(
        "workers/<int:worker_pk>/bank-accounts/new/",
        bank_account_create,
        name="bank-account-create",
    ),
    path("bank-accounts/<int:pk>/", bank_account_detail, name="bank-account-detail"),
    path(
        "bank-accounts/<int:pk>/evidence/",
        bank_evidence_upload,
        name="bank-evidence-upload",
    ),
    path(
        "bank-evidence/<int:pk>/download/",
        bank_evidence_download,
        name="bank-evidence-download",
    ),
    path("bank-accounts/<int:pk>/verify/", bank_account_verify, name="bank-account-verify"),
    path(
        "bank-accounts/<int:pk>/deposits/",
        salary_deposit_create,
        name="salary-deposit-create",
    ),
    path("bank-accounts/<int:pk>/edit/", bank_account_update, name="bank-account-update"),
    path("bank-accounts/<int:pk>/close/", bank_account_close, name="bank-account-close"),
    path("bank-accounts/<int:pk>/reject/", bank_account_reject, name="bank-account-reject"),
]
