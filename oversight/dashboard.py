"""The supervisors' oversight dashboard (recommendation 37: an oversight mechanism inside the
ministry): what needs their attention, each figure with the filtered list behind it.

Each block is one aggregate query where possible, its chart counted in the same query, so the
page costs the same number of queries whatever the number of workers. The lists the figures link
to filter with the same conditions (interviews.selectors, registry.selectors_bank,
notifications.selectors), and the tests follow each link and count its rows.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from interviews import scheduling
from interviews.clearance import Status as ClearanceStatus
from interviews.clearance import clearances_for
from interviews.models import Concern, Interview
from interviews.selectors import appointment_within, overdue_condition
from notifications.models import Message
from notifications.selectors import FAILED_WINDOW_DAYS, message_figures
from oversight import charts
from registry.models import IdentityCard, Policy
from registry.selectors import actively_employed_workers
from registry.selectors_bank import AccountState, bank_attention_counts
from registry.selectors_oversight import ContractCounts, contract_counts

# The window of the "held" and "missed" figures, in days.
RECENT_DAYS = 30
# Cards expiring within these days, in buckets: (first day, last day) from today.
CARD_BUCKETS = ((0, 30), (31, 60), (61, 90))
# A renewal that may go ahead; any other status still needs work.
CLEARED = (ClearanceStatus.CLEARED, ClearanceStatus.RELEASED)
# Open concerns by age: (key, opened at least this many days ago, and less than this many).
CONCERN_AGES = (("under7", 0, 7), ("7to30", 7, 30), ("30", 30, None))
SEVERITIES = (
    Concern.Severity.URGENT,
    Concern.Severity.HIGH,
    Concern.Severity.MEDIUM,
    Concern.Severity.LOW,
)
CHART_MONTHS = 12
# The interview chart's series: the interviews held and missed, by the month of the appointment.
CHART_STATUSES = {"held": Interview.Status.HELD, "missed": Interview.Status.NO_SHOW}


@dataclass(frozen=True)
class Figure:
    """One number on the dashboard and the list that shows the rows behind it."""

    key: str
    label: str
    value: int
    url: str
    # "danger" or "warning" when the number is not zero and calls for action.
    tone: str = ""

    @property
    def alert(self) -> str:
        return self.tone if self.value else ""


def _url(name: str, **params) -> str:
    query = urlencode({key: value for key, value in params.items() if value not in ("", None)})
    return f"{reverse(name)}?{query}" if query else reverse(name)


def _month_start(month: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(month, dt.time.min))


def _month_index(field_name: str, months: list[dt.date], *, until=None) -> Case:
    """Which of `months` `field_name` falls in, in local time as TruncMonth sees it (0 for the
    oldest), or NULL before the first, after the last (or after `until`) or without a date. The
    boundaries are computed here, so a row costs a few comparisons, and a query grouped by it
    returns a row per month however many rows it counts."""
    starts = [_month_start(month) for month in months]
    following = months[-1] + dt.timedelta(days=31)
    starts.append(_month_start(following.replace(day=1)))
    outside = Q(**{f"{field_name}__lt": starts[0]}) | Q(**{f"{field_name}__gte": starts[-1]})
    if until is not None:
        outside |= Q(**{f"{field_name}__gt": until})
    return Case(
        When(outside, then=None),
        *[
            When(**{f"{field_name}__lt": end}, then=Value(index))
            for index, end in enumerate(starts[1:])
        ],
        default=None,
        output_field=IntegerField(),
    )


# --- 1. Interviews ------------------------------------------------------------------------------


def interview_counts(*, now: dt.datetime | None = None, user=None) -> dict:
    """Everything the interviews block counts, in one query: not yet booked, overdue, missed and
    held in the last RECENT_DAYS days, the missed appointments the user follows up (with a
    user), and the chart's interviews held and missed in each of the last CHART_MONTHS months
    (`held_by_month`, `missed_by_month`, the oldest month first)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    aggregates = {
        "due": Count("pk", filter=Q(status=Interview.Status.DUE)),
        "overdue": Count("pk", filter=overdue_condition(today)),
        "missed": Count(
            "pk",
            filter=Q(status=Interview.Status.NO_SHOW) & appointment_within(RECENT_DAYS, now=now),
        ),
        "held": Count(
            "pk", filter=Q(status=Interview.Status.HELD) & appointment_within(RECENT_DAYS, now=now)
        ),
    }
    if user is not None:
        # The very rows of the list the figure links to.
        follow_up = scheduling.missed_to_follow_up(user).values("pk")
        aggregates["follow_up"] = Count("pk", filter=Q(pk__in=follow_up))
    months = charts.last_months(today, CHART_MONTHS)
    # Per month of the chart (grouped by it): `held_by_month`, `missed_by_month`.
    series = {
        f"{key}_by_month": Count("pk", filter=Q(status=status))
        for key, status in CHART_STATUSES.items()
    }
    rows = (
        Interview.objects.annotate(chart_month=_month_index("starts_at", months, until=now))
        .order_by()
        .values("chart_month")
        .annotate(**aggregates, **series)
    )
    counts = dict.fromkeys(aggregates, 0)
    counts.update({key: [0] * len(months) for key in series})
    for row in rows:
        for name in aggregates:
            counts[name] += row[name]
        if row["chart_month"] is not None:
            for key in series:
                counts[key][row["chart_month"]] = row[key]
    return counts


