from tests.matrix import PO, SV, only


def _held_message():
    from notifications.models import Message
    from tests.factories import WorkerFactory

    worker = WorkerFactory()
    message = Message.objects.create(
        worker=worker, kind="rights_information", channel="hand_over", language="en",
        body="Your rights", status=Message.Status.HELD,
    )  # fmt: skip
    return {"pk": message.pk}


def _batch():
    from notifications.models import Batch
    from tests.factories import UserFactory

    batch = Batch.objects.create(
        kind="rights_information",
        description="Active",
        total=0,
        created_by=UserFactory(username="maker"),
    )
    return {"pk": batch.pk}


ENTRIES = {
    "notifications:message-cancel": (_held_message, "get", only(PO, SV)),
    "notifications:message-resend": (_held_message, "get", only(PO, SV)),
    # A POST with nothing else hands the held message over and goes back to the worker page.
    "notifications:message-hand-over": (_held_message, "post", only(PO, SV, allowed=302)),
    "notifications:batch-create": ({}, "get", only(PO)),
    "notifications:batch-detail": (_batch, "get", only(PO, SV)),
}
