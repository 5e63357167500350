"""Mission compliance and anonymised statistics."""

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from interviews.models import Concern, IndicatorAnswer, Interview
from oversight import reports
from registry.models import BankAccount, Employment
from tests.factories import EmployerFactory, MissionFactory
from tests.interviews.factories import (
    BookedInterviewFactory,
    ConcernFactory,
    OrganisationFactory,
    RecordFactory,
    ReferralFactory,
    at,
)
from tests.registry.factories_bank import BankAccountFactory
from tests.registry.factories_workers import (
    IndexedWorkerFactory,
    RegistrationFactory,
    WorkerEmploymentFactory,
)

pytestmark = pytest.mark.django_db
YEAR = 2026


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(timezone.make_aware(dt.datetime(2026, 11, 29, 10, 0)), tick=False)


def employed(employer, *, registered=True, verified=False, **worker):
    employment = WorkerEmploymentFactory(
        employer=employer, worker=IndexedWorkerFactory(**worker), start_date=dt.date(2025, 3, 1)
    )
    if registered:
        RegistrationFactory(employment=employment)
    if verified:
        BankAccountFactory(
            worker=employment.worker,
            status=BankAccount.Status.VERIFIED,
            verified_on=dt.date(2026, 5, 1),
            verification_expires_on=dt.date(2027, 5, 1),
        )
    return employment


def held(employment, *, held_on: dt.date, due_on: dt.date, counts=True):
    return RecordFactory(
        interview__worker=employment.worker,
        interview__employment=employment,
        interview__card__employment=employment,
        interview__due_on=due_on,
        held_at=at(held_on.year, held_on.month, held_on.day),
        in_private=counts,
    )


@pytest.fixture
def data():
    north = MissionFactory(name="Embassy of Northland")
    south = MissionFactory(name="Embassy of Southland")
    ambassador = EmployerFactory(mission=north, family_name="Adebayo")
    counsellor = EmployerFactory(mission=north, family_name="Brandt")
    attache = EmployerFactory(mission=south, family_name="Chen")
    a1 = employed(ambassador, verified=True)
    a2 = employed(ambassador, registered=False)
    b1 = employed(counsellor, verified=True)
    c1 = employed(attache)
    held(a1, held_on=dt.date(2026, 2, 10), due_on=dt.date(2026, 3, 1))  # on time
    held(a2, held_on=dt.date(2026, 4, 10), due_on=dt.date(2026, 3, 1))  # late
    held(b1, held_on=dt.date(2026, 2, 10), due_on=dt.date(2026, 3, 1), counts=False)  # not private
    held(c1, held_on=dt.date(2025, 2, 10), due_on=dt.date(2025, 3, 1))  # another year
    ConcernFactory(worker=a2.worker)
    BookedInterviewFactory(
        worker=c1.worker,
        employment=c1,
        card__employment=c1,
        status=Interview.Status.NO_SHOW,
        # A date of its own: the slot factory's sequence moves later with every slot made.
        slot__starts_at=at(2026, 6, 1),
    )
    # An employment that ended before the year does not count.
    WorkerEmploymentFactory(
        employer=attache,
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2024, 12, 31),
        status=Employment.Status.ENDED,
    )
    return {"north": north, "south": south, "ambassador": ambassador}


def test_compliance_per_mission(data):
    rows = {row.name: row for row in reports.compliance_rows(year=YEAR)}
    north, south = rows["Embassy of Northland"], rows["Embassy of Southland"]
    assert (north.workers, north.registered, north.interviews_held, north.interviews_on_time) == (
        3,
        2,
        2,
        1,
    )
    assert (north.verified, north.concerns, north.no_shows) == (2, 1, 0)
    assert (south.workers, south.registered, south.interviews_held, south.no_shows) == (1, 1, 0, 1)
    assert south.on_time_rate is None
    assert north.on_time_rate == 0.5


def test_compliance_per_employer_and_sorting(data):
    rows = reports.compliance_rows(year=YEAR, group="employer", sort="-workers")
    assert next(row.name.split(",")[0] for row in rows) == "Adebayo"
    assert rows[0].workers == 2 and rows[0].mission == "Embassy of Northland"
    by_rate = reports.compliance_rows(year=YEAR, group="employer", sort="on_time_rate")
    assert by_rate[-1].on_time_rate is None  # no interview held: always last
    # An unknown sort key gives the alphabetical order.
    assert [r.name for r in reports.compliance_rows(year=YEAR, sort="drop table")] == [
        "Embassy of Northland",
        "Embassy of Southland",
    ]


def test_compliance_page_sorts_links_and_is_audited(client_for, supervisor, data):
    client = client_for(supervisor)
    response = client.get(reverse("oversight:compliance"), {"year": YEAR, "sort": "-workers"})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("Northland") < page.index("Southland")
    assert 'aria-sort="descending"' in page
    assert AuditEntry.objects.filter(object_type="oversight.compliance", action="view").exists()
    # A year out of range falls back to this year, with no error page.
    assert client.get(reverse("oversight:compliance"), {"year": "1200"}).status_code == 200


