"""Officers cancel, resend and hand over messages from the worker's page; batches of notices."""

import pytest
from django.urls import reverse

from accounts.models import AuditEntry
from notifications.models import Batch, Channel, Kind, Message
from notifications.services import batch_run, notify
from registry.models import WorkerPhone
from tests.factories import EmployerFactory, WorkerFactory
from tests.registry.factories_employments import EmploymentFactory

pytestmark = pytest.mark.django_db


def _message(status=Message.Status.QUEUED, channel=Channel.SMS, **kwargs):
    worker = kwargs.pop("worker", None) or WorkerFactory()
    return Message.objects.create(
        worker=worker, kind=Kind.RIGHTS_INFORMATION, channel=channel, language="en", body="Hello",
        recipient="+32470123456", status=status, **kwargs,
    )  # fmt: skip


def test_an_officer_cancels_a_queued_message_with_a_reason(client_for, officer):
    message = _message()
    response = client_for(officer).post(
        reverse("notifications:message-cancel", args=[message.pk]), {"reason": "Wrong number"}
    )
    assert response["Location"] == reverse("registry:worker-detail", args=[message.worker_id])
    message.refresh_from_db()
    assert (message.status, message.cancel_reason) == (Message.Status.CANCELLED, "Wrong number")
    assert AuditEntry.objects.filter(
        action="update", object_id=str(message.pk), actor=officer
    ).exists()


def test_cancelling_needs_a_reason_and_a_message_that_has_not_left(client_for, officer):
    client = client_for(officer)
    queued = _message()
    response = client.post(
        reverse("notifications:message-cancel", args=[queued.pk]), {"reason": ""}
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    sent = _message(status=Message.Status.SENT)
    response = client.post(
        reverse("notifications:message-cancel", args=[sent.pk]), {"reason": "Late"}
    )
    assert (
        "Only a message that is queued or waiting to be handed over can be cancelled."
        in response.content.decode()
    )
    assert Message.objects.filter(status=Message.Status.CANCELLED).count() == 0


def test_sending_again_creates_a_new_message_linked_to_the_failed_one(client_for, officer):
    worker = WorkerFactory()
    WorkerPhone.objects.create(
        worker=worker, number="+32470123456", is_mobile=True, is_safe=True, is_sms_number=True
    )
    failed = _message(status=Message.Status.FAILED, worker=worker, failure_code="timeout")
    response = client_for(officer).post(
        reverse("notifications:message-resend", args=[failed.pk]), {"reason": "Gateway was down"}
    )
    assert response.status_code == 302
    [new] = Message.objects.filter(resent_from=failed)
    assert new.status == Message.Status.QUEUED
    assert new.channel == Channel.SMS
    assert new.idempotency_key != failed.idempotency_key
    assert AuditEntry.objects.filter(detail="Gateway was down", object_id=str(failed.pk)).exists()


def test_a_message_still_queued_cannot_be_sent_twice(client_for, officer):
    queued = _message()
    response = client_for(officer).post(
        reverse("notifications:message-resend", args=[queued.pk]), {"reason": "Again"}
    )
    assert "This message has not finished yet" in response.content.decode()
    assert Message.objects.count() == 1


def test_a_held_notice_is_marked_as_handed_over(client_for, officer):
    held = _message(
        status=Message.Status.HELD, channel=Channel.HAND_OVER, hold_reason="No safe phone"
    )
    client_for(officer).post(reverse("notifications:message-hand-over", args=[held.pk]))
    held.refresh_from_db()
    assert held.status == Message.Status.DELIVERED
    assert held.delivered_at is not None


def test_the_worker_page_shows_each_message_with_its_state_attempts_and_reason(client_for, officer):
    failed = _message(
        status=Message.Status.FAILED,
        attempts=6,
        failure_code="timeout",
        failure_detail="Gateway did not answer",
    )
    held = _message(
        status=Message.Status.HELD,
        channel=Channel.HAND_OVER,
        worker=failed.worker,
        hold_reason="No safe phone",
    )
    page = (
        client_for(officer)
        .get(reverse("registry:worker-detail", args=[failed.worker_id]))
        .content.decode()
    )
    assert f'data-message="{failed.pk}" data-status="failed"' in page
    assert "Gateway did not answer" in page
    assert f'data-message="{held.pk}" data-status="held"' in page
    assert "No safe phone" in page
    assert reverse("notifications:message-hand-over", args=[held.pk]) in page
    assert reverse("notifications:message-resend", args=[failed.pk]) in page


def test_an_interviewer_sees_messages_but_cannot_act_on_them(client_for, interviewer):
    message = _message(status=Message.Status.FAILED)
    page = (
        client_for(interviewer)
        .get(reverse("registry:worker-detail", args=[message.worker_id]))
        .content.decode()
    )
    assert f'data-message="{message.pk}"' in page
    assert reverse("notifications:message-resend", args=[message.pk]) not in page


def test_a_batch_counts_first_then_sends_to_every_matching_worker(
    client_for, officer, django_capture_on_commit_callbacks
):
    employer = EmployerFactory()
    for _ in range(3):
        EmploymentFactory(employer=employer, status="active")
    EmploymentFactory(status="active")  # another employer
    client = client_for(officer)
    url = reverse("notifications:batch-create")
    response = client.post(url, {"status": "active", "employer": employer.pk})
    assert "3 workers match this choice." in response.content.decode()
    assert not Batch.objects.exists()
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(url, {"status": "active", "employer": employer.pk, "confirm": "on"})
    batch = Batch.objects.get()
    assert response["Location"] == reverse("notifications:batch-detail", args=[batch.pk])
    assert batch.total == 3
    assert batch_run(batch_id=batch.pk) == 3
    assert Message.objects.filter(batch=batch).count() == 3
    page = client.get(reverse("notifications:batch-detail", args=[batch.pk])).content.decode()
    assert "Finished: all 3 workers processed." in page


def test_a_batch_that_matches_nobody_sends_nothing(client_for, officer):
    response = client_for(officer).post(
        reverse("notifications:batch-create"), {"status": "suspended", "confirm": "on"}
    )
    assert "No worker matches this choice" in response.content.decode()
    assert not Batch.objects.exists()


def test_a_batch_resumes_where_it_stopped(officer):
    workers = [EmploymentFactory(status="active").worker for _ in range(3)]
    batch = Batch.objects.create(
        kind=Kind.RIGHTS_INFORMATION, description="x", worker_ids=[w.pk for w in workers], total=3,
        processed=1, created_by=officer,
    )  # fmt: skip
    notify(workers[0], Kind.RIGHTS_INFORMATION, batch=batch)
    batch_run(batch_id=batch.pk)
    assert sorted(
        Message.objects.filter(batch=batch).values_list("worker_id", flat=True)
    ) == sorted(w.pk for w in workers)
