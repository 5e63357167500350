"""Synthetic registry data and audit log for the benchmarks, inserted in bulk.

    HESTIA_ENV_FILE=/dev/null DEBUG=true DATABASE_URL=sqlite:////tmp/bench-ministry.sqlite3 \\
        .venv/bin/python bench/generate.py --size ministry

`ministry`: 300 missions, 3,000 employers, 5,000 workers with an open employment (some with
earlier ones) and 15,000 past workers whose employments have all ended, with their
registrations, ID cards and visas, bank accounts (Belgian IBANs, some verified), phones,
languages and consents, 50 staff users and 200,000 audit entries. `small` is a tenth of each.
Names come from eighteen countries, in the passport's Latin letters and the worker's own script.

Migrates the database first. The same --seed gives the same data (dates are relative to the
day of the run). Refuses to run when DEBUG is off, on the development database (db.sqlite3),
and on a database that already holds workers.
"""

import argparse
import datetime as dt
import itertools
import os
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")

import django

django.setup()

from anyascii import anyascii
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django_countries import countries
from schwifty import IBAN

from accounts.models import AuditEntry, User
from accounts.roles import Role
from bench import data
from registry import services
from registry.encryption import normalise_identifier, search_hash
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


SIZES = {
    "small": Size(30, 300, 500, 1_500, 20_000),
    "ministry": Size(300, 3_000, 5_000, 15_000, 200_000),
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


def audit_entries(users: list[User], count: int, rng: random.Random, max_object_id: int) -> None:
    actions = [choice for choice, _label in AuditEntry.Action.choices]
    types = ["registry.worker", "registry.employer", "registry.mission", "accounts.user"]
    now = timezone.now()
    batch = []
    for number in range(count):
        user = rng.choice(users)
        batch.append(
            AuditEntry(
                at=now - timezone.timedelta(seconds=number * 37),
                actor=user,
                actor_username=user.username,
                action=rng.choice(actions),
                object_type=rng.choice(types),
                object_id=str(rng.randint(1, max_object_id)),
                changed_fields=["family_name"] if rng.random() < 0.2 else [],
                ip_address=f"10.0.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
            )
        )
        if len(batch) == 5000:
            AuditEntry.objects.bulk_create(batch)
            batch = []
    AuditEntry.objects.bulk_create(batch)


@dataclass
class WorkerPlan:
    worker: Worker
    person: data.Person
    active: bool
    employments: list[Employment] = field(default_factory=list)


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
        named = [
            *((f"Embassy of {n}", Mission.Kind.EMBASSY, c) for c, n in states[:embassies]),
            *(
                (f"Consulate General of {n}", Mission.Kind.CONSULATE, c)
                for c, n in states[:consulates]
            ),
            *(
                (
                    f"Permanent Mission of {n} to the European Union",
                    Mission.Kind.PERMANENT_MISSION,
                    c,
                )
                for c, n in states[embassies - permanent : embassies]
            ),
            *(
                (name, Mission.Kind.INTERNATIONAL_ORGANISATION, "")
                for name in data.INTERNATIONAL_ORGANISATIONS[:organisations]
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

    def registrations(self, plans: list[WorkerPlan]) -> None:
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
        self.save(Registration, rows)

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

    def cards(self, plans: list[WorkerPlan]) -> None:
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
        self.save(IdentityCard, rows)

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

    def bank_accounts(self, plans: list[WorkerPlan]) -> None:
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
        self.save(BankAccount, rows)

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


def analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--entries", type=int, help="audit entries (default: by --size)")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seed", type=int, default=36)
    args = parser.parse_args()
    refuse_unless_scratch_database()
    size = SIZES[args.size]
    entries = size.audit_entries if args.entries is None else args.entries
    database = f"{connection.vendor} {connection.settings_dict['NAME']}"
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    if Worker.objects.exists() or Mission.objects.exists():
        sys.exit(f"{database} already holds registry data: generate into an empty database.")
    steps = []

    def step(label: str, function, *arguments):
        began = time.perf_counter()
        result = function(*arguments)
        steps.append((label, time.perf_counter() - began))
        return result

    rng = random.Random(args.seed)
    with transaction.atomic():
        users = step("staff users", staff_users, args.users)
        generator = Generator(rng, size, users)
        services.policy_current()
        missions = step("missions", generator.missions)
        employers = step("employers", generator.employers, missions)
        plans = step("workers", generator.workers)
        step("employments", generator.employments, plans, employers)
        step("registrations", generator.registrations, plans)
        step("cards", generator.cards, plans)
        step("bank accounts", generator.bank_accounts, plans)
        phones = step("phones", generator.phones, plans)
        step("languages, consents", generator.languages_and_consents, plans, phones)
        step("audit entries", audit_entries, users, entries, rng, len(plans))
    if connection.vendor == "postgresql":
        # Autovacuum would get there too; now, so that the first plans see real statistics.
        step("analyze", analyze)
    elapsed = time.perf_counter() - started
    for label, seconds in steps:
        print(f"  {label:<22}{seconds:8.1f} s")
    counts = ", ".join(f"{count:,} {name}" for name, count in generator.counts.items())
    print(f"{args.size}: {counts}, {entries:,} audit entries for {len(users)} users")
    print(f"into {database} in {elapsed:.1f} s (seed {args.seed})")


if __name__ == "__main__":
    main()
