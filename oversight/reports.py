"""Mission compliance and anonymised statistics for one calendar year.

Compliance, per mission or per employer, for the workers employed there at any time in the year:
how many there were and how many were registered in person; of the renewal interviews held in
the year, how many on or before their due date; how many workers have a bank account verified
and still valid at the year's end (or today, for the current year); concerns opened in the year
and missed appointments. A worker who moved between households in the year counts for both.
The whole table takes three grouped queries, whatever the number of missions or employers.

Statistics never hold a name, a passport or a card number, and any count from 1 to 4 is shown
as "<5" so that nobody can be recognised from a small group.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from interviews.models import (
    RENEWAL_KINDS,
    Concern,
    Indicator,
    IndicatorAnswer,
    IndicatorLevel,
    Interview,
    InterviewRecord,
    Organisation,
    Referral,
)
from registry.models import BankAccount, Employment, Worker

SUPPRESSED = "<5"
SMALLEST_SHOWN = 5

GROUPS = {"mission": "employer__mission", "employer": "employer"}
SORTS = (
    "name",
    "workers",
    "registered",
    "interviews_held",
    "on_time_rate",
    "verified_rate",
    "concerns",
    "no_shows",
)


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _reference_day(year: int) -> dt.date:
    """The day "verified and still valid" is judged on: the year's end, or today."""
    return min(year_bounds(year)[1], timezone.localdate())


def employed_in(year: int):
    """Employments in force at some time in `year` (registered, active, suspended or ended)."""
    start, end = year_bounds(year)
    return Employment.objects.exclude(status=Employment.Status.PRE_NOTIFIED).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start), start_date__lte=end
    )


@dataclass
class ComplianceRow:
    pk: int
    name: str
    mission: str
    workers: int
    registered: int
    interviews_held: int
    interviews_on_time: int
    verified: int
    concerns: int
    no_shows: int

    @property
    def on_time_rate(self) -> float | None:
        return self.interviews_on_time / self.interviews_held if self.interviews_held else None

    @property
    def verified_rate(self) -> float | None:
        return self.verified / self.workers if self.workers else None

    @property
    def registered_rate(self) -> float | None:
        return self.registered / self.workers if self.workers else None


