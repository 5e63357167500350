"""The interview policy page: administrators change it, supervisors read it, every version is
kept and every change audited."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import AuditEntry
from interviews.forms_clearance import reminder_hours_parse
from interviews.models import InterviewPolicy
from interviews.services import policy_current

URL = reverse("interviews:policy-edit")
NOW = dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC)
VALID = {
    "probation_months": "6",
    "window_opens_days": "120",
    "due_days": "45",
    "slot_minutes": "60",
    "reminder_hours": "24, 168 ,72",
    "missed_for_concern": "3",
    "link_valid_days": "30",
}


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def snapshot() -> dict:
    policy = policy_current()
    return {name: getattr(policy, name) for name in VALID}


@pytest.mark.django_db
def test_an_administrator_sees_the_form_with_the_current_rules(client_for, administrator):
    policy_current()

    response = client_for(administrator).get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="policy-form"' in html
    assert 'name="reminder_hours"' in html and 'value="72, 24"' in html
    assert 'name="window_opens_days"' in html and 'value="90"' in html
    for kind in ("Registration", "First renewal after probation", "Annual", "Follow-up", "Exit"):
        assert escape(kind) in html
    assert "after a probation period of 6 months" in html


@pytest.mark.django_db
def test_an_administrator_changes_the_policy_and_it_is_audited_and_kept(client_for, administrator):
    policy_current()
    client = client_for(administrator)

    response = client.post(URL, VALID)

    assert response.status_code == 302
    assert snapshot() == {
        "probation_months": 6,
        "window_opens_days": 120,
        "due_days": 45,
        "slot_minutes": 60,
        "reminder_hours": [168, 72, 24],
        "missed_for_concern": 3,
        "link_valid_days": 30,
    }
    entry = AuditEntry.objects.get(object_type="interviews.interviewpolicy")
    assert (entry.actor, entry.action) == (administrator, AuditEntry.Action.UPDATE)
    assert entry.changed_fields == sorted(
        [
            "window_opens_days",
            "due_days",
            "slot_minutes",
            "reminder_hours",
            "missed_for_concern",
            "link_valid_days",
        ]
    )
    latest = policy_current().history.first()
    assert latest.history_user == administrator
    html = client.get(URL).content.decode()
    assert 'id="policy-history"' in html
    assert 'Slot length (minutes): <span dir="ltr">45</span> → <span dir="ltr">60</span>' in html
    assert '<span dir="ltr">72, 24</span> → <span dir="ltr">168, 72, 24</span>' in html
    assert administrator.get_username() in html


@pytest.mark.django_db
def test_saving_the_same_rules_writes_no_version(client_for, administrator):
    policy_current()
    versions = policy_current().history.count()
    same = {
        **VALID,
        "window_opens_days": "90",
        "due_days": "30",
        "slot_minutes": "45",
        "reminder_hours": "24,72",
        "missed_for_concern": "2",
        "link_valid_days": "45",
    }

    client_for(administrator).post(URL, same)

    assert policy_current().history.count() == versions
    assert not AuditEntry.objects.filter(object_type="interviews.interviewpolicy").exists()


@pytest.mark.django_db
def test_no_reminder_at_all_is_allowed(client_for, administrator):
    client_for(administrator).post(URL, {**VALID, "reminder_hours": ""})

    assert policy_current().reminder_hours == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("72, soon", "“soon” is not a whole number of hours."),
        ("2.5", "“2.5” is not a whole number of hours."),
        ("-4", "“-4” is not a whole number of hours."),
        ("0", "A reminder must come between 1 and 336 hours before the appointment, not 0."),
        ("337", "A reminder must come between 1 and 336 hours before the appointment, not 337."),
        ("72, 24, 72", "72 hours is listed twice. Give each reminder once."),
    ],
)
def test_bad_reminder_hours_show_an_error_and_change_nothing(
    client_for, administrator, value, error
):
    before = snapshot()

    response = client_for(administrator).post(URL, {**VALID, "reminder_hours": value})

    assert response.status_code == 200
    assert escape(error) in response.content.decode()
    assert snapshot() == before
    assert not AuditEntry.objects.filter(object_type="interviews.interviewpolicy").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("opens", ["45", "30"])
def test_the_window_must_open_before_the_interview_is_due(client_for, administrator, opens):
    before = snapshot()

    response = client_for(administrator).post(URL, {**VALID, "window_opens_days": opens})

    assert response.status_code == 200
    assert (
        escape(
            "The window must open before the interview is due: give more days than for the due date (45)."
        )
        in response.content.decode()
    )
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("slot_minutes", "5"),
        ("missed_for_concern", "0"),
        ("probation_months", ""),
        ("link_valid_days", "x"),
    ],
)
def test_other_bad_values_show_an_error_and_change_nothing(client_for, administrator, field, value):
    before = snapshot()

    response = client_for(administrator).post(URL, {**VALID, field: value})

    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert snapshot() == before


@pytest.mark.django_db
def test_a_supervisor_reads_the_policy_and_its_history_without_a_form(client_for, supervisor):
    policy_current()

    response = client_for(supervisor).get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="policy-form"' not in html
    assert "Only an administrator can change the interview policy." in html
    assert 'id="policy-rules"' in html and "72, 24" in html
    assert 'id="policy-history"' in html


@pytest.mark.django_db
def test_a_supervisor_cannot_change_the_policy(client_for, supervisor):
    before = snapshot()

    response = client_for(supervisor).post(URL, VALID)

    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["officer", "interviewer", "auditor"])
def test_others_cannot_see_the_policy(client_for, request, role):
    assert client_for(request.getfixturevalue(role)).get(URL).status_code == 403


@pytest.mark.django_db
def test_the_service_refuses_a_window_that_opens_after_the_due_date(administrator):
    from interviews.clearance import interview_policy_save

    policy = policy_current()

    with pytest.raises(ValidationError) as error:
        interview_policy_save(policy=policy, by=administrator, window_opens_days=20, due_days=30)

    assert "window_opens_days" in error.value.error_dict
    policy.refresh_from_db()
    assert (policy.window_opens_days, policy.due_days) == (90, 30)
    assert InterviewPolicy.objects.count() == 1


# --- Parsing the reminders ------------------------------------------------------------------


def test_reminders_are_sorted_the_earliest_first():
    assert reminder_hours_parse(" 1,336; 24 ,, 72 ") == [336, 72, 24, 1]


@given(st.sets(st.integers(min_value=1, max_value=336), max_size=12))
def test_any_set_of_whole_hours_comes_back_sorted_descending(hours):
    text = ", ".join(str(hour) for hour in hours)

    assert reminder_hours_parse(text) == sorted(hours, reverse=True)
