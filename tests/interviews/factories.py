"""Factories for interviews: rooms, interpreters, interviewers' profiles, slots, interviews,
records, concerns and referrals. Times are aware datetimes in the host state's time zone."""

import datetime as dt

import factory
from django.utils import timezone

from interviews.models import (
    Answer,
    Concern,
    DocumentHolder,
    Interpreter,
    Interview,
    InterviewerProfile,
    InterviewKind,
    InterviewRecord,
    Organisation,
    Outcome,
    Referral,
    Room,
    Slot,
)
from tests.factories import UserFactory
from tests.registry.factories_workers import (
    CardFactory,
    IndexedWorkerFactory,
    WorkerEmploymentFactory,
)


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    """An aware datetime at that local time in the host state's time zone."""
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Room 2.{10 + n}")
    location = factory.LazyAttribute(lambda room: f"Protocol Office, Rue de la Loi 15, {room.name}")


class InterpreterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interpreter

    name = factory.Sequence(lambda n: f"Interpreter {n}")
    mode = Interpreter.Mode.IN_HOUSE
    languages = factory.LazyFunction(lambda: ["tl"])
    phone = "+32470000111"


class InterviewerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterviewerProfile
        django_get_or_create = ["user"]

    user = factory.SubFactory(UserFactory)
    languages = factory.LazyFunction(lambda: ["en", "fr"])


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Slot

    interviewer = factory.SubFactory(UserFactory)
    room = factory.SubFactory(RoomFactory)
    # A week ahead, an hour apart, within 400 hours: the sequence runs on for the whole session.
    starts_at = factory.Sequence(lambda n: timezone.now() + dt.timedelta(days=7, hours=n % 400))
    ends_at = factory.LazyAttribute(lambda slot: slot.starts_at + dt.timedelta(minutes=45))


class InterviewFactory(factory.django.DjangoModelFactory):
    """A due annual interview for an active worker's card, not booked yet."""

    class Meta:
        model = Interview

    worker = factory.SubFactory(IndexedWorkerFactory)
    employment = factory.SubFactory(
        WorkerEmploymentFactory, worker=factory.SelfAttribute("..worker")
    )
    card = factory.SubFactory(
        CardFactory,
        worker=factory.SelfAttribute("..worker"),
        employment=factory.SelfAttribute("..employment"),
    )
    kind = InterviewKind.ANNUAL
    status = Interview.Status.DUE
    window_opens_on = factory.LazyAttribute(lambda i: i.card.expiry_date - dt.timedelta(days=90))
    due_on = factory.LazyAttribute(lambda i: i.card.expiry_date - dt.timedelta(days=30))
    language = "tl"


class BookedInterviewFactory(InterviewFactory):
    """An invited interview in a slot of its own (pass slot= to choose it)."""

    status = Interview.Status.INVITED
    slot = factory.SubFactory(SlotFactory)
    interviewer = factory.SelfAttribute("slot.interviewer")
    room = factory.SelfAttribute("slot.room")
    starts_at = factory.SelfAttribute("slot.starts_at")
    ends_at = factory.SelfAttribute("slot.ends_at")
    invited_at = factory.LazyFunction(timezone.now)


class RecordFactory(factory.django.DjangoModelFactory):
    """A record that counts (in person, in private, no employer) with nothing of concern."""

    class Meta:
        model = InterviewRecord

    interview = factory.SubFactory(BookedInterviewFactory, status=Interview.Status.HELD)
    held_at = factory.LazyAttribute(lambda r: r.interview.starts_at or timezone.now())
    recorded_by = factory.LazyAttribute(lambda r: r.interview.interviewer or UserFactory())
    in_person = True
    in_private = True
    no_employer_present = True
    language = "tl"
    identity_checked = True
    passport_holder = DocumentHolder.WORKER
    card_holder = DocumentHolder.WORKER
    daily_hours = 8
    weekly_hours = 40
    weekly_rest_day = Answer.YES
    annual_leave = Answer.YES
    wage_into_own_account = Answer.YES
    wage_on_time = Answer.YES
    wage_in_full = Answer.YES
    own_room_locks = Answer.YES
    free_to_go_out = Answer.YES
    own_phone = Answer.YES
    contact_family = Answer.YES
    threats_or_abuse = Answer.NO
    wish_to_continue = Answer.YES
    bank_account_confirmed = Answer.YES
    outcome = Outcome.NO_CONCERN
    restricted_notes = "She says the family treats her well."


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Domestic Workers Support {n}")
    kind = Organisation.Kind.NGO
    phone = "+3225550100"


class ConcernFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Concern

    worker = factory.SubFactory(IndexedWorkerFactory)
    source = Concern.Source.MANUAL
    severity = Concern.Severity.MEDIUM
    summary = "Wage paid late twice"
    details = "She was paid three weeks late in March and April."
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=14))


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    concern = factory.SubFactory(ConcernFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    referred_by = factory.SubFactory(UserFactory)
