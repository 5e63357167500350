"""The card office's API: GET /api/v1/clearances/<card number>/ with a per-system token, and
its OpenAPI schema at /api/schema/. The tests run with DEBUG off, as production does."""

import datetime as dt
import io
import json

import pytest
import time_machine
import yaml
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings
from django.urls import reverse

from accounts.models import AuditEntry
from interviews.models import ApiToken, ClearanceDecision
from tests.interviews.factories_clearance import decision, ready_card, urgent_concern

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC)
KEYS = {
    "card_number",
    "cleared",
    "status",
    "reasons",
    "interview_held_on",
    "bank_account_verified_on",
}


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def key():
    _token, key = ApiToken.issue("card-office")
    return key


def url(number: str) -> str:
    return reverse("api-clearance", kwargs={"number": number})


def call(number: str, key: str | None, method: str = "get", client: Client | None = None):
    client = client or Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    return getattr(client, method)(url(number), **headers)


def test_tests_run_with_debug_off():
    assert settings.DEBUG is False


def test_a_cleared_card_answers_with_exactly_the_agreed_fields(key):
    card = ready_card(number="B-700 123")

    response = call("B-700 123", key)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == KEYS
    assert body == {
        "card_number": "B-700 123",
        "cleared": True,
        "status": "cleared",
        "reasons": [],
        "interview_held_on": "2026-04-20",
        "bank_account_verified_on": "2026-03-02",
    }
    assert card.pk


def test_the_number_is_compared_without_case_spaces_or_punctuation(key):
    ready_card(number="B-700 123")

    assert call("b700123", key).json()["card_number"] == "B-700 123"


def test_a_card_not_cleared_gives_codes_and_messages_and_null_dates(key):
    ready_card(number="C1", held_on=None, verified_on=None)

    body = call("C1", key).json()

    assert body["cleared"] is False
    assert body["status"] == "not_cleared"
    assert body["reasons"] == [
        {
            "code": "no_interview_in_window",
            "message": "No interview that counts was held between 2026-04-02 and 2026-07-01.",
        },
        {
            "code": "bank_account_not_verified",
            "message": "No bank account in the worker's sole name was verified in the last 12 months.",
        },
    ]
    assert body["interview_held_on"] is None
    assert body["bank_account_verified_on"] is None


def test_a_card_on_hold_says_only_that_a_supervisor_must_decide(key):
    card = ready_card(number="H1")
    urgent_concern(card.worker)

    response = call("H1", key)

    body = response.json()
    assert (body["cleared"], body["status"]) == (False, "on_hold")
    assert body["reasons"] == [
        {"code": "pending_supervisor_decision", "message": "Pending a supervisor's decision."}
    ]
    assert "concern" not in response.content.decode().lower()


def test_a_released_card_is_cleared_and_a_refused_one_is_not(key):
    released = ready_card(number="R1")
    refused = ready_card(number="R2")
    for card in (released, refused):
        urgent_concern(card.worker)
    decision(released, ClearanceDecision.Decision.RELEASED)
    decision(refused, ClearanceDecision.Decision.REFUSED, reason="Her employer is under inquiry.")

    assert (call("R1", key).json()["cleared"], call("R1", key).json()["status"]) == (
        True,
        "released",
    )
    response = call("R2", key)
    assert (response.json()["cleared"], response.json()["status"]) == (False, "refused")
    assert "inquiry" not in response.content.decode()


def test_every_call_is_audited_under_the_tokens_name(key):
    card = ready_card(number="A1")

    call("A1", key, client=Client(REMOTE_ADDR="192.0.2.7"))

    entry = AuditEntry.objects.get(detail="clearance")
    assert entry.actor is None
    assert entry.actor_username == "api:card-office"
    assert entry.action == AuditEntry.Action.VIEW
    assert (entry.object_type, entry.object_id) == ("registry.identitycard", str(card.pk))
    assert entry.ip_address == "192.0.2.7"


def test_an_unknown_card_is_404_and_audited(key):
    response = call("NOPE-1", key)

    assert response.status_code == 404
    assert response.json() == {"detail": "No card or visa has this number."}
    entry = AuditEntry.objects.get(actor_username="api:card-office")
    assert entry.object_id == ""


def test_a_number_of_punctuation_only_is_404(key):
    assert call("--", key).status_code == 404


