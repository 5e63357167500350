"""Authentication events go to the audit log: Django announces them only through signals."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts.models import AuditEntry
from accounts.services import audit_log


@receiver(user_logged_in, dispatch_uid="hestia-audit-login")
def audit_login(sender, request, user, **kwargs):
    audit_log(action=AuditEntry.Action.LOGIN, actor=user, request=request, detail="password")


@receiver(user_logged_out, dispatch_uid="hestia-audit-logout")
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_log(action=AuditEntry.Action.LOGOUT, actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="hestia-audit-login-failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    audit_log(
        action=AuditEntry.Action.LOGIN_FAILED,
        request=request,
        username=str(credentials.get("username", "")),
        detail="password",
    )
