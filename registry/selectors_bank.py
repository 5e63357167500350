"""Workers whose salary account needs the ministry's attention (recommendation 39): those in an
active employment with no account in use, an account not yet verified, or a verification that
has expired. One list and its counts, in a fixed number of queries whatever their size."""

import datetime as dt

from django.db import models
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    When,
)
from django.db.models import Value as V
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.models import BankAccount, Employment, Worker
from registry.selectors import actively_employed_workers


class AccountState(models.TextChoices):
    NONE = "none", _("No account in use")
    UNVERIFIED = "unverified", _("Not verified")
    EXPIRED = "expired", _("Verification expired")


# Closed and rejected accounts cannot receive the salary: they do not count as an account.
NOT_IN_USE = (BankAccount.Status.CLOSED, BankAccount.Status.REJECTED)
_OK = "ok"


def _current_account():
    """The account that counts, as on the worker list: a verified one if there is one (the
    latest verification first), else the newest still in use."""
    return (
        BankAccount.objects.filter(worker=OuterRef("pk"))
        .exclude(status__in=NOT_IN_USE)
        .order_by(
            Case(
                When(status=BankAccount.Status.VERIFIED, then=V(0)),
                default=V(1),
                output_field=IntegerField(),
            ),
            F("verification_expires_on").desc(nulls_last=True),
            "-created_at",
            "-id",
        )
    )


def _annotated(today: dt.date):
    account = _current_account()
    # An id list (57 s with EXISTS on SQLite at the size of a ministry, 58 ms with it).
    active = actively_employed_workers()
    return (
        Worker.objects.defer("passport_number")
        .filter(pk__in=active)
        .annotate(
            account_pk=Subquery(account.values("pk")[:1]),
            account_status=Subquery(account.values("status")[:1]),
            account_expires_on=Subquery(account.values("verification_expires_on")[:1]),
        )
        .annotate(
            bank_state=Case(
                When(account_pk__isnull=True, then=V(AccountState.NONE.value)),
                When(
                    account_status=BankAccount.Status.UNVERIFIED,
                    then=V(AccountState.UNVERIFIED.value),
                ),
                # A verification with no end date on record is not a current one either.
                When(
                    Q(account_expires_on__isnull=True) | Q(account_expires_on__lt=today),
                    then=V(AccountState.EXPIRED.value),
                ),
                default=V(_OK),
                output_field=CharField(),
            )
        )
    )


def workers_needing_bank_attention(*, state: str = "", today: dt.date | None = None):
    """Workers in active employment whose account needs attention, by name; `state` keeps one
    kind (AccountState). Each row carries its current account's pk, status and expiry, and its
    active employment (employer and mission) in `active_employments`."""
    today = today or timezone.localdate()
    workers = _annotated(today).exclude(bank_state=_OK)
    if state in AccountState.values:
        workers = workers.filter(bank_state=state)
    return workers.prefetch_related(
        Prefetch(
            "employments",
            queryset=Employment.objects.filter(status=Employment.Status.ACTIVE).select_related(
                "employer__mission"
            ),
            to_attr="active_employments",
        )
    ).order_by("family_name", "given_names", "id")


def bank_attention_counts(*, today: dt.date | None = None) -> dict[str, int]:
    """How many workers are in each AccountState, in one query."""
    today = today or timezone.localdate()
    return _annotated(today).aggregate(
        **{state: Count("pk", filter=Q(bank_state=state)) for state in AccountState.values}
    )
