"""Scheduling: the worker's appointment page (public, signed link) and missed appointments."""

import datetime as dt

from django.utils import timezone

from tests.matrix import ALL_ROLES, ANON, PO, SV, only


def _appointment():
    from interviews.links import token_for
    from tests.interviews.factories_scheduling import booked_interview

    interview = booked_interview(starts_at=timezone.now() + dt.timedelta(days=10))
    return {"token": token_for(interview.pk, timezone.now() + dt.timedelta(days=45))}


def _booked():
    from tests.interviews.factories_scheduling import booked_interview

    return {"pk": booked_interview(starts_at=timezone.now() + dt.timedelta(days=10)).pk}


ENTRIES = {
    # No login: the token is the key, and everyone holding it sees the same page.
    "appointment": (_appointment, "get", {ANON: 200, **{role: 200 for role in ALL_ROLES}}),
    # Officers and supervisors; the interviewer assigned to it too, but not another one (the
    # matrix's interviewer is not assigned). The appointment has not started: the view says so
    # and goes back to the interview's page.
    "interviews:interview-missed": (_booked, "post", only(PO, SV, allowed=302)),
    "interviews:missed-list": ({}, "get", only(PO, SV)),
}
