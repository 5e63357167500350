import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from accounts.models import User
from accounts.roles import ROLE_PERMISSIONS, Role
from interviews.models import Interview, Room, Slot
from registry.models import Employer, Mission, Worker

pytestmark = pytest.mark.django_db


def test_migrations_leave_every_role_with_exactly_its_permissions():
    for role in Role:
        group = Group.objects.get(name=str(role))
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert held == set(ROLE_PERMISSIONS[role]), role


def test_only_supervisors_and_auditors_read_the_audit_log_and_auditors_change_nothing():
    readers = {r for r, perms in ROLE_PERMISSIONS.items() if "accounts.view_auditentry" in perms}
    assert readers == {Role.SUPERVISOR, Role.AUDITOR}
    changers = [
        p
        for p in ROLE_PERMISSIONS[Role.AUDITOR]
        if not p.split(".")[1].startswith(("view_", "export_"))
    ]
    assert changers == []


def test_seed_demo_creates_one_user_per_role_and_is_safe_to_run_again(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")

    def counts():
        return (
            User.objects.count(),
            Mission.objects.count(),
            Employer.objects.count(),
            Worker.objects.count(),
            Interview.objects.count(),
            Slot.objects.count(),
            Room.objects.count(),
        )

    first = counts()
    call_command("seed_demo")
    assert counts() == first
    # The scheduling run booked the workers whose card's window is open.
    assert Interview.objects.filter(status=Interview.Status.INVITED).exists()
    counts = first
    assert counts[0] == len(Role) and all(counts)
    for role in Role:
        assert User.objects.filter(groups__name=str(role)).count() == 1
    out = capsys.readouterr().out
    assert "password for all" in out
    assert "authenticator key" in out


def test_seed_demo_refuses_to_run_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refuses to run when DEBUG is off"):
        call_command("seed_demo")
    assert not User.objects.exists()
