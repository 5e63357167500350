"""Retention, legal holds and subject access."""

from tests.matrix import AD, AU, IV, PO, SV, only


def _worker():
    from tests.registry.factories_workers import IndexedWorkerFactory

    return {"worker_pk": IndexedWorkerFactory().pk}


def _hold():
    from oversight.models import LegalHold
    from tests.factories import UserFactory
    from tests.registry.factories_workers import IndexedWorkerFactory

    owner = UserFactory(username="hold-owner")
    hold = LegalHold.objects.create(
        worker=IndexedWorkerFactory(), reason="court_case", owner=owner, placed_by=owner
    )
    return {"pk": hold.pk}


ENTRIES = {
    # Administrators set the policy; supervisors read it and its dry run.
    "oversight:retention": ({}, "get", only(SV, AD)),
    # Without the confirmation box nothing happens and the page comes back.
    "oversight:retention-apply": ({}, "post", only(AD, allowed=302)),
    "oversight:legal-hold-list": ({}, "get", only(SV, AD)),
    "oversight:worker-holds": (_worker, "get", only(SV)),
    # A POST without a reason changes nothing and goes back to the worker's holds.
    "oversight:legal-hold-lift": (_hold, "post", only(SV, allowed=302)),
    "oversight:subject-access": (_worker, "get", only(PO, SV)),
    "oversight:subject-access-json": (_worker, "get", only(PO, SV)),
    "oversight:subject-access-pdf": (_worker, "get", only(PO, SV)),
}
assert IV and AU  # every role appears in the expectations through only()
