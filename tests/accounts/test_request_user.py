"""Each signed-in request reads the user, the device that verified them and their permissions in
one query (accounts.backends, accounts.middleware.OTPMiddleware); all three still count as
they are in the database at that request."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.middleware import OTPMiddleware
from accounts.models import User
from accounts.roles import ROLE_PERMISSIONS, Role
from accounts.services import user_set_roles
from tests.conftest import verified_client
from tests.factories import totp_device_for

pytestmark = pytest.mark.django_db

HOME = reverse("accounts:home")
WORKERS = reverse("registry:worker-list")
VERIFY = reverse("accounts:two-factor-verify")
SETUP = reverse("accounts:two-factor-setup")


def _signed_in_with(user: User, device) -> object:
    """A client whose session says `device` verified `user`."""
    client = verified_client(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return [query["sql"] for query in captured.captured_queries]


def test_a_signed_in_page_reads_the_session_then_the_user_with_device_and_permissions(
    client_for, officer
):
    client = client_for(officer)
    client.get(HOME)
    queries = _queries(client, HOME)
    assert queries[0].startswith('SELECT "django_session"')
    assert queries[1].startswith('SELECT "accounts_user"')
    assert not [sql for sql in queries if sql.startswith('SELECT "otp_totp_totpdevice"')]
    assert not [sql for sql in queries if sql.startswith('SELECT "django_content_type"')]
    assert not [sql for sql in queries if sql.startswith('SELECT "auth_permission"')]


@pytest.mark.parametrize("role", list(Role))
def test_each_role_gets_its_permissions_and_its_menu(client_for, make_staff, role):
    user = make_staff(role)
    response = client_for(user).get(HOME, follow=True)  # a supervisor's home is the dashboard
    assert response.status_code == 200
    assert response.wsgi_request.user.get_all_permissions() == set(ROLE_PERMISSIONS[role])
    links = {url for url, _label, _key in response.context["nav_items"]}
    assert (WORKERS in links) == ("registry.view_worker" in ROLE_PERMISSIONS[role])


def test_a_role_given_counts_from_the_next_request(client_for, make_staff):
    user = make_staff(None)
    client = client_for(user)
    assert client.get(WORKERS).status_code == 403
    user_set_roles(user=user, roles=[Role.INTERVIEWER])
    assert client.get(WORKERS).status_code == 200
    user_set_roles(user=user, roles=[])
    assert client.get(WORKERS).status_code == 403


def test_a_permission_given_to_the_user_alone_counts(client_for, make_staff):
    user = make_staff(None)
    client = client_for(user)
    user.user_permissions.add(Permission.objects.get(codename="view_worker"))
    assert client.get(WORKERS).status_code == 200


def test_a_superuser_holds_every_permission(client_for, make_staff):
    user = make_staff(None, is_superuser=True)
    response = client_for(user).get(HOME)
    assert response.wsgi_request.user.get_all_permissions() == {
        f"{app_label}.{codename}"
        for app_label, codename in Permission.objects.values_list(
            "content_type__app_label", "codename"
        )
    }


def test_a_deactivated_user_is_signed_out_at_the_next_request(client_for, officer):
    client = client_for(officer)
    assert client.get(WORKERS).status_code == 200
    User.objects.filter(pk=officer.pk).update(is_active=False)
    response = client.get(WORKERS)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_removed_device_stops_counting_at_the_next_request(client_for, officer):
    client = client_for(officer)
    assert client.get(WORKERS).status_code == 200
    TOTPDevice.objects.filter(user=officer).delete()
    response = client.get(WORKERS)
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_a_device_no_longer_confirmed_stops_counting_at_the_next_request(client_for, officer):
    client = client_for(officer)
    assert client.get(WORKERS).status_code == 200
    TOTPDevice.objects.filter(user=officer).update(confirmed=False)
    response = client.get(WORKERS)
    assert response.status_code == 302
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_another_users_device_does_not_verify(officer, supervisor):
    client = _signed_in_with(officer, totp_device_for(supervisor))
    response = client.get(WORKERS)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_a_recovery_code_device_verifies_and_is_read_with_the_user(officer):
    recovery = StaticDevice.objects.create(user=officer, name="recovery", confirmed=True)
    client = _signed_in_with(officer, recovery)
    client.get(HOME)
    response = client.get(WORKERS)
    assert response.status_code == 200
    assert response.wsgi_request.user.otp_device == recovery
    assert not [sql for sql in _queries(client, HOME) if 'FROM "otp_static_staticdevice"' in sql]
    recovery.delete()
    assert client.get(WORKERS).status_code == 302


def test_a_session_naming_no_device_model_is_not_verified(officer):
    client = verified_client(officer)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = "accounts.user/1"
    session.save()
    response = client.get(WORKERS)
    assert response.status_code == 302
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_a_user_loaded_before_the_middleware_has_their_device_read_on_its_own(
    rf, officer, django_assert_num_queries
):
    """As django-otp does: the device in a query of its own, and still checked."""
    device = totp_device_for(officer)
    request = rf.get(HOME)
    request.session = SessionStore()
    request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    request.user = User.objects.get(pk=officer.pk)
    OTPMiddleware(lambda request: HttpResponse())(request)
    with django_assert_num_queries(1):
        assert request.user.is_verified()
    assert request.user.otp_device == device
