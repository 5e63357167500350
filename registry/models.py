"""The ministry's record of diplomatic households and the domestic workers they employ."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from registry.encryption import EncryptedTextField

STAFF = settings.AUTH_USER_MODEL


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
    protocol_contact_phone = PhoneNumberField(_("protocol contact phone"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="registry_mission_unique_name",
                violation_error_message=_("Another mission is already registered under this name."),
            ),
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

    history = HistoricalRecords()

    class Meta:
        ordering = ["family_name", "given_names"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")

    def __str__(self) -> str:
        return f"{self.family_name}, {self.given_names}".strip(", ")


class LanguageLevel(models.TextChoices):
    NATIVE = "native", _("Native")
    FLUENT = "fluent", _("Fluent")
    WORKING = "working", _("Working knowledge")
    BASIC = "basic", _("Basic")
    NONE = "none", _("None")


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
    passport_number = EncryptedTextField(_("passport number"), blank=True)
    passport_number_hash = models.CharField(
        max_length=64, blank=True, db_index=True, editable=False
    )
    passport_expiry = models.DateField(_("passport expiry date"), null=True, blank=True)
    preferred_language = models.CharField(
        _("preferred language for notices"),
        max_length=12,
        help_text=_("ISO 639 code, for example tl, am, si, ne or sw."),
    )
    host_language_level = models.CharField(
        _("level in the host-state language"),
        max_length=16,
        choices=LanguageLevel,
        default=LanguageLevel.NONE,
    )
    email = models.EmailField(_("e-mail"), blank=True)
    # Accent- and case-free names and spellings, kept by registry.services for search.
    search_names = models.TextField(blank=True, editable=False)
    # Set when the retention policy replaced the personal data; the row stays for statistics.
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["search_names"])

    class Meta:
        ordering = ["family_name", "given_names", "id"]
        verbose_name = _("worker")
        verbose_name_plural = _("workers")
        permissions = [
            ("export_registry", _("Can export registry lists")),
            ("import_registry", _("Can import registry files")),
        ]
        indexes = [
            models.Index(Lower("family_name"), name="registry_worker_family_lower"),
            models.Index(fields=["date_of_birth"]),
        ]

    def __str__(self) -> str:
        return f"{self.family_name}, {self.given_names}"


class WorkerLanguage(models.Model):
    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=12)
    level = models.CharField(_("level"), max_length=16, choices=LanguageLevel)

    class Meta:
        ordering = ["worker", "language"]
        verbose_name = _("language spoken")
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "language"], name="registry_one_level_per_language"
            )
        ]


class WorkerPhone(TimeStamped):
    """A phone number of a worker. A phone the employer controls is never safe to use."""

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="phones")
    number = PhoneNumberField(_("number"))
    is_mobile = models.BooleanField(_("mobile"), default=False, editable=False)
    is_safe = models.BooleanField(
        _("safe to use"),
        default=False,
        help_text=_(
            "Only if the worker alone holds this phone. A phone the employer controls is not safe."
        ),
    )
    is_sms_number = models.BooleanField(_("number for SMS notices"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["worker", "-is_sms_number", "id"]
        verbose_name = _("phone number")
        constraints = [
            models.UniqueConstraint(
                fields=["worker"],
                condition=models.Q(is_sms_number=True),
                name="registry_one_sms_number_per_worker",
            ),
            models.CheckConstraint(
                condition=models.Q(is_sms_number=False) | models.Q(is_mobile=True, is_safe=True),
                name="registry_sms_number_is_a_safe_mobile",
            ),
        ]


class Consent(models.Model):
    class Kind(models.TextChoices):
        DATA_PROCESSING = "data_processing", _("Processing of personal data")
        SMS = "sms", _("Notices by SMS")
        EMAIL = "email", _("Notices by e-mail")

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(_("consent to"), max_length=32, choices=Kind)
    given = models.BooleanField(_("given"))
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    recorded_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["worker", "-recorded_at", "-id"]
        verbose_name = _("consent record")


class NotDuplicate(models.Model):
    """Two worker records an officer checked and found to be different people."""

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="+")
    marked_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["worker", "other"], name="registry_not_duplicate_once"),
            models.CheckConstraint(
                condition=models.Q(worker__lt=models.F("other")),
                name="registry_not_duplicate_ordered",
            ),
        ]


class Policy(TimeStamped):
    """The host state's rules for domestic workers' contracts (one row, edited by administrators)."""

    host_country = CountryField(_("host state"), unique=True)
    minimum_monthly_wage = models.DecimalField(
        _("minimum monthly wage"), max_digits=10, decimal_places=2
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    maximum_weekly_hours = models.PositiveSmallIntegerField(_("maximum weekly hours"), default=40)
    minimum_weekly_rest_days = models.PositiveSmallIntegerField(
        _("minimum weekly rest days"), default=1
    )
    minimum_annual_leave_days = models.PositiveSmallIntegerField(
        _("minimum annual leave (days)"), default=20
    )
    workers_per_staff_member = models.PositiveSmallIntegerField(
        _("most workers per staff member"), default=1
    )
    workers_per_head_of_mission = models.PositiveSmallIntegerField(
        _("most workers per head of mission"), default=3
    )
    bank_verification_months = models.PositiveSmallIntegerField(
        _("bank verification valid for (months)"), default=12, validators=[MinValueValidator(1)]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")

    def __str__(self) -> str:
        return str(self.host_country.name)


class Employment(TimeStamped):
    """A contract between a worker and an employer. A new employment is a new row: history stays."""

    class Status(models.TextChoices):
        PRE_NOTIFIED = "pre_notified", _("Pre-notified by the mission")
        REGISTERED = "registered", _("Registered in person")
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        ENDED = "ended", _("Ended")

    class EndReason(models.TextChoices):
        CONTRACT_END = "contract_end", _("End of contract")
        RESIGNED = "resigned", _("Resigned")
        DISMISSED = "dismissed", _("Dismissed")
        LEFT_HOUSEHOLD = "left_household", _("Left the household")
        TRANSFERRED = "transferred", _("Transferred to another employer")
        DEPARTED = "departed", _("Departed the country")

    class Accommodation(models.TextChoices):
        IN_HOUSEHOLD = "in_household", _("Lives in the household, own room")
        SEPARATE = "separate", _("Separate lodging provided by the employer")
        OWN = "own", _("Own lodging")

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="employments")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="employments")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    duties = models.TextField(_("duties"), blank=True)
    monthly_salary = models.DecimalField(
        _("monthly salary"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    weekly_hours = models.PositiveSmallIntegerField(
        _("weekly hours"), validators=[MaxValueValidator(100)]
    )
    weekly_rest_days = models.PositiveSmallIntegerField(
        _("weekly rest days"), validators=[MaxValueValidator(7)]
    )
    annual_leave_days = models.PositiveSmallIntegerField(_("annual leave (days)"))
    accommodation = models.CharField(_("accommodation"), max_length=16, choices=Accommodation)
    contract_languages = models.JSONField(
        _("languages the contract was given in"), default=list, blank=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status, default=Status.PRE_NOTIFIED
    )
    end_reason = models.CharField(_("end reason"), max_length=16, choices=EndReason, blank=True)
    card_returned = models.BooleanField(_("card returned"), null=True, blank=True)
    policy_override_reason = models.TextField(_("reason for the policy exception"), blank=True)
    policy_override_by = models.ForeignKey(
        STAFF, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    policy_override_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        permissions = [("override_policy", _("Can record an exception to the contract policy"))]
        constraints = [
            models.UniqueConstraint(
                fields=["worker"],
                condition=~models.Q(status="ended"),
                name="registry_one_open_employment_per_worker",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="registry_employment_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["status", "employer"])]

    def __str__(self) -> str:
        return f"{self.worker} / {self.employer}"


class IdentityCard(TimeStamped):
    """The ID card or visa the ministry issues to the worker; its renewal needs clearance."""

    class Kind(models.TextChoices):
        ID_CARD = "id_card", _("ID card")
        VISA = "visa", _("Visa")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ISSUED = "issued", _("Issued")
        RETURNED = "returned", _("Returned")
        EXPIRED = "expired", _("Expired")
        CANCELLED = "cancelled", _("Cancelled")

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="cards")
    employment = models.ForeignKey(
        Employment, on_delete=models.PROTECT, related_name="cards", null=True, blank=True
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind, default=Kind.ID_CARD)
    number = models.CharField(_("number"), max_length=64)
    number_normalised = models.CharField(max_length=64, db_index=True, editable=False)
    issue_date = models.DateField(_("issue date"))
    expiry_date = models.DateField(_("expiry date"), db_index=True)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.ISSUED)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-expiry_date", "-id"]
        verbose_name = _("ID card or visa")
        verbose_name_plural = _("ID cards and visas")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expiry_date__gt=models.F("issue_date")),
                name="registry_card_expires_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class BankAccount(TimeStamped):
    """The account the salary is paid into, in the worker's sole name (recommendation 39)."""

    class Status(models.TextChoices):
        UNVERIFIED = "unverified", _("Not verified")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")
        CLOSED = "closed", _("Closed")

    class Method(models.TextChoices):
        BANK_LETTER = "bank_letter", _("Letter from the bank")
        STATEMENT = "statement", _("Bank statement")
        BANK_CONFIRMATION = "bank_confirmation", _("Confirmation asked of the bank")
        IN_PERSON = "in_person", _("Bank card and statement shown in person")

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="bank_accounts")
    iban = EncryptedTextField(_("IBAN"), blank=True)
    account_number = EncryptedTextField(_("account number"), blank=True)
    account_hash = models.CharField(max_length=64, db_index=True, editable=False)
    account_last4 = models.CharField(max_length=4, editable=False)
    bank_code = models.CharField(_("bank code"), max_length=32, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    bank_name = models.CharField(_("bank"), max_length=200, blank=True)
    country = CountryField(_("country of the bank"))
    holder_names = models.CharField(_("account holder names"), max_length=300)
    sole_holder = models.BooleanField(_("the worker is the sole holder"))
    name_mismatch = models.BooleanField(
        _("holder name differs from the worker's"), default=False, editable=False
    )
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.UNVERIFIED)
    verified_by = models.ForeignKey(
        STAFF, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    verification_method = models.CharField(
        _("verification method"), max_length=32, choices=Method, blank=True
    )
    verification_expires_on = models.DateField(_("verification expires on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["worker", "-created_at"]
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")
        permissions = [("verify_bankaccount", _("Can verify a bank account"))]

    def __str__(self) -> str:
        return f"···{self.account_last4}"

    @property
    def is_verification_current(self) -> bool:
        return (
            self.status == self.Status.VERIFIED
            and self.verification_expires_on is not None
            and self.verification_expires_on >= timezone.localdate()
        )


class BankEvidence(models.Model):
    """A bank letter or statement, stored outside the web root and served only to allowed roles."""

    account = models.ForeignKey(BankAccount, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(_("file"), upload_to="bank-evidence/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("bank evidence")


class SalaryDeposit(models.Model):
    """A salary payment seen on a statement, compared with the contract wage."""

    account = models.ForeignKey(BankAccount, on_delete=models.PROTECT, related_name="deposits")
    employment = models.ForeignKey(Employment, on_delete=models.PROTECT, related_name="deposits")
    month = models.DateField(_("month"), help_text=_("The first day of the month the wage is for."))
    amount = models.DecimalField(_("amount received"), max_digits=10, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    expected_amount = models.DecimalField(max_digits=10, decimal_places=2, editable=False)
    shortfall = models.DecimalField(max_digits=10, decimal_places=2, default=0, editable=False)
    recorded_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["employment", "-month"]
        verbose_name = _("salary deposit")
        constraints = [
            models.UniqueConstraint(
                fields=["employment", "month"], name="registry_one_deposit_per_month"
            ),
        ]


class Registration(models.Model):
    """The worker's first appearance in person before the ministry (recommendations 36 and 37)."""

    employment = models.OneToOneField(
        Employment, on_delete=models.PROTECT, related_name="registration"
    )
    held_at = models.DateTimeField(_("held at"), default=timezone.now)
    officer = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    identity_checked = models.BooleanField(_("identity checked against the passport"))
    held_own_passport = models.BooleanField(_("the worker held their own passport"))
    employer_absent = models.BooleanField(_("no employer or mission member was present"))
    language = models.CharField(_("language used"), max_length=12)
    interpreter = models.CharField(_("interpreter"), max_length=200, blank=True)
    rights_explained = models.BooleanField(_("rights and obligations explained"))
    leaflet_language = models.CharField(
        _("language of the leaflet and contact card handed over"), max_length=12
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-held_at"]
        verbose_name = _("registration")


class LanguageCourseReferral(TimeStamped):
    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        ENROLLED = "enrolled", _("Enrolled")
        COMPLETED = "completed", _("Completed")
        DECLINED = "declined", _("Declined")
        DROPPED = "dropped", _("Dropped out")

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="course_referrals")
    language = models.CharField(_("language of the course"), max_length=12)
    provider = models.CharField(_("course provider"), max_length=200)
    referred_on = models.DateField(_("referred on"), default=timezone.localdate)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome, default=Outcome.PENDING
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["worker", "-referred_on"]
        verbose_name = _("language course referral")
