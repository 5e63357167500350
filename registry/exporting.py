"""CSV export of missions, employers and workers, streamed with a fixed number of queries.

The columns follow the import (the README, "Importing and exporting the registry as CSV") where they make sense, so missions and
employers can be exported, edited and imported again. Passport and account numbers never
leave the system: a worker's row carries their last four characters only.
"""

import csv
from collections.abc import Iterable, Iterator
from itertools import groupby
from operator import itemgetter

from registry.encryption import normalise_identifier
from registry.importing import COLUMNS, FORMULA_START
from registry.models import BankAccount, Employer, Mission, Worker, WorkerPhone

CHUNK = 2000

# The permission, beside registry.export_registry, needed to export each kind.
VIEW_PERMISSIONS = {
    "missions": "registry.view_mission",
    "employers": "registry.view_employer",
    "workers": "registry.view_worker",
}
OBJECT_TYPES = {
    "missions": "registry.mission",
    "employers": "registry.employer",
    "workers": "registry.worker",
}
WORKER_COLUMNS = [
    "family_name",
    "given_names",
    "other_spellings",
    "date_of_birth",
    "sex",
    "nationality",
    "passport_last4",
    "passport_expiry",
    "preferred_language",
    "host_language_level",
    "email",
    "phone",
    "phone_is_safe",
    "phone_for_sms",
    "account_last4",
    "account_holder",
    "sole_holder",
    "account_status",
]
HEADERS = {
    "missions": COLUMNS["missions"],
    "employers": COLUMNS["employers"],
    "workers": WORKER_COLUMNS,
}
KINDS = tuple(HEADERS)


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _cell(value) -> str:
    """Text a spreadsheet will not run: a cell that looks like a formula gets an apostrophe."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START) and not _is_phone_or_number(text):
        return f"'{text}"
    return text


# For other apps' CSV files.
csv_cell = _cell


def _is_phone_or_number(text: str) -> bool:
    return text[0] in "+-" and text[1:].replace(" ", "").isdigit()


def _mission_rows() -> Iterator[list]:
    for mission in Mission.objects.order_by("name", "id").iterator(chunk_size=CHUNK):
        yield [
            mission.name,
            mission.kind,
            mission.sending_state.code or "",
            mission.address,
            mission.protocol_contact_name,
            mission.protocol_contact_email,
            mission.protocol_contact_phone.as_e164 if mission.protocol_contact_phone else "",
        ]


def _employer_rows() -> Iterator[list]:
    employers = Employer.objects.select_related("mission").order_by(
        "mission__name", "family_name", "given_names", "id"
    )
    for employer in employers.iterator(chunk_size=CHUNK):
        yield [
            employer.accreditation_number,
            employer.mission.name,
            employer.family_name,
            employer.given_names,
            employer.title,
            _yes_no(employer.is_head_of_mission),
            employer.privileges_category,
        ]


class _Beside:
    """Rows of another table, ordered by worker id, handed out beside the workers (a merge
    join): three queries in all, however many workers, and never all rows in memory."""

    def __init__(self, rows: Iterable[tuple]):
        self._groups = groupby(rows, key=itemgetter(0))
        self._current = next(self._groups, None)

    def take(self, worker_id: int) -> list[tuple]:
        while self._current is not None and self._current[0] < worker_id:
            self._current = next(self._groups, None)
        if self._current is None or self._current[0] != worker_id:
            return []
        rows = list(self._current[1])
        self._current = next(self._groups, None)
        return rows


def _worker_rows() -> Iterator[list]:
    phones = _Beside(
        WorkerPhone.objects.order_by("worker_id", "-is_sms_number", "id")
        .values_list("worker_id", "number", "is_safe", "is_sms_number")
        .iterator(chunk_size=CHUNK)
    )
    accounts = _Beside(
        BankAccount.objects.order_by("worker_id", "-created_at", "-id")
        .values_list("worker_id", "account_last4", "holder_names", "sole_holder", "status")
        .iterator(chunk_size=CHUNK)
    )
    for worker in Worker.objects.order_by("id").iterator(chunk_size=CHUNK):
        # The SMS number if there is one, else the oldest phone.
        phone = next(iter(phones.take(worker.pk)), None)
        worker_accounts = accounts.take(worker.pk)
        account = next(
            (a for a in worker_accounts if a[4] != BankAccount.Status.CLOSED),
            next(iter(worker_accounts), None),
        )
        yield [
            worker.family_name,
            worker.given_names,
            " | ".join(worker.other_spellings.splitlines()),
            worker.date_of_birth.isoformat(),
            worker.sex,
            worker.nationality.code,
            normalise_identifier(worker.passport_number or "")[-4:],
            worker.passport_expiry.isoformat() if worker.passport_expiry else "",
            worker.preferred_language,
            worker.host_language_level,
            worker.email,
            phone[1].as_e164 if phone else "",
            _yes_no(phone[2]) if phone else "",
            _yes_no(phone[3]) if phone else "",
            account[1] if account else "",
            account[2] if account else "",
            _yes_no(account[3]) if account else "",
            account[4] if account else "",
        ]


ROWS = {"missions": _mission_rows, "employers": _employer_rows, "workers": _worker_rows}


class _Echo:
    """csv.writer writes into this and gets the line back, to be streamed."""

    def write(self, value: str) -> str:
        return value


def export_lines(kind: str) -> Iterator[str]:
    """The CSV file of one kind, in pieces of about 64 kB, with a BOM so spreadsheets read
    every script correctly."""
    writer = csv.writer(_Echo())
    piece = ["\ufeff", writer.writerow(HEADERS[kind])]
    size = 0
    for row in ROWS[kind]():
        line = writer.writerow([_cell(value) for value in row])
        piece.append(line)
        size += len(line)
        if size >= 64 * 1024:
            yield "".join(piece)
            piece, size = [], 0
    yield "".join(piece)