def _year_moments(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The year's first moment and the next year's, in the ministry's time zone: the same rows
    as a __date__range on the year, but an index on the column can serve it."""
    start, end = year_bounds(year)
    return (
        timezone.make_aware(dt.datetime.combine(start, dt.time.min)),
        timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min)),
    )


def compliance_rows(
    *, year: int, group: str = "mission", sort: str = "name"
) -> list[ComplianceRow]:
    """One row per mission (or employer) with at least one worker employed in the year.

    Three grouped queries, whatever the number of missions or employers: the employments (with
    the group's name), the interviews held, the missed appointments."""
    path = GROUPS[group]
    first, after = _year_moments(year)
    reference = _reference_day(year)
    verified_workers = BankAccount.objects.filter(
        status=BankAccount.Status.VERIFIED,
        verified_on__lte=reference,
        verification_expires_on__gte=reference,
    ).values("worker")
    # Accounts and concerns are the worker's, not the household's: each counts for every group
    # the worker was employed in during the year.
    concern_workers = Concern.objects.filter(opened_at__gte=first, opened_at__lt=after).values(
        "worker"
    )
    if group == "mission":
        names = ("employer__mission__name",)
    else:
        names = ("employer__family_name", "employer__given_names", "employer__mission__name")
    employed = (
        employed_in(year)
        .order_by()
        .values(path, *names)
        .annotate(
            n_workers=Count("worker", distinct=True),
            n_registered=Count("worker", distinct=True, filter=Q(registration__isnull=False)),
            n_verified=Count("worker", distinct=True, filter=Q(worker__in=verified_workers)),
            n_concerns=Count("worker", distinct=True, filter=Q(worker__in=concern_workers)),
        )
    )
    held_path = "interview__employment__" + path
    held = (
        InterviewRecord.objects.filter(
            counts=True,
            held_at__gte=first,
            held_at__lt=after,
            interview__kind__in=RENEWAL_KINDS,
        )
        .order_by()
        .values(held_path)
        .annotate(
            n=Count("pk"),
            on_time=Count(
                "pk",
                filter=Q(
                    interview__due_on__isnull=False, held_at__date__lte=F("interview__due_on")
                ),
            ),
        )
    )
    held_by_group = {row[held_path]: (row["n"], row["on_time"]) for row in held}
    no_show_path = "employment__" + path
    no_shows = dict(
        Interview.objects.filter(
            status=Interview.Status.NO_SHOW, starts_at__gte=first, starts_at__lt=after
        )
        .order_by()
        .values(no_show_path)
        .annotate(n=Count("pk"))
        .values_list(no_show_path, "n")
    )
    result = []
    for item in employed:
        key = item[path]
        n_held, n_on_time = held_by_group.get(key, (0, 0))
        if group == "mission":
            name = mission = item["employer__mission__name"]
        else:
            name = f"{item['employer__family_name']}, {item['employer__given_names']}".strip(", ")
            mission = item["employer__mission__name"]
        result.append(
            ComplianceRow(
                pk=key,
                name=name,
                mission=mission,
                workers=item["n_workers"],
                registered=item["n_registered"],
                interviews_held=n_held,
                interviews_on_time=n_on_time,
                verified=item["n_verified"],
                concerns=item["n_concerns"],
                no_shows=no_shows.get(key, 0),
            )
        )
    return sort_rows(result, sort)


def sort_rows(rows: list[ComplianceRow], sort: str) -> list[ComplianceRow]:
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in SORTS:
        key, descending = "name", False
    if key == "name":
        return sorted(rows, key=lambda row: (row.name.casefold(), row.pk), reverse=descending)
    # Rows without a rate (no interview held, no worker) always come last.
    present = [row for row in rows if getattr(row, key) is not None]
    missing = [row for row in rows if getattr(row, key) is None]
    present.sort(key=lambda row: (getattr(row, key), row.name.casefold()), reverse=descending)
    return present + missing


# --- Statistics -------------------------------------------------------------------------------


def suppress(count: int) -> int | str:
    """A count small enough to point at a person is shown as "<5"; zero stays zero."""
    return SUPPRESSED if 0 < count < SMALLEST_SHOWN else count


@dataclass
class StatisticsTable:
    key: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    # The leading columns that name the category; the others hold counts.
    label_columns: int = 1


def statistics(year: int) -> list[StatisticsTable]:
    """Anonymised yearly figures, every count suppressed below five."""
    from django_countries import countries

    start, end = year_bounds(year)
    workers = Worker.objects.filter(pk__in=employed_in(year).values("worker"))
    sexes = dict(Worker.Sex.choices)
    by_nationality = (
        workers.order_by()
        .values("nationality", "sex")
        .annotate(n=Count("pk"))
        .order_by("nationality", "sex")
    )
    nationality = StatisticsTable(
        "workers",
        _("Workers employed during the year, by nationality and sex"),
        [_("Nationality"), _("Sex"), _("Workers")],
        label_columns=2,
        rows=[
            [
                countries.name(row["nationality"]) or row["nationality"],
                str(sexes.get(row["sex"], row["sex"])),
                suppress(row["n"]),
            ]
            for row in by_nationality
        ],
    )
    first, after = _year_moments(year)
    held = InterviewRecord.objects.filter(held_at__gte=first, held_at__lt=after)
    interview_kinds = dict(Interview._meta.get_field("kind").choices)
    interviews = StatisticsTable(
        "interviews",
        _("Interviews held, by kind"),
        [_("Kind"), _("Held"), _("Held in private and counting")],
        [
            [
                str(interview_kinds.get(row["interview__kind"], row["interview__kind"])),
                suppress(row["n"]),
                suppress(row["counting"]),
            ]
            for row in held.order_by()
            .values("interview__kind")
            .annotate(n=Count("pk"), counting=Count("pk", filter=Q(counts=True)))
            .order_by("interview__kind")
        ],
    )
    outcomes = dict(InterviewRecord._meta.get_field("outcome").choices)
    outcome_table = StatisticsTable(
        "outcomes",
        _("Interview outcomes"),
        [_("Outcome"), _("Interviews")],
        [
            [str(outcomes.get(row["outcome"], row["outcome"])), suppress(row["n"])]
            for row in held.order_by().values("outcome").annotate(n=Count("pk")).order_by("outcome")
        ],
    )
    answers = (
        IndicatorAnswer.objects.filter(record__in=held)
        .exclude(level=IndicatorLevel.NOT_SEEN)
        .order_by()
        .values("indicator")
        .annotate(
            suspected=Count("pk", filter=Q(level=IndicatorLevel.SUSPECTED)),
            observed=Count("pk", filter=Q(level=IndicatorLevel.OBSERVED)),
        )
    )
    by_indicator = {row["indicator"]: row for row in answers}
    concerns_opened = Concern.objects.filter(opened_at__gte=first, opened_at__lt=after)
    concern_counts = {indicator: 0 for indicator in Indicator.values}
    for indicators in concerns_opened.values_list("indicators", flat=True):
        for indicator in indicators or []:
            if indicator in concern_counts:
                concern_counts[indicator] += 1
    indicators = StatisticsTable(
        "indicators",
        _(
            "Indicators of forced labour: interviews where suspected or observed, and concerns opened"
        ),
        [_("Indicator"), _("Suspected"), _("Observed"), _("Concerns opened")],
        [
            [
                str(label),
                suppress(by_indicator.get(code, {}).get("suspected", 0)),
                suppress(by_indicator.get(code, {}).get("observed", 0)),
                suppress(concern_counts[code]),
            ]
            for code, label in Indicator.choices
        ],
    )
    severities = dict(Concern.Severity.choices)
    closures = dict(Concern.ClosureReason.choices)
    concerns = StatisticsTable(
        "concerns",
        _("Concerns opened in the year, by severity and how they ended"),
        [_("Severity"), _("Outcome"), _("Concerns")],
        label_columns=2,
        rows=[
            [
                str(severities.get(row["severity"], row["severity"])),
                str(closures.get(row["closure_reason"], "")) or _("Still open"),
                suppress(row["n"]),
            ]
            for row in concerns_opened.order_by()
            .values("severity", "closure_reason")
            .annotate(n=Count("pk"))
            .order_by("severity", "closure_reason")
        ],
    )
    kinds = dict(Organisation.Kind.choices)
    referrals = StatisticsTable(
        "referrals",
        _("Referrals made in the year, by organisation"),
        [_("Organisation"), _("Kind"), _("Referrals")],
        label_columns=2,
        rows=[
            [
                row["organisation__name"],
                str(kinds.get(row["organisation__kind"], "")),
                suppress(row["n"]),
            ]
            for row in Referral.objects.filter(referred_on__range=(start, end))
            .order_by()
            .values("organisation__name", "organisation__kind")
            .annotate(n=Count("pk"))
            .order_by("organisation__name")
        ],
    )
    return [nationality, interviews, outcome_table, indicators, concerns, referrals]
