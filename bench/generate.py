"""Synthetic data for the benchmarks: registry, interviews, concerns, notices, audit log, in bulk.

    HESTIA_ENV_FILE=/dev/null DEBUG=true DATABASE_URL=sqlite:////tmp/bench-ministry.sqlite3 \\
        .venv/bin/python bench/generate.py --size ministry

`ministry`: 300 missions, 3,000 employers, 5,000 workers with an open employment (some with
earlier ones) and 15,000 past workers whose employments have all ended, with their
registrations, ID cards and visas, bank accounts (Belgian IBANs, some verified), phones,
languages and consents, 50 staff users and 200,000 audit entries. Then 60,000 interviews: the
renewal interviews of past years held with their records and the eleven indicator answers (some
missed and re-invited, some cancelled, follow-ups), this year's due, invited and confirmed ones
booked in slots, ten interviewers with their languages, rooms, weekly availability, days off
and published slots for the coming weeks, interpreters; concerns from a few percent of the
records and from repeated missed appointments, with actions, referrals to organisations and
supervisors' clearance decisions; and 500,000 notices (invitations, reminders, rights
information campaigns ...) by SMS, e-mail or hand-over, delivered, sent, failed or queued, in
the workers' languages. `small` is a tenth of each; `large` ten times (PostgreSQL only).
Names come from eighteen countries, in the passport's Latin letters and the worker's own script.

Model instances and bulk_create for most tables; the three biggest (audit entries, indicator
answers, notices) are written as plain rows (COPY on PostgreSQL), which is several times faster.
Interviews are generated from each employment's history (first renewal after the probation,
then one per card), and the oldest are dropped to keep the size's number: Hestia "went live" on
the earliest window kept. Registry rows come from one random generator and the rest from a
second, so the registry data stay those of earlier versions of this script for the same seed.

Migrates the database first. The same --seed gives the same data (dates are relative to the
day of the run). Refuses to run when DEBUG is off, on the development database (db.sqlite3),
and on a database that already holds workers.
"""

import argparse
import datetime as dt
import itertools
import json
import os
import random
import sys
import time
import uuid
from base64 import urlsafe_b64encode
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")

import django

django.setup()

from anyascii import anyascii
from dateutil.easter import easter
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import JSONField
from django.utils import timezone
from django_countries import countries
from schwifty import IBAN

from accounts.models import AuditEntry, User
from accounts.roles import Role
from bench import data
from interviews import services as interview_services
from interviews.models import (
    Answer,
    AvailabilityException,
    AvailabilityPattern,
    ClearanceDecision,
    Concern,
    ConcernAction,
    DocumentHolder,
    Indicator,
    IndicatorAnswer,
    IndicatorLevel,
    Interpreter,
    Interview,
    InterviewerProfile,
    InterviewKind,
    InterviewRecord,
    Organisation,
    RecordAddendum,
    Referral,
    Room,
    Slot,
)
from notifications.models import Batch, Channel, Kind, Message, MessageTemplate
from notifications.rights import rights_page_url
from registry import services
from registry.encryption import EncryptedTextField, encrypt, normalise_identifier, search_hash
from registry.models import (
    BankAccount,
    Consent,
    Employer,
    Employment,
    IdentityCard,
    LanguageLevel,
    Mission,
    Registration,
    Worker,
    WorkerLanguage,
    WorkerPhone,
)

BENCH_PASSWORD = "bench-password-not-secret"  # noqa: S105
BATCH = 2000


@dataclass(frozen=True)
class Size:
    missions: int
    employers: int
    active_workers: int
    past_workers: int
    audit_entries: int
    interviews: int
    messages: int
    users: int


SIZES = {
    "small": Size(30, 300, 500, 1_500, 20_000, 6_000, 50_000, 50),
    "ministry": Size(300, 3_000, 5_000, 15_000, 200_000, 60_000, 500_000, 50),
    # Ten times `ministry`, for PostgreSQL only; 250 staff so that 50 interviewers hold the
    # interviews of 50,000 workers.
    "large": Size(3_000, 30_000, 50_000, 150_000, 2_000_000, 600_000, 5_000_000, 250),
}

# Belgian bank codes schwifty knows, so each IBAN carries a real BIC and bank name.
BANK_CODES = ("096", "001", "363", "734", "973")
STREETS = (
    "Avenue Louise",
    "Rue de la Loi",
    "Boulevard du Régent",
    "Avenue de Tervueren",
    "Avenue Franklin Roosevelt",
    "Rue Belliard",
    "Avenue des Arts",
    "Square de Meeûs",
    "Avenue Molière",
    "Chaussée de Waterloo",
)
HEAD_TITLES = {
    Mission.Kind.EMBASSY: "Ambassador",
    Mission.Kind.CONSULATE: "Consul General",
    Mission.Kind.PERMANENT_MISSION: "Permanent Representative",
    Mission.Kind.INTERNATIONAL_ORGANISATION: "Head of Office",
}
P = Employer.PrivilegesCategory
STAFF_TITLES = (
    ("Minister Counsellor", P.DIPLOMATIC_AGENT),
    ("Counsellor", P.DIPLOMATIC_AGENT),
    ("First Secretary", P.DIPLOMATIC_AGENT),
    ("Second Secretary", P.DIPLOMATIC_AGENT),
    ("Third Secretary", P.DIPLOMATIC_AGENT),
    ("Defence Attaché", P.DIPLOMATIC_AGENT),
    ("Attaché", P.ADMINISTRATIVE_TECHNICAL),
    ("Administrative Officer", P.ADMINISTRATIVE_TECHNICAL),
    ("Chauffeur", P.SERVICE_STAFF),
)
ACCREDITATION_PREFIX = {
    P.DIPLOMATIC_AGENT: "D",
    P.ADMINISTRATIVE_TECHNICAL: "AT",
    P.SERVICE_STAFF: "S",
    P.CONSULAR_OFFICER: "C",
    P.ORGANISATION_OFFICIAL: "IO",
}


def refuse_unless_scratch_database() -> None:
    if not settings.DEBUG:
        sys.exit("bench/generate.py refuses to run when DEBUG is off.")
    name = str(connection.settings_dict["NAME"])
    if (
        connection.vendor == "sqlite"
        and Path(name).resolve() == (Path(settings.BASE_DIR) / "db.sqlite3").resolve()
    ):
        sys.exit(
            "bench/generate.py refuses to fill the development database: set DATABASE_URL to a "
            "scratch database, for example sqlite:////tmp/bench-ministry.sqlite3."
        )


def staff_users(count: int) -> list[User]:
    """bench000..: roles in turn (protocol officer, interviewer, supervisor, administrator,
    auditor). One password hash for all of them: hashing is slow by design."""
    roles = list(Role)
    groups = {group.name: group for group in Group.objects.all()}
    names = [f"bench{number:03d}" for number in range(count)]
    existing = {user.username: user for user in User.objects.filter(username__in=names)}
    password = make_password(BENCH_PASSWORD)
    new = [
        User(username=name, password=password, email=f"{name}@ministry.example")
        for name in names
        if name not in existing
    ]
    User.objects.bulk_create(new)
    created = {user.username: user for user in User.objects.filter(username__in=names)}
    new_names = {user.username for user in new}
    membership = User.groups.through
    membership.objects.bulk_create(
        [
            membership(
                user_id=created[name].pk, group_id=groups[str(roles[number % len(roles)])].pk
            )
            for number, name in enumerate(names)
            if name in new_names
        ]
    )
    return [created[name] for name in names]


class Table:
    """Rows of one model written without model instances: COPY on PostgreSQL, executemany on
    SQLite. For the big tables (audit entries, indicator answers, notices), where building the
    instances and bulk_create's preparation of every value cost more than the insert itself.

    Rows are tuples in the order of `columns` (attribute names: "worker_id"); the other columns
    get the field's default (auto_now fields: now). Values are converted here as Django would
    store them: encrypted fields encrypted, JSON dumped, and on SQLite datetimes as UTC text."""

    def __init__(self, model, columns: tuple[str, ...]):
        meta = model._meta
        given = [meta.get_field(name) for name in columns]
        rest = [f for f in meta.concrete_fields if not f.primary_key and f.attname not in columns]
        now = timezone.now()
        for f in rest:
            if f.unique:
                raise ValueError(f"{model.__name__}.{f.name} is unique: give it a value.")
        # Field.get_default(): the default, or "" for text and None for the rest.
        defaults = [
            now
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            else f.get_default()
            for f in rest
        ]
        self.fields = given + rest
        self.adapters = [self.adapter(f) for f in self.fields]
        self.defaults = tuple(defaults)
        names = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        self.table = connection.ops.quote_name(meta.db_table)
        self.sql = f"({names})"
        self.written = 0

    @staticmethod
    def adapter(f):
        if isinstance(f, EncryptedTextField):
            return lambda value: encrypt(value) if value else value
        if isinstance(f, JSONField):
            return json.dumps
        if connection.vendor == "postgresql":
            return None
        kind = f.get_internal_type()
        if kind == "DateTimeField":
            return lambda value: str(value.astimezone(dt.UTC).replace(tzinfo=None))
        if kind in ("DateField", "DecimalField"):
            return str
        if kind == "BooleanField":
            return int
        if kind == "UUIDField":
            return lambda value: value.hex
        return None

    def write(self, rows: list[tuple]) -> int:
        adapters = self.adapters
        converted = [
            tuple(
                value if adapt is None or value is None else adapt(value)
                for adapt, value in zip(adapters, row + self.defaults, strict=True)
            )
            for row in rows
        ]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {self.table} {self.sql} FROM STDIN") as copy:
                    for row in converted:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.fields))
                cursor.executemany(
                    f"INSERT INTO {self.table} {self.sql} VALUES ({marks})",  # noqa: S608
                    converted,
                )
        self.written += len(rows)
        return len(rows)


