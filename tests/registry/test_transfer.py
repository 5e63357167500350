"""CSV import (all rows or none, with a row-by-row report) and CSV export of the registry."""

import csv
import datetime as dt
import io
import re
import time
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from schwifty import IBAN

from accounts.models import AuditEntry
from registry import importing, services
from registry.importing import COLUMNS, import_file, read_upload
from registry.models import BankAccount, Consent, Employer, Mission, Worker, WorkerPhone
from registry.views.transfer import PENDING_KEY
from tests.factories import EmployerFactory, MissionFactory, WorkerFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
IMPORT = reverse("registry:registry-import")
MODELS = [Mission, Employer, Worker, WorkerPhone, BankAccount]


def fixture(kind: str) -> str:
    return (FIXTURES / f"{kind}.csv").read_text(encoding="utf-8-sig")


def counts() -> dict:
    """Rows of every registry table and of the audit log, leaving out the entry that records a
    dry run as a read (see test_a_dry_run_is_audited_as_a_read)."""
    written = {model.__name__: model.objects.count() for model in MODELS}
    written["AuditEntry"] = AuditEntry.objects.exclude(
        object_type="registry.import", action="view"
    ).count()
    return written


def test_a_dry_run_is_audited_as_a_read(officer):
    from registry.importing import import_file

    import_file(kind="missions", file_text=fixture("missions"), by=officer, dry_run=True)
    entry = AuditEntry.objects.get(object_type="registry.import")
    assert entry.action == "view"
    assert entry.detail.startswith("dry run of missions:")


