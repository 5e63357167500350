"""Helpers for the booking tests: interviewers who speak given languages and slots at a time."""

import datetime as dt

from accounts.roles import Role
from interviews.models import Slot
from tests.factories import UserFactory
from tests.interviews.factories import InterviewerProfileFactory, RoomFactory, SlotFactory


def speaker(*languages: str, username: str | None = None, **kwargs):
    """An interviewer whose profile lists `languages`."""
    extra = {"username": username} if username else {}
    user = UserFactory(role=Role.INTERVIEWER, **extra, **kwargs)
    InterviewerProfileFactory(user=user, languages=list(languages))
    return user


def slot_at(starts_at: dt.datetime, *, interviewer=None, room=None, minutes: int = 45) -> Slot:
    return SlotFactory(
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=minutes),
        interviewer=interviewer or speaker("tl"),
        room=room or RoomFactory(),
    )