def audit_entries(users: list[User], count: int, rng: random.Random, max_object_id: int) -> None:
    actions = [choice for choice, _label in AuditEntry.Action.choices]
    types = ["registry.worker", "registry.employer", "registry.mission", "accounts.user"]
    now = timezone.now()
    table = Table(
        AuditEntry,
        (
            "at",
            "actor_id",
            "actor_username",
            "action",
            "object_type",
            "object_id",
            "changed_fields",
            "ip_address",
        ),
    )
    batch = []
    for number in range(count):
        user = rng.choice(users)
        batch.append(
            (
                now - timezone.timedelta(seconds=number * 37),
                user.pk,
                user.username,
                rng.choice(actions),
                rng.choice(types),
                str(rng.randint(1, max_object_id)),
                ["family_name"] if rng.random() < 0.2 else [],
                f"10.0.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
            )
        )
        if len(batch) == 5000:
            table.write(batch)
            batch = []
    table.write(batch)


def with_places(names: list[tuple], count: int) -> list[tuple]:
    """The first `count` of (name, kind, state), then, past the end of the list, the same names
    with an office in a host-state city (mission names are unique; `large` needs more of them
    than there are states)."""
    chosen = names[:count]
    for city in data.HOST_CITIES:
        for name, kind, state in names:
            if len(chosen) >= count:
                return chosen
            chosen.append((f"{name}, {city} office", kind, state))
    return chosen


@dataclass
class WorkerPlan:
    worker: Worker
    person: data.Person
    active: bool
    employments: list[Employment] = field(default_factory=list)
    # Language code -> level, as written to WorkerLanguage.
    languages: dict[str, str] = field(default_factory=dict)


