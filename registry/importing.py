"""CSV import of missions, employers and workers: every row is checked first, then all or nothing.

The columns of each kind are documented in the README, "Importing and exporting the registry as CSV". Rows are numbered as a
spreadsheet numbers them: the header is row 1, the first record row 2. Every change goes through
registry.services, so each created or changed record is validated and audited as if entered by
hand; an import never records a consent on the worker's behalf. New workers, with their phone
and account, are the exception in form only: they are checked with the services' own rules
while the file is read, then written in bulk (a file of 10,000 workers in seconds, not minutes)
with the same search index, encryption, history and one audit entry per created record.
"""

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import phonenumbers
from axes.helpers import get_client_ip_address
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_countries import countries
from simple_history.utils import bulk_create_with_history

from accounts.models import AuditEntry, User
from accounts.services import audit_log
from registry import services
from registry.encryption import normalise_identifier, search_hash
from registry.models import BankAccount, Employer, LanguageLevel, Mission, Worker, WorkerPhone
from registry.names import holder_matches_worker, names_alike

MAX_BYTES = 5 * 1024 * 1024
# The largest IN (...) list sent in one query; SQLite's variable limit is far above it.
LOOKUP_CHUNK = 900
# Rows per INSERT when new workers, phones, accounts and audit entries are written in bulk.
INSERT_BATCH = 1000

KIND_LABELS = {
    "missions": gettext_lazy("Missions"),
    "employers": gettext_lazy("Employers"),
    "workers": gettext_lazy("Workers"),
}
KINDS = tuple(KIND_LABELS)
OTHER_KIND_HINTS = {
    "missions": gettext_lazy("These are the columns of a file of missions: choose Missions."),
    "employers": gettext_lazy("These are the columns of a file of employers: choose Employers."),
    "workers": gettext_lazy("These are the columns of a file of workers: choose Workers."),
}

# Every column of each kind, in the documented order; the required ones must be in the header
# and filled in on every row.
COLUMNS = {
    "missions": [
        "name",
        "kind",
        "sending_state",
        "address",
        "protocol_contact_name",
        "protocol_contact_email",
        "protocol_contact_phone",
    ],
    "employers": [
        "accreditation_number",
        "mission",
        "family_name",
        "given_names",
        "title",
        "is_head_of_mission",
        "privileges_category",
    ],
    "workers": [
        "family_name",
        "given_names",
        "other_spellings",
        "date_of_birth",
        "sex",
        "nationality",
        "passport_number",
        "passport_expiry",
        "preferred_language",
        "host_language_level",
        "email",
        "phone",
        "phone_is_safe",
        "phone_for_sms",
        "iban",
        "account_holder",
        "sole_holder",
    ],
}
REQUIRED = {
    "missions": ["name", "kind"],
    "employers": ["accreditation_number", "mission", "family_name", "privileges_category"],
    "workers": [
        "family_name",
        "given_names",
        "date_of_birth",
        "sex",
        "nationality",
        "passport_number",
        "preferred_language",
    ],
}

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
ACTION_LABELS = {
    CREATE: gettext_lazy("Create"),
    UPDATE: gettext_lazy("Update"),
    UNCHANGED: gettext_lazy("Unchanged"),
}

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A spreadsheet shows a cell starting with one of these as a formula; the export escapes such
# cells with an apostrophe, which the import removes again.
FORMULA_START = ("=", "+", "-", "@")


@dataclass
class RowError:
    row: int | None  # None: the file as a whole
    column: str
    message: str


@dataclass
class RowOutcome:
    row: int
    action: str
    label: str
    changed: list[str] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS[self.action])


@dataclass
class ImportReport:
    kind: str
    dry_run: bool
    rows: list[RowOutcome] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        return sum(1 for outcome in self.rows if outcome.action == action)

    @property
    def created(self) -> int:
        return self.count(CREATE)

    @property
    def updated(self) -> int:
        return self.count(UPDATE)

    @property
    def unchanged(self) -> int:
        return self.count(UNCHANGED)

    @property
    def changes(self) -> int:
        return self.created + self.updated

    def summary(self) -> str:
        if self.errors:
            return ngettext(
                "The file has %(count)d error. Nothing was imported.",
                "The file has %(count)d errors. Nothing was imported.",
                len(self.errors),
            ) % {"count": len(self.errors)}
        counts = {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}
        if self.applied:
            return (
                _(
                    "Import done. Records created: %(created)d. Records updated: %(updated)d. "
                    "Left unchanged: %(unchanged)d."
                )
                % counts
            )
        return (
            _(
                "Dry run: nothing was written. Records to create: %(created)d. Records to update: "
                "%(updated)d. Left unchanged: %(unchanged)d."
            )
            % counts
        )