def test_compliance_pages_a_long_table_in_the_chosen_order(
    client_for, supervisor, data, monkeypatch
):
    monkeypatch.setattr("oversight.views.reports.COMPLIANCE_PAGE_SIZE", 1)
    client = client_for(supervisor)
    query = {"year": YEAR, "sort": "-workers"}
    first = client.get(reverse("oversight:compliance"), query).content.decode()
    assert "Northland" in first and "Southland" not in first
    assert "2 missions" in first
    assert "Page 1 of 2" in first
    # The next page keeps the year and the order.
    assert f"?year={YEAR}&amp;sort=-workers&amp;page=2" in first
    second = client.get(reverse("oversight:compliance"), {**query, "page": 2}).content.decode()
    assert "Southland" in second and "Northland" not in second
    # The sort links start again from the first page.
    assert "page=2&amp;sort" not in second
    # The CSV still holds every row.
    rows = list(
        csv.reader(
            io.StringIO(client.get(reverse("oversight:compliance-csv"), query).content.decode())
        )
    )
    assert len(rows) == 3


def test_compliance_queries_do_not_grow_with_missions(
    client_for, supervisor, data, django_assert_max_num_queries
):
    client = client_for(supervisor)
    client.get(reverse("oversight:compliance"))
    with django_assert_max_num_queries(9):
        client.get(reverse("oversight:compliance"), {"group": "employer"})
    for n in range(12):
        employed(EmployerFactory(mission=MissionFactory(name=f"Mission {n}")), verified=True)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("oversight:compliance"), {"group": "employer"})
    assert response.content.decode().count("<tr>") >= 15


def test_compliance_csv_is_audited_and_escapes_formulas(client_for, auditor, data):
    data["north"].name = '=HYPERLINK("x")'
    data["north"].save()
    response = client_for(auditor).get(reverse("oversight:compliance-csv"), {"year": YEAR})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "mission"
    assert rows[1][0].startswith("'=HYPERLINK")
    assert rows[1][2:7] == ["3", "2", "2", "1", "50"]
    assert (
        AuditEntry.objects.get(action="export", object_type="oversight.compliance").actor == auditor
    )


def test_compliance_pdf_report(client_for, supervisor, data):
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    response = client_for(supervisor).get(reverse("oversight:compliance-pdf"), {"year": YEAR})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "Embassy of Northland" in text and "Adebayo" in text
    assert AuditEntry.objects.filter(action="export", detail="PDF 2026").exists()


# --- Statistics -------------------------------------------------------------------------------


def test_small_counts_are_never_shown(data):
    for table in reports.statistics(YEAR):
        for row in table.rows:
            for cell in row[table.label_columns :]:
                assert cell == reports.SUPPRESSED or cell == 0 or cell >= 5, (table.key, row)


def test_counts_of_five_or_more_are_shown_exactly():
    employer = EmployerFactory()
    for _ in range(6):
        employed(employer, nationality="NP", sex="F")
    employed(employer, nationality="LK", sex="F")
    table = reports.statistics(YEAR)[0]
    rows = {(row[0], row[1]): row[2] for row in table.rows}
    assert rows[("Nepal", "Female")] == 6
    assert rows[("Sri Lanka", "Female")] == reports.SUPPRESSED


def test_indicators_referrals_and_outcomes_are_counted():
    employer = EmployerFactory()
    organisation = OrganisationFactory(name="Labour Inspectorate")
    for _n in range(5):
        employment = employed(employer)
        record = held(employment, held_on=dt.date(2026, 6, 1), due_on=dt.date(2026, 7, 1))
        IndicatorAnswer.objects.create(
            record=record, indicator="withholding_of_wages", level="observed"
        )
        concern = ConcernFactory(
            worker=employment.worker, indicators=["withholding_of_wages"], severity="high"
        )
        ReferralFactory(concern=concern, organisation=organisation, referred_on=dt.date(2026, 6, 2))
    tables = {table.key: table for table in reports.statistics(YEAR)}
    wages = next(r for r in tables["indicators"].rows if r[0] == "Withholding of wages")
    assert wages[1:] == [0, 5, 5]
    assert tables["referrals"].rows == [["Labour Inspectorate", "NGO", 5]]
    assert ["High", "Still open", 5] in tables["concerns"].rows
    assert Concern.objects.count() == 5


def test_statistics_csv_has_no_names_passports_or_card_numbers(client_for, auditor, data):
    worker = data["ambassador"].employments.first().worker
    worker.passport_number = "P9988776"
    worker.save()
    response = client_for(auditor).get(reverse("oversight:statistics-csv"), {"year": YEAR})
    text = response.content.decode()
    assert response.status_code == 200
    assert text.splitlines()[0] == "table,year,category,subcategory,figure,count"
    for secret in (
        worker.family_name,
        worker.given_names,
        "P9988776",
        *worker.cards.values_list("number", flat=True),
    ):
        assert secret not in text
    counts = [row[-1] for row in csv.reader(io.StringIO(text))][1:]
    assert all(count == "<5" or int(count) == 0 or int(count) >= 5 for count in counts)
    assert not re.search(r",[1-4]\r?$", text, re.MULTILINE)
    assert AuditEntry.objects.filter(action="export", object_type="oversight.statistics").exists()