def to_csv(rows: list[dict], columns: list[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def fixture_rows(kind: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(fixture(kind))))


def with_cell(kind: str, index: int, column: str, value: str) -> str:
    """The fixture file of `kind` with one cell of data row `index` (0 = row 2) replaced."""
    rows = fixture_rows(kind)
    rows[index][column] = value
    return to_csv(rows, COLUMNS[kind])


def errors_of(report) -> list[tuple]:
    return [(error.row, error.column) for error in report.errors]


def worker_on_record(officer, **fields):
    values = {
        "family_name": "Bekele",
        "given_names": "Almaz",
        "date_of_birth": dt.date(1990, 1, 1),
        "sex": "F",
        "nationality": "ET",
        "preferred_language": "am",
        **fields,
    }
    return services.worker_save(by=officer, **values)


def import_missions(officer):
    report = import_file(kind="missions", file_text=fixture("missions"), by=officer, dry_run=False)
    assert report.ok, report.errors


# --- A good file ------------------------------------------------------------------------


def test_a_good_missions_file_creates_every_mission_and_audits_each_one(officer):
    report = import_file(kind="missions", file_text=fixture("missions"), by=officer, dry_run=False)
    assert report.ok
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    philippines = Mission.objects.get(name="Embassy of the Republic of the Philippines")
    assert philippines.sending_state.code == "PH"
    assert philippines.address == "Avenue Molière 297\n1050 Brussels"
    assert philippines.protocol_contact_phone.as_e164 == "+3223403377"
    sri_lanka = Mission.objects.get(sending_state="LK")
    assert sri_lanka.kind == Mission.Kind.PERMANENT_MISSION
    # A number in the host state's own format is stored in E.164.
    assert sri_lanka.protocol_contact_phone.as_e164 == "+3225011111"
    created = AuditEntry.objects.filter(action="create", object_type="registry.mission")
    assert created.count() == 3
    entry = AuditEntry.objects.get(object_type="registry.import")
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == officer
    assert entry.detail == "missions: 3 created, 0 updated"


def test_the_same_file_again_leaves_everything_unchanged_and_a_changed_row_updates(officer):
    import_missions(officer)
    again = import_file(kind="missions", file_text=fixture("missions"), by=officer, dry_run=False)
    assert [outcome.action for outcome in again.rows] == ["unchanged"] * 3
    assert AuditEntry.objects.filter(object_type="registry.mission", action="update").count() == 0

    text = with_cell("missions", 1, "address", "Boulevard du Régent 50")
    # Missions are matched by name whatever the case.
    text = text.replace("Embassy of the Federal", "EMBASSY OF THE FEDERAL")
    report = import_file(kind="missions", file_text=text, by=officer, dry_run=False)
    assert report.ok
    assert [(o.row, o.action, o.changed) for o in report.rows] == [
        (2, "unchanged", []),
        (3, "update", ["name", "address"]),
        (4, "unchanged", []),
    ]
    assert Mission.objects.count() == 3
    ethiopia = Mission.objects.get(sending_state="ET")
    assert ethiopia.address == "Boulevard du Régent 50"
    assert ethiopia.name == "EMBASSY OF THE FEDERAL Democratic Republic of Ethiopia"
    assert AuditEntry.objects.filter(object_type="registry.import").first().detail == (
        "missions: 0 created, 1 updated"
    )


def test_a_column_left_out_of_the_file_is_left_as_it_is(officer):
    import_missions(officer)
    text = "name,kind\nEmbassy of the Republic of the Philippines,consulate\n"
    report = import_file(kind="missions", file_text=text, by=officer, dry_run=False)
    assert report.ok
    mission = Mission.objects.get(name="Embassy of the Republic of the Philippines")
    assert mission.kind == Mission.Kind.CONSULATE
    assert mission.protocol_contact_name == "Ana Reyes"


def test_employers_are_matched_to_their_mission_by_name_and_then_by_accreditation(officer):
    import_missions(officer)
    report = import_file(
        kind="employers", file_text=fixture("employers"), by=officer, dry_run=False
    )
    assert report.ok, report.errors
    ambassador = Employer.objects.get(accreditation_number="ACC-2024-0001")
    assert ambassador.is_head_of_mission
    assert ambassador.mission.name == "Embassy of the Republic of the Philippines"
    # The mission's name in any case finds it.
    assert Employer.objects.get(accreditation_number="ACC-2024-0002").mission == ambassador.mission
    text = with_cell("employers", 2, "title", "Chauffeur")
    report = import_file(kind="employers", file_text=text, by=officer, dry_run=False)
    assert [o.action for o in report.rows] == ["unchanged", "unchanged", "update"]
    assert Employer.objects.get(accreditation_number="ACC-2024-0003").title == "Chauffeur"
    assert Employer.objects.count() == 3


def test_a_good_workers_file_creates_workers_with_their_phone_and_account(officer):
    report = import_file(kind="workers", file_text=fixture("workers"), by=officer, dry_run=False)
    assert report.ok, report.errors
    assert report.created == 3
    rosario = Worker.objects.get(family_name="Dela Cruz")
    assert rosario.other_spellings == "Rosario Delacruz\nCharo Dela Cruz"
    assert rosario.passport_number == "P1234567A"
    assert rosario.passport_number_hash
    assert "charo dela cruz" in rosario.search_names
    phone = rosario.phones.get()
    assert (phone.number.as_e164, phone.is_safe, phone.is_sms_number) == (
        "+32470123456",
        True,
        True,
    )
    account = rosario.bank_accounts.get()
    assert (account.iban, account.sole_holder, account.name_mismatch) == (
        "BE71096123456769",
        True,
        False,
    )
    meron = Worker.objects.get(family_name="Tesfaye")
    assert meron.other_spellings == "መሮን ተስፋዬ"
    assert meron.phones.get().is_safe is False
    assert not meron.bank_accounts.exists()
    assert Worker.objects.get(family_name="Perera").passport_number == "N 998 877 6"
    # Consent is never implied by an import.
    assert Consent.objects.count() == 0
    for object_type, number in [
        ("registry.worker", 3),
        ("registry.workerphone", 2),
        ("registry.bankaccount", 2),
    ]:
        assert AuditEntry.objects.filter(action="create", object_type=object_type).count() == (
            number
        )
    assert AuditEntry.objects.get(object_type="registry.import", action="create").detail == (
        "workers: 3 created, 0 updated"
    )


def test_workers_are_matched_by_passport_number_whatever_its_spacing(officer):
    import_file(kind="workers", file_text=fixture("workers"), by=officer, dry_run=False)
    before = counts()
    again = import_file(kind="workers", file_text=fixture("workers"), by=officer, dry_run=False)
    assert [o.action for o in again.rows] == ["unchanged"] * 3
    assert Worker.objects.count() == 3

    rows = fixture_rows("workers")
    rows[0]["passport_number"] = "p 1234567 a"
    rows[0]["email"] = "rosario.delacruz@example.org"
    rows[1]["phone"] = "+32 486 11 22 33"
    rows[2]["phone_is_safe"] = "no"
    report = import_file(
        kind="workers", file_text=to_csv(rows, COLUMNS["workers"]), by=officer, dry_run=False
    )
    assert report.ok, report.errors
    assert [(o.action, o.changed) for o in report.rows] == [
        ("update", ["email"]),
        ("update", ["phone"]),
        ("unchanged", []),
    ]
    assert Worker.objects.count() == before["Worker"]
    rosario = Worker.objects.get(family_name="Dela Cruz")
    assert rosario.email == "rosario.delacruz@example.org"
    # Matched on the number: the spelling on record is kept.
    assert rosario.passport_number == "P1234567A"
    assert Worker.objects.get(family_name="Tesfaye").phones.count() == 2


def test_a_file_saying_a_phone_is_not_safe_stops_its_use_at_once(officer):
    import_file(kind="workers", file_text=fixture("workers"), by=officer, dry_run=False)
    rows = fixture_rows("workers")
    rows[0]["phone_is_safe"] = "no"
    rows[0]["phone_for_sms"] = "no"
    report = import_file(
        kind="workers", file_text=to_csv(rows, COLUMNS["workers"]), by=officer, dry_run=False
    )
    assert report.ok, report.errors
    phone = WorkerPhone.objects.get(number="+32470123456")
    assert (phone.is_safe, phone.is_sms_number) == (False, False)


def test_a_file_with_a_bom_or_semicolons_reads_the_same(officer):
    text = "\ufeff" + fixture("missions").replace(",", ";")
    report = import_file(kind="missions", file_text=text, by=officer, dry_run=False)
    assert report.ok, report.errors
    assert Mission.objects.count() == 3


def test_a_cell_escaped_against_spreadsheet_formulas_is_read_back_without_the_apostrophe(officer):
    text = "name,kind\n'=Embassy of Nowhere,embassy\n"
    assert import_file(kind="missions", file_text=text, by=officer, dry_run=False).ok
    assert Mission.objects.get().name == "=Embassy of Nowhere"


# --- Dry run ----------------------------------------------------------------------------


def test_a_dry_run_reports_what_would_happen_and_writes_nothing(officer):
    MissionFactory(name="Embassy of the Republic of the Philippines", sending_state="PH")
    before = counts()
    report = import_file(kind="missions", file_text=fixture("missions"), by=officer, dry_run=True)
    assert report.ok
    assert [(o.row, o.action) for o in report.rows] == [
        (2, "update"),
        (3, "create"),
        (4, "create"),
    ]
    assert "address" in report.rows[0].changed
    assert report.summary().startswith("Dry run: nothing was written.")
    assert counts() == before


def test_a_dry_run_of_workers_writes_nothing(officer):
    before = counts()
    report = import_file(kind="workers", file_text=fixture("workers"), by=officer, dry_run=True)
    assert report.created == 3
    assert counts() == before


# --- Bad rows: the whole file is refused, every problem named by row and column -----------

BAD_WORKER_CELLS = [
    # column, bad value, the column the report names, part of its message
    ("phone", "+32 12", "phone", "This phone number is not valid."),
    ("phone", "call me", "phone", "This is not a phone number."),
    ("phone", "+32 2 501 11 11", "phone", "SMS notices need a mobile number"),
    ("phone_is_safe", "maybe", "phone_is_safe", "Write yes or no."),
    ("phone_is_safe", "no", "phone_for_sms", "cannot receive SMS notices"),
    ("phone", "", "phone_for_sms", "SMS notices need a phone number"),
    ("iban", "BE71 0961 2345 6760", "iban", "check digits do not match"),
    ("iban", "XX00 1234", "iban", "This IBAN"),
    ("iban", "", "iban", "the IBAN is missing"),
    ("date_of_birth", "14/03/1985", "date_of_birth", "YYYY-MM-DD"),
    ("date_of_birth", "1985-02-30", "date_of_birth", "YYYY-MM-DD"),
    ("date_of_birth", "2999-01-01", "date_of_birth", "cannot be in the future"),
    ("passport_expiry", "next year", "passport_expiry", "YYYY-MM-DD"),
    ("sex", "female", "sex", "Write one of: F, M, X"),
    ("host_language_level", "good", "host_language_level", "native, fluent, working, basic"),
    ("nationality", "Philippines", "nationality", "not a two-letter ISO 3166 country code"),
    ("nationality", "ZZ", "nationality", "not a two-letter ISO 3166 country code"),
    ("preferred_language", "Tagalog", "preferred_language", "not an ISO 639 language code"),
    ("email", "rosario-at-example", "email", "Enter a valid email address."),
    ("family_name", "", "family_name", "This value is required."),
    ("passport_number", "", "passport_number", "This value is required."),
    ("passport_number", "--", "passport_number", "needs letters or digits"),
    ("date_of_birth", "", "date_of_birth", "This value is required."),
    ("account_holder", "", "account_holder", "An account needs the holder's names."),
    ("sole_holder", "", "sole_holder", "Write yes if the worker alone holds the account"),
    ("given_names", "R" * 151, "given_names", "at most 150 are allowed"),
]


@pytest.mark.parametrize(("column", "value", "named", "message"), BAD_WORKER_CELLS)
def test_a_bad_worker_cell_refuses_the_whole_file(officer, column, value, named, message):
    text = with_cell("workers", 0, column, value)
    before = counts()
    report = import_file(kind="workers", file_text=text, by=officer, dry_run=False)
    assert not report.ok
    assert (2, named) in errors_of(report)
    assert any(message in error.message for error in report.errors), report.errors
    assert report.rows == []
    assert report.summary().endswith("Nothing was imported.")
    assert counts() == before


BAD_MISSION_CELLS = [
    ("kind", "ambassade", "Write one of: embassy, consulate"),
    ("kind", "", "This value is required."),
    ("name", "", "This value is required."),
    ("sending_state", "PHL", "not a two-letter ISO 3166 country code"),
    ("protocol_contact_email", "protocol@", "Enter a valid email address."),
    ("protocol_contact_phone", "12", "phone number is not valid"),
    ("protocol_contact_phone", "not known", "This is not a phone number."),
]


@pytest.mark.parametrize(("column", "value", "message"), BAD_MISSION_CELLS)
def test_a_bad_mission_cell_refuses_the_whole_file(officer, column, value, message):
    text = with_cell("missions", 1, column, value)
    report = import_file(kind="missions", file_text=text, by=officer, dry_run=False)
    assert (3, column) in errors_of(report)
    assert any(message in error.message for error in report.errors), report.errors
    assert Mission.objects.count() == 0
    assert AuditEntry.objects.count() == 0


BAD_EMPLOYER_CELLS = [
    ("mission", "Embassy of Atlantis", "No mission named “Embassy of Atlantis” is on record."),
    ("privileges_category", "diplomat", "Write one of: diplomatic_agent"),
    ("is_head_of_mission", "oui", "Write yes or no."),
    ("accreditation_number", "", "This value is required."),
]


@pytest.mark.parametrize(("column", "value", "message"), BAD_EMPLOYER_CELLS)
def test_a_bad_employer_cell_refuses_the_whole_file(officer, column, value, message):
    import_missions(officer)
    before = counts()
    text = with_cell("employers", 2, column, value)
    report = import_file(kind="employers", file_text=text, by=officer, dry_run=False)
    assert (4, column) in errors_of(report)
    assert any(message in error.message for error in report.errors), report.errors
    assert counts() == before


def test_the_same_record_twice_in_one_file_is_refused_naming_the_first_row(officer):
    rows = fixture_rows("workers")
    rows[2]["passport_number"] = "P-1234567-A"
    report = import_file(
        kind="workers", file_text=to_csv(rows, COLUMNS["workers"]), by=officer, dry_run=False
    )
    assert errors_of(report) == [(4, "passport_number")]
    assert report.errors[0].message == "This passport number is already in row 2 of this file."

    rows = fixture_rows("workers")
    rows[2]["iban"] = rows[0]["iban"]
    report = import_file(
        kind="workers", file_text=to_csv(rows, COLUMNS["workers"]), by=officer, dry_run=False
    )
    assert errors_of(report) == [(4, "iban")]

    text = fixture("missions") + "embassy of the republic of the philippines,consulate,,,,,\n"
    report = import_file(kind="missions", file_text=text, by=officer, dry_run=False)
    assert errors_of(report) == [(5, "name")]
    assert Worker.objects.count() == Mission.objects.count() == 0


def test_a_passport_number_on_record_for_a_different_person_is_refused(officer):
    worker_on_record(officer, passport_number="P1234567A")
    before = counts()
    report = import_file(kind="workers", file_text=fixture("workers"), by=officer, dry_run=False)
    assert errors_of(report) == [(2, "passport_number")]
    assert "on record for a different person" in report.errors[0].message
    assert counts() == before


def test_an_account_on_record_for_another_worker_is_refused(officer):
    other = WorkerFactory(family_name="Bekele", given_names="Almaz")
    services.bank_account_add(
        by=officer,
        worker=other,
        iban="BE38 0967 6543 2172",
        holder_names="Almaz Bekele",
        sole_holder=True,
    )
    before = counts()
    report = import_file(kind="workers", file_text=fixture("workers"), by=officer, dry_run=False)
    assert errors_of(report) == [(4, "iban")]
    assert "already on record for another worker" in report.errors[0].message
    assert counts() == before


def test_every_problem_of_every_row_is_reported_at_once(officer):
    rows = fixture_rows("workers")
    rows[0]["phone"] = "12"
    rows[0]["sex"] = "W"
    rows[1]["iban"] = "BE00 0000 0000 0000"
    rows[1]["account_holder"] = "Meron Tesfaye"
    rows[1]["sole_holder"] = "yes"
    rows[2]["date_of_birth"] = "21.07.1979"
    report = import_file(
        kind="workers", file_text=to_csv(rows, COLUMNS["workers"]), by=officer, dry_run=True
    )
    assert sorted(errors_of(report)) == [
        (2, "phone"),
        (2, "sex"),
        (3, "iban"),
        (4, "date_of_birth"),
    ]
    assert report.summary() == "The file has 4 errors. Nothing was imported."


def test_a_refusal_while_writing_undoes_the_rows_already_written(officer, monkeypatch):
    """If the registry changed between the check and the write, no row is kept."""
    other = WorkerFactory(family_name="Bekele", given_names="Almaz")
    check = importing.PLANNERS["workers"]

    def someone_records_the_account_meanwhile(*args, **kwargs):
        plans = check(*args, **kwargs)
        services.bank_account_add(
            by=officer,
            worker=other,
            iban="BE38 0967 6543 2172",
            holder_names="Almaz Bekele",
            sole_holder=True,
        )
        return plans

    monkeypatch.setitem(importing.PLANNERS, "workers", someone_records_the_account_meanwhile)
    before = counts()
    report = import_file(kind="workers", file_text=fixture("workers"), by=officer, dry_run=False)
    assert errors_of(report) == [(4, "iban")]
    assert report.errors[0].message == (
        "This account is already on record for a worker. One account cannot serve two workers."
    )
    assert counts() == before


def test_error_messages_follow_the_staff_members_language(officer):
    text = with_cell("workers", 0, "email", "rosario-at-example")
    with translation.override("fr"):
        report = import_file(kind="workers", file_text=text, by=officer, dry_run=True)
    # Django's own French wording, as Django REST framework's catalogue words it.
    assert report.errors[0].message == "Saisissez une adresse e-mail valide."


# --- Bad files --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,kind,colour\nX,embassy,red\n", "Unknown columns: colour."),
        ("name,address\nX,Somewhere\n", "Required columns are missing: kind."),
        ("name,kind,name\nX,embassy,Y\n", "The column “name” appears twice."),
        ("name,,kind\nX,,embassy\n", "Column 2 has no name in the header row."),
        ("name,kind\n", "The file has no rows below the header."),
        ("name,kind\nX,embassy,extra\n", "This row has 3 cells; the header has 2 columns."),
        ('name,kind\n"X,embassy\n', "cannot be read as CSV"),
        (fixture("employers"), "These are the columns of a file of employers"),
    ],
)
def test_a_file_that_is_not_the_expected_csv_is_refused_with_a_clear_message(
    officer, text, message
):
    report = import_file(kind="missions", file_text=text, by=officer, dry_run=False)
    assert any(message in error.message for error in report.errors), report.errors
    assert Mission.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"  \n\n", "The file is empty."),
        ("name,kind\nAmbassade d'Éthiopie,embassy\n".encode("latin-1"), "not UTF-8 text"),
        (b"%PDF-1.4\x00\x00binary", "binary data"),
        (b"a" * (5 * 1024 * 1024 + 1), "larger than 5 MB"),
    ],
)
def test_an_unreadable_file_is_refused_before_any_row_is_read(data, message):
    with pytest.raises(ValidationError) as caught:
        read_upload(data)
    assert message in caught.value.messages[0]


