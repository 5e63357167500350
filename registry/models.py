"""The ministry's record of diplomatic households and the domestic workers they employ."""

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Mission(TimeStamped):
    """An embassy, consulate, permanent mission or international organisation."""

    class Kind(models.TextChoices):
        EMBASSY = "embassy", _("Embassy")
        CONSULATE = "consulate", _("Consulate")
        PERMANENT_MISSION = "permanent_mission", _("Permanent mission")
        INTERNATIONAL_ORGANISATION = "international_organisation", _("International organisation")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind, default=Kind.EMBASSY)
    sending_state = CountryField(_("sending state"), blank=True)
    address = models.TextField(_("address"), blank=True)
    protocol_contact_name = models.CharField(_("protocol contact"), max_length=200, blank=True)
    protocol_contact_email = models.EmailField(_("protocol contact e-mail"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        constraints = [
            models.UniqueConstraint(Lower("name"), name="registry_mission_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Employer(TimeStamped):
    """A member of a mission's personnel who employs domestic workers."""

    class PrivilegesCategory(models.TextChoices):
        DIPLOMATIC_AGENT = "diplomatic_agent", _("Diplomatic agent")
        ADMINISTRATIVE_TECHNICAL = (
            "administrative_technical",
            _("Administrative and technical staff"),
        )
        SERVICE_STAFF = "service_staff", _("Service staff")
        CONSULAR_OFFICER = "consular_officer", _("Consular officer")
        ORGANISATION_OFFICIAL = "organisation_official", _("International organisation official")

    mission = models.ForeignKey(
        Mission, verbose_name=_("mission"), on_delete=models.PROTECT, related_name="employers"
    )
    family_name = models.CharField(_("family name"), max_length=150)
    given_names = models.CharField(_("given names"), max_length=150, blank=True)
    title = models.CharField(_("title or rank"), max_length=150, blank=True)
    is_head_of_mission = models.BooleanField(_("head of mission"), default=False)
    accreditation_number = models.CharField(_("accreditation number"), max_length=64, unique=True)
    privileges_category = models.CharField(
        _("privileges and immunities category"), max_length=32, choices=PrivilegesCategory
    )

    class Meta:
        ordering = ["family_name", "given_names"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")

    def __str__(self) -> str:
        return f"{self.family_name}, {self.given_names}".strip(", ")


class Worker(TimeStamped):
    """A domestic worker employed in a diplomatic household."""

    class Sex(models.TextChoices):
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")
        OTHER = "X", _("Other or not stated")

    family_name = models.CharField(_("family name (as in the passport)"), max_length=150)
    given_names = models.CharField(_("given names (as in the passport)"), max_length=150)
    other_spellings = models.TextField(
        _("other spellings"),
        blank=True,
        help_text=_("One per line: spellings in other scripts or as the worker writes them."),
    )
    date_of_birth = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex)
    nationality = CountryField(_("nationality"))
    preferred_language = models.CharField(
        _("preferred language for notices"),
        max_length=12,
        help_text=_("ISO 639 code, for example tl, am, si, ne or sw."),
    )
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering = ["family_name", "given_names"]
        verbose_name = _("worker")
        verbose_name_plural = _("workers")
        indexes = [models.Index(Lower("family_name"), name="registry_worker_family_lower")]

    def __str__(self) -> str:
        return f"{self.family_name}, {self.given_names}"
