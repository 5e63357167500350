"""Rooms, interpreters, interviewers' profiles and availability, calendars and the calendar feed:
who may open them."""

from tests.matrix import AD, ALL_ROLES, ANON, IV, PO, SV, only


def _room():
    from tests.interviews.factories import RoomFactory

    return {"pk": RoomFactory().pk}


def _interpreter():
    from tests.interviews.factories import InterpreterFactory

    return {"pk": InterpreterFactory().pk}


def _other_interviewer():
    """Another interviewer's pages: only supervisors act for them."""
    from accounts.roles import Role
    from tests.factories import UserFactory

    return {"user_pk": UserFactory(username="colleague", role=Role.INTERVIEWER).pk}


def _feed():
    from tests.interviews.factories import InterviewerProfileFactory

    return {"token": InterviewerProfileFactory().calendar_token}


# The feed's unguessable address is the credential: no login, the same answer for everyone.
PUBLIC = {ANON: 200, **{role: 200 for role in ALL_ROLES}}

ENTRIES = {
    # Officers and interviewers read; supervisors and administrators also create and edit.
    "interviews:room-list": ({}, "get", only(PO, IV, SV, AD)),
    "interviews:room-create": ({}, "get", only(SV, AD)),
    "interviews:room-edit": (_room, "get", only(SV, AD)),
    "interviews:interpreter-list": ({}, "get", only(PO, IV, SV, AD)),
    "interviews:interpreter-create": ({}, "get", only(SV, AD)),
    "interviews:interpreter-edit": (_interpreter, "get", only(SV, AD)),
    # An interviewer manages their own (tests/interviews/test_availability_views.py); a
    # supervisor anyone's.
    "interviews:profile-edit": (_other_interviewer, "get", only(SV)),
    "interviews:availability": (_other_interviewer, "get", only(SV)),
    # Officers and supervisors see every calendar; an interviewer their own and the rooms'.
    "interviews:calendar-interviewer": (_other_interviewer, "get", only(PO, SV)),
    "interviews:calendar-room": (_room, "get", only(PO, IV, SV)),
    "interviews:calendar-feed": (_feed, "get", PUBLIC),
}
