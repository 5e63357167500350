"""What the scheduling tests need: an active worker whose card has a given expiry, interviewers
who speak given languages, and their free slots."""

import datetime as dt

from accounts.roles import Role
from interviews.models import Slot
from registry.models import IdentityCard, WorkerLanguage
from tests.factories import UserFactory
from tests.interviews.factories import (
    BookedInterviewFactory,
    InterviewerProfileFactory,
    RoomFactory,
    SlotFactory,
)
from tests.registry.factories_workers import (
    CardFactory,
    IndexedWorkerFactory,
    PhoneFactory,
    WorkerEmploymentFactory,
)


def active_worker(
    *,
    language: str = "tl",
    expiry: dt.date = dt.date(2027, 5, 1),
    start: dt.date = dt.date(2024, 1, 1),
    card_status: str = IdentityCard.Status.ISSUED,
    also_speaks: tuple[tuple[str, str], ...] = (),
    given_names: str = "Maria Rosario",
):
    """A worker with a safe SMS number, an active employment and one card; returns all three."""
    worker = IndexedWorkerFactory(preferred_language=language, given_names=given_names)
    PhoneFactory(worker=worker, is_sms_number=True)
    for code, level in also_speaks:
        WorkerLanguage.objects.create(worker=worker, language=code, level=level)
    employment = WorkerEmploymentFactory(worker=worker, start_date=start)
    card = CardFactory(
        worker=worker,
        employment=employment,
        issue_date=expiry - dt.timedelta(days=365),
        expiry_date=expiry,
        status=card_status,
    )
    return worker, employment, card


def interviewer_speaking(*languages: str, username: str):
    user = UserFactory(username=username, role=Role.INTERVIEWER)
    InterviewerProfileFactory(user=user, languages=list(languages))
    return user


def free_slot(interviewer, when: dt.datetime, *, room=None, minutes: int = 45) -> Slot:
    room = room or RoomFactory(name=f"Room 3.{interviewer.pk}")
    return SlotFactory(
        interviewer=interviewer,
        room=room,
        starts_at=when,
        ends_at=when + dt.timedelta(minutes=minutes),
    )


def booked_interview(*, starts_at: dt.datetime, invited_at: dt.datetime | None = None, **kwargs):
    """An invited interview for a worker with a safe SMS number, in a slot of its own."""
    interviewer = kwargs.pop("interviewer", None) or UserFactory(role=Role.INTERVIEWER)
    worker = kwargs.pop("worker", None)
    if worker is None:
        worker, employment, card = active_worker(expiry=dt.date(2027, 5, 1))
        kwargs.setdefault("employment", employment)
        kwargs.setdefault("card", card)
    slot = free_slot(interviewer, starts_at)
    return BookedInterviewFactory(
        worker=worker,
        slot=slot,
        invited_at=invited_at or starts_at - dt.timedelta(days=10),
        **kwargs,
    )