def interview_figures(
    *, now: dt.datetime | None = None, user=None, counts: dict | None = None
) -> list[Figure]:
    """Not yet booked, overdue, missed and held in the last RECENT_DAYS days, and missed
    appointments still to follow up (with a user). `counts`: interview_counts(), if read."""
    if counts is None:
        counts = interview_counts(now=now, user=user)
    figures = [
        Figure(
            "due",
            _("Not yet booked"),
            counts["due"],
            _url("interviews:interview-list", unbooked="on"),
        ),
        Figure(
            "overdue",
            _("Overdue: open after their due date"),
            counts["overdue"],
            _url("interviews:interview-list", overdue="on"),
            tone="danger",
        ),
        Figure(
            "missed",
            _("Missed in the last %(days)d days") % {"days": RECENT_DAYS},
            counts["missed"],
            _url(
                "interviews:interview-list", status=Interview.Status.NO_SHOW, past_days=RECENT_DAYS
            ),
            tone="warning",
        ),
        Figure(
            "held",
            _("Held in the last %(days)d days") % {"days": RECENT_DAYS},
            counts["held"],
            _url("interviews:interview-list", status=Interview.Status.HELD, past_days=RECENT_DAYS),
        ),
    ]
    if "follow_up" in counts:
        figures.append(
            Figure(
                "follow_up",
                _("Missed appointments still to follow up"),
                counts["follow_up"],
                _url("interviews:missed-list"),
                tone="warning",
            )
        )
    return figures


# --- 2. Cards expiring without clearance ---------------------------------------------------------


@dataclass(frozen=True)
class CardBucket:
    first_day: int
    last_day: int
    not_cleared: int
    cards: int
    url: str

    @property
    def alert(self) -> str:
        if not self.not_cleared:
            return ""
        return "danger" if self.first_day == 0 else "warning"


def cards_expiring(*, today: dt.date):
    """Issued cards of workers in active employment expiring in the next CARD_BUCKETS days."""
    last = CARD_BUCKETS[-1][1]
    employed = actively_employed_workers()
    return IdentityCard.objects.filter(
        status=IdentityCard.Status.ISSUED,
        expiry_date__gte=today,
        expiry_date__lte=today + dt.timedelta(days=last),
        worker_id__in=employed,
    ).order_by("expiry_date", "pk")


def card_figures(
    *, today: dt.date | None = None, registry_policy: Policy | None = None
) -> list[CardBucket]:
    """Per bucket, the cards whose renewal is not cleared (nor released by a supervisor). The
    clearance is computed for every card at once, in a fixed number of queries.
    `registry_policy`: the registry's policy, if read already."""
    today = today or timezone.localdate()
    cards = cards_expiring(today=today).only("pk", "worker_id", "expiry_date")
    not_cleared: Counter = Counter()
    total: Counter = Counter()
    for clearance in clearances_for(cards, today=today, registry_policy=registry_policy):
        days = (clearance.card.expiry_date - today).days
        bucket = next(b for b in CARD_BUCKETS if b[0] <= days <= b[1])
        total[bucket] += 1
        if clearance.status not in CLEARED:
            not_cleared[bucket] += 1
    return [
        CardBucket(
            first_day=first,
            last_day=last,
            not_cleared=not_cleared[(first, last)],
            cards=total[(first, last)],
            url=_url(
                "interviews:clearance-list",
                days=last,
                after_days=first - 1 if first else None,
                status="uncleared",
                employed="on",
            ),
        )
        for first, last in CARD_BUCKETS
    ]


# --- 3. Open concerns by severity and age --------------------------------------------------------


@dataclass(frozen=True)
class ConcernCell:
    severity: str
    age: str
    value: int
    url: str


@dataclass
class ConcernRow:
    severity: str
    label: str
    cells: list[ConcernCell] = field(default_factory=list)
    total: int = 0
    url: str = ""


