"""Mission compliance (page, CSV, PDF report) and anonymised statistics (page, CSV)."""

import csv
import io

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from accounts.models import AuditEntry
from accounts.permissions import staff_view
from accounts.services import audit_log
from notifications.rights import PdfUnavailable
from oversight import reports
from registry.exporting import csv_cell as _cell

Action = AuditEntry.Action
FIRST_YEAR = 2019  # the working group's recommendations
COMPLIANCE_PAGE_SIZE = 100


def _years() -> list[tuple[int, int]]:
    this_year = timezone.localdate().year
    return [(year, year) for year in range(this_year, FIRST_YEAR - 1, -1)]


class ComplianceFilter(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int, choices=())
    group = forms.ChoiceField(
        label=gettext_lazy("Per"),
        choices=[("mission", gettext_lazy("Mission")), ("employer", gettext_lazy("Employer"))],
        required=False,
    )
    sort = forms.ChoiceField(
        choices=[(key, key) for key in reports.SORTS] + [(f"-{key}", key) for key in reports.SORTS],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _years()

    def values(self) -> tuple[int, str, str]:
        """Year, group and sort from the query string; anything unknown gives the defaults."""
        year = timezone.localdate().year
        if not self.is_valid():
            return year, "mission", "name"
        return (
            self.cleaned_data["year"],
            self.cleaned_data["group"] or "mission",
            self.cleaned_data["sort"] or "name",
        )


def _filters(request) -> tuple[ComplianceFilter, int, str, str]:
    data = request.GET.copy()
    data.setdefault("year", str(timezone.localdate().year))
    form = ComplianceFilter(data)
    year, group, sort = form.values()
    return form, year, group, sort


def _columns():
    return [
        ("name", _("Name")),
        ("workers", _("Workers")),
        ("registered", _("Registered in person")),
        ("interviews_held", _("Interviews held")),
        ("on_time_rate", _("Interviews on time")),
        ("verified_rate", _("Accounts verified")),
        ("concerns", _("Workers with a concern")),
        ("no_shows", _("Missed appointments")),
    ]


def _percent(rate) -> str:
    return "" if rate is None else f"{round(rate * 100)}"


@staff_view("oversight.view_compliance")
@require_safe
def compliance(request):
    form, year, group, sort = _filters(request)
    rows = reports.compliance_rows(year=year, group=group, sort=sort)
    audit_log(
        action=Action.VIEW,
        request=request,
        object_type="oversight.compliance",
        detail=f"{group} {year}",
    )
    # Every employer of the year is a few thousand rows: the page shows them a hundred at a
    # time, in the order chosen; the CSV and the PDF hold them all.
    page = Paginator(rows, COMPLIANCE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    page_query = query.urlencode()
    query.pop("sort", None)
    return render(
        request,
        "oversight/compliance.html",
        {
            "form": form,
            "rows": page,
            "page": page,
            "page_query": page_query,
            "year": year,
            "group": group,
            "sort": sort,
            "headers": [
                {
                    "key": key,
                    "label": label,
                    "sort": f"-{key}" if sort == key else key,
                    "current": "ascending"
                    if sort == key
                    else "descending"
                    if sort == f"-{key}"
                    else "",
                }
                for key, label in _columns()
            ],
            "query": query.urlencode(),
            "may_export": request.user.has_perm("oversight.export_compliance"),
        },
    )


@staff_view("oversight.view_compliance", "oversight.export_compliance")
@require_safe
def compliance_csv(request):
    _form, year, group, sort = _filters(request)
    rows = reports.compliance_rows(year=year, group=group, sort=sort)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "mission" if group == "mission" else "employer",
            "mission_of_employer" if group == "employer" else "",
            "workers",
            "registered_in_person",
            "interviews_held",
            "interviews_on_time",
            "on_time_percent",
            "accounts_verified",
            "verified_percent",
            "workers_with_concern",
            "missed_appointments",
        ]
    )
    for row in rows:
        writer.writerow(
            [
                _cell(row.name),
                _cell(row.mission) if group == "employer" else "",
                row.workers,
                row.registered,
                row.interviews_held,
                row.interviews_on_time,
                _percent(row.on_time_rate),
                row.verified,
                _percent(row.verified_rate),
                row.concerns,
                row.no_shows,
            ]
        )
    audit_log(
        action=Action.EXPORT,
        request=request,
        object_type="oversight.compliance",
        detail=f"CSV {group} {year}",
    )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="compliance-{group}-{year}.csv"'
    return response


@staff_view("oversight.view_compliance", "oversight.export_compliance")
@require_safe
def compliance_pdf(request):
    _form, year, _group, sort = _filters(request)
    language = translation.get_language()
    html = render_to_string(
        "oversight/compliance_pdf.html",
        {
            "year": year,
            "missions": reports.compliance_rows(year=year, group="mission", sort=sort),
            "employers": reports.compliance_rows(year=year, group="employer", sort=sort),
            "columns": _columns(),
            "ministry": settings.HESTIA_MINISTRY_NAME,
            "produced": timezone.localtime(),
            "language": language,
            "bidi": translation.get_language_bidi(),
        },
        request=request,
    )
    try:
        pdf = _pdf(html)
    except PdfUnavailable:
        return HttpResponse(
            _("The PDF cannot be produced on this server at the moment; the CSV file can."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    audit_log(
        action=Action.EXPORT,
        request=request,
        object_type="oversight.compliance",
        detail=f"PDF {year}",
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="compliance-{year}.pdf"'
    return response


def _pdf(html: str) -> bytes:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:
        raise PdfUnavailable(str(error)) from error
    return HTML(string=html).write_pdf()


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _years()


def _year(request) -> tuple[YearForm, int]:
    data = request.GET.copy()
    data.setdefault("year", str(timezone.localdate().year))
    form = YearForm(data)
    return form, form.cleaned_data["year"] if form.is_valid() else timezone.localdate().year


@staff_view("oversight.view_statistics")
@require_safe
def statistics(request):
    form, year = _year(request)
    audit_log(
        action=Action.VIEW, request=request, object_type="oversight.statistics", detail=str(year)
    )
    return render(
        request,
        "oversight/statistics.html",
        {
            "form": form,
            "year": year,
            "tables": reports.statistics(year),
            "smallest": reports.SMALLEST_SHOWN,
        },
    )


@staff_view("oversight.view_statistics")
@require_safe
def statistics_csv(request):
    _form, year = _year(request)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["table", "year", "category", "subcategory", "figure", "count"])
    for table in reports.statistics(year):
        for row in table.rows:
            labels, counts = row[: table.label_columns], row[table.label_columns :]
            for header, count in zip(table.headers[len(labels) :], counts, strict=True):
                writer.writerow(
                    [
                        table.key,
                        year,
                        _cell(labels[0]),
                        _cell(labels[1]) if len(labels) > 1 else "",
                        header,
                        count,
                    ]
                )
    audit_log(
        action=Action.EXPORT,
        request=request,
        object_type="oversight.statistics",
        detail=f"CSV {year}",
    )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="statistics-{year}.csv"'
    return response


urlpatterns = [
    path("compliance/", compliance, name="compliance"),
    path("compliance.csv", compliance_csv, name="compliance-csv"),
    path("compliance.pdf", compliance_pdf, name="compliance-pdf"),
    path("statistics/", statistics, name="statistics"),
    path("statistics.csv", statistics_csv, name="statistics-csv"),
]
