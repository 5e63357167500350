"""Factories for concerns after they are raised: actions taken."""

import factory
from django.utils import timezone

from interviews.models import ConcernAction
from tests.factories import UserFactory
from tests.interviews.factories import ConcernFactory


class ConcernActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConcernAction

    concern = factory.SubFactory(ConcernFactory)
    text = "Called the worker on her own phone; she will come on Monday."
    taken_on = factory.LazyFunction(timezone.localdate)
    written_by = factory.SubFactory(UserFactory)
