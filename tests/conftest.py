import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from accounts.roles import Role
from tests.factories import PASSWORD, UserFactory, totp_device_for

ROLE_USERNAMES = {
    Role.PROTOCOL_OFFICER: "officer",
    Role.INTERVIEWER: "interviewer",
    Role.SUPERVISOR: "supervisor",
    Role.ADMINISTRATOR: "administrator",
    Role.AUDITOR: "auditor",
}


def verified_client(user) -> Client:
    """A client signed in with password and second factor, as after a full staff login."""
    from django_otp import DEVICE_ID_SESSION_KEY

    device = user.totpdevice_set.filter(confirmed=True).first() or totp_device_for(user)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A page requested in another language must not leak that language into the next test."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """What a test leaves in the cache (the dashboard's figures, for one) must not reach the next."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def make_staff(db):
    def make(role: Role | None = None, **kwargs):
        username = kwargs.pop("username", None) or (ROLE_USERNAMES[role] if role else "norole")
        user = UserFactory(username=username, role=role, **kwargs)
        if role == Role.ADMINISTRATOR:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        return user

    return make


@pytest.fixture
def officer(make_staff):
    return make_staff(Role.PROTOCOL_OFFICER)


@pytest.fixture
def supervisor(make_staff):
    return make_staff(Role.SUPERVISOR)


@pytest.fixture
def auditor(make_staff):
    return make_staff(Role.AUDITOR)


@pytest.fixture
def administrator(make_staff):
    return make_staff(Role.ADMINISTRATOR)


@pytest.fixture
def interviewer(make_staff):
    return make_staff(Role.INTERVIEWER)


@pytest.fixture
def client_for():
    return verified_client
