"""The scheduling run writes a chunk's invitations in one go (notify_many): the workers get the
same bookings and the same invitations, handed over the same way, as when the run books them
one by one through interview_book."""

import datetime as dt

import pytest
import time_machine

from interviews import scheduling
from interviews.links import interview_id_from
from interviews.models import Interview
from notifications import tasks
from notifications.models import Message
from registry.models import Employment
from tests.factories import EmployerFactory
from tests.interviews.factories import InterpreterFactory, RoomFactory, at
from tests.interviews.factories_scheduling import active_worker, free_slot, interviewer_speaking
from tests.registry.factories_employments import EmploymentFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2027, 3, 1)
EXPIRY = dt.date(2027, 5, 1)
BOOKING = [
    "worker_id",
    "kind",
    "status",
    "window_opens_on",
    "due_on",
    "slot_id",
    "interviewer_id",
    "room_id",
    "starts_at",
    "ends_at",
    "language",
    "interpreter_id",
    "invited_at",
]
MESSAGE = [
    field.attname
    for field in Message._meta.concrete_fields
    if field.attname not in ("id", "idempotency_key", "context")
]


def _workers():
    """Workers the run treats differently, and the slots and interpreters they need."""
    joy = interviewer_speaking("tl", "en", username="joy")
    amare = interviewer_speaking("am", username="amare")
    for hour in (9, 10, 11):  # the last one with an interpreter for Sinhala
        free_slot(joy, at(2027, 3, 8, hour, 0))
    free_slot(amare, at(2027, 3, 9, 9, 0))
    InterpreterFactory(name="Nadeesha", languages=["si"], independent=True)
    active_worker(given_names="Maria")  # Tagalog, SMS
    emailed, _employment, _card = active_worker(language="en", given_names="Joy")
    emailed.email = "joy@example.org"
    emailed.save()
    active_worker(language="ti", also_speaks=(("am", "fluent"),), given_names="Senait")
    active_worker(language="si", given_names="Nadeesha")  # only an interpreter helps
    # A past employer's name is the room's: the SMS is held, for an officer to hand over.
    named, _employment, _card = active_worker(language="en", given_names="Ada")
    EmploymentFactory(
        worker=named,
        employer=EmployerFactory(family_name="Okonkwo"),
        status=Employment.Status.ENDED,
        end_date=dt.date(2026, 6, 30),
        end_reason=Employment.EndReason.TRANSFERRED,
    )
    room = RoomFactory(name="Okonkwo wing", location="Okonkwo wing, Rue de la Loi 15")
    free_slot(joy, at(2027, 3, 10, 9, 0), room=room)
    active_worker(language="ne", given_names="Sita")  # no speaker, no interpreter: left due


def _outcome():
    """Each worker's booking and invitations; a link is shown as the interview it opens."""
    interviews = {interview.pk: interview for interview in Interview.objects.all()}
    bookings = sorted(Interview.objects.values_list(*BOOKING))
    messages = []
    for message in Message.objects.order_by("worker_id", "channel"):
        link = message.context.pop("link")
        token = link.rstrip("/").rsplit("/", 1)[1]
        assert interviews[interview_id_from(token)].worker_id == message.worker_id
        row = {name: getattr(message, name) for name in MESSAGE}
        row["body"] = row["body"].replace(link, "<link>")
        row["context"] = message.context
        messages.append(row)
    return bookings, messages


def _handed_over(monkeypatch):
    handed = []

    def delay(message_id):
        message = Message.objects.get(pk=message_id)
        handed.append((message.worker_id, message.channel))

    monkeypatch.setattr(tasks.message_dispatch, "delay", delay)
    return handed


@pytest.mark.parametrize(
    "moment", [at(2027, 3, 1, 6, 0), at(2027, 3, 1, 10, 0)], ids=["quiet hours", "day"]
)
def test_the_chunk_invites_as_booking_one_by_one_does(
    moment, monkeypatch, django_capture_on_commit_callbacks
):
    _workers()
    handed = _handed_over(monkeypatch)
    with time_machine.travel(moment, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            in_bulk = scheduling.schedule_run(today=TODAY)
        bulk_outcome, bulk_handed = _outcome(), sorted(handed)
        Message.objects.all().delete()
        Interview.objects.all().delete()
        handed.clear()

        refused = []

        def refuse_the_chunk(chunk, *args):
            refused.append(len(chunk))
            raise RuntimeError("the chunk is refused: every worker is booked on their own")

        monkeypatch.setattr(scheduling, "_schedule_chunk", refuse_the_chunk)
        with django_capture_on_commit_callbacks(execute=True):
            one_by_one = scheduling.schedule_run(today=TODAY)
    assert refused == [6]
    assert (in_bulk.created, in_bulk.booked, in_bulk.left_unbooked) == (6, 5, 1)
    assert (one_by_one.created, one_by_one.booked, one_by_one.left_unbooked) == (6, 5, 1)
    assert bulk_outcome == _outcome()
    assert bulk_handed == sorted(handed)
    # What the comparison went through: an interpreter, a held SMS, an e-mail, quiet hours.
    bookings, messages = bulk_outcome
    assert any(booking[BOOKING.index("interpreter_id")] for booking in bookings)
    statuses = {(message["channel"], message["status"]) for message in messages}
    assert {("sms", "held"), ("email", "queued"), ("sms", "queued")} <= statuses
    sms_handed = [channel for _worker, channel in bulk_handed if channel == "sms"]
    assert bool(sms_handed) == (moment.hour >= 8)
