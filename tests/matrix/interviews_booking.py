"""Booking by hand: the interview list and page, creating, booking, moving and cancelling, and
one worker's interviews. Officers and supervisors book; interviewers only read their own."""

from tests.interviews.factories import BookedInterviewFactory, InterviewFactory
from tests.matrix import IV, PO, SV, only
from tests.registry.factories_workers import IndexedWorkerFactory


def _worker():
    return {"worker_pk": IndexedWorkerFactory().pk}


def _due():
    return {"pk": InterviewFactory().pk}


def _booked():
    # Assigned to another interviewer than the matrix's: an interviewer gets 403 on it.
    return {"pk": BookedInterviewFactory().pk}


READERS = only(PO, IV, SV)
BOOKERS = only(PO, SV)

ENTRIES = {
    "interviews:interview-list": ({}, "get", READERS),
    "interviews:interview-detail": (_booked, "get", BOOKERS),
    "interviews:interview-create": (_worker, "get", BOOKERS),
    "interviews:interview-book": (_due, "get", BOOKERS),
    "interviews:interview-move": (_booked, "get", BOOKERS),
    "interviews:interview-cancel": (_due, "get", BOOKERS),
    "interviews:worker-interviews": (_worker, "get", READERS),
}
