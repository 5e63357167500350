"""notify(): the right channels, the worker's language, quiet hours, and nothing lost or early."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.db import transaction

from notifications.models import Channel, Kind, Message, MessageTemplate
from notifications.services import language_chain, notify, quiet_hours_end
from registry.models import Consent, WorkerLanguage, WorkerPhone
from tests.factories import UserFactory, WorkerFactory

pytestmark = pytest.mark.django_db
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def _template(kind, channel, language, body, subject=""):
    MessageTemplate.objects.update_or_create(
        kind=kind, channel=channel, language=language, defaults={"body": body, "subject": subject}
    )


def _worker(*, sms=True, safe=True, email="", language="tl"):
    worker = WorkerFactory(preferred_language=language, email=email)
    if sms is not None:
        WorkerPhone.objects.create(
            worker=worker,
            number="+32470123456",
            is_mobile=True,
            is_safe=safe,
            is_sms_number=sms and safe,
        )
    return worker


def test_a_worker_with_a_safe_mobile_and_an_email_gets_both(django_capture_on_commit_callbacks):
    worker = _worker(email="rosario@example.org")
    with (
        time_machine.travel(dt.datetime(2026, 11, 30, 10, 0, tzinfo=BRUSSELS)),
        django_capture_on_commit_callbacks() as callbacks,
    ):
        messages = notify(worker, Kind.RIGHTS_INFORMATION, {"link": "https://x"})
    assert sorted(m.channel for m in messages) == [Channel.EMAIL, Channel.SMS]
    assert {m.recipient for m in messages} == {"+32470123456", "rosario@example.org"}
    assert all(m.status == Message.Status.QUEUED for m in messages)
    assert len(callbacks) == 2  # one send per message, queued only once the transaction commits


def test_a_phone_the_employer_controls_gets_no_sms_and_the_officer_sees_why():
    worker = _worker(safe=False)
    [message] = notify(worker, Kind.RIGHTS_INFORMATION)
    assert message.channel == Channel.HAND_OVER
    assert message.status == Message.Status.HELD
    assert "not safe to use" in message.hold_reason
    assert not Message.objects.filter(channel=Channel.SMS).exists()


def test_a_refused_sms_consent_is_respected():
    worker = _worker(email="w@example.org")
    Consent.objects.create(worker=worker, kind="sms", given=False, recorded_by=UserFactory())
    [message] = notify(worker, Kind.CARD_EXPIRING, {"date": "1 Dec", "place": "Ministry"})
    assert message.channel == Channel.EMAIL


def test_the_notice_is_in_the_preferred_language_when_a_template_exists():
    _template(Kind.REGISTRATION_CONFIRMATION, Channel.SMS, "tl", "Salamat, {{ given_names }}.")
    worker = _worker(language="tl")
    [message] = notify(worker, Kind.REGISTRATION_CONFIRMATION)
    assert message.language == "tl"
    assert message.body == f"Salamat, {worker.given_names}."


def test_the_fallback_chain_goes_through_the_workers_other_languages_then_the_host_language():
    worker = _worker(language="am")
    WorkerLanguage.objects.create(worker=worker, language="ar", level="fluent")
    WorkerLanguage.objects.create(worker=worker, language="sw", level="basic")
    assert language_chain(worker)[:4] == ["am", "ar", "sw", "fr"]
    MessageTemplate.objects.filter(
        kind=Kind.REGISTRATION_CONFIRMATION, language__in=["am", "ar"]
    ).delete()
    _template(Kind.REGISTRATION_CONFIRMATION, Channel.SMS, "sw", "Asante.")
    [message] = notify(worker, Kind.REGISTRATION_CONFIRMATION)
    assert (message.language, message.body) == ("sw", "Asante.")


def test_a_notice_is_never_blank_even_without_any_template():
    MessageTemplate.objects.all().delete()
    [message] = notify(_worker(), Kind.CARD_EXPIRING)
    assert message.body.strip()
    assert message.language == "en"


def test_sms_wait_for_the_end_of_quiet_hours_but_e_mails_do_not():
    worker = _worker(email="w@example.org")
    with time_machine.travel(dt.datetime(2026, 11, 30, 22, 30, tzinfo=BRUSSELS), tick=False):
        messages = {m.channel: m for m in notify(worker, Kind.REMINDER, {"date": "x"})}
    assert messages[Channel.SMS].next_attempt_at == dt.datetime(2026, 12, 1, 8, 0, tzinfo=BRUSSELS)
    assert messages[Channel.EMAIL].next_attempt_at == dt.datetime(
        2026, 11, 30, 22, 30, tzinfo=BRUSSELS
    )


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        (dt.datetime(2026, 11, 30, 20, 59), None),
        (dt.datetime(2026, 11, 30, 21, 0), dt.datetime(2026, 12, 1, 8, 0)),
        (dt.datetime(2026, 12, 1, 3, 0), dt.datetime(2026, 12, 1, 8, 0)),
        (dt.datetime(2026, 12, 1, 8, 0), None),
    ],
)
def test_quiet_hours_run_from_nine_in_the_evening_to_eight_in_the_morning(local, expected):
    result = quiet_hours_end(local.replace(tzinfo=BRUSSELS))
    assert result == (expected.replace(tzinfo=BRUSSELS) if expected else None)


def test_a_rolled_back_change_sends_nothing(django_capture_on_commit_callbacks):
    worker = _worker()
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(worker, Kind.RIGHTS_INFORMATION)
        raise RuntimeError("the registration failed")
    assert not Message.objects.exists()
    assert callbacks == []


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="Unknown notice kind"):
        notify(_worker(), "gossip")
    assert not Message.objects.exists()


def test_an_sms_that_would_name_the_employer_is_held_for_an_officer():
    from tests.registry.factories_employments import EmploymentFactory

    employment = EmploymentFactory(status="active")
    worker = employment.worker
    WorkerPhone.objects.create(
        worker=worker, number="+32470123456", is_mobile=True, is_safe=True, is_sms_number=True
    )
    _template(Kind.REMINDER, Channel.SMS, worker.preferred_language, "See you at {{ place }}.")
    [message] = notify(
        worker, Kind.REMINDER, {"place": f"the {employment.employer.family_name} residence"}
    )
    assert message.status == Message.Status.HELD
    assert "would have named the employer" in message.hold_reason
