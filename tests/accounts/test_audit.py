"""The audit log: append-only everywhere, filtered and paginated for auditors and supervisors."""

import csv
import io

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from accounts.models import AuditEntry
from accounts.services import audit_log
from tests.factories import UserFactory, WorkerFactory

pytestmark = pytest.mark.django_db
AUDIT = reverse("accounts:audit-list")


def test_audit_log_records_field_names_never_values(officer):
    worker = WorkerFactory()
    entry = audit_log(
        action=AuditEntry.Action.UPDATE,
        actor=officer,
        obj=worker,
        changed_fields=["family_name", "email", "family_name"],
    )
    entry.refresh_from_db()
    assert entry.object_type == "registry.worker"
    assert entry.object_id == str(worker.pk)
    assert entry.changed_fields == ["email", "family_name"]
    assert entry.actor_username == "officer"


def test_an_entry_cannot_be_changed_or_deleted_through_the_model(officer):
    entry = audit_log(action=AuditEntry.Action.VIEW, actor=officer)
    entry.detail = "rewritten"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.filter(pk=entry.pk).update(detail="rewritten")
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).detail == ""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database trigger on PostgreSQL")
def test_postgresql_itself_refuses_to_change_or_remove_an_entry(officer):
    entry = audit_log(action=AuditEntry.Action.VIEW, actor=officer)
    for sql in (
        "UPDATE accounts_auditentry SET detail = 'x' WHERE id = %s",
        "DELETE FROM accounts_auditentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk, detail="").exists()


def test_not_even_a_superuser_can_add_change_or_delete_entries_in_the_admin(client_for, officer):
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = client_for(superuser)
    entry = audit_log(action=AuditEntry.Action.VIEW, actor=officer, detail="original")
    change_url = reverse("admin:accounts_auditentry_change", args=[entry.pk])
    assert client.get(reverse("admin:accounts_auditentry_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_auditentry_add")).status_code == 403
    response = client.post(change_url, {"detail": "rewritten", "action": "delete"})
    assert response.status_code == 403
    delete_url = reverse("admin:accounts_auditentry_delete", args=[entry.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.detail == "original"


def test_a_forbidden_page_is_audited_as_permission_denied(client_for, officer):
    assert client_for(officer).get(AUDIT).status_code == 403
    entry = AuditEntry.objects.get(action=AuditEntry.Action.PERMISSION_DENIED)
    assert entry.actor == officer
    assert entry.detail == f"GET {AUDIT}"


def test_auditor_filters_the_log_by_user_and_action(client_for, auditor, officer, supervisor):
    audit_log(action=AuditEntry.Action.EXPORT, actor=officer, object_type="registry.worker")
    audit_log(action=AuditEntry.Action.VIEW, actor=supervisor, object_type="registry.worker")
    response = client_for(auditor).get(AUDIT, {"username": "officer", "action": "export"})
    entries = list(response.context["page"])
    assert [(e.actor_username, e.action) for e in entries] == [("officer", "export")]


def test_a_bad_date_range_is_explained_and_ignored(client_for, auditor):
    response = client_for(auditor).get(AUDIT, {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert response.status_code == 200
    assert "The start date must not be after the end date." in response.content.decode()
    response = client_for(auditor).get(AUDIT, {"date_from": "not-a-date"})
    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()


def test_the_audit_page_is_paginated_with_a_fixed_number_of_queries(
    client_for, auditor, officer, django_assert_max_num_queries, settings
):
    client = client_for(auditor)
    AuditEntry.objects.bulk_create(
        AuditEntry(actor=officer, actor_username="officer", action="view") for _ in range(120)
    )
    with django_assert_max_num_queries(12):
        first = client.get(AUDIT)
    AuditEntry.objects.bulk_create(
        AuditEntry(actor=officer, actor_username="officer", action="view") for _ in range(600)
    )
    with django_assert_max_num_queries(12):
        last = client.get(AUDIT, {"page": "15"})
    assert len(first.context["page"]) == settings.HESTIA_AUDIT_PAGE_SIZE
    assert last.context["page"].number == last.context["page"].paginator.num_pages == 15
    assert "Page 1 of" in first.content.decode()


def test_export_is_a_csv_of_the_filtered_log_and_is_itself_audited(client_for, auditor, officer):
    audit_log(action=AuditEntry.Action.CREATE, actor=officer, object_type="registry.worker")
    response = client_for(auditor).get(reverse("accounts:audit-export"), {"action": "create"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["when", "user", "action"]
    assert [row[1:3] for row in rows[1:]] == [["officer", "create"]]
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, actor=auditor).exists()


def test_changing_a_staff_account_in_the_admin_is_audited_with_field_names(
    client_for, administrator, officer
):
    from django.contrib.auth.models import Group

    # Roles are edited by a superuser administrator (the first account made by createsuperuser).
    administrator.is_superuser = True
    administrator.save(update_fields=["is_superuser"])
    client = client_for(administrator)
    url = reverse("admin:accounts_user_change", args=[officer.pk])
    response = client.post(
        url,
        {
            "username": "officer",
            "first_name": "Olga",
            "last_name": "Staff",
            "email": officer.email,
            "is_active": "on",
            "groups": [Group.objects.get(name="Supervisor").pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
            "initial-date_joined_0": "2026-01-01",
            "initial-date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(
        action="update", object_id=str(officer.pk), detail="administration"
    )
    assert "first_name" in entry.changed_fields
    assert "groups" in entry.changed_fields
    assert entry.actor == administrator