@pytest.mark.parametrize(
    "header",
    [None, "Bearer not-a-token", "Token abc", "Bearer", "Bearer two words"],
    ids=["none", "wrong-key", "wrong-keyword", "no-key", "two-words"],
)
def test_without_a_valid_token_the_answer_is_401(header):
    ready_card(number="A1")
    headers = {"HTTP_AUTHORIZATION": header} if header else {}

    response = Client().get(url("A1"), **headers)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="hestia"'
    assert set(response.json()) == {"detail"}
    assert not AuditEntry.objects.filter(detail="clearance").exists()


def test_a_revoked_token_is_401(key):
    ready_card(number="A1")
    call_command("revoke_api_token", "card-office", stdout=io.StringIO())

    assert call("A1", key).status_code == 401


def test_a_signed_in_staff_member_without_a_token_is_401(client_for, supervisor):
    ready_card(number="A1")

    assert client_for(supervisor).get(url("A1")).status_code == 401


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_is_read_only(key, method):
    ready_card(number="A1")

    response = call("A1", key, method=method)

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_a_post_needs_no_csrf_token_to_be_refused_cleanly(key):
    ready_card(number="A1")
    client = Client(enforce_csrf_checks=True)

    assert call("A1", key, method="post", client=client).status_code == 405


def test_a_call_records_when_the_token_was_last_used(key):
    ready_card(number="A1")

    call("A1", key)

    assert ApiToken.objects.get(name="card-office").last_used_at == NOW


def test_each_token_is_throttled_on_its_own(key):
    ready_card(number="A1")
    _other, other_key = ApiToken.issue("second-system")
    rest = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api_token": "2/minute"}}

    with override_settings(REST_FRAMEWORK=rest):
        answers = [call("A1", key).status_code for _ in range(3)]
        other = call("A1", other_key).status_code

    assert answers == [200, 200, 429]
    assert other == 200


# --- The schema -----------------------------------------------------------------------------


def test_the_schema_describes_the_endpoint_and_the_bearer_token():
    response = Client().get(reverse("api-schema"))

    assert response["Content-Type"] == "application/json"
    assert response.status_code == 200
    schema = json.loads(response.content)
    operation = schema["paths"]["/api/v1/clearances/{number}/"]["get"]
    assert list(schema["paths"]) == ["/api/v1/clearances/{number}/"]
    assert list(schema["paths"]["/api/v1/clearances/{number}/"]) == ["get"]  # read-only
    assert operation["security"] == [{"cardOfficeToken": []}]
    assert schema["components"]["securitySchemes"]["cardOfficeToken"]["type"] == "http"
    assert schema["components"]["securitySchemes"]["cardOfficeToken"]["scheme"] == "bearer"
    assert set(operation["responses"]) == {"200", "401", "404", "429"}
    body = schema["components"]["schemas"]["Clearance"]
    assert set(body["properties"]) == KEYS
    assert set(body["required"]) == KEYS
    statuses = schema["components"]["schemas"]["StatusEnum"]["enum"]
    assert statuses == ["cleared", "not_cleared", "on_hold", "released", "refused"]
    reason = schema["components"]["schemas"]["Reason"]
    assert set(reason["properties"]) == {"code", "message"}
    assert "pending_supervisor_decision" in schema["components"]["schemas"]["CodeEnum"]["enum"]


def test_the_schema_is_also_served_as_yaml():
    response = Client().get(reverse("api-schema"), {"format": "yaml"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/yaml")
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/clearances/{number}/" in schema["paths"]


# --- The management commands ----------------------------------------------------------------


def test_create_api_token_prints_a_key_that_works_and_stores_only_its_hash():
    ready_card(number="A1")
    out = io.StringIO()

    call_command("create_api_token", "card-office", stdout=out)

    key = out.getvalue().splitlines()[1]
    token = ApiToken.objects.get(name="card-office")
    assert key not in (token.key_hash, token.prefix) and token.prefix == key[:8]
    assert call("A1", key).status_code == 200
    assert AuditEntry.objects.filter(detail="api token created", object_id=str(token.pk)).exists()


def test_create_api_token_refuses_a_name_in_use(key):
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_api_token", "card-office", stdout=io.StringIO())

    assert ApiToken.objects.count() == 1


def test_revoke_api_token_refuses_an_unknown_name():
    with pytest.raises(CommandError, match="No API token"):
        call_command("revoke_api_token", "nobody", stdout=io.StringIO())


def test_revoke_api_token_is_audited_and_can_be_repeated(key):
    out = io.StringIO()

    call_command("revoke_api_token", "card-office", stdout=out)
    call_command("revoke_api_token", "card-office", stdout=out)

    assert "is revoked" in out.getvalue()
    assert "already revoked" in out.getvalue()
    assert AuditEntry.objects.filter(detail="api token revoked").count() == 1
