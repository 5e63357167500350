"""Subject access: everything held about one worker, as JSON and PDF, audited."""

import json
import os
import shutil
import subprocess

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import AuditEntry
from tests.interviews.factories import ConcernFactory, RecordFactory
from tests.registry.factories_bank import BankAccountFactory
from tests.registry.factories_workers import (
    IndexedWorkerFactory,
    NoticeFactory,
    WorkerEmploymentFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker():
    worker = IndexedWorkerFactory(
        family_name="Dela Cruz", given_names="Rosario", passport_number="P1234567"
    )
    employment = WorkerEmploymentFactory(worker=worker)
    BankAccountFactory(worker=worker)
    NoticeFactory(worker=worker, body="Rosario, your appointment is on Monday")
    RecordFactory(
        interview__worker=worker,
        interview__employment=employment,
        restricted_notes="She is afraid of the driver.",
    )
    ConcernFactory(worker=worker, details="Passport kept in the employer's safe.")
    return worker


def test_an_officer_gets_everything_except_restricted_content(client_for, officer, worker):
    response = client_for(officer).get(reverse("oversight:subject-access-json", args=[worker.pk]))
    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == f'attachment; filename="hestia-worker-{worker.pk}.json"'
    )
    data = json.loads(response.content)
    assert data["worker"]["family_name"] == "Dela Cruz"
    assert data["worker"]["passport_number"] == "P1234567"
    assert data["bank_accounts"][0]["iban"].startswith("BE")
    assert data["notices"][0]["body"] == "Rosario, your appointment is on Monday"
    record = data["interviews"][0]["record"]
    assert record["weekly_rest_day"] == "yes"
    assert record["restricted_notes"] == "withheld"
    assert data["concerns"][0]["details"] == "withheld"
    assert data["restricted_content_included"] is False
    assert "afraid of the driver" not in response.content.decode()
    entry = AuditEntry.objects.get(action="export", object_id=str(worker.pk))
    assert entry.actor == officer and entry.detail == "subject access (JSON)"


def test_a_supervisor_gets_the_restricted_content_too_and_it_is_recorded(
    client_for, supervisor, worker
):
    data = json.loads(
        client_for(supervisor)
        .get(reverse("oversight:subject-access-json", args=[worker.pk]))
        .content
    )
    assert data["interviews"][0]["record"]["restricted_notes"] == "She is afraid of the driver."
    assert data["concerns"][0]["details"] == "Passport kept in the employer's safe."
    assert AuditEntry.objects.get(action="export").detail.endswith("restricted content included")


def test_the_page_offers_the_pdf_in_a_language_the_worker_reads(client_for, officer, worker):
    page = (
        client_for(officer)
        .get(reverse("oversight:subject-access", args=[worker.pk]))
        .content.decode()
    )
    assert "marked as withheld" in page
    assert "is not one of the languages" in page  # Tagalog: the officer chooses


def _pdf_tools_or_skip():
    missing = [tool for tool in ("pdftotext",) if shutil.which(tool) is None]
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as error:
        missing.append(str(error))
    if missing:
        if os.environ.get("HESTIA_PDF_REQUIRED") == "1":
            pytest.fail(f"HESTIA_PDF_REQUIRED=1 but {missing}", pytrace=False)
        pytest.skip(f"PDF tools missing: {missing}")


def test_the_pdf_is_in_the_chosen_language_and_withholds_notes(
    client_for, officer, worker, tmp_path
):
    _pdf_tools_or_skip()
    response = client_for(officer).get(
        reverse("oversight:subject-access-pdf", args=[worker.pk]), {"language": "fr"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "out.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Dela Cruz" in text
    assert "date de naissance" in text and "date de début" in text  # labels in French
    assert "afraid of the driver" not in text
    assert AuditEntry.objects.get(action="export").detail == "subject access (PDF, fr)"


def test_an_unknown_pdf_language_falls_back_without_error(client_for, officer, worker):
    _pdf_tools_or_skip()
    response = client_for(officer).get(
        reverse("oversight:subject-access-pdf", args=[worker.pk]), {"language": "xx"}
    )
    assert response.status_code == 200
    # Tagalog is not a language the interface prints in: the host state's language is used.
    assert settings.HESTIA_HOST_LANGUAGE == "fr"
    assert AuditEntry.objects.get(action="export").detail == "subject access (PDF, fr)"
