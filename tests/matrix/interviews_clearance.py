"""Renewal clearance, the interview policy and the card office's API: who may open them.

Clearances are for those who handle renewals (officers, supervisors); only supervisors decide on
a hold. Administrators change the interview policy and supervisors read it. The API knows no
staff session: without its token everyone, signed in or not, gets 401. Its schema is public.
"""

from tests.matrix import AD, ALL_ROLES, ANON, PO, SV, only


def _card():
    from tests.registry.factories_workers import CardFactory

    return {"card_pk": CardFactory().pk}


def _card_on_hold():
    from tests.interviews.factories_clearance import ready_card, urgent_concern

    card = ready_card()
    urgent_concern(card.worker)
    return {"card_pk": card.pk}


def _card_number():
    from tests.registry.factories_workers import CardFactory

    return {"number": CardFactory().number}


ENTRIES = {
    "interviews:clearance-list": ({}, "get", only(PO, SV)),
    "interviews:clearance-detail": (_card, "get", only(PO, SV)),
    "interviews:clearance-decide": (_card_on_hold, "get", only(SV)),
    "interviews:clearance-notice": (_card, "get", only(PO, SV)),
    "interviews:clearance-notice-pdf": (_card, "get", only(PO, SV)),
    "interviews:policy-edit": ({}, "get", only(SV, AD)),
    "api-clearance": (_card_number, "get", {ANON: 401, **{role: 401 for role in ALL_ROLES}}),
    "api-schema": ({}, "get", {ANON: 200, **{role: 200 for role in ALL_ROLES}}),
}
