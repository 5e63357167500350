"""Concerns, referrals and the organisations referred to: who may open each page.

Officers, administrators and auditors never see a concern. The interviewer of the matrix
(make_staff's user named "interviewer", created here before the request) opened the concern or
holds the worker's interview, so the rule "an interviewer sees their own concerns" lets them in.
"""

from interviews.models import Concern
from tests.factories import UserFactory
from tests.interviews.factories import (
    BookedInterviewFactory,
    ConcernFactory,
    OrganisationFactory,
    ReferralFactory,
)
from tests.matrix import AD, IV, SV, only

# The username make_staff gives the interviewer (tests/conftest.py, ROLE_USERNAMES).
INTERVIEWER = "interviewer"


def _concern():
    return {"pk": ConcernFactory(opened_by=UserFactory(username=INTERVIEWER)).pk}


def _closed_concern():
    concern = ConcernFactory(
        opened_by=UserFactory(username=INTERVIEWER),
        status=Concern.Status.CLOSED,
        closure_reason=Concern.ClosureReason.RESOLVED,
        closure_note="Resolved with the worker.",
    )
    return {"pk": concern.pk}


def _referral():
    referral = ReferralFactory(concern__opened_by=UserFactory(username=INTERVIEWER))
    return {"pk": referral.pk}


def _worker_interviewed():
    interview = BookedInterviewFactory(slot__interviewer=UserFactory(username=INTERVIEWER))
    return {"worker_pk": interview.worker_id}


def _organisation():
    return {"pk": OrganisationFactory().pk}


HANDLERS = only(IV, SV)

ENTRIES = {
    "interviews:concern-list": ({}, "get", HANDLERS),
    "interviews:concern-detail": (_concern, "get", HANDLERS),
    "interviews:concern-edit": (_concern, "get", HANDLERS),
    "interviews:concern-action": (_concern, "get", HANDLERS),
    "interviews:concern-referral": (_concern, "get", HANDLERS),
    "interviews:concern-close": (_concern, "get", HANDLERS),
    # Only a supervisor reopens a closed concern.
    "interviews:concern-reopen": (_closed_concern, "get", only(SV)),
    "interviews:referral-response": (_referral, "get", HANDLERS),
    "interviews:concern-create": (_worker_interviewed, "get", HANDLERS),
    # The directory is kept by supervisors and administrators.
    "interviews:organisation-list": ({}, "get", only(SV, AD)),
    "interviews:organisation-create": ({}, "get", only(SV, AD)),
    "interviews:organisation-edit": (_organisation, "get", only(SV, AD)),
}