@dataclass
class ConcernTable:
    rows: list[ConcernRow]
    # One cell per age, every severity together (severity is "").
    age_totals: list[ConcernCell]
    total: int
    url: str


def _age_condition(now: dt.datetime, youngest: int, oldest: int | None) -> Q:
    """Opened at least `youngest` days ago and less than `oldest` days ago."""
    condition = Q()
    if youngest:
        condition &= Q(opened_at__lte=now - dt.timedelta(days=youngest))
    if oldest is not None:
        condition &= Q(opened_at__gt=now - dt.timedelta(days=oldest))
    return condition


def concern_counts(*, now: dt.datetime | None = None) -> dict:
    """Everything the concerns block counts, in one query: open concerns (open, in progress,
    referred) by severity and age (`<severity>_<age>`), and the chart's concerns opened and
    closed in each of the last CHART_MONTHS months (`opened_by_month`, `closed_by_month`, the
    oldest month first)."""
    now = now or timezone.now()
    still_open = Q(status__in=Concern.OPEN_STATUSES)
    aggregates = {
        f"{severity}_{age}": Count(
            "pk", filter=still_open & Q(severity=severity) & _age_condition(now, youngest, oldest)
        )
        for severity in SEVERITIES
        for age, youngest, oldest in CONCERN_AGES
    }
    months = charts.last_months(timezone.localdate(now), CHART_MONTHS)
    rows = (
        Concern.objects.annotate(
            opened_month=_month_index("opened_at", months),
            closed_month=_month_index("closed_at", months),
        )
        .order_by()
        .values("opened_month", "closed_month")
        .annotate(rows=Count("pk"), **aggregates)
    )
    counts = dict.fromkeys(aggregates, 0)
    counts["opened_by_month"] = [0] * len(months)
    counts["closed_by_month"] = [0] * len(months)
    for row in rows:
        for name in aggregates:
            counts[name] += row[name]
        for key in ("opened", "closed"):
            if row[f"{key}_month"] is not None:
                counts[f"{key}_by_month"][row[f"{key}_month"]] += row["rows"]
    return counts


def concern_figures(*, now: dt.datetime | None = None, counts: dict | None = None) -> ConcernTable:
    """Open concerns by severity and age. `counts`: concern_counts(), if read."""
    if counts is None:
        counts = concern_counts(now=now)
    rows = []
    for severity in SEVERITIES:
        row = ConcernRow(
            severity=str(severity),
            label=str(severity.label),
            url=_url("interviews:concern-list", severity=severity),
        )
        for age, _youngest, _oldest in CONCERN_AGES:
            value = counts[f"{severity}_{age}"]
            row.cells.append(
                ConcernCell(
                    severity=str(severity),
                    age=age,
                    value=value,
                    url=_url("interviews:concern-list", severity=severity, age=age),
                )
            )
            row.total += value
        rows.append(row)
    age_totals = [
        ConcernCell(
            severity="",
            age=age,
            value=sum(counts[f"{severity}_{age}"] for severity in SEVERITIES),
            url=_url("interviews:concern-list", age=age),
        )
        for age, _youngest, _oldest in CONCERN_AGES
    ]
    return ConcernTable(
        rows=rows,
        age_totals=age_totals,
        total=sum(row.total for row in rows),
        url=_url("interviews:concern-list"),
    )


# --- 4. Bank accounts ----------------------------------------------------------------------------


def bank_figures(*, today: dt.date | None = None, counts: dict | None = None) -> list[Figure]:
    """Workers in active employment with no account in use, one not verified, or one whose
    verification expired (one query). `counts`: bank_attention_counts(), if read."""
    if counts is None:
        counts = bank_attention_counts(today=today)
    labels = {
        AccountState.NONE: _("No account in use"),
        AccountState.UNVERIFIED: _("Account not verified"),
        AccountState.EXPIRED: _("Verification expired"),
    }
    return [
        Figure(
            str(state),
            labels[state],
            counts[state],
            _url("registry:bank-account-attention", state=state),
            tone="danger" if state == AccountState.NONE else "warning",
        )
        for state in (AccountState.NONE, AccountState.UNVERIFIED, AccountState.EXPIRED)
    ]


# --- 5. Contracts below policy -------------------------------------------------------------------


def contract_figures(counts: ContractCounts | None = None) -> list[Figure]:
    """Contracts waiting for a decision on the policy, and active ones below it with no
    exception (one query, with the policy). `counts`: contract_counts(), if read."""
    if counts is None:
        counts = contract_counts()
    url = reverse("registry:contracts-awaiting-exception")
    return [
        Figure(
            "awaiting",
            _("Registered in person, waiting for a decision on the policy"),
            counts.awaiting,
            f"{url}#waiting-heading",
            tone="warning",
        ),
        Figure(
            "below",
            _("Active below the policy with no exception"),
            counts.below,
            f"{url}#below-heading",
            tone="danger",
        ),
    ]


