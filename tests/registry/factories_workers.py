"""Factories for the worker pages: an indexed worker and everything the worker's page shows."""

import datetime as dt
from decimal import Decimal

import factory

from notifications.models import Kind, Message
from registry.encryption import normalise_identifier, search_hash
from registry.models import (
    BankAccount,
    Consent,
    Employment,
    IdentityCard,
    LanguageCourseReferral,
    Registration,
    SalaryDeposit,
    WorkerLanguage,
    WorkerPhone,
)
from registry.services import _worker_index
from tests.factories import EmployerFactory, UserFactory, WorkerFactory


class IndexedWorkerFactory(WorkerFactory):
    """A worker whose search columns are filled, as registry.services.worker_save leaves them."""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        worker = model_class(*args, **kwargs)
        _worker_index(worker)
        worker.save()
        return worker


class PhoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkerPhone

    worker = factory.SubFactory(IndexedWorkerFactory)
    number = factory.Sequence(lambda n: f"+32470{n:06d}")
    is_mobile = True
    is_safe = True
    is_sms_number = False


class LanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkerLanguage

    worker = factory.SubFactory(IndexedWorkerFactory)
    language = "tl"
    level = "native"


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    worker = factory.SubFactory(IndexedWorkerFactory)
    kind = Consent.Kind.DATA_PROCESSING
    given = True
    recorded_by = factory.SubFactory(UserFactory, username="consent-recorder")


class WorkerEmploymentFactory(factory.django.DjangoModelFactory):
    """A contract that meets the default policy (1800 EUR, 40 hours, 1 rest day, 20 days)."""

    class Meta:
        model = Employment

    worker = factory.SubFactory(IndexedWorkerFactory)
    employer = factory.SubFactory(EmployerFactory)
    start_date = dt.date(2025, 1, 1)
    monthly_salary = Decimal("2000.00")
    currency = "EUR"
    weekly_hours = 38
    weekly_rest_days = 2
    annual_leave_days = 24
    accommodation = Employment.Accommodation.OWN
    status = Employment.Status.ACTIVE


class EndedEmploymentFactory(WorkerEmploymentFactory):
    start_date = dt.date(2020, 1, 1)
    end_date = dt.date(2021, 6, 30)
    status = Employment.Status.ENDED
    end_reason = Employment.EndReason.CONTRACT_END


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    employment = factory.SubFactory(WorkerEmploymentFactory)
    officer = factory.SubFactory(UserFactory, username="registering-officer")
    identity_checked = True
    held_own_passport = True
    employer_absent = True
    language = "tl"
    rights_explained = True
    leaflet_language = "tl"


class CardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IdentityCard

    worker = factory.SubFactory(IndexedWorkerFactory)
    kind = IdentityCard.Kind.ID_CARD
    number = factory.Sequence(lambda n: f"D-{700100 + n:07d}")
    number_normalised = factory.LazyAttribute(lambda card: normalise_identifier(card.number))
    issue_date = dt.date(2025, 1, 10)
    expiry_date = dt.date(2027, 1, 10)
    status = IdentityCard.Status.ISSUED


class AccountFactory(factory.django.DjangoModelFactory):
    """An unverified account in the worker's sole name, as registry.services stores it."""

    class Meta:
        model = BankAccount

    worker = factory.SubFactory(IndexedWorkerFactory)
    account_number = factory.Sequence(lambda n: f"{90000000 + n}")
    bank_code = "096"
    account_hash = factory.LazyAttribute(lambda a: search_hash(a.bank_code + a.account_number))
    account_last4 = factory.LazyAttribute(lambda a: a.account_number[-4:])
    bank_name = "Belfius"
    country = "BE"
    holder_names = factory.LazyAttribute(lambda a: f"{a.worker.given_names} {a.worker.family_name}")
    sole_holder = True


class DepositFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SalaryDeposit

    account = factory.SubFactory(AccountFactory)
    employment = factory.SubFactory(
        WorkerEmploymentFactory, worker=factory.SelfAttribute("..account.worker")
    )
    month = factory.Sequence(lambda n: dt.date(2025 + n // 12, n % 12 + 1, 1))
    amount = Decimal("2000.00")
    currency = "EUR"
    expected_amount = factory.SelfAttribute("employment.monthly_salary")
    shortfall = factory.LazyAttribute(lambda d: max(Decimal("0"), d.expected_amount - d.amount))
    recorded_by = factory.SubFactory(UserFactory, username="deposit-recorder")


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LanguageCourseReferral

    worker = factory.SubFactory(IndexedWorkerFactory)
    language = "fr"
    provider = "Maison des langues"
    referred_on = dt.date(2025, 3, 1)


class NoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    worker = factory.SubFactory(IndexedWorkerFactory)
    kind = Kind.RIGHTS_INFORMATION
    channel = "hand_over"
    status = Message.Status.HELD
    body = "Your rights"
    language = "tl"
