"""The oversight panel on the worker's page: legal holds and subject access, by role."""

import pytest
from django.urls import reverse

from oversight.models import LegalHold
from tests.registry.factories_workers import IndexedWorkerFactory

pytestmark = pytest.mark.django_db


def test_a_supervisor_sees_the_holds_in_place_and_the_export(client_for, supervisor):
    worker = IndexedWorkerFactory()
    LegalHold.objects.create(
        worker=worker, reason="court_case", owner=supervisor, placed_by=supervisor
    )
    page = (
        client_for(supervisor)
        .get(reverse("registry:worker-detail", args=[worker.pk]))
        .content.decode()
    )
    assert reverse("oversight:worker-holds", args=[worker.pk]) in page
    assert reverse("oversight:subject-access", args=[worker.pk]) in page


def test_an_officer_sees_the_export_but_not_the_holds(client_for, officer):
    worker = IndexedWorkerFactory()
    page = (
        client_for(officer)
        .get(reverse("registry:worker-detail", args=[worker.pk]))
        .content.decode()
    )
    assert reverse("oversight:subject-access", args=[worker.pk]) in page
    assert reverse("oversight:worker-holds", args=[worker.pk]) not in page


def test_an_interviewer_sees_neither(client_for, interviewer):
    worker = IndexedWorkerFactory()
    page = (
        client_for(interviewer)
        .get(reverse("registry:worker-detail", args=[worker.pk]))
        .content.decode()
    )
    assert 'id="oversight-panel"' not in page
