"""The lists that grow without bound (the outbox and the audit log) count at most LIST_COUNT_CAP
rows: beyond it they say "more than", so a page costs the same whatever the table's size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import pagination
from accounts.models import AuditEntry
from accounts.pagination import CappedPaginator
from accounts.services import audit_log
from tests.notifications import queued_message

pytestmark = pytest.mark.django_db
AUDIT = reverse("accounts:audit-list")
MESSAGES = reverse("notifications:message-list")


def test_the_paginator_counts_exactly_up_to_the_cap_and_says_more_beyond(officer):
    for _ in range(5):
        audit_log(action=AuditEntry.Action.VIEW, actor=officer)
    entries = AuditEntry.objects.order_by("-at", "-id")
    exact = CappedPaginator(entries, 2, cap=5)
    assert (exact.count, exact.capped, exact.num_pages) == (5, False, 3)
    audit_log(action=AuditEntry.Action.VIEW, actor=officer)
    capped = CappedPaginator(entries, 2, cap=5)
    assert (capped.count, capped.capped, capped.num_pages) == (5, True, 3)
    # Every page up to the cap still opens, with the newest entries first.
    assert [entry.pk for entry in capped.page(1)] == list(entries.values_list("pk", flat=True)[:2])


def test_the_count_reads_no_more_than_the_cap(officer):
    for _ in range(4):
        audit_log(action=AuditEntry.Action.VIEW, actor=officer)
    with CaptureQueriesContext(connection) as captured:
        assert CappedPaginator(AuditEntry.objects.all(), 2, cap=3).count == 3
    [query] = captured.captured_queries
    assert "LIMIT 4" in query["sql"]


def test_the_audit_log_says_more_than_the_cap_and_pages_on(client_for, auditor, monkeypatch):
    monkeypatch.setattr(pagination, "LIST_COUNT_CAP", 3)
    client = client_for(auditor)
    audit_log(action=AuditEntry.Action.VIEW, actor=auditor)
    # The view logs itself first: two entries and this view make three, within the cap.
    page = client.get(AUDIT).content.decode()
    assert "3 entries" in page
    assert "More than" not in page
    for _ in range(3):
        audit_log(action=AuditEntry.Action.VIEW, actor=auditor)
    page = client.get(AUDIT).content.decode()
    assert "More than 3 entries: filter to narrow the list." in page
    # A filter that matches fewer rows than the cap is counted exactly again.
    filtered = client.get(AUDIT, {"username": "nobody"}).content.decode()
    assert "0 entries" in filtered


def test_the_outbox_says_more_than_the_cap(client_for, officer, monkeypatch, settings):
    monkeypatch.setattr(pagination, "LIST_COUNT_CAP", 3)
    monkeypatch.setattr("notifications.views_messages.MESSAGE_PAGE_SIZE", 2)
    for _ in range(3):
        queued_message()
    client = client_for(officer)
    page = client.get(MESSAGES).content.decode()
    assert "3 messages" in page
    assert "Page 1 of 2" in page
    queued_message()
    page = client.get(MESSAGES).content.decode()
    assert "More than 3 messages: filter to narrow the list." in page
    assert "Page 1 of more than 2" in page
    second = client.get(MESSAGES, {"page": 2})
    assert second.status_code == 200
    assert "Page 2 of more than 2" in second.content.decode()
