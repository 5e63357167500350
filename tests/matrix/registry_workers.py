"""Workers and what belongs to them: who may open each page."""

from tests.matrix import IV, PO, SV, only
from tests.registry.factories_workers import IndexedWorkerFactory, PhoneFactory, ReferralFactory


def _worker():
    return {"pk": IndexedWorkerFactory().pk}


def _phone():
    return {"pk": PhoneFactory().pk}


def _referral():
    return {"pk": ReferralFactory().pk}


def _pair():
    return {"pk": IndexedWorkerFactory().pk, "other_pk": IndexedWorkerFactory().pk}


READERS = only(PO, IV, SV)
OFFICERS = only(PO)

ENTRIES = {
    "registry:worker-list": ({}, "get", READERS),
    "registry:worker-create": ({}, "get", OFFICERS),
    "registry:worker-detail": (_worker, "get", READERS),
    "registry:worker-update": (_worker, "get", OFFICERS),
    "registry:worker-phone-add": (_worker, "get", OFFICERS),
    # An empty POST marks the phone as not safe and goes back to the worker's page.
    "registry:phone-mark-unsafe": (_phone, "post", only(PO, allowed=302)),
    "registry:worker-language-add": (_worker, "get", OFFICERS),
    "registry:worker-consent-add": (_worker, "get", OFFICERS),
    "registry:worker-course-referral-add": (_worker, "get", OFFICERS),
    "registry:course-referral-update": (_referral, "get", OFFICERS),
    "registry:worker-not-duplicate": (_pair, "post", only(PO, allowed=302)),
}
