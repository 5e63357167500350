"""Notices to workers: templates per kind, channel and language, and the outbox of messages."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Kind(models.TextChoices):
    RIGHTS_INFORMATION = "rights_information", _("Rights information")
    REGISTRATION_CONFIRMATION = "registration_confirmation", _("Registration confirmation")
    INTERVIEW_INVITATION = "interview_invitation", _("Interview invitation")
    REMINDER = "reminder", _("Appointment reminder")
    MOVED = "moved", _("Appointment moved")
    CANCELLED = "cancelled", _("Appointment cancelled")
    MISSED_APPOINTMENT = "missed_appointment", _("Missed appointment")
    BANK_VERIFICATION_NEEDED = "bank_verification_needed", _("Bank-account verification needed")
    CARD_EXPIRING = "card_expiring", _("Card expiring")


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")
    HAND_OVER = "hand_over", _("Handed over by an officer")


class MessageTemplate(models.Model):
    """The text of one kind of notice, for one channel, in one language. Administrators edit it;
    every message records the version it was rendered from."""

    kind = models.CharField(_("kind"), max_length=40, choices=Kind)
    channel = models.CharField(
        _("channel"),
        max_length=16,
        choices=[(Channel.SMS, Channel.SMS.label), (Channel.EMAIL, Channel.EMAIL.label)],
    )
    language = models.CharField(_("language"), max_length=12)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "channel", "language"]
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "channel", "language"],
                name="notifications_one_template_per_language",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} / {self.get_channel_display()} / {self.language}"


class Batch(models.Model):
    """Notices sent to many workers at once (the rights information to a filtered list)."""

    kind = models.CharField(_("kind"), max_length=40, choices=Kind)
    description = models.CharField(_("which workers"), max_length=300)
    worker_ids = models.JSONField(default=list, editable=False)
    total = models.PositiveIntegerField(_("workers"), default=0)
    processed = models.PositiveIntegerField(_("workers processed"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("batch of notices")
        verbose_name_plural = _("batches of notices")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.description}"


class Message(models.Model):
    """One notice to one worker on one channel: the outbox row, written in the same transaction as
    the change that caused it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")
        HELD = "held", _("Waiting to be handed over")

    FINAL = (Status.DELIVERED, Status.FAILED, Status.CANCELLED)

    worker = models.ForeignKey("registry.Worker", on_delete=models.PROTECT, related_name="messages")
    kind = models.CharField(_("kind"), max_length=40, choices=Kind)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel)
    language = models.CharField(_("language"), max_length=12)
    template_version = models.PositiveIntegerField(_("template version"), null=True, blank=True)
    recipient = models.CharField(_("recipient"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    context = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    provider_reference = models.CharField(
        _("provider reference"), max_length=100, blank=True, db_index=True
    )
    failure_code = models.CharField(_("failure code"), max_length=40, blank=True)
    failure_detail = models.CharField(_("failure detail"), max_length=300, blank=True)
    hold_reason = models.CharField(_("why it was not sent"), max_length=300, blank=True)
    cancel_reason = models.CharField(_("cancellation reason"), max_length=300, blank=True)
    # Sent to the gateway with every attempt, so a retried send can never deliver twice.
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    batch = models.ForeignKey(
        Batch, on_delete=models.PROTECT, null=True, blank=True, related_name="messages"
    )
    # The message this one was sent again for, when an officer resends.
    resent_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="resends"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["worker", "-created_at"]),
            # The outbox list, newest change first (notifications.selectors.message_list), whole
            # or filtered by status; and the dashboard's "failed in the last 7 days".
            models.Index(
                Coalesce("last_attempt_at", "created_at").desc(),
                F("id").desc(),
                name="message_last_change_idx",
            ),
            models.Index(
                F("status"),
                Coalesce("last_attempt_at", "created_at").desc(),
                F("id").desc(),
                name="message_status_change_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_channel_display()}) #{self.pk}"


from notifications.models_contacts import ContactPoint  # noqa: E402,F401
