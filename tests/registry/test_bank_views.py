"""Bank accounts (recommendation 39): the salary goes into an account in the worker's sole name.

Officers record the account and its evidence, officers and supervisors verify it, interviewers
read it with the number masked. Every look at the account and every document served is audited.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from accounts.models import AuditEntry
from registry.models import BankAccount, BankEvidence, SalaryDeposit
from tests.factories import WorkerFactory
from tests.registry.factories_bank import (
    PDF_BYTES,
    BankAccountFactory,
    BankEvidenceFactory,
    EmploymentFactory,
    SalaryDepositFactory,
)

pytestmark = pytest.mark.django_db
Action = AuditEntry.Action

IBAN = "BE71096123456769"
IBAN_GROUPED = "BE71 0961 2345 6769"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 64
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def create_url(worker):
    return reverse("registry:bank-account-create", args=[worker.pk])


def detail_url(account):
    return reverse("registry:bank-account-detail", args=[account.pk])


def upload_url(account):
    return reverse("registry:bank-evidence-upload", args=[account.pk])


def download_url(evidence):
    return reverse("registry:bank-evidence-download", args=[evidence.pk])


def verify_url(account):
    return reverse("registry:bank-account-verify", args=[account.pk])


def deposit_url(account):
    return reverse("registry:salary-deposit-create", args=[account.pk])


def page(response) -> str:
    return response.content.decode()


def shows(response, message) -> bool:
    """Messages and errors are escaped; template literals are not."""
    content = page(response)
    return escape(message) in content or message in content


def audit(action, obj):
    return AuditEntry.objects.filter(
        action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk)
    )


@pytest.fixture
def worker():
    return WorkerFactory(family_name="Dela Cruz", given_names="Rosario")


@pytest.fixture
def account(worker):
    return BankAccountFactory(worker=worker, iban=IBAN, holder_names="ROSARIO DELA CRUZ")


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private-media"
    return settings.MEDIA_ROOT


def files_in(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- Adding an account ---------------------------------------------------------------------


def test_officer_sees_the_form_with_the_worker_names_to_compare(client_for, officer, worker):
    response = client_for(officer).get(create_url(worker))
    assert response.status_code == 200
    assert "Dela Cruz, Rosario" in page(response)
    assert 'name="iban"' in page(response)
    assert 'name="sole_holder"' in page(response)


def test_officer_adds_an_iban_and_the_bank_is_filled_in_from_it(client_for, officer, worker):
    response = client_for(officer).post(
        create_url(worker),
        {"iban": "be71 0961 2345 6769", "holder_names": "DELA CRUZ ROSARIO", "sole_holder": "on"},
    )
    account = BankAccount.objects.get(worker=worker)
    assert response.status_code == 302
    assert response["Location"] == detail_url(account)
    assert account.iban == IBAN
    assert account.bank_name == "BELFIUS BANK"
    assert account.bic == "GKCCBEBB"
    assert account.country == "BE"
    assert account.account_last4 == "6769"
    assert account.sole_holder is True
    assert account.name_mismatch is False
    assert account.status == BankAccount.Status.UNVERIFIED
    assert audit(Action.CREATE, account).get().actor == officer


def test_a_matching_sole_holder_account_gets_no_warning(client_for, officer, worker):
    response = client_for(officer).post(
        create_url(worker),
        {"iban": IBAN, "holder_names": "Rosario Dela Cruz", "sole_holder": "on"},
        follow=True,
    )
    assert shows(response, "The bank account was added.")
    assert "alert-warning" not in page(response)


def test_the_bank_name_typed_by_the_officer_is_kept(client_for, officer, worker):
    client_for(officer).post(
        create_url(worker),
        {
            "iban": IBAN,
            "bank_name": "Belfius, agence Louise",
            "holder_names": "Rosario Dela Cruz",
            "sole_holder": "on",
        },
    )
    assert BankAccount.objects.get(worker=worker).bank_name == "Belfius, agence Louise"


def test_officer_adds_a_national_account_number_with_its_bank_code(client_for, officer, worker):
    response = client_for(officer).post(
        create_url(worker),
        {
            "account_number": "1234-5678-9",
            "bank_code": "021000021",
            "country": "US",
            "holder_names": "Rosario Dela Cruz",
            "sole_holder": "on",
        },
    )
    account = BankAccount.objects.get(worker=worker)
    assert response["Location"] == detail_url(account)
    assert (account.iban, account.account_number) == ("", "123456789")
    assert (account.bank_code, account.country, account.account_last4) == (
        "021000021",
        "US",
        "6789",
    )


def test_a_holder_name_that_is_not_the_workers_is_warned_about(client_for, officer, worker):
    response = client_for(officer).post(
        create_url(worker),
        {"iban": IBAN, "holder_names": "Nasser Al-Harbi", "sole_holder": "on"},
        follow=True,
    )
    account = BankAccount.objects.get(worker=worker)
    assert account.name_mismatch is True
    assert shows(
        response,
        "The account holder's names differ from the worker's names. Check that the account is "
        "the worker's own before verifying it.",
    )
    assert 'id="name-mismatch"' in page(response)


def test_an_account_the_worker_does_not_hold_alone_is_warned_about(client_for, officer, worker):
    response = client_for(officer).post(
        create_url(worker), {"iban": IBAN, "holder_names": "Rosario Dela Cruz"}, follow=True
    )
    assert BankAccount.objects.get(worker=worker).sole_holder is False
    assert shows(
        response,
        "The worker is not the sole holder of this account. The salary must be paid into an "
        "account in the worker's sole name, so this account cannot be verified.",
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"iban": "BE72096123456769"},
            "This IBAN's check digits do not match: a character is probably mistyped.",
        ),
        (
            {"iban": "BE7109612345676"},
            "This IBAN has the wrong number of characters for its country.",
        ),
        ({"iban": "XX71096123456769"}, "This IBAN does not start with a known country code."),
        (
            {"iban": "BE7109612345676A"},
            "This IBAN contains characters that are not allowed for its country.",
        ),
        ({}, "Enter an IBAN, or an account number with its bank code."),
        (
            {"account_number": "123456789", "country": "US"},
            "An account number without an IBAN needs the bank code.",
        ),
        (
            {"account_number": "123456789", "bank_code": "021000021"},
            "Choose the country of the bank.",
        ),
        (
            {"account_number": "1234", "bank_code": "021000021", "country": "US"},
            "An account number has between 5 and 34 letters and digits.",
        ),
        (
            {"account_number": "096123456769", "bank_code": "096", "country": "BE"},
            "Banks in Belgium give IBANs: enter the account's IBAN instead.",
        ),
        (
            {"iban": IBAN, "account_number": "123456789"},
            "Enter either an IBAN or an account number, not both.",
        ),
        ({"iban": IBAN, "holder_names": ""}, "This field is required."),
        ({"iban": IBAN, "country": "ZZ"}, "Select a valid choice."),
    ],
)
def test_bad_account_details_are_explained_and_nothing_is_saved(
    client_for, officer, worker, data, message
):
    response = client_for(officer).post(
        create_url(worker), {"holder_names": "Rosario Dela Cruz", "sole_holder": "on", **data}
    )
    assert response.status_code == 200
    assert shows(response, message)
    assert not BankAccount.objects.exists()
    assert not AuditEntry.objects.filter(object_type="registry.bankaccount").exists()


def test_an_account_already_on_record_for_another_worker_is_refused(client_for, officer, worker):
    BankAccountFactory(iban=IBAN)
    response = client_for(officer).post(
        create_url(worker), {"iban": IBAN, "holder_names": "Rosario Dela Cruz", "sole_holder": "on"}
    )
    assert response.status_code == 200
    assert shows(
        response,
        "This account is already on record for a worker. One account cannot serve two workers.",
    )
    assert not BankAccount.objects.filter(worker=worker).exists()


def test_an_interviewer_cannot_add_an_account(client_for, interviewer, worker):
    response = client_for(interviewer).post(
        create_url(worker), {"iban": IBAN, "holder_names": "Rosario Dela Cruz", "sole_holder": "on"}
    )
    assert response.status_code == 403
    assert not BankAccount.objects.exists()


def test_an_unknown_worker_is_not_found(client_for, officer):
    response = client_for(officer).get(reverse("registry:bank-account-create", args=[999999]))
    assert response.status_code == 404


# --- The account page ----------------------------------------------------------------------


def test_officer_sees_the_full_iban_grouped_left_to_right_and_the_view_is_audited(
    client_for, officer, account
):
    response = client_for(officer).get(detail_url(account))
    assert response.status_code == 200
    assert re.search(rf'<span dir="ltr"[^>]*>{IBAN_GROUPED}</span>', page(response))
    entry = audit(Action.VIEW, account).get()
    assert entry.actor == officer
    assert entry.detail == "full account number shown"


def test_supervisor_who_verifies_accounts_also_sees_the_full_number(
    client_for, supervisor, account
):
    response = client_for(supervisor).get(detail_url(account))
    assert IBAN_GROUPED in page(response)
    assert audit(Action.VIEW, account).get().detail == "full account number shown"


def test_interviewer_sees_only_the_last_four_characters(client_for, interviewer, account):
    response = client_for(interviewer).get(detail_url(account))
    assert response.status_code == 200
    content = page(response)
    assert IBAN not in content
    assert IBAN_GROUPED not in content
    assert "0961" not in content
    assert re.search(r'<span dir="ltr"[^>]*>•••• 6769</span>', content)
    assert audit(Action.VIEW, account).get().detail == "account number masked"


def test_a_national_account_number_is_shown_with_its_bank_code(client_for, officer, worker):
    account = BankAccountFactory(
        worker=worker, iban="", account_number="123456789", bank_code="021000021", country="US"
    )
    content = page(client_for(officer).get(detail_url(account)))
    assert re.search(r'<span dir="ltr"[^>]*>1234 5678 9</span>', content)
    assert "021000021" in content


def test_the_page_shows_the_bank_the_holder_and_the_sole_holder_answer(
    client_for, officer, account
):
    content = page(client_for(officer).get(detail_url(account)))
    for text in ("GKCCBEBB", "BELFIUS BANK", "Belgium", "ROSARIO DELA CRUZ"):
        assert text in content
    assert escape("Yes, the worker is the sole holder.") in content
    assert 'id="name-mismatch"' not in content


def test_a_name_mismatch_and_a_shared_account_are_flagged_in_words(client_for, officer, worker):
    account = BankAccountFactory(
        worker=worker, holder_names="NASSER AL-HARBI", name_mismatch=True, sole_holder=False
    )
    response = client_for(officer).get(detail_url(account))
    assert shows(response, "Differs from the worker's names")
    assert shows(response, "No: someone else also holds this account.")


def test_an_unverified_account_says_so(client_for, officer, account):
    response = client_for(officer).get(detail_url(account))
    assert re.search(r'id="verification-state">\s*<span[^>]*>Not verified<', page(response))


@time_machine.travel(dt.datetime(2026, 5, 15, 10, 0, tzinfo=dt.UTC))
def test_a_verified_account_shows_who_verified_it_when_how_and_until_when(
    client_for, officer, supervisor, worker
):
    account = BankAccountFactory(
        worker=worker,
        status=BankAccount.Status.VERIFIED,
        verified_by=supervisor,
        verified_on=dt.date(2026, 5, 5),
        verification_method=BankAccount.Method.STATEMENT,
        verification_expires_on=dt.date(2027, 5, 5),
    )
    content = page(client_for(officer).get(detail_url(account)))
    assert re.search(r'id="verification-state">\s*<span[^>]*>Verified<', content)
    assert "Alex Staff" in content
    assert "Bank statement" in content
    assert "May 5, 2026" in content
    assert "May 5, 2027" in content


def test_a_verification_past_its_expiry_date_shows_as_expired(client_for, officer, worker):
    today = timezone.localdate()
    account = BankAccountFactory(
        worker=worker,
        status=BankAccount.Status.VERIFIED,
        verified_by=officer,
        verified_on=today - dt.timedelta(days=400),
        verification_method=BankAccount.Method.IN_PERSON,
        verification_expires_on=today - dt.timedelta(days=35),
    )
    content = page(client_for(officer).get(detail_url(account)))
    assert re.search(r'id="verification-state">\s*<span[^>]*>Verification expired<', content)


def test_each_role_sees_only_the_forms_it_may_use(
    client_for, officer, supervisor, interviewer, account
):
    EmploymentFactory(worker=account.worker)
    forms = ("upload-form", "verify-form", "deposit-form", "evidence-table")
    expected = {
        officer: {"upload-form", "verify-form", "deposit-form", "evidence-table"},
        supervisor: {"verify-form", "evidence-table"},
        interviewer: set(),
    }
    for user, visible in expected.items():
        content = page(client_for(user).get(detail_url(account)))
        assert {f for f in forms if f'id="{f}"' in content} == visible, user


def test_the_name_difference_checkbox_is_offered_only_when_the_names_differ(
    client_for, officer, account, worker
):
    assert 'name="accept_name_difference"' not in page(client_for(officer).get(detail_url(account)))
    other = BankAccountFactory(worker=worker, holder_names="R. D. CRUZ", name_mismatch=True)
    assert 'name="accept_name_difference"' in page(client_for(officer).get(detail_url(other)))


def test_evidence_is_listed_with_download_links_for_officers(client_for, officer, account):
    evidence = BankEvidenceFactory(account=account, original_name="bank letter.pdf")
    content = page(client_for(officer).get(detail_url(account)))
    assert f'href="{download_url(evidence)}"' in content
    assert "bank letter.pdf" in content


def test_interviewers_get_no_evidence_links(client_for, interviewer, account):
    evidence = BankEvidenceFactory(account=account)
    content = page(client_for(interviewer).get(detail_url(account)))
    assert download_url(evidence) not in content


def test_a_shortfall_is_flagged_in_red_and_in_words(client_for, officer, account):
    employment = EmploymentFactory(worker=account.worker, monthly_salary=Decimal("2000.00"))
    SalaryDepositFactory(
        account=account, employment=employment, month=dt.date(2025, 3, 1), amount=Decimal("1500")
    )
    SalaryDepositFactory(
        account=account, employment=employment, month=dt.date(2025, 4, 1), amount=Decimal("2000")
    )
    content = page(client_for(officer).get(detail_url(account)))
    assert re.search(r'class="text-danger[^"]*shortfall">Short by 500.00 EUR</span>', content)
    assert "Paid in full" in content
    assert "March 2025" in content
    assert "April 2025" in content


def test_the_month_is_typed_in_a_month_input(client_for, officer, account):
    EmploymentFactory(worker=account.worker)
    content = page(client_for(officer).get(detail_url(account)))
    assert re.search(r'<input type="month" name="month"', content)


def test_the_account_page_reads_right_to_left_in_arabic_with_the_number_left_to_right(
    client_for, officer, account
):
    client = client_for(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    # The request activates Arabic in this thread; override puts the language back after it.
    with translation.override(settings.LANGUAGE_CODE):
        content = page(client.get(detail_url(account)))
    assert 'dir="rtl"' in content
    assert re.search(rf'<span dir="ltr"[^>]*>{IBAN_GROUPED}</span>', content)


def test_the_account_page_makes_the_same_number_of_queries_however_many_rows_it_shows(
    client_for, officer, account, django_assert_max_num_queries
):
    client = client_for(officer)
    client.get(reverse("accounts:home"))  # the first request of a session also writes it
    employment = EmploymentFactory(worker=account.worker)
    for _ in range(2):
        SalaryDepositFactory(account=account, employment=employment)
        BankEvidenceFactory(account=account)
    with django_assert_max_num_queries(12):
        client.get(detail_url(account))
    for _ in range(30):
        SalaryDepositFactory(account=account, employment=employment)
        BankEvidenceFactory(account=account)
    with django_assert_max_num_queries(12):
        response = client.get(detail_url(account))
    assert len(response.context["deposits"]) == 32
    assert len(response.context["evidence"]) == 32


def test_the_account_page_and_the_form_lead_back_to_the_worker(
    client_for, officer, account, worker
):
    link = f'href="{reverse("registry:worker-detail", args=[worker.pk])}"'
    assert link in page(client_for(officer).get(detail_url(account)))
    assert link in page(client_for(officer).get(create_url(worker)))


def test_an_unknown_account_is_not_found(client_for, officer):
    assert (
        client_for(officer).get(reverse("registry:bank-account-detail", args=[9999])).status_code
        == 404
    )


# --- Evidence ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("statement.pdf", PDF_BYTES, "application/pdf"),
        ("letter.png", PNG_BYTES, "image/png"),
        ("photo.jpeg", JPEG_BYTES, "image/jpeg"),
    ],
)
def test_officer_uploads_a_pdf_png_or_jpeg(
    client_for, officer, account, media_root, name, content, content_type
):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    response = client_for(officer).post(upload_url(account), {"file": upload})
    assert response.status_code == 302
    assert response["Location"] == detail_url(account)
    evidence = BankEvidence.objects.get(account=account)
    assert (evidence.original_name, evidence.content_type) == (name, content_type)
    assert evidence.size == len(content)
    assert evidence.uploaded_by == officer
    stored = files_in(media_root)
    assert len(stored) == 1
    assert stored[0].read_bytes() == content
    assert audit(Action.CREATE, evidence).get().actor == officer


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("statement.pdf", EXE_BYTES, "Only PDF, PNG and JPEG files are accepted."),
        ("statement.pdf", b"", "The submitted file is empty."),
        ("notes.txt", b"Salary received in full", "Only PDF, PNG and JPEG files are accepted."),
    ],
)
def test_a_file_that_is_not_a_document_is_refused_and_nothing_is_stored(
    client_for, officer, account, media_root, name, content, message
):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client_for(officer).post(upload_url(account), {"file": upload})
    assert response.status_code == 200
    assert shows(response, message)
    assert not BankEvidence.objects.exists()
    assert files_in(media_root) == []


def test_a_file_over_the_size_limit_is_refused_and_nothing_is_stored(
    client_for, officer, account, media_root, settings
):
    settings.HESTIA_EVIDENCE_MAX_MB = 1
    upload = SimpleUploadedFile("statement.pdf", PDF_BYTES + b"0" * (1024 * 1024))
    response = client_for(officer).post(upload_url(account), {"file": upload})
    assert response.status_code == 200
    assert shows(response, "The file is larger than 1 MB.")
    assert not BankEvidence.objects.exists()
    assert files_in(media_root) == []


def test_an_upload_without_a_file_asks_for_one(client_for, officer, account, media_root):
    response = client_for(officer).post(upload_url(account), {})
    assert response.status_code == 200
    assert shows(response, "This field is required.")
    assert not BankEvidence.objects.exists()


def test_a_supervisor_cannot_upload_evidence(client_for, supervisor, account, media_root):
    upload = SimpleUploadedFile("statement.pdf", PDF_BYTES)
    response = client_for(supervisor).post(upload_url(account), {"file": upload})
    assert response.status_code == 403
    assert not BankEvidence.objects.exists()
    assert files_in(media_root) == []


def test_the_upload_only_accepts_post(client_for, officer, account):
    assert client_for(officer).get(upload_url(account)).status_code == 405


def test_officer_downloads_evidence_as_an_attachment_and_it_is_audited(
    client_for, officer, account, media_root
):
    evidence = BankEvidenceFactory(account=account)
    response = client_for(officer).get(download_url(evidence))
    assert response.status_code == 200
    # Reading the whole stream closes the file (the test client closes the response then).
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="statement.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert audit(Action.VIEW, evidence).get().actor == officer


def test_the_download_name_matches_what_the_file_really_is(client_for, supervisor, account):
    evidence = BankEvidenceFactory(account=account, original_name="C:\\scans\\letter.exe")
    response = client_for(supervisor).get(download_url(evidence))
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Disposition"] == 'attachment; filename="letter.pdf"'


def test_an_interviewer_cannot_download_evidence(client_for, interviewer, account):
    evidence = BankEvidenceFactory(account=account)
    response = client_for(interviewer).get(download_url(evidence))
    assert response.status_code == 403
    assert not audit(Action.VIEW, evidence).exists()
    assert AuditEntry.objects.filter(
        action=Action.PERMISSION_DENIED, actor=interviewer, detail=f"GET {download_url(evidence)}"
    ).exists()


def test_evidence_files_are_not_reachable_under_any_media_url(client_for, officer, account):
    evidence = BankEvidenceFactory(account=account)
    name = evidence.file.name
    client = client_for(officer)
    for url in (f"/media/{name}", f"/{name}", f"/private-media/{name}", evidence.file.url):
        assert client.get(url if url.startswith("/") else f"/{url}").status_code == 404, url


def test_evidence_whose_file_has_gone_is_not_found(client_for, officer, account):
    evidence = BankEvidenceFactory(account=account)
    evidence.file.storage.delete(evidence.file.name)
    assert client_for(officer).get(download_url(evidence)).status_code == 404


# --- Verification --------------------------------------------------------------------------


def test_officer_verifies_an_account_with_a_statement(client_for, officer, account):
    BankEvidenceFactory(account=account)
    verified_on = timezone.localdate() - dt.timedelta(days=3)
    response = client_for(officer).post(
        verify_url(account), {"method": "statement", "verified_on": verified_on.isoformat()}
    )
    assert response.status_code == 302
    assert response["Location"] == detail_url(account)
    account.refresh_from_db()
    assert account.status == BankAccount.Status.VERIFIED
    assert account.verified_by == officer
    assert account.verified_on == verified_on
    assert account.verification_method == BankAccount.Method.STATEMENT
    assert account.verification_expires_on == verified_on + relativedelta(months=12)
    assert audit(Action.UPDATE, account).get().actor == officer


def test_a_supervisor_verifies_in_person_without_a_document(client_for, supervisor, account):
    response = client_for(supervisor).post(
        verify_url(account),
        {"method": "in_person", "verified_on": timezone.localdate().isoformat()},
        follow=True,
    )
    account.refresh_from_db()
    assert account.status == BankAccount.Status.VERIFIED
    assert account.verified_by == supervisor
    assert "The account is verified until" in page(response)


def test_a_name_difference_is_accepted_once_the_officer_says_they_checked_it(
    client_for, officer, worker
):
    account = BankAccountFactory(worker=worker, holder_names="R D CRUZ", name_mismatch=True)
    client_for(officer).post(
        verify_url(account),
        {
            "method": "in_person",
            "verified_on": timezone.localdate().isoformat(),
            "accept_name_difference": "on",
        },
    )
    account.refresh_from_db()
    assert account.status == BankAccount.Status.VERIFIED


@pytest.mark.parametrize(
    ("account_kwargs", "data", "message"),
    [
        (
            {"sole_holder": False},
            {"method": "in_person"},
            "The salary must be paid into an account in the worker's sole name (recommendation 39).",
        ),
        (
            {},
            {"method": "statement"},
            "Upload the bank letter or statement before verifying.",
        ),
        (
            {},
            {"method": "in_person", "verified_on": "tomorrow"},
            "The verification date cannot be in the future.",
        ),
        (
            {"name_mismatch": True, "holder_names": "NASSER AL-HARBI"},
            {"method": "in_person"},
            "The holder's name differs from the worker's. Confirm that you checked it is the same person.",
        ),
        ({}, {"method": ""}, "This field is required."),
        ({}, {"method": "telepathy"}, "Select a valid choice."),
        ({}, {"method": "in_person", "verified_on": "2026-02-30"}, "Enter a valid date."),
        ({}, {"method": "in_person", "verified_on": ""}, "This field is required."),
    ],
)
def test_a_refused_verification_is_explained_and_changes_nothing(
    client_for, officer, worker, account_kwargs, data, message
):
    account = BankAccountFactory(worker=worker, **account_kwargs)
    today = timezone.localdate()
    posted = {"verified_on": today.isoformat(), **data}
    if posted["verified_on"] == "tomorrow":
        posted["verified_on"] = (today + dt.timedelta(days=1)).isoformat()
    response = client_for(officer).post(verify_url(account), posted)
    assert response.status_code == 200
    assert shows(response, message)
    account.refresh_from_db()
    assert account.status == BankAccount.Status.UNVERIFIED
    assert (account.verified_by, account.verified_on, account.verification_method) == (
        None,
        None,
        "",
    )
    assert account.verification_expires_on is None
    assert not audit(Action.UPDATE, account).exists()


def test_an_interviewer_cannot_verify(client_for, interviewer, account):
    response = client_for(interviewer).post(
        verify_url(account), {"method": "in_person", "verified_on": timezone.localdate()}
    )
    assert response.status_code == 403
    account.refresh_from_db()
    assert account.status == BankAccount.Status.UNVERIFIED


# --- Salary deposits -----------------------------------------------------------------------


@pytest.fixture
def employment(account):
    return EmploymentFactory(
        worker=account.worker,
        start_date=dt.date(2025, 1, 15),
        monthly_salary=Decimal("2000.00"),
        currency="EUR",
    )


def test_officer_records_a_wage_paid_in_full(client_for, officer, account, employment):
    response = client_for(officer).post(
        deposit_url(account),
        {"employment": employment.pk, "month": "2025-03", "amount": "2000.00", "currency": "eur"},
        follow=True,
    )
    deposit = SalaryDeposit.objects.get()
    assert response.redirect_chain == [(detail_url(account), 302)]
    assert (deposit.account, deposit.employment, deposit.month) == (
        account,
        employment,
        dt.date(2025, 3, 1),
    )
    assert (deposit.amount, deposit.currency, deposit.shortfall) == (
        Decimal("2000.00"),
        "EUR",
        Decimal("0"),
    )
    assert deposit.recorded_by == officer
    assert shows(
        response, "The deposit for 2025-03 was recorded. The contract wage was paid in full."
    )
    assert audit(Action.CREATE, deposit).get().actor == officer


def test_a_wage_below_the_contract_is_recorded_as_a_shortfall(
    client_for, officer, account, employment
):
    response = client_for(officer).post(
        deposit_url(account),
        {"employment": employment.pk, "month": "2025-04", "amount": "1200", "currency": "EUR"},
        follow=True,
    )
    deposit = SalaryDeposit.objects.get()
    assert deposit.expected_amount == Decimal("2000.00")
    assert deposit.shortfall == Decimal("800.00")
    assert shows(
        response,
        "The deposit for 2025-04 was recorded. It is 800.00 EUR below the contract wage.",
    )
    assert "Short by 800.00 EUR" in page(response)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"currency": "USD"}, "The contract wage is paid in EUR."),
        ({"month": "2024-12"}, "This month is outside the employment's dates."),
        ({"month": "2025-13"}, "Enter a month as year and month, for example 2026-05."),
        ({"month": "March"}, "Enter a month as year and month, for example 2026-05."),
        ({"month": ""}, "This field is required."),
        ({"amount": "-5"}, "The amount cannot be negative."),
        ({"amount": "lots"}, "Enter a number."),
        ({"currency": "EU"}, "Ensure this value has at least 3 characters (it has 2)."),
        ({"employment": ""}, "This field is required."),
    ],
)
def test_a_bad_deposit_is_explained_and_nothing_is_recorded(
    client_for, officer, account, employment, data, message
):
    posted = {"employment": employment.pk, "month": "2025-03", "amount": "2000", "currency": "EUR"}
    response = client_for(officer).post(deposit_url(account), {**posted, **data})
    assert response.status_code == 200
    assert shows(response, message)
    assert not SalaryDeposit.objects.exists()
    assert not AuditEntry.objects.filter(object_type="registry.salarydeposit").exists()


def test_a_month_already_recorded_is_refused(client_for, officer, account, employment):
    SalaryDepositFactory(account=account, employment=employment, month=dt.date(2025, 3, 1))
    response = client_for(officer).post(
        deposit_url(account),
        {"employment": employment.pk, "month": "2025-03", "amount": "100", "currency": "EUR"},
    )
    assert response.status_code == 200
    assert shows(response, "A deposit is already recorded for this month.")
    assert SalaryDeposit.objects.get().amount == Decimal("2000.00")


def test_another_workers_employment_cannot_be_chosen(client_for, officer, account, employment):
    stranger = EmploymentFactory()
    response = client_for(officer).post(
        deposit_url(account),
        {"employment": stranger.pk, "month": "2025-03", "amount": "2000", "currency": "EUR"},
    )
    assert response.status_code == 200
    assert shows(
        response, "Select a valid choice. That choice is not one of the available choices."
    )
    assert not SalaryDeposit.objects.exists()


def test_without_an_employment_the_page_says_to_record_the_contract_first(
    client_for, officer, account
):
    content = page(client_for(officer).get(detail_url(account)))
    assert 'id="deposit-form"' not in content
    assert escape("This worker has no employment on record.") in content


def test_a_supervisor_cannot_record_deposits(client_for, supervisor, account, employment):
    response = client_for(supervisor).post(
        deposit_url(account),
        {"employment": employment.pk, "month": "2025-03", "amount": "2000", "currency": "EUR"},
    )
    assert response.status_code == 403
    assert not SalaryDeposit.objects.exists()
