"""Demo data for a first look at Hestia: one staff user per role, missions, employers, workers.

Safe to run again: existing records are kept, never duplicated. Refuses to run in production,
because the demo passwords and authenticator keys are published in the README.
"""

import datetime as dt
import hashlib
from base64 import b32encode
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from schwifty import IBAN

from accounts.models import User
from accounts.roles import Role
from registry import services
from registry.models import Employer, Employment, Mission, Worker

DEMO_PASSWORD = "Hestia-demo-2026"  # noqa: S105  (published on purpose, DEBUG only)

DEMO_USERS = [
    ("officer", "Olga", "Marin", Role.PROTOCOL_OFFICER, False),
    ("interviewer", "Idris", "Haddad", Role.INTERVIEWER, False),
    ("supervisor", "Sofia", "Lindqvist", Role.SUPERVISOR, False),
    ("admin", "Adam", "Novak", Role.ADMINISTRATOR, True),
    ("auditor", "Aiko", "Tanaka", Role.AUDITOR, False),
]

MISSIONS = [
    ("Embassy of the Republic of the Philippines", Mission.Kind.EMBASSY, "PH"),
    ("Embassy of the Kingdom of Saudi Arabia", Mission.Kind.EMBASSY, "SA"),
    ("Consulate General of India", Mission.Kind.CONSULATE, "IN"),
    ("Permanent Mission of Brazil", Mission.Kind.PERMANENT_MISSION, "BR"),
    ("Embassy of Ethiopia", Mission.Kind.EMBASSY, "ET"),
    ("International Telecommunication Office", Mission.Kind.INTERNATIONAL_ORGANISATION, ""),
]

EMPLOYERS = [
    (0, "Santos", "Maria Luisa", "Ambassador", True, "diplomatic_agent"),
    (0, "Reyes", "Jose", "First Secretary", False, "diplomatic_agent"),
    (1, "Al-Qahtani", "Faisal", "Ambassador", True, "diplomatic_agent"),
    (1, "Al-Harbi", "Nasser", "Counsellor", False, "diplomatic_agent"),
    (2, "Sharma", "Anil", "Consul General", True, "consular_officer"),
    (3, "Oliveira", "Carla", "Permanent Representative", True, "diplomatic_agent"),
    (4, "Bekele", "Tesfaye", "Minister Counsellor", False, "diplomatic_agent"),
    (5, "Okafor", "Ngozi", "Director", False, "organisation_official"),
]

WORKERS = [
    ("Dela Cruz", "Rosario", "", "1985-03-14", "F", "PH", "tl"),
    ("Bautista", "Lorna", "", "1979-11-02", "F", "PH", "tl"),
    ("Gebremedhin", "Selam", "ሰላም ገብረመድህን", "1992-06-21", "F", "ET", "am"),
    ("Perera", "Kumari", "කුමාරි පෙරේරා", "1988-01-30", "F", "LK", "si"),
    ("Tamang", "Pemba", "पेम्बा तामाङ", "1990-09-09", "M", "NP", "ne"),
    ("Wanjiru", "Grace", "", "1994-04-17", "F", "KE", "sw"),
    ("Hossain", "Rokeya", "রোকেয়া হোসেন", "1983-12-05", "F", "BD", "bn"),
    ("Nguyễn", "Thị Lan", "Nguyen Thi Lan", "1991-07-23", "F", "VN", "vi"),
    ("Sesay", "Aminata", "", "1987-02-11", "F", "SL", "en"),
    ("Al-Masri", "Huda", "هدى المصري", "1986-10-28", "F", "EG", "ar"),
    ("Quispe", "Juana", "", "1984-05-19", "F", "PE", "es"),
    ("Diallo", "Mariama", "", "1993-08-03", "F", "SN", "fr"),
]


def demo_totp_key(username: str) -> str:
    """A fixed key per demo user, so the printed authenticator set-up survives a re-run."""
    return hashlib.sha1(f"hestia-demo-totp-{username}".encode()).hexdigest()  # noqa: S324  # nosec B324