# --- Reading the file -----------------------------------------------------------------------


def read_upload(data: bytes) -> str:
    """The text of an uploaded file, or a ValidationError saying why it cannot be a CSV file."""
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    if len(data) > MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)d MB. Split it into smaller files.")
            % {"limit": MAX_BYTES // (1024 * 1024)},
            code="size",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            _(
                "The file is not UTF-8 text. Save it from the spreadsheet as “CSV UTF-8” and "
                "upload it again."
            ),
            code="encoding",
        ) from None
    if "\x00" in text:
        raise ValidationError(_("The file is not a CSV file: it holds binary data."), code="binary")
    if not text.strip():
        raise ValidationError(_("The file is empty."), code="empty")
    return text


def _delimiter(text: str) -> str:
    """Spreadsheets in many locales save CSV with semicolons; the header line tells which."""
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _records(text: str, kind: str, report: ImportReport) -> list[tuple[int, dict[str, str]]]:
    """Numbered records as {column: cell}; header and shape problems go into the report."""
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    try:
        rows = list(reader)
    except csv.Error:
        report.errors.append(
            RowError(
                None,
                "",
                _("The file cannot be read as CSV near line %(line)d: check the quotation marks.")
                % {"line": reader.line_num},
            )
        )
        return []
    header_index = next((i for i, cells in enumerate(rows) if any(c.strip() for c in cells)), None)
    if header_index is None:
        report.errors.append(RowError(None, "", _("The file is empty.")))
        return []
    header_row = header_index + 1
    header = [cell.strip().lower() for cell in rows[header_index]]
    if not _header_ok(header, kind, header_row, report):
        return []
    records = []
    for index, cells in enumerate(rows[header_index + 1 :], start=header_row + 1):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            report.errors.append(
                RowError(
                    index,
                    "",
                    _("This row has %(cells)d cells; the header has %(columns)d columns.")
                    % {"cells": len(cells), "columns": len(header)},
                )
            )
            continue
        records.append(
            (index, {name: _unescape(cell) for name, cell in zip(header, cells, strict=True)})
        )
    if not records and report.ok:
        report.errors.append(RowError(None, "", _("The file has no rows below the header.")))
    return records


def _unescape(cell: str) -> str:
    cell = cell.strip()
    if len(cell) > 1 and cell[0] == "'" and cell[1] in FORMULA_START:
        return cell[1:]
    return cell


def _header_ok(header: list[str], kind: str, row: int, report: ImportReport) -> bool:
    known = COLUMNS[kind]
    errors = []
    for position, name in enumerate(header, start=1):
        if not name:
            errors.append(
                _("Column %(number)d has no name in the header row.") % {"number": position}
            )
    seen = set()
    for name in header:
        if name and name in seen:
            errors.append(_("The column “%(column)s” appears twice.") % {"column": name})
        seen.add(name)
    unknown = [name for name in header if name and name not in known]
    if unknown:
        errors.append(
            _("Unknown columns: %(unknown)s. The columns for this kind of file are: %(known)s.")
            % {"unknown": ", ".join(unknown), "known": ", ".join(known)}
        )
        other = next(
            (k for k in KINDS if k != kind and set(filter(None, header)) <= set(COLUMNS[k])), None
        )
        if other:
            errors.append(str(OTHER_KIND_HINTS[other]))
    missing = [name for name in REQUIRED[kind] if name not in header]
    if missing:
        errors.append(
            _("Required columns are missing: %(missing)s.") % {"missing": ", ".join(missing)}
        )
    report.errors.extend(RowError(row, "", message) for message in errors)
    return not errors


# --- Reading one row -----------------------------------------------------------------------


