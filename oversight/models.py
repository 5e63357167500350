"""Retention policy, legal holds and the record of each retention run."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

STAFF = settings.AUTH_USER_MODEL


class Oversight(models.Model):
    """Holds the app's permissions; no table."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_dashboard", _("Can see the oversight dashboard")),
            ("view_compliance", _("Can see mission compliance")),
            ("export_compliance", _("Can export mission compliance")),
            ("view_statistics", _("Can see and download anonymised statistics")),
            ("subject_access", _("Can produce everything held about one worker")),
            ("view_operations", _("Can see the operations view")),
        ]


class RetentionPolicy(models.Model):
    """How long personal data is kept (one row, edited by administrators)."""

    anonymise_after_years = models.PositiveSmallIntegerField(
        _("anonymise a worker this many years after their last employment ended"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    message_body_days = models.PositiveSmallIntegerField(
        _("keep the text of delivered messages for (days)"),
        default=90,
        validators=[MinValueValidator(7), MaxValueValidator(3650)],
    )
    enabled = models.BooleanField(
        _("apply every night"),
        default=True,
        help_text=_("When off, the nightly task only lists what it would do."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")

    def __str__(self) -> str:
        return str(_("Retention policy"))


class LegalHold(models.Model):
    """Suspends the retention policy for one worker (an open concern, a court case)."""

    class Reason(models.TextChoices):
        OPEN_CONCERN = "open_concern", _("Open concern")
        COURT_CASE = "court_case", _("Court case")
        INVESTIGATION = "investigation", _("Investigation")
        WORKER_REQUEST = "worker_request", _("The worker asked for the records to be kept")
        OTHER = "other", _("Other")

    worker = models.ForeignKey(
        "registry.Worker", on_delete=models.PROTECT, related_name="legal_holds"
    )
    reason = models.CharField(_("reason"), max_length=24, choices=Reason)
    note = models.CharField(_("details"), max_length=300, blank=True)
    owner = models.ForeignKey(
        STAFF, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    placed_at = models.DateTimeField(_("placed"), default=timezone.now)
    placed_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    review_on = models.DateField(_("review by"), null=True, blank=True)
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        STAFF, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lift_reason = models.CharField(_("reason for lifting"), max_length=300, blank=True)

    class Meta:
        ordering = ["-placed_at", "-id"]
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        indexes = [models.Index(fields=["worker", "lifted_at"])]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} / {self.worker_id}"

    @property
    def active(self) -> bool:
        return self.lifted_at is None


class RetentionRun(models.Model):
    """One application (or dry run) of the retention policy."""

    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    workers_anonymised = models.PositiveIntegerField(_("workers anonymised"), default=0)
    workers_held = models.PositiveIntegerField(_("workers under legal hold"), default=0)
    message_bodies_removed = models.PositiveIntegerField(_("message texts removed"), default=0)
    evidence_files_deleted = models.PositiveIntegerField(_("evidence files deleted"), default=0)
    started_by = models.ForeignKey(
        STAFF, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")


class TaskFailure(models.Model):
    """A Celery task that ended in an error, for the operations view. Only the task's name and
    the exception's type and first line are kept: arguments may hold personal data."""

    task_name = models.CharField(_("task"), max_length=200)
    task_id = models.CharField(max_length=64, blank=True)
    exception = models.CharField(_("error"), max_length=200)
    message = models.CharField(_("message"), max_length=300, blank=True)
    failed_at = models.DateTimeField(_("failed"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-failed_at", "-id"]
        verbose_name = _("failed task")
        verbose_name_plural = _("failed tasks")

    def __str__(self) -> str:
        return f"{self.task_name}: {self.exception}"
