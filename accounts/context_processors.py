from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def navigation(request):
    """The main menu, built from what the signed-in user's roles allow."""
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        items.append((reverse("accounts:home"), _("Home"), "home"))
        if user.has_perm("registry.view_worker"):
            items.append((reverse("registry:worker-list"), _("Workers"), "workers"))
        if user.has_perms(["registry.view_employment", "registry.change_employment"]):
            items.append(
                (
                    reverse("registry:contracts-awaiting-exception"),
                    _("Awaiting a decision"),
                    "decisions",
                )
            )
        if user.has_perm("registry.view_employer"):
            items.append((reverse("registry:employer-list"), _("Employers"), "employers"))
        if user.has_perm("registry.view_mission"):
            items.append((reverse("registry:mission-list"), _("Missions"), "missions"))
        if user.has_perm("registry.import_registry"):
            items.append((reverse("registry:registry-import"), _("Import"), "import"))
        if user.has_perm("registry.view_policy"):
            items.append((reverse("registry:policy-update"), _("Policy"), "policy"))
        if user.has_perm("notifications.change_messagetemplate"):
            items.append((reverse("notifications:template-list"), _("Notice texts"), "templates"))
        if user.has_perm("notifications.view_contactpoint"):
            items.append((reverse("rights:contact-list"), _("Contacts for workers"), "contacts"))
        if user.has_perm("notifications.view_rights_review"):
            items.append((reverse("rights:translation-list"), _("Rights information"), "rights"))
        if user.has_perm("accounts.view_auditentry"):
            items.append((reverse("accounts:audit-list"), _("Audit log"), "audit"))
        if user.is_staff:
            items.append((reverse("admin:index"), _("Administration"), "admin"))
    return {"nav_items": items, "ministry_name": settings.HESTIA_MINISTRY_NAME}
