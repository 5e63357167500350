"""accounts.backends.ModelBackend: the same permissions as Django's, read in one query."""

import pytest
from django.contrib.auth import backends as django_backends
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.backends import ModelBackend
from accounts.models import User
from accounts.roles import ROLE_PERMISSIONS, Role
from accounts.services import user_set_roles

pytestmark = pytest.mark.django_db


def _fresh(user: User) -> User:
    """The user as the next request loads it: no permission read yet."""
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize("role", list(Role))
def test_each_role_has_the_same_permissions_as_with_djangos_backend(make_staff, role):
    user = make_staff(role)
    ours = ModelBackend().get_all_permissions(_fresh(user))
    assert ours == django_backends.ModelBackend().get_all_permissions(_fresh(user))
    assert ours == set(ROLE_PERMISSIONS[role])


def test_a_permission_given_to_the_user_counts_with_those_of_their_roles(officer):
    officer.user_permissions.add(Permission.objects.get(codename="view_auditentry"))
    permissions = ModelBackend().get_all_permissions(_fresh(officer))
    assert "accounts.view_auditentry" in permissions
    assert "registry.view_worker" in permissions


def test_the_permissions_are_read_in_one_query_once_a_request(officer, django_assert_num_queries):
    user = _fresh(officer)
    with django_assert_num_queries(1):
        assert user.has_perm("registry.view_worker")
        assert not user.has_perm("accounts.change_user")
        assert user.has_perms(["registry.view_worker", "registry.change_worker"])


def test_an_inactive_user_has_none_and_a_superuser_has_all(officer):
    officer.is_active = False
    assert ModelBackend().get_all_permissions(officer) == set()
    root = User.objects.create_superuser("root", "root@example.org", "x" * 16)
    assert len(ModelBackend().get_all_permissions(_fresh(root))) == Permission.objects.count()


def test_a_role_taken_away_stops_working_at_the_next_request(client_for, officer):
    client = client_for(officer)
    assert client.get(reverse("registry:worker-list")).status_code == 200
    user_set_roles(user=officer, roles=[])
    assert client.get(reverse("registry:worker-list")).status_code == 403