class _Row:
    """One record's cells, read and checked column by column; problems go into the report."""

    def __init__(self, number: int, cells: dict[str, str], report: ImportReport):
        self.number = number
        self.cells = cells
        self.report = report
        self.ok = True

    def has(self, column: str) -> bool:
        return column in self.cells

    def error(self, column: str, message: str) -> None:
        self.ok = False
        self.report.errors.append(RowError(self.number, column, message))

    def text(self, column: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = self.cells.get(column, "")
        if required and not value:
            self.error(column, _("This value is required."))
        elif max_length and len(value) > max_length:
            self.error(
                column,
                _("This value has %(length)d characters; at most %(limit)d are allowed.")
                % {"length": len(value), "limit": max_length},
            )
        return value

    def choice(self, column: str, choices: type[models.TextChoices], *, required: bool) -> str:
        value = self.text(column, required=required)
        if not value:
            return ""
        by_key = {str(v).lower(): v for v in choices.values}
        if value.lower() not in by_key:
            self.error(
                column,
                _("“%(value)s” is not allowed here. Write one of: %(choices)s.")
                % {"value": value, "choices": ", ".join(choices.values)},
            )
            return ""
        return by_key[value.lower()]

    def date(self, column: str, *, required: bool = False) -> dt.date | None:
        value = self.text(column, required=required)
        if not value:
            return None
        try:
            if not ISO_DATE.match(value):
                raise ValueError
            return dt.date.fromisoformat(value)
        except ValueError:
            self.error(
                column,
                _("“%(value)s” is not a date written as YYYY-MM-DD, for example 1985-03-14.")
                % {"value": value},
            )
            return None

    def yes_no(self, column: str, *, required: bool = False) -> bool:
        value = self.text(column, required=required).lower()
        if value in ("", "no"):
            return False
        if value == "yes":
            return True
        self.error(column, _("Write yes or no."))
        return False

    def country(self, column: str, *, required: bool = False) -> str:
        value = self.text(column, required=required).upper()
        if not value:
            return ""
        if len(value) != 2 or not countries.alpha2(value):
            self.error(
                column,
                _("“%(value)s” is not a two-letter ISO 3166 country code, such as PH or ET.")
                % {"value": value},
            )
            return ""
        return value

    def email(self, column: str) -> str:
        value = self.text(column, max_length=254)
        if value:
            try:
                validate_email(value)
            except ValidationError as error:
                self.error(column, error.messages[0])
                return ""
        return value

    def phone_number(
        self, column: str, *, for_sms: bool = False
    ) -> phonenumbers.PhoneNumber | None:
        value = self.text(column)
        if not value:
            return None
        try:
            return services.phone_validate(value, for_sms=for_sms)
        except ValidationError as error:
            self.error(column, error.messages[0])
            return None

    def phone(self, column: str, *, for_sms: bool = False) -> str:
        parsed = self.phone_number(column, for_sms=for_sms)
        return _e164(parsed) if parsed else ""


def _e164(number: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _present(row: _Row, values: dict[str, object]) -> dict:
    """Only the fields whose column is in the file: a column left out changes nothing."""
    return {name: value for name, value in values.items() if row.has(name)}


def _plain(value):
    """Compare model values with cells: countries and phone numbers as their codes."""
    if value is None:
        return None
    if hasattr(value, "as_e164"):
        return value.as_e164
    if hasattr(value, "code") and hasattr(value, "flag"):
        return value.code or ""
    return value


def _differences(instance: models.Model | None, data: dict) -> list[str]:
    """The columns whose value differs from the record's (data is keyed by column name)."""
    if instance is None:
        return []
    return [
        name for name, value in data.items() if _plain(getattr(instance, name)) != _plain(value)
    ]


def _chunks(values: Iterable, size: int = LOOKUP_CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


# --- Plans: what each valid row will do ---------------------------------------------------


@dataclass
class _Plan:
    outcome: RowOutcome
    # Writes the row through the services; None for a new worker, which `new` describes.
    apply: Callable[[], None] | None
    new: "_NewWorker | None" = None


def _plan(number: int, instance, changed: list[str], label: str, apply, new=None) -> _Plan:
    if instance is None:
        action = CREATE
    elif changed:
        action = UPDATE
    else:
        action = UNCHANGED
    return _Plan(RowOutcome(row=number, action=action, label=label, changed=changed), apply, new)


def _in_column(column: str, step: Callable[[], object]) -> object:
    """Run a service; a refusal is reported against `column` unless it names a field itself."""
    try:
        return step()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise ValidationError(
                {
                    (column if name == NON_FIELD_ERRORS else name): messages
                    for name, messages in error.message_dict.items()
                }
            ) from None
        raise ValidationError({column: error.messages}) from None


def _missions_by_name() -> dict[str, Mission]:
    # Missions are few (one per sending state and city); Python's casefold matches names in
    # every script, which SQL LOWER does not on SQLite.
    return {mission.name.casefold(): mission for mission in Mission.objects.all()}


def _plan_missions(records, report, *, by, request) -> list[_Plan]:
    existing = _missions_by_name()
    seen: dict[str, int] = {}
    plans = []
    for number, cells in records:
        row = _Row(number, cells, report)
        name = row.text("name", required=True, max_length=200)
        values = {
            "name": name,
            "kind": row.choice("kind", Mission.Kind, required=True),
            "sending_state": row.country("sending_state"),
            "address": row.text("address"),
            "protocol_contact_name": row.text("protocol_contact_name", max_length=200),
            "protocol_contact_email": row.email("protocol_contact_email"),
            "protocol_contact_phone": row.phone("protocol_contact_phone"),
        }
        key = name.casefold()
        if name and key in seen:
            row.error(
                "name",
                _("This mission is already in row %(row)d of this file.") % {"row": seen[key]},
            )
        seen.setdefault(key, number)
        if not row.ok:
            continue
        mission = existing.get(key)
        data = _present(row, values)

        def apply(mission=mission, data=data):
            _in_column(
                "name",
                lambda: services.mission_save(by=by, mission=mission, request=request, **data),
            )

        plans.append(_plan(number, mission, _differences(mission, data), name, apply))
    return plans


def _plan_employers(records, report, *, by, request) -> list[_Plan]:
    missions = _missions_by_name()
    numbers = {cells.get("accreditation_number", "") for _number, cells in records} - {""}
    existing = {}
    for chunk in _chunks(numbers):
        existing.update(
            (employer.accreditation_number, employer)
            for employer in Employer.objects.filter(accreditation_number__in=chunk)
        )
    seen: dict[str, int] = {}
    plans = []
    for number, cells in records:
        row = _Row(number, cells, report)
        accreditation = row.text("accreditation_number", required=True, max_length=64)
        mission_name = row.text("mission", required=True)
        mission = missions.get(mission_name.casefold())
        if mission_name and mission is None:
            row.error(
                "mission",
                _("No mission named “%(name)s” is on record. Import or create the mission first.")
                % {"name": mission_name},
            )
        values = {
            "accreditation_number": accreditation,
            "mission": mission,
            "family_name": row.text("family_name", required=True, max_length=150),
            "given_names": row.text("given_names", max_length=150),
            "title": row.text("title", max_length=150),
            "is_head_of_mission": row.yes_no("is_head_of_mission"),
            "privileges_category": row.choice(
                "privileges_category", Employer.PrivilegesCategory, required=True
            ),
        }
        if accreditation and accreditation in seen:
            row.error(
                "accreditation_number",
                _("This accreditation number is already in row %(row)d of this file.")
                % {"row": seen[accreditation]},
            )
        seen.setdefault(accreditation, number)
        if not row.ok:
            continue
        employer = existing.get(accreditation)
        data = _present(row, values)
        label = _("%(family_name)s, %(given_names)s (accreditation %(number)s)") % {
            "family_name": values["family_name"],
            "given_names": values["given_names"],
            "number": accreditation,
        }

        def apply(employer=employer, data=data):
            _in_column(
                "accreditation_number",
                lambda: services.employer_save(by=by, employer=employer, request=request, **data),
            )

        plans.append(_plan(number, employer, _differences(employer, data), label, apply))
    return plans


@dataclass
class _WorkerRow:
    values: dict
    phone: str
    phone_is_mobile: bool
    phone_is_safe: bool
    phone_for_sms: bool
    iban: str
    account_hash: str
    account_holder: str
    sole_holder: bool
    account: services.AccountCheck | None = None


def _read_worker(row: _Row) -> _WorkerRow:
    family_name = row.text("family_name", required=True, max_length=150)
    given_names = row.text("given_names", required=True, max_length=150)
    spellings = [s.strip() for s in row.text("other_spellings").split("|") if s.strip()]
    date_of_birth = row.date("date_of_birth", required=True)
    if date_of_birth and not dt.date(1900, 1, 1) <= date_of_birth <= timezone.localdate():
        row.error("date_of_birth", _("The date of birth cannot be in the future or before 1900."))
    passport = row.text("passport_number", required=True)
    if passport and not normalise_identifier(passport):
        row.error("passport_number", _("A passport number needs letters or digits."))
    elif len(normalise_identifier(passport)) > 20:
        row.error("passport_number", _("A passport number has at most 20 letters and digits."))
    language = row.text("preferred_language", required=True).lower()
    if language and not LANGUAGE_CODE.match(language):
        row.error(
            "preferred_language",
            _("“%(value)s” is not an ISO 639 language code, such as tl, am, si, ne or sw.")
            % {"value": language},
        )
    values = {
        "family_name": family_name,
        "given_names": given_names,
        "other_spellings": "\n".join(spellings),
        "date_of_birth": date_of_birth,
        "sex": row.choice("sex", Worker.Sex, required=True),
        "nationality": row.country("nationality", required=True),
        "passport_number": passport,
        "passport_expiry": row.date("passport_expiry"),
        "preferred_language": language,
        "host_language_level": (
            row.choice("host_language_level", LanguageLevel, required=False) or LanguageLevel.NONE
        ),
        "email": row.email("email"),
    }
    phone_is_safe = row.yes_no("phone_is_safe")
    phone_for_sms = row.yes_no("phone_for_sms")
    parsed_phone = row.phone_number("phone", for_sms=phone_for_sms)
    phone = _e164(parsed_phone) if parsed_phone else ""
    if phone_for_sms and not row.text("phone"):
        row.error("phone_for_sms", _("SMS notices need a phone number in the phone column."))
    elif phone and phone_for_sms and not phone_is_safe:
        row.error(
            "phone_for_sms",
            _(
                "A phone that is not safe to use (for example one the employer controls) cannot receive SMS notices."
            ),
        )
    iban = row.text("iban")
    account_hash = ""
    checked = None
    holder = row.text("account_holder", max_length=300)
    sole_holder = row.yes_no("sole_holder")
    if iban:
        try:
            checked = services.bank_account_check(iban=iban)
        except ValidationError as error:
            for message in error.messages:
                row.error("iban", message)
        else:
            iban = checked.iban
            account_hash = search_hash(checked.iban)
        if not holder:
            row.error("account_holder", _("An account needs the holder's names."))
        if not row.text("sole_holder"):
            row.error(
                "sole_holder", _("Write yes if the worker alone holds the account, no if not.")
            )
    elif holder or row.text("sole_holder"):
        row.error("iban", _("The account holder is filled in but the IBAN is missing."))
    return _WorkerRow(
        values=values,
        phone=phone,
        phone_is_mobile=bool(parsed_phone) and services._is_mobile(parsed_phone),
        phone_is_safe=phone_is_safe,
        phone_for_sms=phone_for_sms,
        iban=iban,
        account_hash=account_hash,
        account_holder=holder,
        sole_holder=sole_holder,
        account=checked,
    )


def _same_person(worker: Worker, values: dict) -> bool:
    if worker.date_of_birth != values["date_of_birth"]:
        return False
    name = f"{values['family_name']} {values['given_names']}"
    known = [f"{worker.family_name} {worker.given_names}", *worker.other_spellings.splitlines()]
    return any(names_alike(spelling, name) for spelling in known)


def _workers_on_record(records) -> dict[str, list[Worker]]:
    hashes = {search_hash(cells.get("passport_number", "")) for _n, cells in records} - {""}
    found: dict[str, list[Worker]] = {}
    for chunk in _chunks(hashes):
        workers = Worker.objects.filter(passport_number_hash__in=chunk).prefetch_related("phones")
        for worker in workers:
            found.setdefault(worker.passport_number_hash, []).append(worker)
    return found


def _accounts_on_record(hashes: set[str]) -> dict[str, BankAccount]:
    found = {}
    for chunk in _chunks(hashes - {""}):
        accounts = BankAccount.objects.filter(account_hash__in=chunk).exclude(
            status=BankAccount.Status.CLOSED
        )
        found.update((account.account_hash, account) for account in accounts)
    return found


def _plan_workers(records, report, *, by, request) -> list[_Plan]:
    on_record = _workers_on_record(records)
    parsed = []
    for number, cells in records:
        row = _Row(number, cells, report)
        parsed.append((row, _read_worker(row)))
    accounts = _accounts_on_record({worker_row.account_hash for _row, worker_row in parsed})
    seen_passports: dict[str, int] = {}
    seen_accounts: dict[str, int] = {}
    plans = []
    for row, worker_row in parsed:
        values = worker_row.values
        passport_hash = search_hash(values["passport_number"])
        if passport_hash in seen_passports:
            row.error(
                "passport_number",
                _("This passport number is already in row %(row)d of this file.")
                % {"row": seen_passports[passport_hash]},
            )
        elif passport_hash:
            seen_passports[passport_hash] = row.number
        if worker_row.account_hash in seen_accounts:
            row.error(
                "iban",
                _("This account is already in row %(row)d of this file.")
                % {"row": seen_accounts[worker_row.account_hash]},
            )
        elif worker_row.account_hash:
            seen_accounts[worker_row.account_hash] = row.number
        if not row.ok:
            continue
        matches = on_record.get(passport_hash, [])
        worker = matches[0] if matches else None
        if len(matches) > 1:
            row.error(
                "passport_number",
                _(
                    "Several workers on record have this passport number. Resolve the duplicate "
                    "on their pages before importing this row."
                ),
            )
        elif worker is not None and not _same_person(worker, values):
            row.error(
                "passport_number",
                _(
                    "This passport number is on record for a different person (another name or "
                    "date of birth). Check the number, or correct the worker's record first."
                ),
            )
        phone_step = _phone_step(row, worker, worker_row, by=by, request=request)
        add_account = _account_needed(row, worker, worker_row, accounts)
        if not row.ok:
            continue
        data = _present(row, values)
        label = _("%(family_name)s, %(given_names)s (born %(date_of_birth)s)") % {
            "family_name": values["family_name"],
            "given_names": values["given_names"],
            "date_of_birth": values["date_of_birth"].isoformat(),
        }
        if worker is None:
            new = _new_worker(row, data, worker_row, add_account)
            if new is not None:
                plans.append(_plan(row.number, None, [], label, None, new))
            continue
        # Matched on this number: its spelling on record stays as it is.
        data.pop("passport_number", None)
        changed = _differences(worker, data)
        changed += [name for name, step in (("phone", phone_step), ("iban", add_account)) if step]
        apply = _worker_apply(
            worker, data, worker_row, phone_step, add_account, by=by, request=request
        )
        plans.append(_plan(row.number, worker, changed, label, apply))
    return plans


@dataclass
class _NewWorker:
    """A worker the file adds: built and checked while the file is read, saved in bulk."""

    row: int
    worker: Worker
    fields: list[str]  # the columns the file gave, as services.worker_save audits them
    parsed: _WorkerRow
    add_account: bool


def _new_worker(row: _Row, data: dict, parsed: _WorkerRow, add_account: bool) -> _NewWorker | None:
    """The worker as services.worker_save builds and validates it, not yet saved; None (and the
    problems in the report) when the model refuses it."""
    worker = Worker(**data)
    services._worker_index(worker)
    # The nationality is left out: _Row.country checked it against the same list of countries,
    # which Django's check walks through whole for each row (2 ms a row: 20 s for 10,000 rows).
    exclude = ["search_names", "passport_number_hash", "nationality"]
    try:
        _in_column("family_name", lambda: worker.full_clean(exclude=exclude))
    except ValidationError as error:
        for column, messages in error.message_dict.items():
            for message in messages:
                row.error(column, message)
        return None
    return _NewWorker(row.number, worker, list(data), parsed, add_account)


def _phone_step(row: _Row, worker: Worker | None, parsed: _WorkerRow, *, by, request):
    """What to do with the row's phone: add it, mark it not safe, or nothing (None)."""
    if not parsed.phone:
        return None

    def add(target):
        services.phone_add(
            by=by,
            worker=target,
            number=parsed.phone,
            is_safe=parsed.phone_is_safe,
            is_sms_number=parsed.phone_for_sms,
            request=request,
        )

    if worker is None:
        return add
    phone = next((p for p in worker.phones.all() if p.number.as_e164 == parsed.phone), None)
    if phone is None:
        return add
    if (phone.is_safe, phone.is_sms_number) == (parsed.phone_is_safe, parsed.phone_for_sms):
        return None
    if phone.is_safe and not parsed.phone_is_safe:
        # The file says the employer may read this phone: stop using it at once.
        return lambda target: services.phone_mark_unsafe(by=by, phone=phone, request=request)
    row.error(
        "phone",
        _(
            "This phone number is on record with other settings for safety or SMS. Change them "
            "on the worker's page."
        ),
    )
    return None


def _account_needed(row: _Row, worker: Worker | None, parsed: _WorkerRow, accounts) -> bool:
    """True when the row's account must be added; problems with it go into the report."""
    if not parsed.account_hash:
        return False
    account = accounts.get(parsed.account_hash)
    if account is None:
        return True
    if worker is None or account.worker_id != worker.pk:
        row.error(
            "iban",
            _(
                "This account is already on record for another worker. One account cannot serve "
                "two workers."
            ),
        )
    elif (account.holder_names, account.sole_holder) != (
        parsed.account_holder,
        parsed.sole_holder,
    ):
        row.error(
            "account_holder",
            _(
                "This account is on record with other holder details. Change them on the "
                "worker's page."
            ),
        )
    return False


def _worker_apply(worker, data, parsed: _WorkerRow, phone_step, add_account, *, by, request):
    """A worker on record, changed row by row through the services."""

    def apply():
        target = worker
        if _differences(worker, data):
            target = _in_column(
                "family_name",
                lambda: services.worker_save(by=by, worker=worker, request=request, **data),
            )
        if phone_step:
            _in_column("phone", lambda: phone_step(target))
        if add_account:
            _in_column(
                "iban",
                lambda: services.bank_account_add(
                    by=by,
                    worker=target,
                    iban=parsed.iban,
                    holder_names=parsed.account_holder,
                    sole_holder=parsed.sole_holder,
                    request=request,
                ),
            )

    return apply


class _Audit:
    """Unsaved audit entries, filled in as accounts.services.audit_log fills them, to be written
    with one bulk_create."""

    def __init__(self, *, by: User | None, request):
        if by is None and request is not None and request.user.is_authenticated:
            by = request.user
        self.actor = by
        self.username = by.get_username()[:150] if by else ""
        self.ip_address = (get_client_ip_address(request) if request is not None else None) or None
        self.entries: list[AuditEntry] = []

    def created(self, obj: models.Model, changed_fields: Iterable[str]) -> None:
        self.entries.append(
            AuditEntry(
                actor=self.actor,
                actor_username=self.username,
                action=AuditEntry.Action.CREATE,
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                changed_fields=sorted(set(changed_fields)),
                ip_address=self.ip_address,
            )
        )


def _account_for(worker: Worker, parsed: _WorkerRow) -> BankAccount:
    """The account as services.bank_account_add builds it from an IBAN (a file has no other kind)."""
    checked = parsed.account
    holder_names = parsed.account_holder.strip()
    return BankAccount(
        worker=worker,
        iban=checked.iban,
        account_number=checked.account_number,
        account_hash=parsed.account_hash,
        account_last4=checked.iban[-4:],
        bank_code=checked.bank_code,
        bic=checked.bic,
        bank_name=checked.bank_name,
        country=checked.country,
        holder_names=holder_names,
        sole_holder=parsed.sole_holder,
        name_mismatch=not holder_matches_worker(
            holder_names, worker.family_name, worker.given_names, worker.other_spellings
        ),
    )


def _workers_create(new: list[_NewWorker], *, by: User | None, request) -> list[RowError]:
    """Write the new workers, their phones and their accounts in bulk, and one audit entry for
    each record, in the order the services would have written them.

    The accounts are looked up once more first: one recorded since the file was checked refuses
    the import, as services.bank_account_add would refuse it (recommendation 39: one account,
    one worker)."""
    with_account = [n for n in new if n.add_account]
    taken = _accounts_on_record({n.parsed.account_hash for n in with_account})
    refused = [
        RowError(
            n.row,
            "iban",
            _(
                "This account is already on record for a worker. One account cannot serve two workers."
            ),
        )
        for n in with_account
        if n.parsed.account_hash in taken
    ]
    if refused:
        return refused
    bulk_create_with_history([n.worker for n in new], Worker, batch_size=INSERT_BATCH)
    phones, accounts = {}, {}
    for n in new:
        if n.parsed.phone:
            phones[n.row] = WorkerPhone(
                worker=n.worker,
                number=n.parsed.phone,
                is_mobile=n.parsed.phone_is_mobile,
                is_safe=n.parsed.phone_is_safe,
                is_sms_number=n.parsed.phone_for_sms,
            )
        if n.add_account:
            accounts[n.row] = _account_for(n.worker, n.parsed)
    WorkerPhone.objects.bulk_create(phones.values(), batch_size=INSERT_BATCH)
    bulk_create_with_history(list(accounts.values()), BankAccount, batch_size=INSERT_BATCH)
    audit = _Audit(by=by, request=request)
    for n in new:
        audit.created(n.worker, n.fields)
        if n.row in phones:
            audit.created(phones[n.row], ["number", "is_safe", "is_sms_number"])
        if n.row in accounts:
            audit.created(accounts[n.row], ["iban", "holder_names", "sole_holder"])
    AuditEntry.objects.bulk_create(audit.entries, batch_size=INSERT_BATCH)
    return []


PLANNERS = {"missions": _plan_missions, "employers": _plan_employers, "workers": _plan_workers}


# --- The import ---------------------------------------------------------------------------


def _refusal(error: ValidationError, row: int) -> list[RowError]:
    """A service's refusal, column by column (_in_column always names one)."""
    return [
        RowError(row, column, message)
        for column, messages in error.message_dict.items()
        for message in messages
    ]


def import_file(
    *, kind: str, file_text: str, by: User, dry_run: bool, request=None
) -> ImportReport:
    """Check every row of a CSV file, then apply all of them in one transaction, or none.

    A dry run, or a file with any error, writes nothing. Otherwise each changed row goes through
    the registry service that updates its record (and audits it), new workers are written in
    bulk (_workers_create), and one more audit entry records the import itself.
    """
    if kind not in KINDS:
        raise ValueError(f"Unknown import kind {kind!r}")
    report = ImportReport(kind=kind, dry_run=dry_run)
    records = _records(file_text, kind, report)
    if not report.ok:
        return report
    with transaction.atomic():
        plans = PLANNERS[kind](records, report, by=by, request=request)
        if not report.ok:
            return report
        report.rows = [plan.outcome for plan in plans]
        if dry_run:
            # A dry run tells which passports are on record: it is a read, and audited as one.
            audit_log(
                action=AuditEntry.Action.VIEW,
                actor=by,
                request=request,
                object_type="registry.import",
                detail=f"dry run of {kind}: {len(report.rows)} rows",
            )
            return report
        for plan in plans:
            if plan.outcome.action == UNCHANGED or plan.apply is None:
                continue
            try:
                plan.apply()
            except ValidationError as error:
                report.errors.extend(_refusal(error, plan.outcome.row))
        new = [plan.new for plan in plans if plan.new is not None]
        if new and report.ok:
            report.errors.extend(_workers_create(new, by=by, request=request))
        if not report.ok:
            # Something changed between the check and the write: undo every row.
            transaction.set_rollback(True)
            report.rows = []
            return report
        report.applied = True
        audit_log(
            action=AuditEntry.Action.CREATE,
            actor=by,
            request=request,
            object_type="registry.import",
            detail=f"{kind}: {report.created} created, {report.updated} updated",
        )
    return report