class Generator:
    def __init__(self, rng: random.Random, size: Size, users: list[User]):
        self.rng = rng
        self.size = size
        self.today = timezone.localdate()
        self.now = timezone.now()
        roles = list(Role)
        by_role = {role: users[index :: len(roles)] for index, role in enumerate(roles)}
        self.officers = by_role[Role.PROTOCOL_OFFICER]
        self.verifiers = by_role[Role.PROTOCOL_OFFICER] + by_role[Role.SUPERVISOR]
        self.counts: Counter[str] = Counter()
        self.card_serial = itertools.count(1)
        self.account_serial = itertools.count(1)
        self.banks = []
        for code in BANK_CODES:
            sample = IBAN.generate("BE", bank_code=code, account_code="0000001")
            self.banks.append((code, str(sample.bic or ""), sample.bank_name or ""))

    def save(self, model, objects: list) -> list:
        model.objects.bulk_create(objects, batch_size=BATCH)
        self.counts[model._meta.model_name] += len(objects)
        return objects

    def at(self, day: dt.date, hour: int) -> dt.datetime:
        moment = timezone.make_aware(
            dt.datetime.combine(day, dt.time(hour, self.rng.randint(0, 59)))
        )
        return min(moment, self.now)

    def days_ago(self, low: int, high: int, mode: int | None = None) -> dt.date:
        return self.today - dt.timedelta(days=int(self.rng.triangular(low, high, mode)))

    # --- Missions and employers ------------------------------------------------------------

    def missions(self) -> list[Mission]:
        rng, total = self.rng, self.size.missions
        states = [(code, str(name)) for code, name in countries]
        rng.shuffle(states)
        organisations = max(1, total * 20 // 300)
        permanent = total * 50 // 300
        consulates = total * 40 // 300
        embassies = total - organisations - permanent - consulates
        last = min(embassies, len(states))
        named = [
            *with_places(
                [(f"Embassy of {n}", Mission.Kind.EMBASSY, c) for c, n in states], embassies
            ),
            *with_places(
                [(f"Consulate General of {n}", Mission.Kind.CONSULATE, c) for c, n in states],
                consulates,
            ),
            *with_places(
                [
                    (
                        f"Permanent Mission of {n} to the European Union",
                        Mission.Kind.PERMANENT_MISSION,
                        c,
                    )
                    for c, n in states[max(0, last - permanent) : last]
                ],
                permanent,
            ),
            *with_places(
                [
                    (name, Mission.Kind.INTERNATIONAL_ORGANISATION, "")
                    for name in data.INTERNATIONAL_ORGANISATIONS
                ],
                organisations,
            ),
        ]
        missions = []
        for number, (name, kind, state) in enumerate(named):
            family, given = self.diplomat_name(rng.choice(data.EMPLOYER_CULTURES))
            missions.append(
                Mission(
                    name=name,
                    kind=kind,
                    sending_state=state,
                    address=f"{rng.randint(1, 250)} {rng.choice(STREETS)}, 1000 Brussels",
                    protocol_contact_name=f"{given} {family}",
                    protocol_contact_email=f"protocol{number}@mission.example",
                    protocol_contact_phone=f"+3225{number:06d}",
                )
            )
        return self.save(Mission, missions)

    def diplomat_name(self, culture) -> tuple[str, str]:
        return self.rng.choice(culture)[0], self.rng.choice(culture)[1]

    def employers(self, missions: list[Mission]) -> list[Employer]:
        rng = self.rng
        weights = {
            Mission.Kind.EMBASSY: 3.0,
            Mission.Kind.PERMANENT_MISSION: 3.0,
            Mission.Kind.INTERNATIONAL_ORGANISATION: 2.0,
            Mission.Kind.CONSULATE: 1.5,
        }
        extra = rng.choices(
            missions,
            weights=[weights[m.kind] for m in missions],
            k=self.size.employers - len(missions),
        )
        per_mission = Counter(m.pk for m in extra)
        employers = []
        serial = itertools.count(1)
        for mission in missions:
            culture = rng.choice(data.EMPLOYER_CULTURES)
            for index in range(1 + per_mission[mission.pk]):
                head = index == 0
                if head:
                    title = HEAD_TITLES[mission.kind]
                    category = (
                        P.ORGANISATION_OFFICIAL
                        if mission.kind == Mission.Kind.INTERNATIONAL_ORGANISATION
                        else P.DIPLOMATIC_AGENT
                    )
                elif mission.kind == Mission.Kind.CONSULATE and rng.random() < 0.5:
                    title, category = "Consul", P.CONSULAR_OFFICER
                elif mission.kind == Mission.Kind.INTERNATIONAL_ORGANISATION:
                    title, category = "Programme Officer", P.ORGANISATION_OFFICIAL
                else:
                    title, category = rng.choice(STAFF_TITLES)
                family, given = self.diplomat_name(culture)
                year = self.today.year - rng.randint(0, 6)
                employers.append(
                    Employer(
                        mission=mission,
                        family_name=family,
                        given_names=given,
                        title=title,
                        is_head_of_mission=head,
                        accreditation_number=(
                            f"{ACCREDITATION_PREFIX[category]}-{year}-{next(serial):05d}"
                        ),
                        privileges_category=category,
                    )
                )
        return self.save(Employer, employers)

    # --- Workers and their employments ----------------------------------------------------

    def workers(self) -> list[WorkerPlan]:
        rng = self.rng
        plans = []
        total = self.size.active_workers + self.size.past_workers
        for number in range(total):
            person = data.person(rng)
            origin = person.origin
            active = number < self.size.active_workers
            language = origin.language
            if origin.country in ("PH", "KE", "UG") and rng.random() < 0.2:
                language = "en"
            email = ""
            if rng.random() < 0.3:
                local = "".join(ch for ch in anyascii(person.given_names).lower() if ch.isalnum())
                email = f"{local}.{number}@mail.example"
            worker = Worker(
                family_name=person.family_name,
                given_names=person.given_names,
                other_spellings=person.other_spellings,
                date_of_birth=self.today,  # set once the employments are known
                sex=person.sex,
                nationality=origin.country,
                passport_number=data.passport_number(origin, number),
                passport_expiry=self.today + dt.timedelta(days=rng.randint(-900, 3300)),
                preferred_language=language,
                host_language_level=rng.choices(
                    [
                        LanguageLevel.NONE,
                        LanguageLevel.BASIC,
                        LanguageLevel.WORKING,
                        LanguageLevel.FLUENT,
                    ],
                    weights=[40, 30, 20, 10],
                )[0],
                email=email,
            )
            plans.append(WorkerPlan(worker, person, active))
        rng.shuffle(plans)  # active and past workers mixed through the id range
        return plans

    def employment_chain(self, plan: WorkerPlan, employers: list[Employer], current) -> None:
        """The worker's ended employments, going back in time from `current` or from the day
        the last one ended, with different employers."""
        rng = self.rng
        if plan.active:
            count = rng.choices([0, 1, 2, 3], weights=[65, 20, 10, 5])[0]
            next_start = current.start_date
        else:
            count = rng.choices([1, 2, 3, 4], weights=[55, 30, 12, 3])[0]
            next_start = self.days_ago(30, 3000, 400)
        for _ in range(count):
            end = next_start - dt.timedelta(days=rng.randint(15, 240))
            start = end - dt.timedelta(days=rng.randint(200, 1500))
            plan.employments.append(
                self.employment(
                    plan,
                    rng.choice(employers),
                    start,
                    status=Employment.Status.ENDED,
                    end_date=end,
                )
            )
            next_start = start
        earliest = min(e.start_date for e in plan.employments)
        plan.worker.date_of_birth = earliest - dt.timedelta(days=rng.randint(20 * 365, 45 * 365))

    def employment(self, plan, employer, start, *, status, end_date=None) -> Employment:
        rng = self.rng
        salary = rng.choice([1800, 1850, 1900, 2000, 2100, 2250, 2400])
        if rng.random() < 0.04:
            salary = rng.choice([1500, 1650])
        ended = status == Employment.Status.ENDED
        return Employment(
            worker=plan.worker,
            employer=employer,
            start_date=start,
            end_date=end_date,
            duties=rng.choice(data.DUTIES),
            monthly_salary=Decimal(salary),
            currency="USD" if rng.random() < 0.02 else "EUR",
            weekly_hours=rng.choices([38, 40, 45], weights=[45, 50, 5])[0],
            weekly_rest_days=rng.choices([1, 2], weights=[60, 40])[0],
            annual_leave_days=rng.choices([20, 24, 26, 15], weights=[60, 25, 12, 3])[0],
            accommodation=rng.choices(Employment.Accommodation.values, weights=[60, 20, 20])[0],
            contract_languages=sorted({plan.worker.preferred_language, "fr"}),
            status=status,
            end_reason=(
                rng.choices(Employment.EndReason.values, weights=[40, 15, 8, 7, 15, 15])[0]
                if ended
                else ""
            ),
            card_returned=rng.choices([True, False, None], weights=[85, 10, 5])[0]
            if ended
            else None,
        )

    def employments(self, plans: list[WorkerPlan], employers: list[Employer]) -> list[Employment]:
        rng = self.rng
        # Heads of mission may employ three workers and other staff one (the default policy);
        # the rest overflow at random, as exceptions do.
        slots = [e for e in employers for _ in range(3 if e.is_head_of_mission else 1)]
        rng.shuffle(slots)
        active = [plan for plan in plans if plan.active]
        for index, plan in enumerate(active):
            employer = slots[index] if index < len(slots) else rng.choice(employers)
            status = rng.choices(
                [
                    Employment.Status.ACTIVE,
                    Employment.Status.PRE_NOTIFIED,
                    Employment.Status.REGISTERED,
                    Employment.Status.SUSPENDED,
                ],
                weights=[91, 3, 3, 3],
            )[0]
            if status == Employment.Status.PRE_NOTIFIED:
                start = self.days_ago(-30, 20)  # announced by the mission, some not started yet
            elif status == Employment.Status.REGISTERED:
                start = self.days_ago(5, 60)
            else:
                start = self.days_ago(45, 2200, 400)
            plan.employments.append(self.employment(plan, employer, start, status=status))
        for plan in plans:
            current = plan.employments[0] if plan.employments else None
            self.employment_chain(plan, employers, current)
        # Workers first (date of birth depends on the employments), then the employments.
        for plan in plans:
            services._worker_index(plan.worker)  # search_names and passport_number_hash
        self.save(Worker, [plan.worker for plan in plans])
        employments = [e for plan in plans for e in plan.employments]
        for employment in employments:
            employment.worker_id = employment.worker.pk
        return self.save(Employment, employments)

    def registrations(self, plans: list[WorkerPlan]) -> list[Registration]:
        rng = self.rng
        rows = []
        for plan in plans:
            language = plan.worker.preferred_language
            for employment in plan.employments:
                if employment.status == Employment.Status.PRE_NOTIFIED:
                    continue
                day = employment.start_date + dt.timedelta(days=rng.randint(1, 20))
                rows.append(
                    Registration(
                        employment=employment,
                        held_at=self.at(min(day, self.today), rng.randint(9, 15)),
                        officer=rng.choice(self.officers),
                        identity_checked=True,
                        held_own_passport=rng.random() < 0.95,
                        employer_absent=True,
                        language=language,
                        interpreter="" if rng.random() < 0.6 else f"Interpreter ({language})",
                        rights_explained=True,
                        leaflet_language=language,
                    )
                )
        return self.save(Registration, rows)

    def card(self, plan, employment, issue: dt.date, status: str) -> IdentityCard:
        visa = self.rng.random() < 0.1
        serial = next(self.card_serial)
        number = f"V {serial:08d}" if visa else f"ID-{issue.year}-{serial:06d}"
        return IdentityCard(
            worker=plan.worker,
            employment=employment,
            kind=IdentityCard.Kind.VISA if visa else IdentityCard.Kind.ID_CARD,
            number=number,
            number_normalised=normalise_identifier(number),
            issue_date=issue,
            expiry_date=issue + dt.timedelta(days=730),
            status=status,
        )

    def cards(self, plans: list[WorkerPlan]) -> list[IdentityCard]:
        rng, Status = self.rng, IdentityCard.Status
        rows = []
        for plan in plans:
            for employment in plan.employments:
                issue = employment.start_date + dt.timedelta(days=rng.randint(7, 30))
                if employment.status == Employment.Status.PRE_NOTIFIED:
                    continue
                if employment.status == Employment.Status.REGISTERED:
                    rows.append(
                        self.card(plan, employment, min(issue, self.today), Status.REQUESTED)
                    )
                    continue
                if employment.status == Employment.Status.ENDED:
                    card = self.card(plan, employment, issue, Status.RETURNED)
                    if not employment.card_returned:
                        card.status = (
                            Status.EXPIRED if card.expiry_date < self.today else Status.CANCELLED
                        )
                    rows.append(card)
                    continue
                # Open: the card in force (renewed every two years) and the one before it.
                tenure = (self.today - issue).days
                current_issue = issue + dt.timedelta(days=730 * (max(tenure, 0) // 730))
                if current_issue > issue and rng.random() < 0.5:
                    rows.append(
                        self.card(
                            plan, employment, current_issue - dt.timedelta(730), Status.EXPIRED
                        )
                    )
                rows.append(
                    self.card(plan, employment, min(current_issue, self.today), Status.ISSUED)
                )
        return self.save(IdentityCard, rows)

    def account(self, plan: WorkerPlan, status: str, opened: dt.date) -> BankAccount:
        rng = self.rng
        code, bic, bank_name = rng.choice(self.banks)
        iban = IBAN.generate("BE", bank_code=code, account_code=f"{next(self.account_serial):07d}")
        worker = plan.worker
        holder = anyascii(f"{worker.given_names} {worker.family_name}").upper()
        mismatch = rng.random() < 0.03
        if mismatch:
            holder = f"{holder} AND {rng.choice(data.EMPLOYER_CULTURES)[0][0].upper()}"
        account = BankAccount(
            worker=worker,
            iban=iban.compact,
            account_hash=search_hash(iban.compact),
            account_last4=iban.compact[-4:],
            bank_code=code,
            bic=bic,
            bank_name=bank_name,
            country="BE",
            holder_names=holder,
            sole_holder=not mismatch,
            name_mismatch=mismatch,
            status=status,
        )
        if status == BankAccount.Status.VERIFIED:
            verified = max(opened, self.days_ago(0, 480, 120))
            account.verified_by = rng.choice(self.verifiers)
            account.verified_on = verified
            account.verification_method = rng.choice(BankAccount.Method.values)
            account.verification_expires_on = verified + relativedelta(months=12)
        return account

    def bank_accounts(self, plans: list[WorkerPlan]) -> list[BankAccount]:
        rng, Status = self.rng, BankAccount.Status
        rows = []
        for plan in plans:
            latest = plan.employments[0]
            if not plan.active:
                if rng.random() < 0.5:
                    status = Status.CLOSED if rng.random() < 0.7 else Status.VERIFIED
                    rows.append(self.account(plan, status, latest.start_date))
                continue
            if latest.status == Employment.Status.PRE_NOTIFIED:
                if rng.random() < 0.3:
                    rows.append(self.account(plan, Status.UNVERIFIED, latest.start_date))
                continue
            if rng.random() >= 0.92:
                continue
            if rng.random() < 0.05:
                rows.append(self.account(plan, Status.CLOSED, latest.start_date))
            status = rng.choices(
                [Status.VERIFIED, Status.UNVERIFIED, Status.REJECTED], weights=[65, 30, 5]
            )[0]
            account = self.account(plan, status, latest.start_date)
            if status == Status.REJECTED:
                account.sole_holder = False
            rows.append(account)
        return self.save(BankAccount, rows)

    def phones(self, plans: list[WorkerPlan]) -> list[WorkerPhone]:
        rng = self.rng
        rows = []
        for plan in plans:
            worker = plan.worker
            has_sms = False
            if rng.random() < (0.9 if plan.active else 0.3):
                safe = rng.random() < 0.93
                has_sms = plan.active and safe and rng.random() < 0.85
                rows.append(
                    WorkerPhone(
                        worker=worker,
                        number=data.mobile_number("BE", rng),
                        is_mobile=True,
                        is_safe=safe,
                        is_sms_number=has_sms,
                        note="" if safe else "The employer keeps this phone.",
                    )
                )
            if rng.random() < 0.55:
                sms = plan.active and not has_sms and rng.random() < 0.5
                has_sms = has_sms or sms
                rows.append(
                    WorkerPhone(
                        worker=worker,
                        number=data.mobile_number(str(worker.nationality), rng),
                        is_mobile=True,
                        is_safe=True,
                        is_sms_number=sms,
                        note="Number at home" if rng.random() < 0.2 else "",
                    )
                )
        return self.save(WorkerPhone, rows)

    def languages_and_consents(self, plans: list[WorkerPlan], phones: list[WorkerPhone]) -> None:
        rng = self.rng
        languages, consents = [], []
        sms_workers = {phone.worker_id for phone in phones if phone.is_sms_number}
        for plan in plans:
            worker = plan.worker
            levels = {plan.person.origin.language: LanguageLevel.NATIVE}
            if worker.preferred_language == "en":
                levels["en"] = LanguageLevel.FLUENT
            if worker.host_language_level != LanguageLevel.NONE:
                levels.setdefault(settings.HESTIA_HOST_LANGUAGE, worker.host_language_level)
            if rng.random() < 0.45:
                levels.setdefault(
                    "en",
                    rng.choice([LanguageLevel.FLUENT, LanguageLevel.WORKING, LanguageLevel.BASIC]),
                )
            plan.languages = levels
            languages.extend(
                WorkerLanguage(worker=worker, language=code, level=level)
                for code, level in levels.items()
            )
            first = min(e.start_date for e in plan.employments)
            officer = rng.choice(self.officers)
            consents.append(
                Consent(
                    worker=worker,
                    kind=Consent.Kind.DATA_PROCESSING,
                    given=True,
                    recorded_at=self.at(first, 10),
                    recorded_by=officer,
                )
            )
            if worker.pk in sms_workers:
                consents.append(
                    Consent(
                        worker=worker,
                        kind=Consent.Kind.SMS,
                        given=True,
                        recorded_at=self.at(first, 11),
                        recorded_by=officer,
                    )
                )
        self.save(WorkerLanguage, languages)
        self.save(Consent, consents)


# --- Interviews, concerns and notices -----------------------------------------------------------

SLOT_MINUTES = 45
# What every interviewer holds, Monday to Friday: two periods, nine slots of 45 minutes.
PERIODS = ((dt.time(9), dt.time(12)), (dt.time(13), dt.time(16, 45)))
SLOT_TIMES = tuple(
    (
        dt.datetime.combine(dt.date(2000, 1, 1), start) + dt.timedelta(minutes=SLOT_MINUTES * n)
    ).time()
    for start, end in PERIODS
    for n in range((end.hour * 60 + end.minute - start.hour * 60 - start.minute) // SLOT_MINUTES)
)
# The published grid around today: every slot, booked or free, in these weeks.
PUBLISHED_WEEKS_BACK = 4
PUBLISHED_WEEKS_AHEAD = 8
LEAVE_DAYS_AHEAD = 3  # days of leave per interviewer in the published weeks
OUTCOME_WEIGHTS = {"no_concern": 915, "follow_up": 50, "referral": 25, "urgent": 10}
SEVERITY_FOR_OUTCOME = {
    "follow_up": Concern.Severity.MEDIUM,
    "referral": Concern.Severity.HIGH,
    "urgent": Concern.Severity.URGENT,
}
NOTICE_BATCH = 5000
MESSAGE_COLUMNS = (
    "worker_id",
    "kind",
    "channel",
    "language",
    "template_version",
    "recipient",
    "subject",
    "body",
    "context",
    "created_at",
    "created_by_id",
    "batch_id",
    "idempotency_key",
    # InterviewGenerator.outcome's
    "status",
    "attempts",
    "next_attempt_at",
    "last_attempt_at",
    "sent_at",
    "delivered_at",
    "provider_reference",
    "failure_code",
    "failure_detail",
    "hold_reason",
    "cancel_reason",
)


def public_holidays(first_year: int, last_year: int) -> dict[dt.date, str]:
    """The host state's (Belgium's) public holidays: nobody holds interviews on them."""
    days = {}
    for year in range(first_year, last_year + 1):
        sunday = easter(year)
        days.update(
            {
                dt.date(year, 1, 1): "New Year's Day",
                sunday + dt.timedelta(days=1): "Easter Monday",
                dt.date(year, 5, 1): "Labour Day",
                sunday + dt.timedelta(days=39): "Ascension Day",
                sunday + dt.timedelta(days=50): "Whit Monday",
                dt.date(year, 7, 21): "National Day",
                dt.date(year, 8, 15): "Assumption Day",
                dt.date(year, 11, 1): "All Saints' Day",
                dt.date(year, 11, 11): "Armistice Day",
                dt.date(year, 12, 25): "Christmas Day",
            }
        )
    return days


def token(rng: random.Random, bits: int = 192) -> str:
    return urlsafe_b64encode(rng.getrandbits(bits).to_bytes(bits // 8, "big")).decode().rstrip("=")


class Diary:
    """The interviewers' slots, day by day, and which are taken: each interviewer has a room of
    their own, so a free slot of the interviewer is a free room too."""

    def __init__(self, rng, interviewer_ids, holidays, leave):
        self.rng = rng
        self.interviewer_ids = list(interviewer_ids)
        self.holidays = holidays
        self.leave = leave  # {(interviewer id, day)}
        self.taken: dict[tuple[int, dt.date], set[int]] = defaultdict(set)

    def working(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def book(self, day: dt.date, speakers: tuple[int, ...]) -> tuple[int, dt.date, int]:
        """(interviewer, day, slot index): on `day` or the next working day with a free slot,
        an interviewer who speaks the worker's language if one is free, as the scheduler does."""
        rng = self.rng
        others = [uid for uid in self.interviewer_ids if uid not in speakers]
        while True:
            if self.working(day):
                first, rest = list(speakers), others[:]
                rng.shuffle(first)
                rng.shuffle(rest)
                for uid in first + rest:
                    if (uid, day) in self.leave:
                        continue
                    taken = self.taken[(uid, day)]
                    if len(taken) < len(SLOT_TIMES):
                        index = rng.choice([n for n in range(len(SLOT_TIMES)) if n not in taken])
                        taken.add(index)
                        return uid, day, index
            day += dt.timedelta(days=1)


@dataclass
class Planned:
    """One interview to insert, with what the later steps need to know about it."""

    interview: Interview
    plan: WorkerPlan
    group: int  # the renewal cycle it belongs to (its missed, cancelled and follow-up ones)
    key: tuple | None = None  # (interviewer id, day, slot index)
    follows: "Planned | None" = None
    outcome: str = ""  # the record's, when held
    counts: bool = True
    concern_no_show: bool = False  # the missed appointment that makes a concern
    record: InterviewRecord | None = None
    indicators: list[str] = field(default_factory=list)  # suspected or observed


class InterviewGenerator:
    """Interviews of past years (held with records and indicator answers, some missed, some
    cancelled), this year's due, invited and confirmed ones booked in published slots, concerns
    with actions and referrals, and the notices the workers were sent."""

    def __init__(
        self,
        rng: random.Random,
        size: Size,
        users: list[User],
        base: Generator,
        plans: list[WorkerPlan],
        cards: list[IdentityCard],
        accounts: list[BankAccount],
        phones: list[WorkerPhone],
        registrations: list[Registration],
    ):
        self.rng, self.size, self.base = rng, size, base
        self.today, self.now = base.today, base.now
        roles = list(Role)
        by_role = {role: users[index :: len(roles)] for index, role in enumerate(roles)}
        self.interviewers = by_role[Role.INTERVIEWER]
        self.supervisors = by_role[Role.SUPERVISOR]
        self.officers = by_role[Role.PROTOCOL_OFFICER]
        self.policy = interview_services.policy_current()
        self.plans = plans
        self.registrations = registrations
        self.cards = cards
        self.accounts = accounts
        self.cards_of: dict[int, list[IdentityCard]] = defaultdict(list)
        for card in sorted(cards, key=lambda c: c.issue_date):
            self.cards_of[card.employment_id].append(card)
        self.account_of: dict[int, BankAccount] = {}
        for account in accounts:
            current = self.account_of.get(account.worker_id)
            if account.status != BankAccount.Status.CLOSED and (
                current is None or current.status != BankAccount.Status.VERIFIED
            ):
                self.account_of[account.worker_id] = account
        self.sms_number: dict[int, str] = {}
        for phone in phones:
            # The SMS number now, or for a past worker the safe mobile they had then.
            if phone.is_safe and (phone.is_sms_number or phone.worker_id not in self.sms_number):
                self.sms_number[phone.worker_id] = str(phone.number)
        self.planned: list[Planned] = []
        self.groups = itertools.count()
        self.starts: dict[tuple[dt.date, int], dt.datetime] = {}
        self.speakers_of: dict[int, tuple[int, ...]] = {}

    def save(self, model, objects: list) -> list:
        return self.base.save(model, objects)

    def aware(self, day: dt.date, time: dt.time) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, time))

    def slot_start(self, day: dt.date, index: int) -> dt.datetime:
        start = self.starts.get((day, index))
        if start is None:
            start = self.starts[(day, index)] = self.aware(day, SLOT_TIMES[index])
        return start

    # --- Rooms, interpreters, interviewers, organisations -------------------------------------

    def people(self) -> None:
        rng = self.rng
        rooms = [
            Room(
                name=f"Room 2.{10 + n}",
                location=f"Protocol Office, Rue de la Loi 15, 1000 Brussels, room 2.{10 + n}",
                is_private=True,
            )
            for n in range(len(self.interviewers) + 2)
        ]
        self.save(Room, rooms)
        self.room_of = {user.pk: rooms[n].pk for n, user in enumerate(self.interviewers)}
        self.place_of = {room.pk: room.location for room in rooms}
        languages = data.INTERVIEWER_LANGUAGES
        profiles = [
            InterviewerProfile(
                user=user,
                languages=["en", "fr", languages[n % len(languages)]],
                default_room=rooms[n],
                calendar_token=token(rng),
            )
            for n, user in enumerate(self.interviewers)
        ]
        self.save(InterviewerProfile, profiles)
        self.speaks = {profile.user_id: set(profile.languages) for profile in profiles}
        interpreters = [
            Interpreter(
                name=name,
                mode=Interpreter.Mode.PHONE if by_phone else Interpreter.Mode.IN_HOUSE,
                languages=list(codes),
                phone=data.mobile_number("BE", rng),
                email=f"interpreter{n}@interpreting.example",
                independent=True,
            )
            for n, (name, codes, by_phone) in enumerate(data.INTERPRETERS)
        ] + [
            Interpreter(name=name, languages=list(codes), independent=False, active=True)
            for name, codes in data.LINKED_INTERPRETERS
        ]
        self.save(Interpreter, interpreters)
        self.interpreters_for: dict[str, list[int]] = defaultdict(list)
        for interpreter in interpreters:
            if interpreter.independent:
                for code in interpreter.languages:
                    self.interpreters_for[code].append(interpreter.pk)
        self.organisations = self.save(
            Organisation,
            [
                Organisation(name=name, kind=kind, phone=phone, email=f"contact{n}@support.example")
                for n, (name, kind, phone) in enumerate(data.ORGANISATIONS)
            ],
        )

    # --- Which interviews, when ----------------------------------------------------------------

    def worker_languages(self, plan: WorkerPlan) -> list[str]:
        """Languages the worker is heard in without help, as interviews.services ranks them."""
        spoken = [
            code
            for level in ("native", "fluent", "working")
            for code, value in plan.languages.items()
            if value == level
        ]
        return list(dict.fromkeys([plan.worker.preferred_language, *spoken]))

    def speakers(self, plan: WorkerPlan) -> tuple[int, ...]:
        found = self.speakers_of.get(plan.worker.pk)
        if found is None:
            languages = set(self.worker_languages(plan))
            found = tuple(uid for uid, spoken in self.speaks.items() if spoken & languages)
            self.speakers_of[plan.worker.pk] = found
        return found

    def plan_interviews(self) -> None:
        rng, policy = self.rng, self.policy
        first_year = min(e.start_date for plan in self.plans for e in plan.employments).year
        self.holidays = public_holidays(first_year, self.today.year + 1)
        ahead = [
            self.today + dt.timedelta(days=n)
            for n in range(1, PUBLISHED_WEEKS_AHEAD * 7)
            if (self.today + dt.timedelta(days=n)).weekday() < 5
        ]
        self.leave = {
            (user.pk, day)
            for user in self.interviewers
            for day in rng.sample(ahead, LEAVE_DAYS_AHEAD)
        }
        self.diary = Diary(rng, [user.pk for user in self.interviewers], self.holidays, self.leave)
        self.window = dt.timedelta(days=policy.window_opens_days - policy.due_days)
        for plan in self.plans:
            for employment in plan.employments:
                if employment.status == Employment.Status.PRE_NOTIFIED:
                    continue
                for kind, opens, due, card in self.cycles(employment):
                    self.cycle(plan, employment, kind, opens, due, card)
        self.trim()

    def cycles(self, employment: Employment):
        """(kind, window opens, due, card) of each renewal interview the employment needed: the
        first renewal when the probation ends, then one in each card's window (cards last two
        years), as interviews.scheduling.renewal_target sets them."""
        policy = self.policy
        opens_days = dt.timedelta(days=policy.window_opens_days)
        due_days = dt.timedelta(days=policy.due_days)
        ended = employment.status == Employment.Status.ENDED
        # The last due date: the employment's end, or the windows open today.
        horizon = employment.end_date if ended else self.today + self.window
        cards = self.cards_of.get(employment.pk, [])
        probation = employment.start_date + relativedelta(months=policy.probation_months)
        if probation <= horizon:
            covering = next((c for c in cards if c.issue_date <= probation < c.expiry_date), None)
            yield InterviewKind.FIRST_RENEWAL, probation - self.window, probation, covering
        first_issue = min(
            (c.issue_date for c in cards), default=employment.start_date + dt.timedelta(days=14)
        )
        expiry = first_issue + dt.timedelta(days=730)
        while expiry - due_days <= horizon:
            due = expiry - due_days
            if (due - probation).days > 120:  # else the first renewal was this card's interview
                card = next((c for c in cards if c.expiry_date == expiry), None)
                yield InterviewKind.ANNUAL, expiry - opens_days, due, card
            expiry += dt.timedelta(days=730)

    def new(self, plan, employment, kind, opens, due, card, group, follows=None) -> Planned:
        interview = Interview(
            worker=plan.worker,
            employment=employment,
            card=card,
            kind=kind,
            status=Interview.Status.DUE,
            window_opens_on=opens,
            due_on=due,
            language=plan.worker.preferred_language,
            created_at=min(self.aware(opens, dt.time(6, 30)), self.now),
        )
        planned = Planned(interview, plan, group, follows=follows)
        self.planned.append(planned)
        return planned

    def book(self, planned: Planned, key: tuple) -> None:
        """Put the interview in the slot `key`: interviewer, room, time, language, interpreter."""
        rng, interview = self.rng, planned.interview
        uid, day, index = key
        planned.key = key
        starts_at = self.slot_start(day, index)
        interview.interviewer_id = uid
        interview.room_id = self.room_of[uid]
        interview.starts_at = starts_at
        interview.ends_at = starts_at + dt.timedelta(minutes=SLOT_MINUTES)
        languages = self.worker_languages(planned.plan)
        common = [code for code in languages if code in self.speaks[uid]]
        if common:
            interview.language = common[0]
        else:
            interview.language = languages[0]
            candidates = self.interpreters_for.get(languages[0])
            if candidates:
                interview.interpreter_id = rng.choice(candidates)
        invited = starts_at - dt.timedelta(days=rng.randint(10, 40), hours=rng.randint(0, 8))
        interview.invited_at = min(max(invited, interview.created_at), self.now)
        if rng.random() < 0.7:
            confirmed = interview.invited_at + dt.timedelta(hours=rng.randint(2, 96))
            if confirmed < min(starts_at, self.now):
                interview.confirmed_at = confirmed
        interview.reminders_sent = [
            hours
            for hours in self.policy.reminder_hours or [72, 24]
            if starts_at - dt.timedelta(hours=hours) <= self.now
        ]

    def cycle(self, plan, employment, kind, opens, due, card) -> None:
        rng = self.rng
        group = next(self.groups)
        if rng.random() < 0.9:
            day = due - dt.timedelta(days=rng.randint(0, self.window.days - 10))
        else:
            day = due + dt.timedelta(days=rng.randint(1, 30))  # late
        day = max(day, opens + dt.timedelta(days=3))
        self.appointment(plan, employment, kind, opens, due, card, group, day)

    def appointment(
        self, plan, employment, kind, opens, due, card, group, day, follows=None, missed=0, depth=0
    ) -> None:
        """The interview whose appointment is around `day`, and what followed it."""
        rng = self.rng
        planned = self.new(plan, employment, kind, opens, due, card, group, follows)
        interview = planned.interview
        ended = employment.status == Employment.Status.ENDED
        if ended and day > employment.end_date:
            interview.status = Interview.Status.CANCELLED
            interview.cancel_reason = data.CANCEL_REASONS[0]
            return
        if day >= self.today:
            self.upcoming(planned, day)
            return
        key = self.diary.book(day, self.speakers(plan))
        self.book(planned, key)
        if interview.starts_at > self.now:
            interview.status = (
                Interview.Status.CONFIRMED if interview.confirmed_at else Interview.Status.INVITED
            )
            return
        held_day = key[1]
        roll = rng.random()
        if depth < 2 and roll < 0.03:
            interview.status = Interview.Status.CANCELLED
            interview.cancel_reason = rng.choice(data.CANCEL_REASONS[1:])
            self.appointment(
                plan,
                employment,
                kind,
                opens,
                due,
                card,
                group,
                held_day + dt.timedelta(days=rng.randint(7, 21)),
                depth=depth + 1,
            )
        elif depth < 2 and roll < 0.09:
            interview.status = Interview.Status.NO_SHOW
            planned.concern_no_show = missed + 1 == self.policy.missed_for_concern
            self.appointment(
                plan,
                employment,
                kind,
                opens,
                due,
                card,
                group,
                held_day + dt.timedelta(days=rng.randint(10, 25)),
                follows=planned,
                missed=missed + 1,
                depth=depth + 1,
            )
        elif (self.today - held_day).days <= 3 and roll < 0.25:
            # Not recorded yet: the interviewer's day shows it to be recorded.
            interview.status = (
                Interview.Status.CONFIRMED if interview.confirmed_at else Interview.Status.INVITED
            )
        else:
            interview.status = Interview.Status.HELD
            planned.outcome = rng.choices(
                list(OUTCOME_WEIGHTS), weights=list(OUTCOME_WEIGHTS.values())
            )[0]
            planned.counts = rng.random() >= 0.02
            if depth < 2 and (planned.outcome == "follow_up" or not planned.counts):
                days = 30 if planned.counts else 14
                self.appointment(
                    plan,
                    employment,
                    InterviewKind.FOLLOW_UP,
                    held_day,
                    held_day + dt.timedelta(days=days),
                    card,
                    group,
                    held_day + dt.timedelta(days=rng.randint(7, days)),
                    follows=planned,
                    depth=depth + 1,
                )

    def upcoming(self, planned: Planned, day: dt.date) -> None:
        """An interview still to come: due (not booked yet), or invited or confirmed in a slot
        from today to the end of the published weeks."""
        rng, interview = self.rng, planned.interview
        if planned.follows is None and rng.random() < 0.25:
            return  # due: the scheduler or an officer books it
        latest = self.today + dt.timedelta(weeks=PUBLISHED_WEEKS_AHEAD, days=-1)
        day = min(max(day, self.today), latest)
        key = self.diary.book(day, self.speakers(planned.plan))
        self.book(planned, key)
        interview.status = (
            Interview.Status.CONFIRMED if interview.confirmed_at else Interview.Status.INVITED
        )
        if rng.random() < 0.05 and interview.invited_at < self.now:
            interview.move_requested_at = interview.invited_at + dt.timedelta(hours=20)
            interview.move_request_note = rng.choice(data.MOVE_NOTES)

    def trim(self) -> None:
        """Keep the newest cycles up to the size's number of interviews: Hestia went live on the
        earliest kept cycle's window, and older interviews were never entered."""
        groups: dict[int, list[Planned]] = defaultdict(list)
        for planned in self.planned:
            groups[planned.group].append(planned)
        newest_first = sorted(
            groups.values(),
            key=lambda g: (g[0].interview.window_opens_on, g[0].group),
            reverse=True,
        )
        kept, total = set(), 0
        for group in newest_first:
            if total + len(group) > self.size.interviews:
                break
            kept.add(group[0].group)
            total += len(group)
        self.planned = [planned for planned in self.planned if planned.group in kept]
        self.go_live = min(p.interview.window_opens_on for p in self.planned)

    # --- Slots, the weekly availability and days off ---------------------------------------------

    def slots(self) -> None:
        keys = {planned.key for planned in self.planned if planned.key}
        monday = self.today - dt.timedelta(days=self.today.weekday())
        day = monday - dt.timedelta(weeks=PUBLISHED_WEEKS_BACK)
        last = self.today + dt.timedelta(weeks=PUBLISHED_WEEKS_AHEAD, days=-1)
        while day <= last:
            if self.diary.working(day):
                for user in self.interviewers:
                    if (user.pk, day) not in self.leave:
                        keys.update((user.pk, day, index) for index in range(len(SLOT_TIMES)))
            day += dt.timedelta(days=1)
        ordered = sorted(keys, key=lambda key: (key[1], key[2], key[0]))
        length = dt.timedelta(minutes=SLOT_MINUTES)
        rows = []
        for uid, day, index in ordered:
            start = self.slot_start(day, index)
            rows.append(
                Slot(
                    interviewer_id=uid,
                    room_id=self.room_of[uid],
                    starts_at=start,
                    ends_at=start + length,
                )
            )
        self.save(Slot, rows)
        slot_of = {key: slot.pk for key, slot in zip(ordered, rows, strict=True)}
        for planned in self.planned:
            if planned.key:
                planned.interview.slot_id = slot_of[planned.key]
        self.save(
            AvailabilityPattern,
            [
                AvailabilityPattern(
                    interviewer=user,
                    room_id=self.room_of[user.pk],
                    weekday=weekday,
                    start_time=start,
                    end_time=end,
                    valid_from=self.go_live,
                )
                for user in self.interviewers
                for weekday in range(5)
                for start, end in PERIODS
            ],
        )
        self.save(
            AvailabilityException,
            [
                AvailabilityException(date=day, reason=name)
                for day, name in sorted(self.holidays.items())
                if day >= self.go_live
            ]
            + [
                AvailabilityException(date=day, interviewer_id=uid, reason="Annual leave")
                for uid, day in sorted(self.leave, key=lambda item: (item[1], item[0]))
            ],
        )

    def interviews(self) -> None:
        """Insert the interviews, those that follow another after it."""
        remaining = self.planned
        while remaining:
            ready = [p for p in remaining if p.follows is None or p.follows.interview.pk]
            for planned in ready:
                if planned.follows is not None:
                    planned.interview.follows_id = planned.follows.interview.pk
            self.save(Interview, [planned.interview for planned in ready])
            remaining = [p for p in remaining if p.interview.pk is None]

    # --- Records and their indicator answers -------------------------------------------------

    def records(self) -> None:
        rng = self.rng
        Holder = DocumentHolder

        def answer(bad: float) -> str:
            return Answer.NO if rng.random() < bad else Answer.YES

        held = [p for p in self.planned if p.interview.status == Interview.Status.HELD]
        records = []
        for planned in held:
            interview, worker = planned.interview, planned.plan.worker
            concern = planned.outcome != "no_concern"
            account = self.account_of.get(worker.pk)
            employment = interview.employment
            factor = 6 if concern else 1
            record = InterviewRecord(
                interview=interview,
                held_at=interview.starts_at + dt.timedelta(minutes=rng.randint(0, 10)),
                recorded_by_id=interview.interviewer_id,
                recorded_at=interview.starts_at + dt.timedelta(minutes=rng.randint(50, 240)),
                in_person=True,
                in_private=planned.counts or rng.random() < 0.5,
                no_employer_present=planned.counts,
                counts=planned.counts,
                language=interview.language,
                interpreter_id=interview.interpreter_id,
                interpreter_independent=True if interview.interpreter_id else None,
                identity_checked=True,
                passport_holder=Holder.EMPLOYER if rng.random() < 0.03 * factor else Holder.WORKER,
                card_holder=Holder.EMPLOYER if rng.random() < 0.02 * factor else Holder.WORKER,
                daily_hours=rng.choice([8, 8, 8, 9, 10, 12 if concern else 9]),
                weekly_hours=rng.choice([38, 40, 40, 45, 48, 60 if concern else 45]),
                weekly_rest_day=answer(0.03 * factor),
                annual_leave=answer(0.05 * factor),
                wage_amount=employment.monthly_salary if employment else None,
                wage_into_own_account=answer(0.02 * factor),
                wage_on_time=answer(0.04 * factor),
                wage_in_full=answer(0.03 * factor),
                own_room_locks=answer(0.1 * factor),
                free_to_go_out=answer(0.02 * factor),
                own_phone=answer(0.02 * factor),
                contact_family=answer(0.01 * factor),
                threats_or_abuse=Answer.YES if planned.outcome == "urgent" else Answer.NO,
                wish_to_continue=answer(0.05 * factor),
                bank_account=account,
                bank_account_confirmed=(
                    Answer.NOT_ANSWERED
                    if account is None
                    else Answer.NO
                    if account.name_mismatch
                    else Answer.YES
                ),
                outcome=planned.outcome,
                restricted_notes=rng.choice(data.RECORD_NOTES) if rng.random() < 0.3 else "",
            )
            planned.record = record
            records.append(record)
        self.save(InterviewRecord, records)
        # Eleven answers a record; the suspected or observed ones make the concern's indicators.
        codes = Indicator.values
        table = Table(IndicatorAnswer, ("record_id", "indicator", "level"))
        answers = []
        for planned in held:
            record = planned.record
            flagged = set()
            if planned.outcome != "no_concern":
                flagged = set(rng.sample(codes, rng.randint(1, 3)))
            level = (
                IndicatorLevel.OBSERVED if planned.outcome == "urgent" else IndicatorLevel.SUSPECTED
            )
            planned.indicators = sorted(flagged)
            for code in codes:
                answers.append(
                    (record.pk, code, level if code in flagged else IndicatorLevel.NOT_SEEN)
                )
            if len(answers) >= 20_000:
                table.write(answers)
                answers = []
        table.write(answers)
        self.base.counts["indicatoranswer"] += table.written
        self.save(
            RecordAddendum,
            [
                RecordAddendum(
                    record=planned.record,
                    text="Correction: the worker's rest day is Sunday, not Saturday.",
                    written_by_id=planned.interview.interviewer_id,
                    written_at=planned.record.recorded_at + dt.timedelta(days=1),
                )
                for planned in held
                if rng.random() < 0.01
            ],
        )

    # --- Concerns, actions, referrals, clearance decisions -------------------------------------

    def concerns(self) -> None:
        rng = self.rng
        concerns = []
        for planned in self.planned:
            interview = planned.interview
            if planned.outcome and planned.outcome != "no_concern":
                severity = SEVERITY_FOR_OUTCOME[planned.outcome]
                opened = planned.record.recorded_at
                day = timezone.localtime(planned.record.held_at).strftime("%Y-%m-%d")
                summary = {
                    "urgent": f"Urgent outcome of the interview on {day}.",
                    "referral": f"Referral asked after the interview on {day}.",
                    "follow_up": f"Follow-up asked after the interview on {day}.",
                }[planned.outcome]
                concern = Concern(
                    worker=planned.plan.worker,
                    source=Concern.Source.RECORD,
                    record=planned.record,
                    interview=interview,
                    severity=severity,
                    summary=summary,
                    details=summary + " Indicators: " + ", ".join(planned.indicators) + ".",
                    indicators=planned.indicators,
                    opened_at=opened,
                    opened_by_id=interview.interviewer_id,
                )
            elif planned.concern_no_show:
                severity = Concern.Severity.HIGH
                opened = interview.starts_at + dt.timedelta(days=1, hours=2)
                concern = Concern(
                    worker=planned.plan.worker,
                    source=Concern.Source.NO_SHOW,
                    interview=interview,
                    severity=severity,
                    summary="Two appointments missed in a row: possible restriction of movement.",
                    indicators=[Indicator.RESTRICTION_OF_MOVEMENT],
                    opened_at=opened,
                )
            else:
                continue
            if opened > self.now:
                continue
            days = {"urgent": 1, "high": 7, "medium": 14, "low": 30}[severity]
            concern.due_on = timezone.localdate(opened) + dt.timedelta(days=days)
            concern.owner = rng.choice(self.supervisors)
            age = (self.now - opened).days
            if age > 150:
                weights = [1, 1, 1, 97]
            elif age > 30:
                weights = [5, 20, 15, 60]
            else:
                weights = [40, 40, 10, 10]
            concern.status = rng.choices(
                [
                    Concern.Status.OPEN,
                    Concern.Status.IN_PROGRESS,
                    Concern.Status.REFERRED,
                    Concern.Status.CLOSED,
                ],
                weights=weights,
            )[0]
            if concern.status == Concern.Status.CLOSED:
                concern.closed_at = min(
                    opened + dt.timedelta(days=rng.randint(3, max(3, min(age, 120)))), self.now
                )
                concern.closed_by = concern.owner
                concern.closure_reason = rng.choices(
                    Concern.ClosureReason.values, weights=[50, 20, 10, 10, 10]
                )[0]
                concern.closure_note = "Closed after the follow-up call."
            concerns.append(concern)
        self.save(Concern, concerns)
        actions, referrals = [], []
        kinds = defaultdict(list)
        for organisation in self.organisations:
            kinds[organisation.kind].append(organisation)
        for concern in concerns:
            first = timezone.localdate(concern.opened_at)
            last = timezone.localdate(concern.closed_at) if concern.closed_at else self.today
            for _ in range(rng.randint(1, 4) if concern.status != Concern.Status.OPEN else 0):
                actions.append(
                    ConcernAction(
                        concern=concern,
                        text=rng.choice(data.CONCERN_ACTIONS),
                        taken_on=first + dt.timedelta(days=rng.randint(0, (last - first).days)),
                        written_by=concern.owner,
                        written_at=min(
                            concern.opened_at + dt.timedelta(days=rng.randint(0, 30)), self.now
                        ),
                    )
                )
            referred = concern.status == Concern.Status.REFERRED or (
                concern.severity in (Concern.Severity.HIGH, Concern.Severity.URGENT)
                and concern.status == Concern.Status.CLOSED
                and rng.random() < 0.6
            )
            if referred:
                kind = rng.choice(
                    ["shelter", "police"]
                    if concern.severity == Concern.Severity.URGENT
                    else ["ngo", "labour_inspectorate", "mediation"]
                )
                day = first + dt.timedelta(days=rng.randint(0, 5))
                answered = concern.status == Concern.Status.CLOSED or rng.random() < 0.5
                referrals.append(
                    Referral(
                        concern=concern,
                        organisation=rng.choice(kinds[kind]),
                        referred_on=min(day, self.today),
                        referred_by=concern.owner,
                        status=(
                            rng.choice([Referral.Status.ACCEPTED, Referral.Status.COMPLETED])
                            if answered
                            else Referral.Status.SENT
                        ),
                        response="Taken on; the worker is in contact with us." if answered else "",
                        response_on=min(day + dt.timedelta(days=3), self.today)
                        if answered
                        else None,
                    )
                )
        self.save(ConcernAction, actions)
        self.save(Referral, referrals)
        # A supervisor released some of the renewals an open urgent concern holds.
        current_card = {
            card.worker_id: card for card in self.cards if card.status == IdentityCard.Status.ISSUED
        }
        decisions = []
        for concern in concerns:
            card = current_card.get(concern.worker_id)
            if (
                card is not None
                and concern.severity == Concern.Severity.URGENT
                and concern.status != Concern.Status.CLOSED
                and rng.random() < 0.5
            ):
                decisions.append(
                    ClearanceDecision(
                        card=card,
                        decision=ClearanceDecision.Decision.RELEASED,
                        reason="The worker is safe and wants the card renewed.",
                        decided_by=concern.owner,
                        decided_at=min(concern.opened_at + dt.timedelta(days=2), self.now),
                    )
                )
        self.save(ClearanceDecision, decisions)

    # --- Notices --------------------------------------------------------------------------------

    def channels(self, plan: WorkerPlan) -> list[tuple[str, str]]:
        worker = plan.worker
        found = []
        number = self.sms_number.get(worker.pk)
        if number:
            found.append((Channel.SMS, number))
        if worker.email:
            found.append((Channel.EMAIL, worker.email))
        return found or [(Channel.HAND_OVER, "")]

    def notice_events(self) -> list[tuple]:
        """(moment, worker plan, kind, context, by) of every notice the workers were sent."""
        events = []
        public = settings.HESTIA_PUBLIC_URL
        for planned in self.planned:
            interview = planned.interview
            if interview.invited_at is None:
                continue
            local = timezone.localtime(interview.starts_at)
            context = {
                "date": local.isoformat(),
                "place": self.place_of[interview.room_id],
                "link": f"{public}/a/{token(self.rng, 144)}/",
            }
            events.append((interview.invited_at, planned.plan, Kind.INTERVIEW_INVITATION, context))
            if interview.move_requested_at:
                moved = interview.move_requested_at + dt.timedelta(hours=3)
                if moved < self.now:
                    events.append((moved, planned.plan, Kind.MOVED, context))
            for hours in interview.reminders_sent:
                events.append(
                    (
                        interview.starts_at - dt.timedelta(hours=hours),
                        planned.plan,
                        Kind.REMINDER,
                        context,
                    )
                )
            if interview.status == Interview.Status.CANCELLED:
                events.append(
                    (
                        min(interview.starts_at - dt.timedelta(days=2), self.now),
                        planned.plan,
                        Kind.CANCELLED,
                        context,
                    )
                )
            if interview.status == Interview.Status.NO_SHOW:
                events.append(
                    (
                        min(interview.starts_at + dt.timedelta(hours=20), self.now),
                        planned.plan,
                        Kind.MISSED_APPOINTMENT,
                        {},
                    )
                )
        plan_of = {plan.worker.pk: plan for plan in self.plans}
        employment_worker = {
            employment.pk: plan for plan in self.plans for employment in plan.employments
        }
        for registration in self.registrations:
            plan = employment_worker[registration.employment_id]
            moment = registration.held_at + dt.timedelta(minutes=30)
            events.append((moment, plan, Kind.REGISTRATION_CONFIRMATION, {}))
            events.append((moment, plan, Kind.RIGHTS_INFORMATION, {}))
        for card in self.cards:
            moment = self.aware(card.expiry_date - dt.timedelta(days=60), dt.time(10))
            if moment < self.now and card.status != IdentityCard.Status.REQUESTED:
                events.append((moment, plan_of[card.worker_id], Kind.CARD_EXPIRING, {}))
        for account in self.accounts:
            if account.status == BankAccount.Status.UNVERIFIED:
                moment = self.now - dt.timedelta(days=self.rng.randint(1, 200), hours=3)
                events.append(
                    (moment, plan_of[account.worker_id], Kind.BANK_VERIFICATION_NEEDED, {})
                )
        return [event for event in events if event[0] >= self.aware(self.go_live, dt.time.min)]

    def campaigns(self, wanted: int) -> list[tuple]:
        """Rights information sent to every worker in employment, twice a year, newest first,
        until there are `wanted` messages: (moment, plan, kind, context, batch)."""
        rng = self.rng
        events = []
        count = 0
        moment = self.aware(self.today - dt.timedelta(days=45), dt.time(10))
        go_live = self.aware(self.go_live, dt.time.min)
        while count < wanted and moment > go_live:
            day = timezone.localdate(moment)
            employed = [
                plan
                for plan in self.plans
                if any(
                    e.status != Employment.Status.PRE_NOTIFIED
                    and e.start_date <= day
                    and (e.end_date is None or e.end_date >= day)
                    for e in plan.employments
                )
            ]
            batch = Batch(
                kind=Kind.RIGHTS_INFORMATION,
                description=f"Every worker in employment, {day:%B %Y}",
                created_at=moment,
                created_by=rng.choice(self.officers),
            )
            chosen = []
            for plan in employed:
                if count >= wanted:
                    break
                chosen.append(plan)
                count += len(self.channels(plan))
            batch.worker_ids = [plan.worker.pk for plan in chosen]
            batch.total = batch.processed = len(chosen)
            batch.finished_at = moment + dt.timedelta(minutes=len(chosen) // 100 + 1)
            for number, plan in enumerate(chosen):
                at = moment + dt.timedelta(seconds=number // 50)
                events.append((at, plan, Kind.RIGHTS_INFORMATION, {}, batch))
            moment -= dt.timedelta(days=182)
        self.save(
            Batch, sorted({id(e[4]): e[4] for e in events}.values(), key=lambda b: b.created_at)
        )
        return events

    def messages(self) -> None:
        rng = self.rng
        templates = {(t.kind, t.channel, t.language): t for t in MessageTemplate.objects.all()}
        template_languages = {language for _kind, _channel, language in templates}
        events = [(*event, None) for event in self.notice_events()]
        total = sum(len(self.channels(event[1])) for event in events)
        if total > self.size.messages:
            rng.shuffle(events)
            kept, total = [], 0
            for event in events:
                count = len(self.channels(event[1]))
                if total + count <= self.size.messages:
                    kept.append(event)
                    total += count
            events = kept
        events += self.campaigns(self.size.messages - total)
        events.sort(key=lambda event: event[0])
        chain_of: dict[int, str] = {}
        officers = self.officers
        table = Table(Message, MESSAGE_COLUMNS)
        rights_urls: dict[str, str] = {}
        rows = []
        phone = settings.HESTIA_MINISTRY_PHONE
        for moment, plan, kind, context, batch in events:
            worker = plan.worker
            language = chain_of.get(worker.pk)
            if language is None:
                chain = [
                    worker.preferred_language,
                    *plan.languages,
                    settings.HESTIA_HOST_LANGUAGE,
                    "en",
                ]
                language = chain_of[worker.pk] = next(
                    code for code in chain if code in template_languages
                )
            values = {
                "given_names": worker.given_names,
                "ministry_phone": phone,
                "rights_url": rights_urls.get(language)
                or rights_urls.setdefault(language, rights_page_url(language)),
                "link": context.get("link", ""),
                "place": context.get("place", ""),
            }
            if "date" in context:
                when = dt.datetime.fromisoformat(context["date"])
                values["date"], values["time"] = f"{when:%d/%m/%Y}", f"{when:%H:%M}"
            age = self.now - moment
            created_by = (
                rng.choice(officers).pk
                if batch or kind in (Kind.REGISTRATION_CONFIRMATION, Kind.RIGHTS_INFORMATION)
                else None
            )
            for channel, recipient in self.channels(plan):
                template = templates.get(
                    (kind, Channel.EMAIL if channel == Channel.HAND_OVER else channel, language)
                )
                subject, body = (template.subject, template.body) if template else ("", kind)
                for name, value in values.items():
                    body = body.replace("{{ " + name + " }}", value)
                    subject = subject.replace("{{ " + name + " }}", value)
                rows.append(
                    (
                        worker.pk,
                        kind,
                        channel,
                        language,
                        1 if template else None,
                        recipient,
                        subject[:200] if channel != Channel.SMS else "",
                        body,
                        context,
                        moment,
                        created_by,
                        batch.pk if batch else None,
                        uuid.UUID(int=rng.getrandbits(128), version=4),
                        *self.outcome(channel, moment, age),
                    )
                )
            if len(rows) >= NOTICE_BATCH:
                table.write(rows)
                rows = []
        table.write(rows)
        self.base.counts["message"] += table.written

    def outcome(self, channel: str, moment: dt.datetime, age: dt.timedelta) -> tuple:
        """Where the message got to (OUTCOME_COLUMNS): old ones delivered (or sent, for e-mail),
        some failed; the newest still queued or sending; notices for hand-over held until an
        officer gave them."""
        rng, Status = self.rng, Message.Status
        attempts, last, sent, delivered, reference = 0, None, None, None, ""
        failure_code = failure_detail = hold_reason = cancel_reason = ""
        if channel == Channel.HAND_OVER:
            # Handed over at the worker's next visit; a few were never collected.
            if age <= dt.timedelta(days=10):
                status = Status.HELD
                hold_reason = "The worker has no safe mobile number and no e-mail address."
            elif rng.random() < 0.97:
                status = Status.DELIVERED
                delivered = moment + dt.timedelta(days=rng.randint(1, 9))
            else:
                status = Status.CANCELLED
                cancel_reason = "The worker left the country before it could be handed over."
        elif age < dt.timedelta(minutes=30):
            status = rng.choice([Status.QUEUED, Status.SENDING, Status.SENT])
        else:
            roll = rng.random()
            if roll < 0.035:
                status = Status.FAILED
                failure_code, failure_detail = rng.choice(data.FAILURES)
                attempts = 1 if failure_code in ("invalid_number", "bounced") else 6
            elif roll < 0.045:
                status = Status.CANCELLED
                cancel_reason = "The appointment was moved before this was sent."
            elif channel == Channel.EMAIL or roll < 0.06:
                status = Status.SENT
            else:
                status = Status.DELIVERED
        if status not in (Status.QUEUED, Status.CANCELLED) and channel != Channel.HAND_OVER:
            attempts = attempts or (1 if rng.random() < 0.92 else 2)
            last = moment + dt.timedelta(seconds=rng.randint(1, 20))
            if status in (Status.SENT, Status.DELIVERED):
                sent = last
                if channel == Channel.SMS:
                    reference = f"gw-{rng.getrandbits(64):016x}"
            if status == Status.DELIVERED:
                delivered = sent + dt.timedelta(seconds=rng.randint(2, 90))
        return (
            status,
            attempts,
            moment,
            last,
            sent,
            delivered,
            reference,
            failure_code,
            failure_detail,
            hold_reason,
            cancel_reason,
        )


def analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--entries", type=int, help="audit entries (default: by --size)")
    parser.add_argument("--users", type=int, help="staff users (default: by --size)")
    parser.add_argument("--seed", type=int, default=36)
    args = parser.parse_args()
    refuse_unless_scratch_database()
    size = SIZES[args.size]
    if args.size == "large" and connection.vendor != "postgresql":
        sys.exit("--size large is for PostgreSQL: set DATABASE_URL to a postgres:// database.")
    entries = size.audit_entries if args.entries is None else args.entries
    user_count = size.users if args.users is None else args.users
    database = f"{connection.vendor} {connection.settings_dict['NAME']}"
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    if Worker.objects.exists() or Mission.objects.exists():
        sys.exit(f"{database} already holds registry data: generate into an empty database.")
    steps = []

    def step(label: str, function, *arguments):
        began, cpu = time.perf_counter(), time.process_time()
        result = function(*arguments)
        steps.append((label, time.perf_counter() - began, time.process_time() - cpu))
        return result

    rng = random.Random(args.seed)
    with transaction.atomic():
        users = step("staff users", staff_users, user_count)
        generator = Generator(rng, size, users)
        services.policy_current()
        missions = step("missions", generator.missions)
        employers = step("employers", generator.employers, missions)
        plans = step("workers", generator.workers)
        step("employments", generator.employments, plans, employers)
        registrations = step("registrations", generator.registrations, plans)
        cards = step("cards", generator.cards, plans)
        accounts = step("bank accounts", generator.bank_accounts, plans)
        phones = step("phones", generator.phones, plans)
        step("languages, consents", generator.languages_and_consents, plans, phones)
        step("audit entries", audit_entries, users, entries, rng, len(plans))
        # A generator of its own, so the registry's rows stay those of earlier runs.
        interviews = InterviewGenerator(
            random.Random(args.seed + 1),
            size,
            users,
            generator,
            plans,
            cards,
            accounts,
            phones,
            registrations,
        )
        step("rooms, interpreters", interviews.people)
        step("interviews planned", interviews.plan_interviews)
        step("slots, availability", interviews.slots)
        step("interviews", interviews.interviews)
        step("records, indicators", interviews.records)
        step("concerns, referrals", interviews.concerns)
        step("notices", interviews.messages)
    if connection.vendor == "postgresql":
        # Autovacuum would get there too; now, so that the first plans see real statistics.
        step("analyze", analyze)
    elapsed = time.perf_counter() - started
    # This process's CPU time beside the wall clock: on a shared machine the gap is waiting.
    print(f"  {'step':<22}{'wall':>8}  {'cpu':>8}")
    for label, seconds, cpu in steps:
        print(f"  {label:<22}{seconds:8.1f} s{cpu:8.1f} s")
    counts = ", ".join(f"{count:,} {name}" for name, count in generator.counts.items())
    print(f"{args.size}: {counts}, {entries:,} audit entries for {len(users)} users")
    print(f"interviews from {interviews.go_live} (the earliest window kept) to the published weeks")
    print(
        f"into {database} in {elapsed:.1f} s, {time.process_time():.1f} s of CPU in this process "
        f"(seed {args.seed}, load average {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    main()
