"""Staff sign-in: password, second factor, lockout, sign-out and idle expiry."""

import time

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from accounts.models import AuditEntry
from accounts.roles import Role
from tests.factories import current_code, totp_device_for

LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:two-factor-verify")
SETUP = reverse("accounts:two-factor-setup")
HOME = reverse("accounts:home")

pytestmark = pytest.mark.django_db


def _sign_in(client, user, password):
    return client.post(LOGIN, {"username": user.username, "password": password})


def test_the_login_page_is_public(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert b"Sign in to Hestia" in response.content


def test_a_wrong_password_is_refused_with_a_clear_message_and_audited(client, officer):
    response = client.post(LOGIN, {"username": "officer", "password": "not-the-password"})
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    assert "_auth_user_id" not in client.session
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN_FAILED)
    assert entry.actor_username == "officer"
    assert entry.ip_address == "127.0.0.1"
    assert "not-the-password" not in str(entry.__dict__)


def test_password_alone_does_not_open_staff_pages_when_two_factor_is_required(
    client, officer, password
):
    totp_device_for(officer)
    response = _sign_in(client, officer, password)
    assert response.status_code == 302
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)


def test_a_user_without_an_authenticator_is_sent_to_enrol(client, officer, password):
    _sign_in(client, officer, password)
    response = client.get(HOME)
    assert response["Location"].startswith(SETUP)


def test_the_right_code_completes_the_login(client, officer, password):
    device = totp_device_for(officer)
    _sign_in(client, officer, password)
    response = client.post(VERIFY, {"token": current_code(device)})
    assert response.status_code == 302
    response = client.get(HOME)
    assert response.status_code == 200
    assert "Protocol officer" in response.content.decode()
    actions = list(AuditEntry.objects.filter(actor=officer).values_list("action", "detail"))
    assert ("login", "password") in actions
    assert ("login", "second factor") in actions


def test_a_wrong_code_is_refused_and_audited(client, officer, password):
    totp_device_for(officer)
    _sign_in(client, officer, password)
    response = client.post(VERIFY, {"token": "000000"})
    assert response.status_code == 200
    assert b"That code is not valid" in response.content
    assert client.get(HOME).status_code == 302
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.LOGIN_FAILED, detail="second factor", actor=officer
    ).exists()


def test_enrolment_by_qr_code_issues_recovery_codes(client, officer, password):
    _sign_in(client, officer, password)
    page = client.get(SETUP)
    assert page.status_code == 200
    assert b"<svg" in page.content
    device = officer.totpdevice_set.get(confirmed=False)
    response = client.post(SETUP, {"token": current_code(device)})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == settings.HESTIA_RECOVERY_CODE_COUNT
    assert client.get(HOME).status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_enrolment_with_a_wrong_code_changes_nothing(client, officer, password):
    _sign_in(client, officer, password)
    client.get(SETUP)
    response = client.post(SETUP, {"token": "12345x"})
    assert b"That code does not match" in response.content
    assert not officer.totpdevice_set.filter(confirmed=True).exists()
    assert not officer.staticdevice_set.exists()


def test_a_recovery_code_signs_in_once(client, officer, password):
    from accounts.services import recovery_codes_issue

    totp_device_for(officer)
    code = recovery_codes_issue(user=officer)[0]
    _sign_in(client, officer, password)
    assert client.post(VERIFY, {"token": code}).status_code == 302
    assert client.get(HOME).status_code == 200

    client.post(reverse("accounts:logout"))
    _sign_in(client, officer, password)
    response = client.post(VERIFY, {"token": code})
    assert b"That code is not valid" in response.content


def test_repeated_failures_lock_the_account_with_a_clear_message(client, officer, password):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "officer", "password": "wrong-password"})
    response = _sign_in(client, officer, password)
    assert response.status_code == 429
    assert b"Too many failed sign-in attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_sign_out_ends_the_session(client_for, officer):
    client = client_for(officer)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(HOME).status_code == 302
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LOGOUT, actor=officer).exists()


def test_an_idle_session_expires(client_for, officer):
    client = client_for(officer)
    with time_machine.travel(time.time(), tick=False) as traveller:
        assert client.get(HOME).status_code == 200
        traveller.shift(settings.HESTIA_SESSION_IDLE_MINUTES * 60 + 5)
        response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert client.get(HOME).status_code == 302


def test_an_active_session_survives_past_the_idle_limit(client_for, officer):
    client = client_for(officer)
    with time_machine.travel(time.time(), tick=False) as traveller:
        for _ in range(4):
            assert client.get(HOME).status_code == 200
            traveller.shift(settings.HESTIA_SESSION_IDLE_MINUTES * 60 - 60)
        assert client.get(HOME).status_code == 200


def test_each_role_sees_its_own_home_page(make_staff, client_for):
    for role in Role:
        user = make_staff(role)
        page = client_for(user).get(HOME, follow=True).content.decode()
        if role == Role.SUPERVISOR:
            # The supervisors' home is the oversight dashboard; their account page stays.
            assert 'id="dashboard-heading"' in page
            page = client_for(user).get(HOME, {"account": "1"}).content.decode()
        assert f'data-role="{role.value}"' in page


def test_recent_sign_ins_count_a_login_once_its_second_factor_is_done(client, officer, password):
    device = totp_device_for(officer)
    _sign_in(client, officer, password)
    client.post(VERIFY, {"token": current_code(device)})
    recent = client.get(HOME).context["recent_sign_ins"]
    assert [(e.action, e.detail) for e in recent] == [("login", "second factor")]


def test_a_user_without_a_role_is_told_to_ask_for_one(make_staff, client_for):
    page = client_for(make_staff(None)).get(HOME).content.decode()
    assert "No role has been given to your account yet" in page


def test_the_admin_login_goes_through_the_staff_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
