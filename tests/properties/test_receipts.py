"""The SMS gateway's delivery-receipt endpoint, fed random bodies, headers and signatures:
never a server error, and no message changes unless the receipt is signed with our secret."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import event, given
from hypothesis import strategies as st

from accounts.models import AuditEntry
from notifications.dispatch import receipt_sign
from notifications.models import Message
from tests.notifications import queued_message
from tests.properties import PROPERTY, TRICKY_STRINGS, text_values

SECRET = "receipt-secret-shared-with-the-gateway"
FIELDS = ["status", "delivered_at", "failure_code", "failure_detail", "provider_reference"]

# Header values travel as latin-1 on the wire.
header_text = st.one_of(
    text_values().map(lambda text: text.encode("latin-1", "replace").decode("latin-1")[:200]),
    st.text(alphabet=st.characters(max_codepoint=255, exclude_categories=["Cc"]), max_size=80),
)
json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), text_values()
)
references = st.one_of(st.sampled_from(["gw-41", "gw-42", " gw-41 ", "GW-41", ""]), json_scalars)
statuses = st.one_of(
    st.sampled_from(["delivered", "failed", "DELIVERED", "undelivered", "expired", "queued"]),
    json_scalars,
)
receipts = st.one_of(
    st.fixed_dictionaries(
        {"id": references, "status": statuses},
        optional={"reference": text_values(), "error": json_scalars, "extra": json_scalars},
    ),
    st.recursive(json_scalars, lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)),
)
json_receipts = receipts.map(lambda data: json.dumps(data, ensure_ascii=False).encode())
bodies = st.one_of(
    json_receipts,
    json_receipts,
    st.binary(max_size=200),
    text_values().map(lambda text: text.encode("utf-8", "surrogatepass")),
)


@pytest.fixture
def gateway(db, settings):
    settings.HESTIA_RECEIPT_SECRET = SECRET
    sent = queued_message(
        status=Message.Status.SENT,
        attempts=1,
        provider_reference="gw-41",
        sent_at=timezone.now(),
    )
    return Client(), sent


def _state(message):
    message.refresh_from_db()
    return {name: getattr(message, name) for name in FIELDS}


@PROPERTY
@given(body=bodies, timestamp=header_text, signature=header_text, timely=st.booleans())
def test_a_receipt_without_our_signature_changes_nothing(
    gateway, body, timestamp, signature, timely
):
    client, message = gateway
    if timely:
        timestamp = str(int(timezone.now().timestamp()))
    before, entries = _state(message), AuditEntry.objects.count()
    response = client.post(
        reverse("notifications:receipt"),
        data=body,
        content_type="application/json",
        headers={"X-Hestia-Timestamp": timestamp, "X-Hestia-Signature": signature},
    )
    assert response.status_code == 403
    assert response.json() == {"error": "bad_signature"}
    assert _state(message) == before
    assert AuditEntry.objects.count() == entries


@PROPERTY
@given(body=bodies, content_type=st.sampled_from(["application/json", "text/plain", ""]))
def test_a_signed_receipt_is_answered_and_never_a_server_error(gateway, body, content_type):
    client, message = gateway
    # Each example starts from a sent message, so that a receipt can still change it.
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.SENT, delivered_at=None, failure_code="", failure_detail=""
    )
    timestamp = str(int(timezone.now().timestamp()))
    before = _state(message)
    response = client.post(
        reverse("notifications:receipt"),
        data=body,
        content_type=content_type,
        headers={
            "X-Hestia-Timestamp": timestamp,
            "X-Hestia-Signature": receipt_sign(timestamp=timestamp, body=body, secret=SECRET),
        },
    )
    assert response.status_code in (200, 400), response.status_code
    answer = response.json()
    event(f"answered {response.status_code} {sorted(answer)}")
    if response.status_code == 400:
        assert answer["error"] in ("malformed_json", "malformed_receipt")
        assert _state(message) == before
    elif _state(message) != before:
        event("the message changed")
        assert message.status in (
            Message.Status.SENT,
            Message.Status.DELIVERED,
            Message.Status.FAILED,
        )


@pytest.mark.parametrize("field", ["id", "reference", "status", "error"])
def test_a_signed_receipt_with_a_tricky_value_in_any_field_is_answered(gateway, field):
    """A sweep of TRICKY_STRINGS through each field of an otherwise right receipt."""
    client, message = gateway
    for value in TRICKY_STRINGS:
        Message.objects.filter(pk=message.pk).update(
            status=Message.Status.SENT, delivered_at=None, failure_code="", failure_detail=""
        )
        payload = {"id": "gw-41", "status": "failed", field: value}
        body = json.dumps(payload).encode()
        timestamp = str(int(timezone.now().timestamp()))
        response = client.post(
            reverse("notifications:receipt"),
            data=body,
            content_type="application/json",
            headers={
                "X-Hestia-Timestamp": timestamp,
                "X-Hestia-Signature": receipt_sign(timestamp=timestamp, body=body, secret=SECRET),
            },
        )
        assert response.status_code in (200, 400), (value[:30], response.status_code)
