"""Delivery receipts from the SMS gateway: signed, timely, and never undoing a final state."""

import datetime as dt
import hashlib
import hmac
import json
import logging

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from notifications.models import Message
from tests.notifications import queued_message

pytestmark = pytest.mark.django_db
SECRET = "receipt-secret-shared-with-the-gateway"
URL = "/notifications/receipts/"
Status = Message.Status


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.HESTIA_RECEIPT_SECRET = SECRET


def _post(client, payload, *, secret=SECRET, at=None, signature=None, raw=None):
    """POST a receipt signed as the gateway signs it: HMAC-SHA256 of "<timestamp>.<body>"."""
    body = raw if raw is not None else json.dumps(payload).encode()
    timestamp = str(int((at or timezone.now()).timestamp()))
    if signature is None:
        signature = hmac.new(
            secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
        ).hexdigest()
    return client.post(
        URL,
        data=body,
        content_type="application/json",
        headers={"X-Hestia-Timestamp": timestamp, "X-Hestia-Signature": signature},
    )


def _sent(**fields):
    return queued_message(
        status=Status.SENT, attempts=1, provider_reference="gw-41", sent_at=timezone.now(), **fields
    )


def _reload(message):
    message.refresh_from_db()
    return message


def test_the_receipt_address_is_the_one_the_gateway_is_given():
    assert reverse("notifications:receipt") == URL


def test_a_delivered_receipt_marks_the_message_delivered_and_is_audited(client):
    message = _sent()
    response = _post(client, {"id": "gw-41", "status": "delivered"})
    assert response.status_code == 200
    assert response.json() == {"received": True}
    message = _reload(message)
    assert message.status == Status.DELIVERED
    assert message.delivered_at is not None
    entry = AuditEntry.objects.get(object_type="notifications.message", object_id=str(message.pk))
    assert (entry.action, entry.actor_username) == ("update", "sms-gateway")
    assert entry.changed_fields == ["delivered_at", "status"]


def test_a_failed_receipt_fails_a_sent_message_with_the_gateways_code(client):
    message = _sent()
    _post(client, {"id": "gw-41", "status": "failed", "error": "Absent subscriber"})
    message = _reload(message)
    assert (message.status, message.failure_code) == (Status.FAILED, "absent_subscriber")


def test_a_failed_receipt_fails_a_message_waiting_for_another_attempt(client):
    message = queued_message(attempts=1, failure_code="timeout", provider_reference="gw-7")
    _post(client, {"id": "gw-7", "status": "failed"})
    message = _reload(message)
    assert (message.status, message.failure_code) == (Status.FAILED, "failed")


def test_a_receipt_that_overtakes_the_gateways_answer_is_matched_by_our_reference(client):
    message = queued_message(status=Status.SENDING, attempts=1)
    _post(client, {"id": "gw-99", "reference": str(message.idempotency_key), "status": "delivered"})
    message = _reload(message)
    assert (message.status, message.provider_reference) == (Status.DELIVERED, "gw-99")


def test_a_later_receipt_never_overwrites_a_failure(client):
    message = _sent()
    _post(client, {"id": "gw-41", "status": "failed", "error": "rejected"})
    _post(client, {"id": "gw-41", "status": "delivered"})
    message = _reload(message)
    assert (message.status, message.failure_code) == (Status.FAILED, "rejected")
    assert message.delivered_at is None


def test_a_delivered_message_is_not_downgraded(client):
    message = _sent()
    _post(client, {"id": "gw-41", "status": "delivered"})
    delivered_at = _reload(message).delivered_at
    response = _post(client, {"id": "gw-41", "status": "failed"})
    assert response.status_code == 200
    message = _reload(message)
    assert (message.status, message.delivered_at, message.failure_code) == (
        Status.DELIVERED,
        delivered_at,
        "",
    )


def test_an_intermediate_status_is_acknowledged_and_changes_nothing(client):
    message = _sent()
    assert _post(client, {"id": "gw-41", "status": "buffered"}).status_code == 200
    assert _reload(message).status == Status.SENT
    assert not AuditEntry.objects.exists()


def test_an_unknown_reference_is_logged_and_answered_200(client, caplog):
    message = _sent()
    with caplog.at_level(logging.WARNING, logger="notifications.dispatch"):
        response = _post(client, {"id": "gw-nobody", "status": "delivered"})
    assert response.status_code == 200
    assert "unknown message" in caplog.text
    assert "gw-nobody" in caplog.text
    assert _reload(message).status == Status.SENT


@pytest.mark.parametrize(
    "tamper",
    [
        {"signature": "0" * 64},
        {"secret": "a-guess"},
        {"signature": ""},
        {"signature": "é" * 64},
        {"at": "six minutes ago"},
        {"at": "six minutes ahead"},
    ],
)
def test_a_bad_signature_or_timestamp_gets_403_and_changes_nothing(client, tamper):
    message = _sent()
    if "at" in tamper:
        shift = dt.timedelta(minutes=6)
        tamper = {"at": timezone.now() - shift if "ago" in tamper["at"] else timezone.now() + shift}
    response = _post(client, {"id": "gw-41", "status": "delivered"}, **tamper)
    assert response.status_code == 403
    assert _reload(message).status == Status.SENT
    assert not AuditEntry.objects.exists()


def test_a_receipt_signed_four_minutes_ago_is_still_accepted(client):
    message = _sent()
    signed_at = timezone.now()
    with time_machine.travel(signed_at + dt.timedelta(minutes=4)):
        response = _post(client, {"id": "gw-41", "status": "delivered"}, at=signed_at)
    assert response.status_code == 200
    assert _reload(message).status == Status.DELIVERED


def test_a_receipt_signed_for_another_body_is_refused(client):
    message = _sent()
    timestamp = str(int(timezone.now().timestamp()))
    signed = json.dumps({"id": "gw-41", "status": "failed"}).encode()
    signature = hmac.new(SECRET.encode(), f"{timestamp}.".encode() + signed, hashlib.sha256)
    response = client.post(
        URL,
        data=json.dumps({"id": "gw-41", "status": "delivered"}),
        content_type="application/json",
        headers={"X-Hestia-Timestamp": timestamp, "X-Hestia-Signature": signature.hexdigest()},
    )
    assert response.status_code == 403
    assert _reload(message).status == Status.SENT


def test_a_receipt_without_signature_headers_is_refused(client):
    message = _sent()
    response = client.post(URL, data={"id": "gw-41", "status": "delivered"})
    assert response.status_code == 403
    assert _reload(message).status == Status.SENT


@pytest.mark.parametrize(
    "raw",
    [
        b"{not json",
        b"\xff\xfe",
        b'["gw-41", "delivered"]',
        b'{"id": "gw-41"}',
        b'{"status": "delivered"}',
        b'{"id": "gw-41", "status": "failed", "error": {"code": 1}}',
    ],
)
def test_a_malformed_receipt_gets_400_and_changes_nothing(client, raw):
    message = _sent()
    response = _post(client, None, raw=raw)
    assert response.status_code == 400
    assert _reload(message).status == Status.SENT


def test_receipts_are_only_posted(client):
    assert client.get(URL).status_code == 405
