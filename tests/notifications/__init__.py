"""Tests of the notifications app."""


def queued_message(channel: str = "sms", **fields):
    """A message in the outbox, due now, as notify() leaves it."""
    from notifications.models import Kind, Message
    from tests.factories import WorkerFactory

    defaults = {
        "kind": Kind.REMINDER,
        "language": "tl",
        "recipient": "+32470123456" if channel == "sms" else "rosario@example.org",
        "subject": "Paalala" if channel == "email" else "",
        "body": "Paalala: Lunes 10:00, Rue des Petits Carmes 15. Tumawag: +32 2 501 81 11",
    }
    defaults.update(fields)
    worker = defaults.pop("worker", None) or WorkerFactory()
    return Message.objects.create(worker=worker, channel=channel, **defaults)
