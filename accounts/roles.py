"""Staff roles. Each role is a Django group; its permissions are listed here and applied by
migrations (see accounts.services.roles_sync), never by hand in the admin."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PROTOCOL_OFFICER = "Protocol officer", _("Protocol officer")
    INTERVIEWER = "Interviewer", _("Interviewer")
    SUPERVISOR = "Supervisor", _("Supervisor")
    ADMINISTRATOR = "Administrator", _("Administrator")
    AUDITOR = "Auditor", _("Auditor")


# "app_label.codename" for every permission a role holds. Later apps add theirs here and
# ship a migration that calls roles_sync.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.PROTOCOL_OFFICER: [
        "registry.view_mission",
        "registry.add_mission",
        "registry.change_mission",
        "registry.view_employer",
        "registry.add_employer",
        "registry.change_employer",
        "registry.view_worker",
        "registry.add_worker",
        "registry.change_worker",
    ],
    Role.INTERVIEWER: [
        "registry.view_mission",
        "registry.view_employer",
        "registry.view_worker",
    ],
    Role.SUPERVISOR: [
        "registry.view_mission",
        "registry.view_employer",
        "registry.view_worker",
        "accounts.view_auditentry",
        "accounts.view_user",
    ],
    Role.ADMINISTRATOR: [
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "auth.view_group",
        "django_celery_beat.view_periodictask",
    ],
    Role.AUDITOR: [
        "accounts.view_auditentry",
        "accounts.export_auditentry",
        "accounts.view_user",
    ],
}

ROLE_DESCRIPTIONS = {
    Role.PROTOCOL_OFFICER: _(
        "Registers missions, employers, workers, contracts, ID cards and bank accounts, "
        "and books interviews."
    ),
    Role.INTERVIEWER: _("Holds and records the private interviews assigned to you."),
    Role.SUPERVISOR: _(
        "Oversees the work: concerns, referrals, renewal clearance and the audit log."
    ),
    Role.ADMINISTRATOR: _("Manages staff accounts, roles, message templates and policy settings."),
    Role.AUDITOR: _("Reads the audit log and reports. Read-only."),
}
