"""Contracts, the in-person registration and ID cards: who may open each page."""

import datetime as dt
from decimal import Decimal

from registry.models import Employment, IdentityCard
from tests.factories import EmployerFactory, WorkerFactory
from tests.matrix import PO, SV, only


def _worker():
    return {"worker_pk": WorkerFactory().pk}


def _employment(**fields) -> Employment:
    worker = WorkerFactory()
    return Employment.objects.create(
        worker=worker,
        employer=EmployerFactory(),
        start_date=dt.date(2026, 1, 1),
        monthly_salary=Decimal("2100.00"),
        currency="EUR",
        weekly_hours=38,
        weekly_rest_days=2,
        annual_leave_days=24,
        accommodation=Employment.Accommodation.OWN,
        **fields,
    )


def _pre_notified():
    return {"pk": _employment().pk}


def _registered():
    return {"pk": _employment(status=Employment.Status.REGISTERED).pk}


def _active():
    return {"pk": _employment(status=Employment.Status.ACTIVE).pk}


def _card():
    employment = _employment(status=Employment.Status.ACTIVE)
    card = IdentityCard.objects.create(
        worker=employment.worker,
        employment=employment,
        number="D7001001",
        number_normalised="D7001001",
        issue_date=dt.date(2026, 1, 10),
        expiry_date=dt.date(2027, 1, 10),
    )
    return {"pk": card.pk}


ENTRIES = {
    "registry:employment-create": (_worker, "get", only(PO)),
    "registry:employment-update": (_pre_notified, "get", only(PO, SV)),
    "registry:employment-activate": (_registered, "get", only(PO, SV)),
    # An empty POST suspends an active employment and goes back to the worker's page.
    "registry:employment-suspend": (_active, "post", only(PO, SV, allowed=302)),
    "registry:employment-end": (_active, "get", only(PO, SV)),
    "registry:registration-create": (_pre_notified, "get", only(PO)),
    "registry:card-create": (_worker, "get", only(PO)),
    "registry:card-update": (_card, "get", only(PO)),
}
