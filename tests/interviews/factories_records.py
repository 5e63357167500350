"""Helpers for the interview record tests: an appointment that has started, and the answers of
an interview that went well (as the form posts them and as the service takes them)."""

import datetime as dt

from interviews.models import Indicator, Interview
from tests.interviews.factories import BookedInterviewFactory, RoomFactory, SlotFactory


def appointment(
    interviewer,
    starts_at: dt.datetime,
    *,
    status: str = Interview.Status.CONFIRMED,
    room=None,
    **kwargs,
) -> Interview:
    """A booked interview with `interviewer` at `starts_at` (45 minutes)."""
    slot = SlotFactory(
        interviewer=interviewer,
        room=room or RoomFactory(),
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=45),
    )
    return BookedInterviewFactory(slot=slot, status=status, **kwargs)


def good_answers(**overrides) -> dict:
    """What the form posts for a private interview with nothing of concern."""
    data = {
        "in_person": "yes",
        "in_private": "yes",
        "no_employer_present": "yes",
        "language": "tl",
        "interpreter": "",
        "identity_checked": "yes",
        "passport_holder": "worker",
        "card_holder": "worker",
        "daily_hours": "8",
        "weekly_hours": "40",
        "weekly_rest_day": "yes",
        "annual_leave": "yes",
        "wage_amount": "2000.00",
        "wage_into_own_account": "yes",
        "wage_on_time": "yes",
        "wage_in_full": "yes",
        "bank_account_confirmed": "yes",
        "own_room_locks": "yes",
        "free_to_go_out": "yes",
        "own_phone": "yes",
        "contact_family": "yes",
        "threats_or_abuse": "no",
        "wish_to_continue": "yes",
        "outcome": "no_concern",
        "restricted_notes": "",
    }
    for code in Indicator.values:
        data[f"indicator_{code}"] = "not_seen"
        data[f"indicator_{code}_note"] = ""
    data.update(overrides)
    return data


def good_fields(**overrides) -> dict:
    """What records.record_create takes for the same interview."""
    fields = {
        "in_person": True,
        "in_private": True,
        "no_employer_present": True,
        "language": "tl",
        "interpreter": None,
        "identity_checked": True,
        "passport_holder": "worker",
        "card_holder": "worker",
        "daily_hours": 8,
        "weekly_hours": 40,
        "weekly_rest_day": "yes",
        "annual_leave": "yes",
        "wage_into_own_account": "yes",
        "wage_on_time": "yes",
        "wage_in_full": "yes",
        "bank_account_confirmed": "yes",
        "own_room_locks": "yes",
        "free_to_go_out": "yes",
        "own_phone": "yes",
        "contact_family": "yes",
        "threats_or_abuse": "no",
        "wish_to_continue": "yes",
        "outcome": "no_concern",
        "restricted_notes": "",
        "indicators": {code: "not_seen" for code in Indicator.values},
    }
    fields.update(overrides)
    return fields
