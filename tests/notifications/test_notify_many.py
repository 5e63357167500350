"""notify_many(): for many workers at once, exactly the messages notify() writes one by one, in a
handful of queries, handed to Celery only once the transaction commits."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.db import transaction

from notifications import tasks
from notifications.models import Channel, Kind, Message, MessageTemplate
from notifications.services import notify, notify_many
from registry.models import Consent, Employment, WorkerLanguage, WorkerPhone
from tests.factories import EmployerFactory, UserFactory, WorkerFactory
from tests.registry.factories_employments import EmploymentFactory

pytestmark = pytest.mark.django_db
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
DAY = dt.datetime(2026, 11, 30, 10, 0, tzinfo=BRUSSELS)
NIGHT = dt.datetime(2026, 11, 30, 6, 0, tzinfo=BRUSSELS)  # quiet hours until 08:00
# Everything a message holds but its id and its idempotency key.
FIELDS = [
    field.attname
    for field in Message._meta.concrete_fields
    if field.attname not in ("id", "idempotency_key")
]


def _phone(worker, *, safe=True, sms=True):
    WorkerPhone.objects.create(
        worker=worker,
        number=f"+3247{worker.pk:07d}",
        is_mobile=True,
        is_safe=safe,
        is_sms_number=sms and safe,
    )


def _consent(worker, kind, given, *, days_ago):
    Consent.objects.create(
        worker=worker,
        kind=kind,
        given=given,
        recorded_by=UserFactory(),
        recorded_at=DAY - dt.timedelta(days=days_ago),
    )


def _workers():
    """Workers of every kind notify() tells apart, each with the context it is sent."""
    place = "Rue de la Loi 15, room 2"
    monday = dt.datetime(2026, 12, 7, 9, 30, tzinfo=BRUSSELS)
    cases = []

    def case(context=None, **fields):
        worker = WorkerFactory(**fields)
        cases.append(
            (worker, context or {"date": monday, "place": place, "link": "https://h.example/a/x"})
        )
        return worker

    _phone(case(preferred_language="tl"))  # SMS only, Tagalog
    _phone(case(preferred_language="en", email="joy@example.org"))  # SMS and e-mail
    _phone(case(preferred_language="fr", email="ana@example.org"), safe=False)  # e-mail only
    _phone(case(preferred_language="ar"), safe=False)  # a phone the employer holds: hand-over
    refused = case(preferred_language="es", email="rosa@example.org")
    _phone(refused)
    _consent(refused, "sms", True, days_ago=30)
    _consent(refused, "sms", False, days_ago=2)  # the latest answer counts: no SMS
    changed_mind = case(preferred_language="es")
    _phone(changed_mind)
    _consent(changed_mind, "sms", False, days_ago=30)
    _consent(changed_mind, "sms", True, days_ago=2)
    nothing = case(preferred_language="en", email="nope@example.org")
    _phone(nothing)
    _consent(nothing, "sms", False, days_ago=1)
    _consent(nothing, "email", False, days_ago=1)  # asked for nothing: hand-over
    case(preferred_language="si")  # no phone, no e-mail
    chain = case(preferred_language="ti")  # no Tigrinya text: fluent Amharic comes next
    WorkerLanguage.objects.create(worker=chain, language="am", level="fluent")
    WorkerLanguage.objects.create(worker=chain, language="ar", level="basic")
    _phone(chain)
    unknown = case(preferred_language="qu")  # no text at all: the host language, then English
    _phone(unknown)
    # A past employer named in the place: the SMS is held, the e-mail goes.
    named = case(
        {"date": monday, "place": "Okonkwo residence", "link": "https://h.example/a/y"},
        preferred_language="en",
        email="ada@example.org",
    )
    _phone(named)
    EmploymentFactory(
        worker=named,
        employer=EmployerFactory(family_name="Okonkwo"),
        status=Employment.Status.ENDED,
        end_date=dt.date(2026, 6, 30),
        end_reason=Employment.EndReason.TRANSFERRED,
    )
    _phone(case({"date": monday, "place": "Police station", "link": "x"}))  # a denied word
    _phone(case({"date": dt.date(2027, 1, 4)}, preferred_language="fr"))  # a date, no time
    _phone(case({"date": monday + dt.timedelta(days=1)}, preferred_language="en"))
    return cases


def _rows():
    return [
        tuple(row[name] for name in FIELDS)
        for row in Message.objects.order_by("worker_id", "channel").values(*FIELDS)
    ]


def _handed_over(monkeypatch):
    """The messages handed to Celery, as (worker, channel), in order."""
    handed = []

    def delay(message_id):
        message = Message.objects.get(pk=message_id)
        handed.append((message.worker_id, message.channel))

    monkeypatch.setattr(tasks.message_dispatch, "delay", delay)
    return handed


@pytest.mark.parametrize("moment", [DAY, NIGHT], ids=["day", "quiet hours"])
def test_the_bulk_path_writes_and_hands_over_exactly_what_notify_does(
    moment, monkeypatch, django_capture_on_commit_callbacks
):
    cases = _workers()
    officer = UserFactory()
    handed = _handed_over(monkeypatch)
    with time_machine.travel(moment, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            for worker, context in cases:
                notify(worker, Kind.INTERVIEW_INVITATION, context, by=officer)
        one_by_one, handed_one_by_one = _rows(), sorted(handed)
        Message.objects.all().delete()
        handed.clear()
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            notify_many(cases, Kind.INTERVIEW_INVITATION, by=officer)
    assert _rows() == one_by_one
    assert sorted(handed) == handed_one_by_one
    assert len(callbacks) == 1  # one hook for the whole chunk
    # The cases above reach every path, so the comparison covers each of them.
    statuses = set(_summary(one_by_one))
    assert (Channel.SMS, Message.Status.QUEUED) in statuses
    assert (Channel.SMS, Message.Status.HELD) in statuses
    assert (Channel.EMAIL, Message.Status.QUEUED) in statuses
    assert (Channel.HAND_OVER, Message.Status.HELD) in statuses
    if moment == NIGHT:
        assert handed_one_by_one and all(channel == Channel.EMAIL for _w, channel in handed)
    else:
        assert any(channel == Channel.SMS for _w, channel in handed)


def _summary(rows):
    channel, status = FIELDS.index("channel"), FIELDS.index("status")
    return [(row[channel], row[status]) for row in rows]


def test_a_kind_without_any_template_falls_back_to_its_name_in_both_paths():
    MessageTemplate.objects.filter(kind=Kind.CARD_EXPIRING).delete()
    cases = _workers()[:3]
    with time_machine.travel(DAY, tick=False):
        for worker, context in cases:
            notify(worker, Kind.CARD_EXPIRING, context)
        one_by_one = _rows()
        Message.objects.all().delete()
        notify_many(cases, Kind.CARD_EXPIRING)
    assert _rows() == one_by_one
    assert {row[FIELDS.index("body")] for row in one_by_one} == {"Card expiring"}


def test_the_number_of_queries_does_not_grow_with_the_workers(django_assert_max_num_queries):
    cases = _workers()
    # Templates, employer names, languages, phones, consents, the INSERT: whatever the count.
    with django_assert_max_num_queries(6):
        messages = notify_many(cases, Kind.INTERVIEW_INVITATION)
    assert len(messages) == Message.objects.count() > len(cases)


def test_the_messages_come_back_saved_in_the_order_of_the_notices():
    cases = _workers()[:4]
    messages = notify_many(reversed(cases), Kind.INTERVIEW_INVITATION)
    assert all(message.pk for message in messages)
    workers = [message.worker_id for message in messages]
    assert workers == sorted(workers, reverse=True)


def test_a_rollback_writes_and_sends_nothing(monkeypatch, django_capture_on_commit_callbacks):
    cases = _workers()[:3]
    handed = _handed_over(monkeypatch)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify_many(cases, Kind.INTERVIEW_INVITATION)
        raise RuntimeError("the change that caused the notices failed")
    assert callbacks == []
    assert handed == []
    assert not Message.objects.exists()


def test_a_broker_error_on_one_message_does_not_stop_the_others(
    monkeypatch, django_capture_on_commit_callbacks
):
    cases = _workers()[:2]  # three messages that are due now
    handed = []

    def delay(message_id):
        if not handed:
            handed.append(None)
            raise ConnectionError("the broker hung up")
        handed.append(message_id)

    monkeypatch.setattr(tasks.message_dispatch, "delay", delay)
    with (
        time_machine.travel(DAY, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        messages = notify_many(cases, Kind.INTERVIEW_INVITATION)
    assert handed[1:] == [message.pk for message in messages][1:]
    # The one the broker refused stays queued: the sweep sends it.
    assert Message.objects.get(pk=messages[0].pk).status == Message.Status.QUEUED


def test_nothing_to_send_writes_nothing(django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        assert notify_many([], Kind.REMINDER) == []


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        notify_many([(WorkerFactory(), {})], "gossip")
