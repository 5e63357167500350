from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NoticeRequest(models.Model):
    """A notice another part of Hestia asked to send a worker.

    Recorded in the same transaction as the change that caused it, so nothing is lost; the
    delivery of notices by SMS and e-mail is the notifications issue's work and reads these.
    """

    class Kind(models.TextChoices):
        RIGHTS_INFORMATION = "rights_information", _("Rights information")
        REGISTRATION_CONFIRMATION = "registration_confirmation", _("Registration confirmation")
        BANK_VERIFICATION_NEEDED = "bank_verification_needed", _("Bank-account verification needed")
        CARD_EXPIRING = "card_expiring", _("Card expiring")

    worker = models.ForeignKey(
        "registry.Worker", on_delete=models.PROTECT, related_name="notice_requests"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind)
    language = models.CharField(_("language"), max_length=12)
    context = models.JSONField(default=dict, blank=True)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("notice request")
