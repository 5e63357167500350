"""The interviewer's day: today's appointments in time order with the room, the worker, the
language and the interpreter, and what to do next for each."""

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditEntry
from accounts.roles import Role
from interviews import records
from interviews.models import Interpreter, Interview
from tests.interviews.factories import InterpreterFactory, InterviewFactory, RoomFactory, at
from tests.interviews.factories_records import appointment, good_fields

pytestmark = pytest.mark.django_db

DAY = reverse("interviews:day")
# Session, user, second factor, permissions, the interviewers to choose from, the appointments,
# the audit entry: 7 today, and a little room for the menu the integrator adds.
MAX_QUERIES = 9


@pytest.fixture(autouse=True)
def clock(time_machine):
    """Monday 10 March 2025, 11:00."""
    time_machine.move_to(at(2025, 3, 10, 11), tick=False)


def page(response) -> str:
    return response.content.decode()


def row(content: str, interview: Interview) -> str:
    """The HTML of one appointment's card."""
    start = content.index(f'id="interview-{interview.pk}"')
    return content[start : content.index("</li>", start)]


@pytest.fixture
def colleague(make_staff):
    return make_staff(
        Role.INTERVIEWER, username="colleague", first_name="Chris", last_name="Colleague"
    )


def test_the_interviewer_sees_todays_appointments_in_time_order(client_for, interviewer, colleague):
    interpreter = InterpreterFactory(
        name="Amina Tesfaye", mode=Interpreter.Mode.PHONE, phone="+32470123456", languages=["am"]
    )
    afternoon = appointment(interviewer, at(2025, 3, 10, 14), room=RoomFactory(name="Room 3.02"))
    morning = appointment(
        interviewer,
        at(2025, 3, 10, 9),
        room=RoomFactory(name="Room 2.14"),
        language="am",
        interpreter=interpreter,
    )
    theirs = appointment(colleague, at(2025, 3, 10, 10))
    tomorrow = appointment(interviewer, at(2025, 3, 11, 9))
    InterviewFactory()  # due, not booked: no time, not on anyone's day
    response = client_for(interviewer).get(DAY)
    assert response.status_code == 200
    content = page(response)
    assert content.index(f'id="interview-{morning.pk}"') < content.index(
        f'id="interview-{afternoon.pk}"'
    )
    first = row(content, morning)
    assert "09:00" in first
    assert "Room 2.14" in first
    assert str(morning.worker) in first
    assert "Amharic" in first
    assert "Amina Tesfaye, By phone" in first
    assert 'href="tel:+32470123456"' in first
    assert "Confirmed by the worker" in first
    assert "Room 3.02" in row(content, afternoon)
    assert f'id="interview-{theirs.pk}"' not in content
    assert f'id="interview-{tomorrow.pk}"' not in content


def test_buttons_follow_the_state_of_each_appointment(client_for, interviewer):
    started = appointment(interviewer, at(2025, 3, 10, 9))
    later = appointment(interviewer, at(2025, 3, 10, 15))
    held = appointment(interviewer, at(2025, 3, 10, 8))
    records.record_create(interview=held, by=interviewer, **good_fields())
    missed = appointment(interviewer, at(2025, 3, 10, 7), status=Interview.Status.NO_SHOW)
    content = page(client_for(interviewer).get(DAY))

    assert reverse("interviews:record-create", args=[started.pk]) in row(content, started)
    assert reverse("interviews:interview-missed", args=[started.pk]) in row(content, started)

    assert 'data-action="record"' not in row(content, later)
    assert 'data-action="missed"' not in row(content, later)

    assert reverse("interviews:record-detail", args=[held.pk]) in row(content, held)
    assert 'data-action="record"' not in row(content, held)
    assert "Held" in row(content, held)

    assert "Missed" in row(content, missed)
    assert 'data-action="' not in row(content, missed)


def test_a_record_that_does_not_count_is_marked(client_for, interviewer):
    held = appointment(interviewer, at(2025, 3, 10, 8))
    records.record_create(
        interview=held, by=interviewer, **good_fields(in_private=False, in_person=True)
    )
    assert "Does not count" in row(page(client_for(interviewer).get(DAY)), held)


def test_marking_missed_from_the_day_comes_back_to_the_day(client_for, interviewer):
    started = appointment(interviewer, at(2025, 3, 10, 9))
    client = client_for(interviewer)
    content = page(client.get(DAY, {"date": "2025-03-10"}))
    assert 'name="next" value="/interviews/day/?date=2025-03-10"' in row(content, started)
    response = client.post(
        reverse("interviews:interview-missed", args=[started.pk]),
        {"next": f"{DAY}?date=2025-03-10"},
    )
    assert response["Location"] == f"{DAY}?date=2025-03-10"
    started.refresh_from_db()
    assert started.status == Interview.Status.NO_SHOW


