"""Interview records and the interviewer's day. The appointment belongs to the user the
matrix signs in as "interviewer", so the interviewer row is the assigned interviewer's answer;
another interviewer's 403 is tested in tests/interviews/test_records*.py."""

import datetime as dt

from django.utils import timezone

from tests.factories import UserFactory
from tests.interviews.factories_records import appointment, good_fields
from tests.matrix import IV, PO, SV, only


def _started():
    """A confirmed appointment of the matrix's interviewer that began an hour ago."""
    interviewer = UserFactory(username="interviewer")
    return appointment(interviewer, timezone.now() - dt.timedelta(hours=1))


def _interview():
    return {"pk": _started().pk}


def _recorded():
    from interviews.records import record_create

    interview = _started()
    # The service checks the recorder's permission: record as a supervisor would.
    supervisor = UserFactory(username="matrix-recorder", role="Supervisor")
    record_create(interview=interview, by=supervisor, **good_fields(restricted_notes="Notes."))
    return {"pk": interview.pk}


ENTRIES = {
    # Interviewers their own day, officers (who arrange interpreters) and supervisors anyone's.
    "interviews:day": ({}, "get", only(PO, IV, SV)),
    # The assigned interviewer or a supervisor records; officers never.
    "interviews:record-create": (_interview, "get", only(IV, SV)),
    # What the worker said: the interviewer and supervisors only. Officers see on the day page
    # that it was held and whether it counts; administrators and auditors nothing.
    "interviews:record-detail": (_recorded, "get", only(IV, SV)),
    "interviews:addendum-create": (_recorded, "get", only(IV, SV)),
}
