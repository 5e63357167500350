from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# Menus that open from the bar: reports read the data, settings shape how Hestia works.
GROUPS = [("reports", _("Reports")), ("settings", _("Settings"))]


def _menu(user) -> list[tuple[str, object, str, str]]:
    """(url, label, key, group) for every page this user's roles allow; group "" is the bar."""
    has = user.has_perm
    items = [(reverse("accounts:home"), _("Home"), "home", "")]

    def add(permissions, url_name, label, key, group="", **kwargs):
        if all(has(p) for p in permissions):
            items.append((reverse(url_name, kwargs=kwargs or None), label, key, group))

    # Daily work.
    add(["interviews.record_interview"], "interviews:day", _("My day"), "day")
    add(["registry.view_worker"], "registry:worker-list", _("Workers"), "workers")
    add(["interviews.view_interview"], "interviews:interview-list", _("Interviews"), "interviews")
    add(["interviews.view_concern"], "interviews:concern-list", _("Concerns"), "concerns")
    add(
        ["interviews.view_clearance", "interviews.book_interview"],
        "interviews:clearance-list",
        _("Renewal clearances"),
        "clearances",
    )
    add(
        ["registry.view_employment", "registry.change_employment"],
        "registry:contracts-awaiting-exception",
        _("Awaiting a decision"),
        "decisions",
    )
    add(
        ["registry.view_bankaccount", "registry.verify_bankaccount"],
        "registry:bank-account-attention",
        _("Bank accounts"),
        "bank-accounts",
    )
    add(["registry.view_employer"], "registry:employer-list", _("Employers"), "employers")
    add(["registry.view_mission"], "registry:mission-list", _("Missions"), "missions")
    add(["registry.import_registry"], "registry:registry-import", _("Import"), "import")
    if has("interviews.manage_availability") and has("interviews.record_interview"):
        add([], "interviews:availability", _("My availability"), "availability", user_pk=user.pk)
    add(["oversight.view_operations"], "oversight:operations", _("Operations"), "operations")
    # Reports.
    add(
        ["oversight.view_dashboard"],
        "oversight:dashboard",
        _("Oversight dashboard"),
        "dashboard",
        "reports",
    )
    add(
        ["notifications.view_message"],
        "notifications:message-list",
        _("Notices to workers"),
        "messages",
        "reports",
    )
    add(
        ["oversight.view_compliance"],
        "oversight:compliance",
        _("Mission compliance"),
        "compliance",
        "reports",
    )
    add(
        ["oversight.view_statistics"],
        "oversight:statistics",
        _("Statistics"),
        "statistics",
        "reports",
    )
    add(
        ["oversight.view_legalhold"],
        "oversight:legal-hold-list",
        _("Legal holds"),
        "holds",
        "reports",
    )
    add(["accounts.view_auditentry"], "accounts:audit-list", _("Audit log"), "audit", "reports")
    # Settings.
    add(
        ["registry.view_policy"],
        "registry:policy-update",
        _("Contract policy"),
        "policy",
        "settings",
    )
    add(
        ["interviews.view_interviewpolicy"],
        "interviews:policy-edit",
        _("Interview policy"),
        "interview-policy",
        "settings",
    )
    add(
        ["oversight.view_retentionpolicy"],
        "oversight:retention",
        _("Data retention"),
        "retention",
        "settings",
    )
    add(["interviews.view_room"], "interviews:room-list", _("Rooms"), "rooms", "settings")
    add(
        ["interviews.view_interpreter"],
        "interviews:interpreter-list",
        _("Interpreters"),
        "interpreters",
        "settings",
    )
    add(
        ["interviews.view_organisation"],
        "interviews:organisation-list",
        _("Organisations"),
        "organisations",
        "settings",
    )
    add(
        ["notifications.change_messagetemplate"],
        "notifications:template-list",
        _("Notice texts"),
        "templates",
        "settings",
    )
    add(
        ["notifications.view_contactpoint"],
        "rights:contact-list",
        _("Contacts for workers"),
        "contacts",
        "settings",
    )
    add(
        ["notifications.view_rights_review"],
        "rights:translation-list",
        _("Rights information"),
        "rights",
        "settings",
    )
    if user.is_staff:
        items.append((reverse("admin:index"), _("Administration"), "admin", "settings"))
    return items


def navigation(request):
    """The main menu, built from what the signed-in user's roles allow."""
    user = getattr(request, "user", None)
    bar, groups = [], []
    if user is not None and user.is_authenticated:
        items = _menu(user)
        bar = [(url, label, key) for url, label, key, group in items if not group]
        for group_key, group_label in GROUPS:
            entries = [(url, label, key) for url, label, key, group in items if group == group_key]
            if entries:
                groups.append((group_key, group_label, entries))
    return {"nav_items": bar, "nav_groups": groups, "ministry_name": settings.HESTIA_MINISTRY_NAME}