def test_another_day_and_the_links_to_the_days_around_it(client_for, interviewer):
    friday = appointment(interviewer, at(2025, 3, 14, 9))
    content = page(client_for(interviewer).get(DAY, {"date": "2025-03-14"}))
    assert f'id="interview-{friday.pk}"' in content
    assert "Friday 14 March 2025" in content
    assert f'href="{DAY}?date=2025-03-13"' in content
    assert f'href="{DAY}?date=2025-03-15"' in content
    assert f'href="{DAY}?date=2025-03-10"' in content  # back to today


def test_a_bad_date_is_explained_and_today_is_shown(client_for, interviewer):
    today = appointment(interviewer, at(2025, 3, 10, 9))
    response = client_for(interviewer).get(DAY, {"date": "2025-02-30"})
    assert response.status_code == 200
    assert "Enter a valid date." in page(response)
    assert f'id="interview-{today.pk}"' in page(response)


def test_each_look_at_a_day_is_audited(client_for, officer):
    client_for(officer).get(DAY, {"date": "2025-03-12"})
    assert AuditEntry.objects.filter(
        actor=officer, action=AuditEntry.Action.VIEW, detail="interviewer's day 2025-03-12"
    ).exists()


def test_an_interviewer_cannot_open_a_colleagues_day(client_for, interviewer, colleague):
    appointment(colleague, at(2025, 3, 10, 9))
    response = client_for(interviewer).get(DAY, {"interviewer": colleague.pk})
    assert response.status_code == 403


def test_a_supervisor_sees_every_interviewer_or_one(client_for, supervisor, interviewer, colleague):
    mine = appointment(interviewer, at(2025, 3, 10, 9))
    theirs = appointment(colleague, at(2025, 3, 10, 10))
    client = client_for(supervisor)
    content = page(client.get(DAY))
    assert f'id="interview-{mine.pk}"' in content
    assert "Interviewer: Chris Colleague" in row(content, theirs)
    content = page(client.get(DAY, {"interviewer": colleague.pk}))
    assert f'id="interview-{mine.pk}"' not in content
    assert f'id="interview-{theirs.pk}"' in content
    assert "Interviews of Chris Colleague on Monday 10 March 2025" in content
    # Supervisors record any interview.
    assert 'data-action="record"' in row(content, theirs)


def test_an_officer_sees_any_day_without_record_links(client_for, officer, interviewer):
    started = appointment(interviewer, at(2025, 3, 10, 9))
    held = appointment(interviewer, at(2025, 3, 10, 8))
    records.record_create(interview=held, by=interviewer, **good_fields())
    content = page(client_for(officer).get(DAY, {"interviewer": interviewer.pk}))
    assert f'id="interview-{started.pk}"' in content
    assert "/record/" not in content
    assert 'data-action="record"' not in content
    assert 'data-action="view-record"' not in content
    # Officers organise the day: a worker who did not come may be marked by them.
    assert 'data-action="missed"' in row(content, started)


def test_the_number_of_queries_does_not_grow_with_the_day(
    client_for, supervisor, interviewer, django_assert_max_num_queries
):
    interpreter = InterpreterFactory()
    client = client_for(supervisor)

    def fill(count: int, day: dt.date) -> None:
        for n in range(count):
            interview = appointment(
                interviewer,
                at(day.year, day.month, day.day, 7, 0) + dt.timedelta(minutes=45 * n),
                interpreter=interpreter if n % 2 else None,
            )
            if n % 3 == 0 and interview.starts_at <= at(2025, 3, 10, 11):
                records.record_create(interview=interview, by=interviewer, **good_fields())

    def queries(day: dt.date) -> int:
        client.get(DAY, {"date": day.isoformat()})  # warm the session
        with CaptureQueriesContext(connection) as captured:
            response = client.get(DAY, {"date": day.isoformat()})
        assert response.status_code == 200
        return len(captured)

    fill(2, dt.date(2025, 3, 10))
    fill(12, dt.date(2025, 3, 7))
    small, large = queries(dt.date(2025, 3, 10)), queries(dt.date(2025, 3, 7))
    assert small == large
    for day in ("2025-03-10", "2025-03-07"):
        with django_assert_max_num_queries(MAX_QUERIES):
            client.get(DAY, {"date": day})


def test_the_day_renders_right_to_left_in_arabic(client_for, interviewer):
    appointment(interviewer, at(2025, 3, 10, 9))
    client = client_for(interviewer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    response = client.get(DAY)
    assert response.status_code == 200
    assert 'lang="ar" dir="rtl"' in page(response)
