"""Interviews: the annual private interview tied to the card's renewal, its record, concerns,
referrals and the renewal clearance (recommendations 36 and 37).

Nothing here is ever shown or sent to an employer or a mission: they have no account, and the
notices a worker receives carry only the appointment (DESIGN.md, "Worker safety in messages").
"""

import hashlib
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.encryption import EncryptedTextField

STAFF = settings.AUTH_USER_MODEL


class InterviewKind(models.TextChoices):
    REGISTRATION = "registration", _("Registration")
    FIRST_RENEWAL = "first_renewal", _("First renewal after probation")
    ANNUAL = "annual", _("Annual")
    FOLLOW_UP = "follow_up", _("Follow-up")
    EXIT = "exit", _("Exit")


# Kinds that belong to a card's renewal cycle: the scheduler creates them, the clearance reads them.
RENEWAL_KINDS = (InterviewKind.FIRST_RENEWAL, InterviewKind.ANNUAL)


class InterviewPolicy(models.Model):
    """When and how interviews happen (one row, edited by administrators)."""

    probation_months = models.PositiveSmallIntegerField(
        _("probation period (months)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
        help_text=_("The first renewal interview follows this many months of employment."),
    )
    window_opens_days = models.PositiveSmallIntegerField(
        _("window opens (days before the card expires)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    due_days = models.PositiveSmallIntegerField(
        _("interview due (days before the card expires)"),
        default=30,
        validators=[MinValueValidator(0), MaxValueValidator(364)],
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot length (minutes)"),
        default=45,
        validators=[MinValueValidator(15), MaxValueValidator(240)],
    )
    reminder_hours = models.JSONField(
        _("reminders (hours before the appointment)"),
        default=list,
        blank=True,
        help_text=_("For example 72 and 24: a reminder three days and one day before."),
    )
    missed_for_concern = models.PositiveSmallIntegerField(
        _("missed appointments that make a concern"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    link_valid_days = models.PositiveSmallIntegerField(
        _("the worker's link is valid for (days)"),
        default=45,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("interview policy")
        verbose_name_plural = _("interview policies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(window_opens_days__gt=models.F("due_days")),
                name="interviews_window_opens_before_due",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Interview policy"))


class Room(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    location = models.CharField(
        _("place, as the worker is told it"),
        max_length=200,
        help_text=_("The address and room a worker is given in the invitation."),
    )
    is_private = models.BooleanField(
        _("private room"),
        default=True,
        help_text=_("Nobody else can hear the interview."),
    )
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")

    def __str__(self) -> str:
        return self.name


class Interpreter(models.Model):
    class Mode(models.TextChoices):
        IN_HOUSE = "in_house", _("In person")
        PHONE = "phone", _("By phone")

    name = models.CharField(_("name"), max_length=200)
    mode = models.CharField(_("how"), max_length=16, choices=Mode, default=Mode.IN_HOUSE)
    languages = models.JSONField(_("languages"), default=list)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    independent = models.BooleanField(
        _("not linked to any employer or mission"),
        default=True,
        help_text=_("An interpreter linked to an employer or a mission is never booked."),
    )
    active = models.BooleanField(_("available"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("interpreter")
        verbose_name_plural = _("interpreters")

    def __str__(self) -> str:
        return self.name


class InterviewerProfile(models.Model):
    """What the scheduler needs to know about an interviewer."""

    user = models.OneToOneField(STAFF, on_delete=models.CASCADE, related_name="interviewer_profile")
    languages = models.JSONField(_("languages spoken"), default=list)
    default_room = models.ForeignKey(
        Room, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("usual room")
    )
    calendar_token = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        verbose_name = _("interviewer profile")
        verbose_name_plural = _("interviewer profiles")

    def __str__(self) -> str:
        return str(self.user)

    def save(self, *args, **kwargs):
        if not self.calendar_token:
            self.calendar_token = secrets.token_urlsafe(32)
        super().save(*args, **kwargs)


class AvailabilityPattern(models.Model):
    """A weekly period when an interviewer holds interviews in a room."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    interviewer = models.ForeignKey(STAFF, on_delete=models.CASCADE, related_name="availability")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, verbose_name=_("room"))
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday)
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        ordering = ["interviewer", "weekday", "start_time"]
        verbose_name = _("weekly availability")
        verbose_name_plural = _("weekly availability")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")),
                name="interviews_pattern_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}-{self.end_time:%H:%M}"


class AvailabilityException(models.Model):
    """A day without interviews: a public holiday (no interviewer and no room), an interviewer's
    leave, or a room out of use."""

    date = models.DateField(_("date"))
    interviewer = models.ForeignKey(
        STAFF, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    room = models.ForeignKey(Room, on_delete=models.CASCADE, null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        ordering = ["date"]
        verbose_name = _("day without interviews")
        verbose_name_plural = _("days without interviews")

    def __str__(self) -> str:
        return f"{self.date}: {self.reason}"


class Slot(models.Model):
    """One period an interviewer is free to hold an interview in a room. Published from the
    weekly availability; one live interview at most (see Interview's constraint)."""

    interviewer = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="slots")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="slots")
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    withdrawn = models.BooleanField(_("withdrawn"), default=False)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="interviews_slot_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["interviewer", "starts_at"], name="interviews_one_slot_per_interviewer"
            ),
            models.UniqueConstraint(
                fields=["room", "starts_at"], name="interviews_one_slot_per_room"
            ),
        ]
        indexes = [models.Index(fields=["interviewer", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} {self.room}"


class Interview(models.Model):
    class Status(models.TextChoices):
        DUE = "due", _("Due, not yet booked")
        INVITED = "invited", _("Invited")
        CONFIRMED = "confirmed", _("Confirmed by the worker")
        HELD = "held", _("Held")
        NO_SHOW = "no_show", _("Missed")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATUSES = (Status.DUE, Status.INVITED, Status.CONFIRMED)
    BOOKED_STATUSES = (Status.INVITED, Status.CONFIRMED)

    worker = models.ForeignKey(
        "registry.Worker", on_delete=models.PROTECT, related_name="interviews"
    )
    employment = models.ForeignKey(
        "registry.Employment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interviews",
    )
    card = models.ForeignKey(
        "registry.IdentityCard",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interviews",
        help_text=_("The card whose renewal this interview is for."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=InterviewKind)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.DUE)
    window_opens_on = models.DateField(_("window opens"), null=True, blank=True)
    due_on = models.DateField(_("due by"), null=True, blank=True, db_index=True)
    language = models.CharField(_("language"), max_length=12, blank=True)
    slot = models.ForeignKey(
        Slot, on_delete=models.PROTECT, null=True, blank=True, related_name="interviews"
    )
    interviewer = models.ForeignKey(
        STAFF, on_delete=models.PROTECT, null=True, blank=True, related_name="interviews"
    )
    room = models.ForeignKey(Room, on_delete=models.PROTECT, null=True, blank=True)
    starts_at = models.DateTimeField(_("appointment"), null=True, blank=True, db_index=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    interpreter = models.ForeignKey(
        Interpreter, on_delete=models.PROTECT, null=True, blank=True, related_name="interviews"
    )
    follows = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followed_by",
        help_text=_("The missed or earlier interview this one replaces or follows."),
    )
    invited_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    move_requested_at = models.DateTimeField(
        _("the worker asked for another time"), null=True, blank=True
    )
    move_request_note = models.CharField(_("worker's preferred times"), max_length=300, blank=True)
    reminders_sent = models.JSONField(default=list, blank=True, editable=False)
    cancel_reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        STAFF, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["reminders_sent", "updated_at"])

    class Meta:
        ordering = ["starts_at", "due_on", "id"]
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        permissions = [
            ("record_interview", _("Can record an interview assigned to them")),
            ("book_interview", _("Can book, move and cancel interviews")),
            ("view_restricted_notes", _("Can read restricted interview notes")),
            ("manage_availability", _("Can publish interview availability")),
        ]
        constraints = [
            # One live booking per slot: two requests for one slot cannot both win.
            models.UniqueConstraint(
                fields=["slot"],
                condition=models.Q(status__in=["invited", "confirmed"]),
                name="interviews_one_live_booking_per_slot",
            ),
            # One open renewal interview per card: the scheduler can run twice, or in parallel.
            models.UniqueConstraint(
                fields=["card"],
                condition=models.Q(status__in=["due", "invited", "confirmed"])
                & models.Q(kind__in=["first_renewal", "annual"]),
                name="interviews_one_open_renewal_per_card",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["due", "cancelled"])
                | models.Q(starts_at__isnull=False),
                name="interviews_booked_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["interviewer", "starts_at"]),
            models.Index(fields=["interpreter", "starts_at"]),
            models.Index(fields=["worker", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} / {self.worker}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    PARTLY = "partly", _("Partly")
    NOT_ANSWERED = "not_answered", _("Not answered")


class DocumentHolder(models.TextChoices):
    WORKER = "worker", _("The worker")
    EMPLOYER = "employer", _("The employer or the household")
    MISSION = "mission", _("The mission")
    OTHER = "other", _("Someone else")
    NOT_ANSWERED = "not_answered", _("Not answered")


class Indicator(models.TextChoices):
    """The ILO's eleven indicators of forced labour."""

    ABUSE_OF_VULNERABILITY = "abuse_of_vulnerability", _("Abuse of vulnerability")
    DECEPTION = "deception", _("Deception")
    RESTRICTION_OF_MOVEMENT = "restriction_of_movement", _("Restriction of movement")
    ISOLATION = "isolation", _("Isolation")
    VIOLENCE = "violence", _("Physical and sexual violence")
    INTIMIDATION = "intimidation", _("Intimidation and threats")
    RETENTION_OF_DOCUMENTS = "retention_of_documents", _("Retention of identity documents")
    WITHHOLDING_OF_WAGES = "withholding_of_wages", _("Withholding of wages")
    DEBT_BONDAGE = "debt_bondage", _("Debt bondage")
    ABUSIVE_CONDITIONS = "abusive_conditions", _("Abusive working and living conditions")
    EXCESSIVE_OVERTIME = "excessive_overtime", _("Excessive overtime")


class IndicatorLevel(models.TextChoices):
    NOT_SEEN = "not_seen", _("Not seen")
    SUSPECTED = "suspected", _("Suspected")
    OBSERVED = "observed", _("Observed")


class Outcome(models.TextChoices):
    NO_CONCERN = "no_concern", _("No concern")
    FOLLOW_UP = "follow_up", _("Follow-up")
    REFERRAL = "referral", _("Referral")
    URGENT = "urgent", _("Urgent")


class InterviewRecord(models.Model):
    """What was heard. Written once by the assigned interviewer (or a supervisor); corrected
    only by addenda, so the original always stays."""

    interview = models.OneToOneField(Interview, on_delete=models.PROTECT, related_name="record")
    held_at = models.DateTimeField(_("held at"))
    recorded_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    # Recommendation 36: face to face, in private. Without all three the interview does not count.
    in_person = models.BooleanField(_("the worker was present in person"))
    in_private = models.BooleanField(_("the interview was held in private"))
    no_employer_present = models.BooleanField(_("no employer or mission member was present"))
    counts = models.BooleanField(_("counts for the renewal"), editable=False, default=False)
    language = models.CharField(_("language of the interview"), max_length=12)
    interpreter = models.ForeignKey(
        Interpreter, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("interpreter")
    )
    interpreter_independent = models.BooleanField(
        _("the interpreter has no link to the employer or the mission"), null=True, blank=True
    )
    identity_checked = models.BooleanField(_("identity checked against the passport"))
    passport_holder = models.CharField(
        _("who holds the passport"), max_length=16, choices=DocumentHolder
    )
    card_holder = models.CharField(
        _("who holds the ID card"), max_length=16, choices=DocumentHolder
    )
    # The practical checklist.
    daily_hours = models.PositiveSmallIntegerField(
        _("hours worked per day"), null=True, blank=True, validators=[MaxValueValidator(24)]
    )
    weekly_hours = models.PositiveSmallIntegerField(
        _("hours worked per week"), null=True, blank=True, validators=[MaxValueValidator(168)]
    )
    weekly_rest_day = models.CharField(_("weekly rest day taken"), max_length=16, choices=Answer)
    annual_leave = models.CharField(_("annual leave taken"), max_length=16, choices=Answer)
    wage_amount = models.DecimalField(
        _("wage received last month"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    wage_into_own_account = models.CharField(
        _("wage paid into the worker's own account"), max_length=16, choices=Answer
    )
    wage_on_time = models.CharField(_("wage paid on time"), max_length=16, choices=Answer)
    wage_in_full = models.CharField(
        _("wage paid in full, with no deductions for food or lodging"),
        max_length=16,
        choices=Answer,
    )
    own_room_locks = models.CharField(_("own room that locks"), max_length=16, choices=Answer)
    free_to_go_out = models.CharField(
        _("free to leave the house in free time"), max_length=16, choices=Answer
    )
    own_phone = models.CharField(_("has their own phone"), max_length=16, choices=Answer)
    contact_family = models.CharField(_("able to contact family"), max_length=16, choices=Answer)
    threats_or_abuse = models.CharField(_("threats or abuse"), max_length=16, choices=Answer)
    wish_to_continue = models.CharField(
        _("wishes to continue with this employer"), max_length=16, choices=Answer
    )
    # Recommendation 39, re-checked at every interview.
    bank_account = models.ForeignKey(
        "registry.BankAccount",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bank account"),
    )
    bank_account_confirmed = models.CharField(
        _("the worker alone holds and uses this account and its card"),
        max_length=16,
        choices=Answer,
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome)
    restricted_notes = EncryptedTextField(
        _("restricted notes"),
        blank=True,
        help_text=_("Seen only by the interviewer and supervisors; every reading is logged."),
    )

    class Meta:
        verbose_name = _("interview record")
        verbose_name_plural = _("interview records")

    def __str__(self) -> str:
        return str(self.interview)

    def save(self, *args, **kwargs):
        self.counts = bool(self.in_person and self.in_private and self.no_employer_present)
        super().save(*args, **kwargs)


class IndicatorAnswer(models.Model):
    record = models.ForeignKey(InterviewRecord, on_delete=models.PROTECT, related_name="indicators")
    indicator = models.CharField(_("indicator"), max_length=32, choices=Indicator)
    level = models.CharField(_("answer"), max_length=16, choices=IndicatorLevel)
    note = EncryptedTextField(_("note"), blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "indicator"], name="interviews_one_answer_per_indicator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()}: {self.get_level_display()}"


class RecordAddendum(models.Model):
    """A correction or addition to a record; the record itself never changes."""

    record = models.ForeignKey(InterviewRecord, on_delete=models.PROTECT, related_name="addenda")
    text = EncryptedTextField(_("addendum"))
    written_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        ordering = ["written_at", "id"]
        verbose_name = _("addendum")
        verbose_name_plural = _("addenda")


class Organisation(models.Model):
    """Where concerns are referred: NGOs, the labour inspectorate, the police, the mediation office."""

    class Kind(models.TextChoices):
        NGO = "ngo", _("NGO")
        LABOUR_INSPECTORATE = "labour_inspectorate", _("Labour inspectorate")
        POLICE = "police", _("Police")
        MEDIATION = "mediation", _("Mediation office")
        SHELTER = "shelter", _("Shelter")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Concern(models.Model):
    class Source(models.TextChoices):
        RECORD = "record", _("Interview record")
        NO_SHOW = "no_show", _("Missed appointments")
        MANUAL = "manual", _("Raised by hand")

    class Severity(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")
        URGENT = "urgent", _("Urgent")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        REFERRED = "referred", _("Referred")
        CLOSED = "closed", _("Closed")

    class ClosureReason(models.TextChoices):
        RESOLVED = "resolved", _("Resolved")
        REFERRED_ELSEWHERE = "referred_elsewhere", _("Taken over by the organisation referred to")
        WORKER_DECLINED = "worker_declined", _("The worker declined further help")
        WORKER_DEPARTED = "worker_departed", _("The worker left the country")
        UNFOUNDED = "unfounded", _("Not confirmed")

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS, Status.REFERRED)

    worker = models.ForeignKey("registry.Worker", on_delete=models.PROTECT, related_name="concerns")
    source = models.CharField(_("raised from"), max_length=16, choices=Source)
    record = models.ForeignKey(
        InterviewRecord, on_delete=models.PROTECT, null=True, blank=True, related_name="concerns"
    )
    interview = models.ForeignKey(
        Interview, on_delete=models.PROTECT, null=True, blank=True, related_name="concerns"
    )
    severity = models.CharField(_("severity"), max_length=16, choices=Severity)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.OPEN)
    summary = models.CharField(_("summary"), max_length=200)
    details = EncryptedTextField(_("details"), blank=True)
    indicators = models.JSONField(_("indicators"), default=list, blank=True)
    owner = models.ForeignKey(
        STAFF,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_concerns",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due by"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    opened_by = models.ForeignKey(
        STAFF, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        STAFF, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closure_reason = models.CharField(
        _("reason for closing"), max_length=24, choices=ClosureReason, blank=True
    )
    closure_note = models.CharField(_("closing note"), max_length=500, blank=True)

    history = HistoricalRecords(excluded_fields=["details"])

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")
        permissions = [("view_all_concerns", _("Can see every interviewer's concerns"))]
        indexes = [
            models.Index(fields=["status", "severity"]),
            models.Index(fields=["worker", "status"]),
        ]

    def __str__(self) -> str:
        return self.summary

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class ConcernAction(models.Model):
    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="actions")
    text = EncryptedTextField(_("action taken"))
    taken_on = models.DateField(_("date"), default=timezone.localdate)
    written_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["taken_on", "id"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")


class Referral(models.Model):
    class Status(models.TextChoices):
        SENT = "sent", _("Referred, waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        COMPLETED = "completed", _("Completed")

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="referrals")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals"
    )
    referred_on = models.DateField(_("referred on"), default=timezone.localdate)
    referred_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.SENT)
    response = models.TextField(_("response"), blank=True)
    response_on = models.DateField(_("answered on"), null=True, blank=True)

    class Meta:
        ordering = ["referred_on", "id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")


class ClearanceDecision(models.Model):
    """A supervisor's decision on a card's renewal put on hold by an open urgent concern."""

    class Decision(models.TextChoices):
        RELEASED = "released", _("Released: the renewal may go ahead")
        REFUSED = "refused", _("Refused")

    card = models.ForeignKey(
        "registry.IdentityCard", on_delete=models.PROTECT, related_name="clearance_decisions"
    )
    decision = models.CharField(_("decision"), max_length=16, choices=Decision)
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("clearance decision")
        verbose_name_plural = _("clearance decisions")
        permissions = [
            ("decide_clearance", _("Can release or refuse a clearance on hold")),
            ("view_clearance", _("Can see renewal clearances")),
        ]


def _token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A per-system token for the card office's read-only API. Only its hash is stored."""

    name = models.CharField(_("system"), max_length=100, unique=True)
    prefix = models.CharField(max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def issue(cls, name: str) -> tuple["ApiToken", str]:
        key = secrets.token_urlsafe(32)
        token = cls.objects.create(name=name, prefix=key[:8], key_hash=_token_hash(key))
        return token, key

    @classmethod
    def authenticate(cls, key: str) -> "ApiToken | None":
        if not key:
            return None
        token = cls.objects.filter(key_hash=_token_hash(key), revoked_at__isnull=True).first()
        if token is not None:
            cls.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token