class Command(BaseCommand):
    help = "Load demo missions, employers, workers and one staff user per role (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with published passwords and refuses to run when "
                "DEBUG is off."
            )
        with transaction.atomic():
            users = self._users()
            missions = self._registry()
            self._contracts(officer=User.objects.get(username="officer"))
            self._interviews()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {missions} missions, {Employer.objects.count()} employers, "
                f"{Worker.objects.count()} workers, {Employment.objects.count()} employments."
            )
        )
        self.stdout.write("")
        self.stdout.write(
            "Demo logins (http://127.0.0.1:8000/), password for all: " + DEMO_PASSWORD
        )
        for username, role, secret in users:
            self.stdout.write(f"  {username:<12} {role:<17} authenticator key: {secret}")
        if not settings.HESTIA_REQUIRE_2FA:
            self.stdout.write(
                "Two-factor sign-in is not required in development; set HESTIA_REQUIRE_2FA=true "
                "and add the key above to an authenticator app to try it."
            )

    def _users(self):
        printed = []
        for username, first, last, role, is_staff in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@hestia.example",
                    "is_staff": is_staff,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
                user.groups.set([Group.objects.get(name=str(role))])
            key = demo_totp_key(username)
            TOTPDevice.objects.get_or_create(
                user=user, name="default", defaults={"key": key, "confirmed": True}
            )
            secret = b32encode(bytes.fromhex(key)).decode()
            printed.append((username, str(role), secret))
        return printed

    def _registry(self) -> int:
        missions = []
        for name, kind, state in MISSIONS:
            mission, _ = Mission.objects.get_or_create(
                name=name, defaults={"kind": kind, "sending_state": state}
            )
            missions.append(mission)
        for index, (mission_no, family, given, title, head, category) in enumerate(EMPLOYERS):
            Employer.objects.get_or_create(
                accreditation_number=f"DEMO-{index + 1:04d}",
                defaults={
                    "mission": missions[mission_no],
                    "family_name": family,
                    "given_names": given,
                    "title": title,
                    "is_head_of_mission": head,
                    "privileges_category": category,
                },
            )
        officer = User.objects.get(username="officer")
        for number, (family, given, other, born, sex, nationality, language) in enumerate(WORKERS):
            born_on = dt.date.fromisoformat(born)
            if Worker.objects.filter(
                family_name=family, given_names=given, date_of_birth=born_on
            ).exists():
                continue
            worker = services.worker_save(
                by=officer,
                family_name=family,
                given_names=given,
                other_spellings=other,
                date_of_birth=born_on,
                sex=sex,
                nationality=nationality,
                passport_number=f"{nationality}{4410270 + number * 7919}",
                passport_expiry=dt.date(2030, 1 + number % 12, 1),
                preferred_language=language,
                host_language_level="basic" if number % 3 else "none",
            )
            services.consent_record(by=officer, worker=worker, kind="data_processing", given=True)
            services.language_set(by=officer, worker=worker, language=language, level="native")
            services.phone_add(
                by=officer,
                worker=worker,
                number=f"+32470{120000 + number * 101:06d}",
                is_safe=number != 4,
                is_sms_number=number != 4,
                note="" if number != 4 else "Phone held by the employer",
            )
        return len(missions)

    def _contracts(self, *, officer: User) -> None:
        """Contracts in every state, so each screen has something to show."""
        employers = list(Employer.objects.order_by("accreditation_number"))
        today = timezone.localdate()
        for number, worker in enumerate(Worker.objects.order_by("id")):
            if worker.employments.exists():
                continue
            employer = employers[number % len(employers)]
            employment = services.employment_create(
                by=officer,
                worker=worker,
                employer=employer,
                start_date=today - dt.timedelta(days=30 + 40 * number),
                duties="Cooking, cleaning and care of the household",
                monthly_salary=Decimal("1650.00") if number == 5 else Decimal("2100.00"),
                currency="EUR",
                weekly_hours=38,
                weekly_rest_days=2 if number != 6 else 1,
                annual_leave_days=24,
                accommodation="in_household" if number % 2 else "own",
                contract_languages=["en", worker.preferred_language],
            )
            if number == len(WORKERS) - 1:
                continue  # announced by the mission, waiting for the in-person registration
            services.registration_record(
                by=officer,
                employment=employment,
                identity_checked=True,
                held_own_passport=number != 3,
                employer_absent=True,
                language=worker.preferred_language,
                interpreter=""
                if worker.preferred_language in ("en", "fr", "es", "ar")
                else "Interpreter on the phone line",
                rights_explained=True,
                leaflet_language=worker.preferred_language,
            )
            services.card_save(
                by=officer,
                worker=worker,
                employment=employment,
                kind="id_card",
                number=f"D{700100 + number:07d}",
                issue_date=employment.start_date,
                expiry_date=employment.start_date + dt.timedelta(days=365 + 30 * number),
                status="issued",
            )
            iban = IBAN.generate("BE", bank_code="096", account_code=f"{2200300 + number * 13:07d}")
            account = services.bank_account_add(
                by=officer,
                worker=worker,
                iban=str(iban),
                holder_names=f"{worker.given_names} {worker.family_name}"
                if number != 2
                else "Nasser Al-Harbi",
                sole_holder=number != 7,
            )
            if number % 2 == 0 and number not in (2, 7):
                services.bank_account_verify(
                    by=officer,
                    account=account,
                    method="in_person",
                    verified_on=today - dt.timedelta(days=number * 20),
                )

    def _interviews(self) -> None:
        """A room, interpreters, the interviewers' languages and weekly hours, organisations to
        refer to, then the daily scheduling run: the workers whose card's window is open get
        an interview booked and an invitation (in the console in development)."""
        from interviews.models import (
            AvailabilityPattern,
            Interpreter,
            InterviewerProfile,
            Organisation,
            Room,
        )
        from interviews.scheduling import schedule_run

        room, _ = Room.objects.get_or_create(
            name="Room 2.14",
            defaults={"location": "Protocol Office, Rue de la Loi 15, ground floor, room 2.14"},
        )
        for name, mode, languages in (
            ("Ligaya Santos", "phone", ["tl", "en"]),
            ("Hanna Tesfaye", "phone", ["am", "ti", "en"]),
            ("Priya Wickramasinghe", "in_house", ["si", "ta", "en"]),
        ):
            Interpreter.objects.get_or_create(
                name=name, defaults={"mode": mode, "languages": languages, "phone": "+3225018000"}
            )
        for username, languages in (
            ("interviewer", ["ar", "fr", "en"]),
            ("supervisor", ["en", "es", "fr"]),
        ):
            user = User.objects.get(username=username)
            InterviewerProfile.objects.get_or_create(
                user=user, defaults={"languages": languages, "default_room": room}
            )
            for weekday in range(5):
                AvailabilityPattern.objects.get_or_create(
                    interviewer=user,
                    room=room,
                    weekday=weekday,
                    start_time=dt.time(9, 0) if username == "interviewer" else dt.time(14, 0),
                    end_time=dt.time(12, 0) if username == "interviewer" else dt.time(16, 0),
                    defaults={"valid_from": timezone.localdate()},
                )
        for name, kind in (
            ("Domestic Workers' Rights Centre", "ngo"),
            ("Labour Inspectorate", "labour_inspectorate"),
            ("Mediation Office for Diplomatic Households", "mediation"),
        ):
            Organisation.objects.get_or_create(name=name, defaults={"kind": kind})
        schedule_run()
