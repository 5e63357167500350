"""Factories the organisation pages need beyond tests/factories.py: contracts with employers."""

import datetime as dt
from decimal import Decimal

import factory

from registry.models import Employment
from tests.factories import EmployerFactory, WorkerFactory


class OrganisationEmploymentFactory(factory.django.DjangoModelFactory):
    """An active contract that meets the default policy."""

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


class EndedEmploymentFactory(OrganisationEmploymentFactory):
    status = Employment.Status.ENDED
    end_date = dt.date(2025, 6, 30)
    end_reason = Employment.EndReason.CONTRACT_END
