"""Server-side SVG bar charts for the oversight dashboard: grouped bars, one group per month.

The geometry is computed here and drawn by the template oversight/_chart.html with SVG
presentation attributes only (fill=, x=, ...): no script and no style attribute, so a strict
Content-Security-Policy allows it. In a right-to-left language the chart is mirrored: the
months run from right to left and the value axis stands on the right.
"""

import datetime as dt
import math
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import formats
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

WIDTH = 720
HEIGHT = 280
TOP = 28  # room for the value above the tallest bar
BOTTOM = 52  # two lines of month labels
AXIS = 44  # the side with the value labels
FAR_SIDE = 8
GROUP_FILL = 0.72  # share of a month's width its bars take
TARGET_LINES = 4


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    fill: str


@dataclass(frozen=True)
class Bar:
    series: Series
    month: dt.date
    value: int
    x: float
    y: float
    width: float
    height: float
    # For the bar's <title>: "March 2026: 4".
    title: str

    @property
    def label_x(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def label_y(self) -> float:
        return round(self.y - 4, 1)


@dataclass(frozen=True)
class MonthTick:
    month: dt.date
    x: float
    label: str
    # The year under January and under the first month shown.
    year: str


@dataclass(frozen=True)
class GridLine:
    value: int
    y: float


@dataclass
class Chart:
    key: str
    title: str
    series: list[Series]
    months: list[dt.date]
    values: dict[str, list[int]]
    rtl: bool = False
    width: int = WIDTH
    height: int = HEIGHT
    bars: list[Bar] = field(default_factory=list)
    ticks: list[MonthTick] = field(default_factory=list)
    grid: list[GridLine] = field(default_factory=list)
    axis_x: float = 0
    axis_label_x: float = 0
    axis_anchor: str = "end"
    plot_left: float = 0
    plot_right: float = 0
    baseline: float = 0

    @property
    def rows(self) -> list[tuple[str, list[int]]]:
        """The same numbers as the bars, one row per month, for the table beside the chart."""
        return [
            (month_label(month, with_year=True), [self.values[s.key][i] for s in self.series])
            for i, month in enumerate(self.months)
        ]

    @property
    def total(self) -> dict[str, int]:
        return {s.key: sum(self.values[s.key]) for s in self.series}


def last_months(today: dt.date, count: int = 12) -> list[dt.date]:
    """The first day of each of the last `count` months, the current one last."""
    months = []
    year, month = today.year, today.month
    for _index in range(count):
        months.append(dt.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months[::-1]


def month_label(month: dt.date, *, with_year: bool = False) -> str:
    """The month's short name in the active language ("Mar", "مارس"), with the year if asked."""
    name = formats.date_format(month, "M")
    return f"{name} {month.year}" if with_year else name


def _step(top: int) -> int:
    """A round step (1, 2 or 5 times a power of ten) giving about TARGET_LINES grid lines."""
    if top <= TARGET_LINES:
        return 1
    rough = top / TARGET_LINES
    power = 10 ** math.floor(math.log10(rough))
    for factor in (1, 2, 5, 10):
        if factor * power >= rough:
            return int(factor * power)
    return int(10 * power)  # pragma: no cover - the loop always returns


def bar_chart(
    *,
    key: str,
    title: str,
    series: list[Series],
    months: list[dt.date],
    values: dict[str, list[int]],
    rtl: bool = False,
) -> Chart:
    """The geometry of a grouped bar chart: for each month, one bar per series, in order."""
    chart = Chart(key=key, title=title, series=series, months=months, values=values, rtl=rtl)
    peak = max((v for s in series for v in values[s.key]), default=0)
    step = _step(max(peak, 1))
    top = max(step * math.ceil(max(peak, 1) / step), step)
    if rtl:
        chart.plot_left, chart.plot_right = FAR_SIDE, WIDTH - AXIS
        chart.axis_x, chart.axis_label_x, chart.axis_anchor = chart.plot_right, WIDTH - 4, "end"
    else:
        chart.plot_left, chart.plot_right = AXIS, WIDTH - FAR_SIDE
        chart.axis_x, chart.axis_label_x, chart.axis_anchor = chart.plot_left, AXIS - 6, "end"
    chart.baseline = HEIGHT - BOTTOM
    plot_height = chart.baseline - TOP

    def y_of(value: int) -> float:
        return round(chart.baseline - plot_height * value / top, 1)

    chart.grid = [GridLine(value=v, y=y_of(v)) for v in range(0, top + 1, step)]
    group = (chart.plot_right - chart.plot_left) / len(months)
    bar_width = group * GROUP_FILL / len(series)
    for index, month in enumerate(months):
        slot = len(months) - 1 - index if rtl else index
        start = chart.plot_left + slot * group + group * (1 - GROUP_FILL) / 2
        chart.ticks.append(
            MonthTick(
                month=month,
                x=round(chart.plot_left + slot * group + group / 2, 1),
                label=month_label(month),
                year=str(month.year) if index == 0 or month.month == 1 else "",
            )
        )
        for order, one in enumerate(series):
            position = len(series) - 1 - order if rtl else order
            value = values[one.key][index]
            y = y_of(value)
            chart.bars.append(
                Bar(
                    series=one,
                    month=month,
                    value=value,
                    x=round(start + position * bar_width, 1),
                    y=y,
                    width=round(bar_width - 1, 1),
                    height=round(chart.baseline - y, 1),
                    title=_("%(month)s, %(series)s: %(value)d")
                    % {
                        "month": month_label(month, with_year=True),
                        "series": one.label,
                        "value": value,
                    },
                )
            )
    return chart


def chart_svg(chart: Chart) -> SafeString:
    """The chart's <svg> element (valid XML), for the page or a test."""
    return render_to_string("oversight/_chart_svg.html", {"chart": chart})
