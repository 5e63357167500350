"""Factories for bank accounts, their evidence and salary deposits (and the contracts they need)."""

import datetime as dt
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from schwifty import IBAN

from registry.encryption import search_hash
from registry.models import BankAccount, BankEvidence, Employment, SalaryDeposit
from tests.factories import EmployerFactory, UserFactory, WorkerFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def belgian_iban(n: int) -> str:
    """A valid Belgian IBAN (Belfius), different for every n."""
    return IBAN.generate("BE", bank_code="096", account_code=f"{n + 1000000:07d}").compact


class EmploymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employment

    worker = factory.SubFactory(WorkerFactory)
    employer = factory.SubFactory(EmployerFactory)
    start_date = dt.date(2025, 1, 1)
    monthly_salary = Decimal("2000.00")
    currency = "EUR"
    weekly_hours = 38
    weekly_rest_days = 2
    annual_leave_days = 20
    accommodation = Employment.Accommodation.IN_HOUSEHOLD
    status = Employment.Status.ACTIVE


class BankAccountFactory(factory.django.DjangoModelFactory):
    """An unverified IBAN account in the worker's sole name, as registry.services stores it."""

    class Meta:
        model = BankAccount

    worker = factory.SubFactory(WorkerFactory)
    iban = factory.Sequence(belgian_iban)
    account_hash = factory.LazyAttribute(lambda a: search_hash(a.iban or a.account_number))
    account_last4 = factory.LazyAttribute(lambda a: (a.iban or a.account_number)[-4:])
    bic = "GKCCBEBB"
    bank_name = "BELFIUS BANK"
    country = "BE"
    holder_names = factory.LazyAttribute(
        lambda a: f"{a.worker.given_names} {a.worker.family_name}".upper()
    )
    sole_holder = True


class BankEvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BankEvidence

    account = factory.SubFactory(BankAccountFactory)
    file = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="statement.pdf"))
    original_name = "statement.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)
    uploaded_by = factory.SubFactory(UserFactory, username="uploader")


class SalaryDepositFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SalaryDeposit

    account = factory.SubFactory(BankAccountFactory)
    employment = factory.SubFactory(
        EmploymentFactory, worker=factory.SelfAttribute("..account.worker")
    )
    month = factory.Sequence(lambda n: dt.date(2025 + n // 12, n % 12 + 1, 1))
    amount = Decimal("2000.00")
    currency = "EUR"
    expected_amount = factory.SelfAttribute("employment.monthly_salary")
    shortfall = factory.LazyAttribute(lambda d: max(Decimal("0"), d.expected_amount - d.amount))
    recorded_by = factory.SubFactory(UserFactory, username="recorder")
