"""Factories for interviewers' weekly availability and days without interviews."""

import datetime as dt

import factory
from django.utils import timezone

from interviews.models import AvailabilityException, AvailabilityPattern
from tests.factories import UserFactory
from tests.interviews.factories import RoomFactory


class PatternFactory(factory.django.DjangoModelFactory):
    """Mondays 09:00-12:00 in a room, from today on."""

    class Meta:
        model = AvailabilityPattern

    interviewer = factory.SubFactory(UserFactory)
    room = factory.SubFactory(RoomFactory)
    weekday = AvailabilityPattern.Weekday.MONDAY
    start_time = dt.time(9, 0)
    end_time = dt.time(12, 0)
    valid_from = factory.LazyFunction(timezone.localdate)
    valid_until = None


class DayOffFactory(factory.django.DjangoModelFactory):
    """A public holiday (no interviewer, no room) unless one is given."""

    class Meta:
        model = AvailabilityException

    date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))
    interviewer = None
    room = None
    reason = "National day"