# --- 6. Notices ----------------------------------------------------------------------------------


def message_figures_list(
    *, now: dt.datetime | None = None, counts: dict | None = None
) -> list[Figure]:
    if counts is None:
        counts = message_figures(now=now)
    return [
        Figure(
            "failed",
            _("Failed in the last %(days)d days") % {"days": FAILED_WINDOW_DAYS},
            counts["failed"],
            _url(
                "notifications:message-list",
                status=Message.Status.FAILED,
                since=FAILED_WINDOW_DAYS,
            ),
            tone="danger",
        ),
        Figure(
            "held",
            _("Waiting to be handed over"),
            counts["held"],
            _url("notifications:message-list", status=Message.Status.HELD),
            tone="warning",
        ),
    ]


# --- 7. Charts -----------------------------------------------------------------------------------


def interview_chart(
    *, now: dt.datetime | None = None, rtl: bool = False, counts: dict | None = None
) -> charts.Chart:
    """Interviews held and missed in each of the last CHART_MONTHS months, by the month of their
    appointment. `counts`: interview_counts(), if read."""
    now = now or timezone.now()
    months = charts.last_months(timezone.localdate(now), CHART_MONTHS)
    if counts is None:
        counts = interview_counts(now=now)
    return charts.bar_chart(
        key="interviews-chart",
        title=_("Interviews held and missed in each of the last 12 months"),
        series=[
            charts.Series("held", _("Held"), "#198754"),
            charts.Series("missed", _("Missed"), "#dc3545"),
        ],
        months=months,
        values={"held": counts["held_by_month"], "missed": counts["missed_by_month"]},
        rtl=rtl,
    )


def concern_chart(
    *, now: dt.datetime | None = None, rtl: bool = False, counts: dict | None = None
) -> charts.Chart:
    """Concerns opened and closed in each of the last CHART_MONTHS months. `counts`:
    concern_counts(), if read."""
    now = now or timezone.now()
    months = charts.last_months(timezone.localdate(now), CHART_MONTHS)
    if counts is None:
        counts = concern_counts(now=now)
    return charts.bar_chart(
        key="concerns-chart",
        title=_("Concerns opened and closed in each of the last 12 months"),
        series=[
            charts.Series("opened", _("Opened"), "#fd7e14"),
            charts.Series("closed", _("Closed"), "#0d6efd"),
        ],
        months=months,
        values={"opened": counts["opened_by_month"], "closed": counts["closed_by_month"]},
        rtl=rtl,
    )


# --- The page's figures, computed at most once a minute --------------------------------------------

# Every figure above is an aggregate over all workers, interviews, cards or notices: at the size
# of a ministry they take a few hundred milliseconds together (bench/RESULTS.md). A supervisor's
# figures are kept this long, with the time they were computed shown on the page; the lists
# behind them are always read live, and "Bring up to date" computes them again at once.
SNAPSHOT_SECONDS = 60


@dataclass(frozen=True)
class Snapshot:
    """The dashboard's numbers (no text: labels are translated when the page is shown)."""

    at: dt.datetime
    interviews: dict
    concerns: dict
    contracts: ContractCounts
    cards: list[CardBucket]
    bank: dict
    notices: dict


def _snapshot_key(user) -> str:
    return f"oversight:dashboard:{user.pk}"


def snapshot(*, user, now: dt.datetime | None = None, refresh: bool = False) -> Snapshot:
    """The user's dashboard figures: those computed less than SNAPSHOT_SECONDS ago (the same
    day), or computed now. Per user, because the missed appointments to follow up are theirs."""
    now = now or timezone.now()
    key = _snapshot_key(user)
    if not refresh:
        kept = cache.get(key)
        if (
            isinstance(kept, Snapshot)
            and dt.timedelta(0) <= now - kept.at < dt.timedelta(seconds=SNAPSHOT_SECONDS)
            and timezone.localdate(kept.at) == timezone.localdate(now)
        ):
            return kept
    today = timezone.localdate(now)
    contracts = contract_counts()
    computed = Snapshot(
        at=now,
        interviews=interview_counts(now=now, user=user),
        concerns=concern_counts(now=now),
        contracts=contracts,
        cards=card_figures(today=today, registry_policy=contracts.policy),
        bank=bank_attention_counts(today=today),
        notices=message_figures(now=now),
    )
    cache.set(key, computed, SNAPSHOT_SECONDS)
    return computed
