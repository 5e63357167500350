"""Contracts and cards for the tests of employments, registration and cards."""

import datetime as dt
from decimal import Decimal

import factory

from registry.encryption import normalise_identifier
from registry.models import Employment, IdentityCard
from tests.factories import EmployerFactory, WorkerFactory


class EmploymentFactory(factory.django.DjangoModelFactory):
    """A contract that meets the default policy (1800 EUR, 40 hours, 1 rest day, 20 days)."""

    class Meta:
        model = Employment

    worker = factory.SubFactory(WorkerFactory)
    employer = factory.SubFactory(EmployerFactory)
    start_date = dt.date(2026, 1, 1)
    duties = "Cooking and cleaning"
    monthly_salary = Decimal("2100.00")
    currency = "EUR"
    weekly_hours = 38
    weekly_rest_days = 2
    annual_leave_days = 24
    accommodation = Employment.Accommodation.OWN
    contract_languages = factory.LazyFunction(lambda: ["en", "tl"])
    status = Employment.Status.PRE_NOTIFIED


class IdentityCardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IdentityCard

    employment = factory.SubFactory(EmploymentFactory, status=Employment.Status.ACTIVE)
    worker = factory.SelfAttribute("employment.worker")
    kind = IdentityCard.Kind.ID_CARD
    number = factory.Sequence(lambda n: f"D{700100 + n:07d}")
    number_normalised = factory.LazyAttribute(lambda card: normalise_identifier(card.number))
    issue_date = dt.date(2026, 1, 10)
    expiry_date = dt.date(2027, 1, 10)
    status = IdentityCard.Status.ISSUED
