"""The record page and its addenda: the record and its restricted notes are seen by the
interview's interviewer and supervisors only, every showing of the notes is audited, officers
are refused (the day page tells them it was held and whether it counts), and a record is
corrected only by an addendum, the original staying as written."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import escape

from accounts.models import AuditEntry
from accounts.roles import Role
from interviews import records
from interviews.models import Indicator, InterviewRecord, RecordAddendum
from tests.interviews.factories import at
from tests.interviews.factories_records import appointment, good_fields

pytestmark = pytest.mark.django_db
Action = AuditEntry.Action

NOTES = "She says the madam keeps her passport in a drawer."
INDICATOR_NOTE = "Paid only every second month."


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(at(2025, 3, 10, 11), tick=False)


@pytest.fixture
def record(interviewer):
    interview = appointment(interviewer, at(2025, 3, 10, 10))
    indicators = {code: "not_seen" for code in Indicator.values}
    indicators["withholding_of_wages"] = {"level": "suspected", "note": INDICATOR_NOTE}
    return records.record_create(
        interview=interview,
        by=interviewer,
        **good_fields(
            outcome="follow_up", restricted_notes=NOTES, wage_on_time="no", indicators=indicators
        ),
    )


def detail_url(record):
    return reverse("interviews:record-detail", args=[record.interview_id])


def addendum_url(record):
    return reverse("interviews:addendum-create", args=[record.interview_id])


def page(response) -> str:
    return response.content.decode()


def notes_reads(record):
    return AuditEntry.objects.filter(
        action=Action.VIEW,
        object_type="interviews.interviewrecord",
        object_id=str(record.pk),
        detail="restricted notes",
    )


# --- Who sees what ----------------------------------------------------------------------------


def test_the_interviewer_sees_the_whole_record_with_the_notes(client_for, interviewer, record):
    response = client_for(interviewer).get(detail_url(record))
    assert response.status_code == 200
    content = page(response)
    assert escape(NOTES) in content
    assert INDICATOR_NOTE in content
    assert "Withholding of wages" in content
    assert "Follow-up" in content
    assert "Add an addendum" in content


def test_every_reading_of_the_notes_is_audited(client_for, interviewer, supervisor, record):
    client_for(interviewer).get(detail_url(record))
    client_for(interviewer).get(detail_url(record))
    client_for(supervisor).get(detail_url(record))
    readers = list(notes_reads(record).values_list("actor__username", flat=True))
    assert sorted(readers) == ["interviewer", "interviewer", "supervisor"]


def test_a_supervisor_sees_the_notes(client_for, supervisor, record):
    response = client_for(supervisor).get(detail_url(record))
    assert escape(NOTES) in page(response)


def test_an_officer_is_refused_the_record_and_never_sees_the_notes(client_for, officer, record):
    response = client_for(officer).get(detail_url(record))
    assert response.status_code == 403
    content = page(response)
    assert NOTES not in content
    assert escape(NOTES) not in content
    assert INDICATOR_NOTE not in content
    assert not notes_reads(record).exists()
    assert AuditEntry.objects.filter(actor=officer, action=Action.PERMISSION_DENIED).exists()


def test_an_officer_sees_on_the_day_that_it_was_held_and_does_not_count(
    client_for, officer, interviewer
):
    held = appointment(interviewer, at(2025, 3, 10, 8))
    records.record_create(
        interview=held,
        by=interviewer,
        **good_fields(no_employer_present=False, restricted_notes=NOTES),
    )
    content = page(client_for(officer).get(reverse("interviews:day")))
    card = content[content.index(f'id="interview-{held.pk}"') :]
    card = card[: card.index("</li>")]
    assert "08:00" in card
    assert "Held" in card
    assert "Does not count" in card
    assert NOTES not in content
    assert "/record/" not in content


def test_another_interviewer_is_refused_and_audited(client_for, make_staff, record):
    colleague = make_staff(Role.INTERVIEWER, username="colleague")
    response = client_for(colleague).get(detail_url(record))
    assert response.status_code == 403
    assert NOTES not in page(response)
    assert AuditEntry.objects.filter(actor=colleague, action=Action.PERMISSION_DENIED).exists()
    assert not notes_reads(record).exists()


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ADMINISTRATOR])
def test_auditors_and_administrators_are_refused(client_for, make_staff, record, role):
    response = client_for(make_staff(role)).get(detail_url(record))
    assert response.status_code == 403
    assert NOTES not in page(response)


def test_an_interview_without_a_record_has_no_record_page(client_for, interviewer):
    interview = appointment(interviewer, at(2025, 3, 10, 9))
    response = client_for(interviewer).get(reverse("interviews:record-detail", args=[interview.pk]))
    assert response.status_code == 404


def test_the_notes_read_service_refuses_an_officer(officer, record):
    with pytest.raises(PermissionDenied):
        records.record_notes_read(record=record, user=officer)
    assert not notes_reads(record).exists()


# --- Addenda ----------------------------------------------------------------------------------


def test_an_addendum_is_added_and_the_original_stays(client_for, interviewer, record):
    before = InterviewRecord.objects.filter(pk=record.pk).values().get()
    response = client_for(interviewer).post(
        addendum_url(record), {"text": "She called back: the passport is with her now."}
    )
    assert response.status_code == 302
    assert response["Location"] == detail_url(record)
    assert InterviewRecord.objects.filter(pk=record.pk).values().get() == before
    addendum = RecordAddendum.objects.get(record=record)
    assert addendum.written_by == interviewer
    assert AuditEntry.objects.filter(
        action=Action.CREATE, object_type="interviews.recordaddendum", object_id=str(addendum.pk)
    ).exists()
    content = page(client_for(interviewer).get(detail_url(record)))
    assert escape(NOTES) in content
    assert "She called back: the passport is with her now." in content


def test_addenda_are_listed_in_order_with_author_and_time(
    client_for, interviewer, supervisor, record, time_machine
):
    records.record_addendum_add(record=record, by=interviewer, text="First correction.")
    time_machine.move_to(at(2025, 3, 11, 9, 30), tick=False)
    records.record_addendum_add(record=record, by=supervisor, text="Second correction.")
    content = page(client_for(supervisor).get(detail_url(record)))
    assert content.index("First correction.") < content.index("Second correction.")
    assert "2025-03-10 11:00" in content
    assert "2025-03-11 09:30" in content


def test_an_empty_addendum_is_refused_and_nothing_is_added(client_for, interviewer, record):
    response = client_for(interviewer).post(addendum_url(record), {"text": "   "})
    assert response.status_code == 200
    assert "This field is required." in page(response)
    assert not RecordAddendum.objects.exists()


def test_an_addendum_is_encrypted_at_rest(interviewer, record):
    from django.db import connection

    addendum = records.record_addendum_add(
        record=record, by=interviewer, text="The employer phoned her twice during the interview."
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM interviews_recordaddendum WHERE id = %s", [addendum.pk])
        (raw,) = cursor.fetchone()
    assert raw and "phoned" not in raw


@pytest.mark.parametrize("role", [Role.PROTOCOL_OFFICER, Role.AUDITOR])
def test_officers_and_auditors_cannot_add_an_addendum(client_for, make_staff, record, role):
    response = client_for(make_staff(role)).post(addendum_url(record), {"text": "Not allowed."})
    assert response.status_code == 403
    assert not RecordAddendum.objects.exists()


def test_another_interviewer_cannot_add_an_addendum(client_for, make_staff, record):
    colleague = make_staff(Role.INTERVIEWER, username="colleague")
    response = client_for(colleague).post(addendum_url(record), {"text": "Not allowed."})
    assert response.status_code == 403
    assert not RecordAddendum.objects.exists()


# --- Arabic, right to left --------------------------------------------------------------------


def test_the_record_pages_render_right_to_left_in_arabic(client_for, interviewer, record):
    client = client_for(interviewer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    other = appointment(interviewer, at(2025, 3, 10, 9))
    for url in (
        detail_url(record),
        addendum_url(record),
        reverse("interviews:record-create", args=[other.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'lang="ar" dir="rtl"' in page(response), url
        assert "bootstrap.rtl.min.css" in page(response), url
