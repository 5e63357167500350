"""Reads for the supervisor's queue of contracts waiting for a decision, in a fixed number of
queries however many rows a page shows.

registry.services.employment_policy_breaches counts the employer's other employments with one
query per call; here that count is an annotation on the whole page, and contract_breaches
gives the same messages from it.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from registry import services
from registry.models import Employment, Policy


def _with_other_open_employments(employments: QuerySet) -> QuerySet:
    """Annotate `others`: the employer's employments not ended that were recorded before this one
    (as services.employment_policy_breaches counts them)."""
    others = (
        Employment.objects.filter(employer=OuterRef("employer"))
        .exclude(status=Employment.Status.ENDED)
        .filter(pk__lt=OuterRef("pk"))
        .order_by()
        .values("employer")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return employments.annotate(others=Coalesce(Subquery(others, output_field=IntegerField()), 0))


def _employments() -> QuerySet:
    return _with_other_open_employments(
        Employment.objects.select_related("worker", "employer__mission", "policy_override_by")
    )


class _EnclosingPolicy:
    """The policy row of an enclosing query, in place of a Policy: each of its values is read
    as OuterRef(name), so _breaching can run as a subquery of a query on Policy."""

    def __getattr__(self, name: str) -> OuterRef:
        return OuterRef(name)


def _breaching(policy: "Policy | _EnclosingPolicy") -> Q:
    """The same tests as contract_breaches, as a filter (on a queryset annotated with others)."""
    return (
        ~Q(currency=policy.currency)
        | Q(monthly_salary__lt=policy.minimum_monthly_wage)
        | Q(weekly_hours__gt=policy.maximum_weekly_hours)
        | Q(weekly_rest_days__lt=policy.minimum_weekly_rest_days)
        | Q(annual_leave_days__lt=policy.minimum_annual_leave_days)
        | Q(employer__is_head_of_mission=True, others__gte=policy.workers_per_head_of_mission)
        | Q(employer__is_head_of_mission=False, others__gte=policy.workers_per_staff_member)
    )


def contracts_awaiting_exception() -> QuerySet:
    """Contracts registered in person but not active, the longest-waiting worker first.

    A contract sent back by a change of terms keeps its registration; one without a
    registration on record (an import) counts from when it was recorded.
    """
    return (
        _employments()
        .filter(status=Employment.Status.REGISTERED)
        .annotate(
            registered_at=F("registration__held_at"),
            waiting_since=Coalesce("registration__held_at", "created_at"),
        )
        .order_by("waiting_since", "id")
    )


def active_below_policy(policy: "Policy | _EnclosingPolicy") -> QuerySet:
    """Active contracts that breach the policy with no exception recorded: there should be none."""
    return (
        _employments()
        .filter(status=Employment.Status.ACTIVE, policy_override_reason="")
        .filter(_breaching(policy))
        .order_by("start_date", "id")
    )


def _count(queryset: QuerySet) -> Subquery:
    """queryset.count(), as an expression of an enclosing query."""
    return Subquery(
        queryset.order_by().annotate(rows=Func(F("pk"), function="COUNT")).values("rows"),
        output_field=IntegerField(),
    )


@dataclass(frozen=True)
class ContractCounts:
    policy: Policy
    # len(contracts_awaiting_exception()) and len(active_below_policy(policy)).
    awaiting: int
    below: int


def contract_counts() -> ContractCounts:
    """The host state's policy (services.policy_current), with how many contracts wait for a
    decision and how many active ones are below it with no exception: one query."""
    policies = Policy.objects.filter(host_country=settings.HESTIA_HOST_COUNTRY).annotate(
        contracts_awaiting=_count(contracts_awaiting_exception()),
        contracts_below=_count(active_below_policy(_EnclosingPolicy())),
    )
    policy = policies.first()
    if policy is None:  # the first time it is needed: created with its defaults
        services.policy_current()
        policy = policies.first()
    return ContractCounts(policy, policy.contracts_awaiting, policy.contracts_below)


def contract_breaches(employment: Employment, policy: Policy, others: int) -> list[str]:
    """registry.services.employment_policy_breaches, with the employer's earlier open
    employments counted beforehand for the whole page (no query per row)."""
    return services.employment_policy_breaches(employment, policy, others=others)


@dataclass
class QueueRow:
    employment: Employment
    breaches: list[str]
    days_waiting: int | None = None


def queue_rows(employments, policy: Policy) -> list[QueueRow]:
    """One page of employments annotated with `others`, each with its breaches."""
    return [
        QueueRow(employment=e, breaches=contract_breaches(e, policy, e.others)) for e in employments
    ]
