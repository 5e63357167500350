"""Whom a worker can call: the contacts printed in the rights information (recommendation 36)."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# Digits, spaces and the usual separators; a short number such as 112 is allowed.
phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ()./-]{1,28}[0-9]$",
    _(
        "Enter a phone number: digits, spaces and + ( ) - . / only, for example +32 2 501 81 11 or 112."
    ),
    code="phone",
)


class ContactPoint(models.Model):
    """A service a worker may call, as shown on the public rights page and the leaflet.

    Administrators keep the list; the data migration leaves examples to check and replace.
    """

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("The ministry's contact point")
        HOTLINE = "hotline", _("National hotline")
        MEDIATION = "mediation", _("Mediation office")
        NGO = "ngo", _("Organisation helping domestic workers")
        EMERGENCY = "emergency", _("Emergency number")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_("As the worker should say it when asking for help."),
    )
    phone = models.CharField(_("phone"), max_length=30, validators=[phone_validator])
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.TextField(_("address"), blank=True)
    hours = models.CharField(
        _("opening hours"),
        max_length=200,
        blank=True,
        help_text=_("For example: Monday to Friday, 9:00 to 17:00. Or: day and night."),
    )
    languages = models.CharField(
        _("languages spoken"),
        max_length=200,
        blank=True,
        help_text=_("For example: French, English, Tagalog."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(
        _("shown to workers"),
        default=True,
        help_text=_("Only active contacts appear on the rights page and the leaflet."),
    )
    # Set by the data migration; cleared when an administrator saves the entry.
    is_example = models.BooleanField(_("example to check and replace"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")
        permissions = [
            ("view_rights_review", _("Can see the review status of the rights information")),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"
