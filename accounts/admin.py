from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import AuditEntry, User
from accounts.services import audit_log


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "is_active", "last_login"]
    list_filter = ["is_active", "is_staff", "groups"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Field names only: a new password is recorded as "password", never its value.
        audit_log(
            action=AuditEntry.Action.UPDATE if change else AuditEntry.Action.CREATE,
            request=request,
            obj=obj,
            changed_fields=form.changed_data,
            detail="administration",
        )

    def has_delete_permission(self, request, obj=None):
        # Staff who leave are deactivated: their audit trail must keep pointing at them.
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only, for the admin as for everything else."""

    list_display = ["at", "actor_username", "action", "object_type", "object_id", "ip_address"]
    list_filter = ["action"]
    search_fields = ["actor_username", "object_type", "object_id"]
    date_hierarchy = "at"
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