def test_a_utf8_file_with_a_bom_is_read():
    assert read_upload("\ufeffname,kind\n".encode()) == "name,kind\n"


# --- The import page --------------------------------------------------------------------


def upload(text: str | bytes, name: str = "file.csv") -> SimpleUploadedFile:
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_the_import_page_offers_a_dry_run_by_default(client_for, officer):
    response = client_for(officer).get(IMPORT)
    assert response.status_code == 200
    assert response.context["form"]["dry_run"].value() is True
    page = response.content.decode()
    assert re.search(r'<input type="checkbox" name="dry_run"[^>]* checked>', page)
    assert (
        '<code dir="ltr">passport_number</code> <span class="text-muted">(required)</span>' in page
    )
    assert reverse("registry:registry-export", args=["workers"]) in page


def test_a_dry_run_shows_every_row_then_import_now_writes_without_a_new_upload(client_for, officer):
    client = client_for(officer)
    before = counts()
    response = client.post(
        IMPORT, {"kind": "workers", "file": upload(fixture("workers")), "dry_run": "on"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dry run: nothing was written. Records to create: 3." in page
    assert "Dela Cruz, Rosario (born 1985-03-14)" in page
    assert "Import now" in page
    assert counts() == before
    # What waits in the session for "Import now" holds no passport or account number in clear.
    pending = client.session[PENDING_KEY]
    assert "P1234567A" not in str(pending)
    assert "BE71" not in str(pending)

    response = client.post(IMPORT, {"confirm": response.context["pending"]}, follow=True)
    assert response.redirect_chain == [(IMPORT, 302)]
    assert "Import done. Records created: 3." in response.content.decode()
    assert Worker.objects.count() == 3
    assert PENDING_KEY not in client.session
    assert AuditEntry.objects.get(object_type="registry.import", action="create").detail == (
        "workers: 3 created, 0 updated"
    )
    # The same confirmation twice imports nothing more.
    response = client.post(IMPORT, {"confirm": "anything"}, follow=True)
    assert "The checked file is no longer available." in response.content.decode()
    assert Worker.objects.count() == 3


def test_a_new_upload_replaces_the_file_waiting_for_import_now(client_for, officer):
    client = client_for(officer)
    first = client.post(
        IMPORT, {"kind": "workers", "file": upload(fixture("workers")), "dry_run": "on"}
    )
    client.post(IMPORT, {"kind": "missions", "file": upload(fixture("missions")), "dry_run": "on"})
    response = client.post(IMPORT, {"confirm": first.context["pending"]}, follow=True)
    assert "The checked file is no longer available." in response.content.decode()
    assert Worker.objects.count() == 0


def test_a_dry_run_with_nothing_to_change_offers_no_import(client_for, officer):
    import_missions(officer)
    client = client_for(officer)
    response = client.post(
        IMPORT, {"kind": "missions", "file": upload(fixture("missions")), "dry_run": "on"}
    )
    page = response.content.decode()
    assert "Nothing would change" in page
    assert "Import now" not in page
    assert PENDING_KEY not in client.session


def test_the_import_page_and_its_report_work_right_to_left(client_for, officer, settings):
    client = client_for(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    text = with_cell("workers", 0, "email", "rosario-at-example")
    response = client.post(IMPORT, {"kind": "workers", "file": upload(text), "dry_run": "on"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'dir="rtl"' in page
    assert '<code dir="ltr">email</code>' in page


def test_import_now_checks_again_and_refuses_if_the_registry_changed(client_for, officer):
    client = client_for(officer)
    response = client.post(
        IMPORT, {"kind": "workers", "file": upload(fixture("workers")), "dry_run": "on"}
    )
    worker_on_record(officer, passport_number="EP 765 4321")
    before = counts()
    response = client.post(IMPORT, {"confirm": response.context["pending"]})
    assert response.status_code == 200
    page = response.content.decode()
    assert "The file has 1 error. Nothing was imported." in page
    assert "on record for a different person" in page
    assert counts() == before


def test_a_file_imported_without_a_dry_run_is_written_at_once(client_for, officer):
    response = client_for(officer).post(
        IMPORT, {"kind": "missions", "file": upload(fixture("missions"))}, follow=True
    )
    assert "Import done. Records created: 3." in response.content.decode()
    assert Mission.objects.count() == 3


def test_a_file_with_errors_shows_them_by_row_and_column_and_writes_nothing(client_for, officer):
    client = client_for(officer)
    text = with_cell("workers", 1, "iban", "BE71 0961 2345 6760")
    before = counts()
    response = client.post(IMPORT, {"kind": "workers", "file": upload(text)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "The file has 3 errors. Nothing was imported." in page
    assert 'id="import-errors"' in page
    assert '<code dir="ltr">iban</code>' in page
    assert "check digits do not match" in page
    assert "Import now" not in page
    assert counts() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The submitted file is empty."),
        ("name,kind\nAmbassade d'Éthiopie,embassy\n".encode("cp1252"), "not UTF-8 text"),
        (b"name,kind\n" + b"x" * (5 * 1024 * 1024), "larger than 5 MB"),
    ],
)
def test_a_bad_upload_is_explained_on_the_form(client_for, officer, data, message):
    response = client_for(officer).post(IMPORT, {"kind": "missions", "file": upload(data)})
    assert response.status_code == 200
    assert message in str(response.context["form"].errors["file"])
    assert Mission.objects.count() == 0


def test_a_missing_file_or_kind_is_explained(client_for, officer):
    response = client_for(officer).post(IMPORT, {})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"kind", "file"}


# --- Export -----------------------------------------------------------------------------


def download(client, kind: str) -> list[list[str]]:
    response = client.get(reverse("registry:registry-export", args=[kind]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f"hestia-{kind}-" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_exported_missions_and_employers_can_be_imported_again_unchanged(client_for, officer):
    import_missions(officer)
    import_file(kind="employers", file_text=fixture("employers"), by=officer, dry_run=False)
    client = client_for(officer)
    for kind in ("missions", "employers"):
        rows = download(client, kind)
        assert rows[0] == COLUMNS[kind]
        assert len(rows) == 4
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        text = out.getvalue()
        report = import_file(kind=kind, file_text=text, by=officer, dry_run=True)
        assert report.ok, report.errors
        assert report.unchanged == 3


def test_the_workers_export_holds_no_passport_or_account_number(client_for, supervisor, officer):
    import_file(kind="workers", file_text=fixture("workers"), by=officer, dry_run=False)
    rows = download(client_for(supervisor), "workers")
    header, *data = rows
    assert "passport_number" not in header
    assert "iban" not in header
    record = dict(zip(header, data[0], strict=True))
    assert record["family_name"] == "Dela Cruz"
    assert record["other_spellings"] == "Rosario Delacruz | Charo Dela Cruz"
    assert record["passport_last4"] == "567A"
    assert record["phone"] == "+32470123456"
    assert (record["phone_is_safe"], record["phone_for_sms"]) == ("yes", "yes")
    assert (record["account_last4"], record["sole_holder"]) == ("6769", "yes")
    assert record["account_status"] == "unverified"
    text = str(rows)
    assert "P1234567A" not in text
    assert "0961 2345" not in text and "096123456769" not in text
    assert dict(zip(header, data[2], strict=True))["passport_last4"] == "8776"


def test_an_export_is_audited_with_its_kind(client_for, supervisor):
    download(client_for(supervisor), "workers")
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert (entry.actor, entry.object_type, entry.detail) == (
        supervisor,
        "registry.worker",
        "workers",
    )


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_escaped(client_for, officer):
    MissionFactory(name='=HYPERLINK("http://evil.example")', protocol_contact_phone="+3223403377")
    rows = download(client_for(officer), "missions")
    assert rows[1][0] == '\'=HYPERLINK("http://evil.example")'
    assert rows[1][6] == "+3223403377"


def test_an_unknown_kind_of_export_is_not_found(client_for, officer):
    response = client_for(officer).get(reverse("registry:registry-export", args=["passports"]))
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def _export_queries(client, kind: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("registry:registry-export", args=[kind]))
        b"".join(response.streaming_content)
    return len(queries)


def test_an_export_takes_the_same_number_of_queries_for_any_number_of_rows(
    client_for, officer, django_assert_max_num_queries
):
    client = client_for(officer)
    client.get(reverse("accounts:home"))  # the first request writes the session once
    for number in range(3):
        worker = WorkerFactory(passport_number=f"P{number:07d}")
        services.phone_add(
            by=officer,
            worker=worker,
            number=f"+3247000000{number}",
            is_safe=True,
            is_sms_number=True,
        )
    EmployerFactory()
    few = {kind: _export_queries(client, kind) for kind in ("missions", "employers", "workers")}
    for number in range(3, 40):
        worker = WorkerFactory(passport_number=f"P{number:07d}")
        services.phone_add(
            by=officer,
            worker=worker,
            number=f"+324700000{number:02d}",
            is_safe=True,
            is_sms_number=False,
        )
        services.bank_account_add(
            by=officer,
            worker=worker,
            iban=IBAN.generate("BE", bank_code="096", account_code=f"{number:07d}").compact,
            holder_names=f"{worker.given_names} {worker.family_name}",
            sole_holder=True,
        )
        EmployerFactory()
    many = {kind: _export_queries(client, kind) for kind in ("missions", "employers", "workers")}
    assert many == few
    with django_assert_max_num_queries(12):
        rows = download(client, "workers")
    assert len(rows) == 41


# --- The management command ------------------------------------------------------------


def test_the_command_dry_run_prints_the_report_and_writes_nothing(officer):
    out = io.StringIO()
    call_command(
        "import_registry",
        str(FIXTURES / "workers.csv"),
        kind="workers",
        dry_run=True,
        user="officer",
        stdout=out,
    )
    assert "row 2: Create: Dela Cruz, Rosario (born 1985-03-14)" in out.getvalue()
    assert "Dry run: nothing was written. Records to create: 3." in out.getvalue()
    assert Worker.objects.count() == 0


def test_the_command_imports_and_records_the_user_in_the_audit_log(officer):
    out = io.StringIO()
    call_command(
        "import_registry",
        str(FIXTURES / "missions.csv"),
        kind="missions",
        user="officer",
        stdout=out,
    )
    assert "Import done. Records created: 3." in out.getvalue()
    assert Mission.objects.count() == 3
    assert AuditEntry.objects.get(object_type="registry.import").actor == officer


def test_the_command_fails_on_any_error_and_writes_nothing(officer, tmp_path):
    bad = tmp_path / "workers.csv"
    bad.write_text(with_cell("workers", 1, "phone", "12"), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"The file has 1 error\. Nothing was imported\."):
        call_command("import_registry", str(bad), kind="workers", user="officer", stderr=err)
    assert "row 3, column phone: This phone number is not valid." in err.getvalue()
    assert Worker.objects.count() == 0


def test_the_command_refuses_an_unknown_user_a_user_without_the_right_or_a_bad_file(
    officer, interviewer, tmp_path
):
    path = str(FIXTURES / "missions.csv")
    with pytest.raises(CommandError, match="No active staff user"):
        call_command("import_registry", path, kind="missions", user="nobody")
    with pytest.raises(CommandError, match="may not import"):
        call_command("import_registry", path, kind="missions", user="interviewer")
    with pytest.raises(CommandError, match="cannot be read"):
        call_command(
            "import_registry", str(tmp_path / "missing.csv"), kind="missions", user="officer"
        )
    latin = tmp_path / "latin.csv"
    latin.write_bytes("name,kind\nAmbassade d'Éthiopie,embassy\n".encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8 text"):
        call_command("import_registry", str(latin), kind="missions", user="officer")
    assert Mission.objects.count() == 0


# --- Size -------------------------------------------------------------------------------


def big_workers_file(count: int) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS["workers"])
    for n in range(count):
        writer.writerow(
            [
                "Dela Cruz",
                f"Rosario {n}",
                "",
                "1985-03-14",
                "F",
                "PH",
                f"P{n:08d}",
                "2031-01-01",
                "tl",
                "basic",
                "",
                f"+32470{n:06d}",
                "yes",
                "yes",
                IBAN.generate("BE", bank_code="096", account_code=f"{n:07d}").compact,
                f"Rosario {n} Dela Cruz",
                "yes",
            ]
        )
    return out.getvalue()


def test_a_file_of_two_thousand_workers_imports_in_one_go(officer, capsys):
    text = big_workers_file(2000)
    started = time.perf_counter()
    report = import_file(kind="workers", file_text=text, by=officer, dry_run=False)
    elapsed = time.perf_counter() - started
    with capsys.disabled():
        print(f"\n2,000 workers with phone and account imported in {elapsed:.1f} s")
    assert report.ok, report.errors[:5]
    assert Worker.objects.count() == 2000
    assert BankAccount.objects.count() == WorkerPhone.objects.count() == 2000
    assert AuditEntry.objects.filter(object_type="registry.import").count() == 1
