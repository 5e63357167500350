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
def _registry(*actions_models: str) -> list[str]:
    return [f"registry.{code}" for code in actions_models]


_REGISTRY_READ = _registry(
    "view_mission",
    "view_employer",
    "view_worker",
    "view_employment",
    "view_identitycard",
    "view_bankaccount",
    "view_registration",
)


def _interviews(*codes: str) -> list[str]:
    return [f"interviews.{code}" for code in codes]


# Reading the schedule: interviews, rooms, interpreters, slots, clearances.
_INTERVIEWS_READ = _interviews(
    "view_interview",
    "view_room",
    "view_interpreter",
    "view_slot",
    "view_clearance",
)

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.PROTOCOL_OFFICER: [
        *_REGISTRY_READ,
        *_registry(
            "add_mission",
            "change_mission",
            "add_employer",
            "change_employer",
            "add_worker",
            "change_worker",
            "add_employment",
            "change_employment",
            "add_identitycard",
            "change_identitycard",
            "add_bankaccount",
            "change_bankaccount",
            "verify_bankaccount",
            "view_bankevidence",
            "add_bankevidence",
            "add_registration",
            "export_registry",
            "import_registry",
        ),
        "notifications.view_message",
        "notifications.change_message",
        "notifications.view_batch",
        "notifications.add_batch",
        *_INTERVIEWS_READ,
        *_interviews("book_interview"),
        "oversight.subject_access",
    ],
    Role.INTERVIEWER: [
        *_REGISTRY_READ,
        # Not the clearances: a card on hold would tell them an urgent concern exists elsewhere.
        *(code for code in _INTERVIEWS_READ if code != "interviews.view_clearance"),
        *_interviews(
            "record_interview",
            "view_interviewrecord",
            "view_restricted_notes",
            "manage_availability",
            "view_concern",
            "add_concern",
            "change_concern",
            "view_organisation",
            "add_referral",
        ),
    ],
    Role.SUPERVISOR: [
        *_REGISTRY_READ,
        *_registry(
            "change_employment",
            "override_policy",
            "verify_bankaccount",
            "view_bankevidence",
            "export_registry",
            "view_policy",
        ),
        "notifications.view_message",
        "notifications.change_message",
        "notifications.view_batch",
        "accounts.view_auditentry",
        "accounts.view_user",
        *_INTERVIEWS_READ,
        *_interviews(
            "book_interview",
            "record_interview",
            "view_interviewrecord",
            "view_restricted_notes",
            "manage_availability",
            "view_concern",
            "add_concern",
            "change_concern",
            "view_all_concerns",
            "view_organisation",
            "add_organisation",
            "change_organisation",
            "add_referral",
            "decide_clearance",
            "view_interviewpolicy",
            "add_room",
            "change_room",
            "add_interpreter",
            "change_interpreter",
        ),
        "oversight.view_dashboard",
        "oversight.view_compliance",
        "oversight.export_compliance",
        "oversight.view_statistics",
        "oversight.subject_access",
        "oversight.view_legalhold",
        "oversight.add_legalhold",
        "oversight.change_legalhold",
        "oversight.view_retentionpolicy",
        "oversight.view_retentionrun",
    ],
    Role.ADMINISTRATOR: [
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "auth.view_group",
        "django_celery_beat.view_periodictask",
        "registry.view_policy",
        "registry.change_policy",
        "notifications.view_contactpoint",
        "notifications.add_contactpoint",
        "notifications.change_contactpoint",
        "notifications.view_rights_review",
        "notifications.view_messagetemplate",
        "notifications.add_messagetemplate",
        "notifications.change_messagetemplate",
        *_interviews(
            "view_interviewpolicy",
            "change_interviewpolicy",
            "view_room",
            "add_room",
            "change_room",
            "view_interpreter",
            "add_interpreter",
            "change_interpreter",
            "view_organisation",
            "add_organisation",
            "change_organisation",
        ),
        "oversight.view_operations",
        "oversight.view_retentionpolicy",
        "oversight.change_retentionpolicy",
        "oversight.view_retentionrun",
        "oversight.add_retentionrun",
        "oversight.view_legalhold",
    ],
    Role.AUDITOR: [
        "accounts.view_auditentry",
        "accounts.export_auditentry",
        "accounts.view_user",
        "oversight.view_compliance",
        "oversight.export_compliance",
        "oversight.view_statistics",
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
