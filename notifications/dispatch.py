"""Sending what is in the outbox: claim, send, retry with backoff, fail, sweep, and receipts.

Issue 5, points 3 to 5. Nothing is lost (a sweep re-queues what a dead worker or a broker
outage left behind) and nothing is sent twice (a task claims its message with a conditional
update, and every SMS attempt carries the message's idempotency key to the gateway).
"""

import datetime as dt
import hashlib
import hmac
import logging
import re
import smtplib
import uuid
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import AuditEntry
from accounts.services import audit_log
from notifications.backends import PermanentFailure, TemporaryFailure, get_sms_backend
from notifications.backends.base import DeliveryFailure
from notifications.models import Channel, Kind, Message
from notifications.services import quiet_hours_end

logger = logging.getLogger(__name__)

Status = Message.Status
SENT_BY_US = (Channel.SMS, Channel.EMAIL)
# A send takes seconds (the gateway timeout is 10 s, a task is killed after 5 minutes): a
# message still "sending" after this long belongs to a worker that died mid-send.
SENDING_LIMIT = dt.timedelta(minutes=10)
# Messages one sweep hands to Celery at most, read from the outbox this many at a time.
SWEEP_LIMIT = 5000
SWEEP_CHUNK = 500
# A provider's Retry-After is honoured up to a day; a larger value is a broken header.
RETRY_AFTER_LIMIT = 24 * 3600
# Receipts signed further than this from our clock are refused (replay protection).
RECEIPT_TOLERANCE_SECONDS = 300
RECEIPT_DELIVERED = frozenset({"delivered"})
RECEIPT_FAILED = frozenset({"failed", "undelivered", "undeliverable", "rejected", "expired"})
RTL_LANGUAGES = frozenset({"ar", "fa", "ur", "he", "ps", "sd", "ug", "yi", "dv", "ckb"})


def language_direction(code: str) -> str:
    """ "rtl" for a language written right to left (Arabic, Persian, Urdu, Hebrew...)."""
    primary = (code or "").strip().lower().replace("_", "-").split("-")[0]
    return "rtl" if primary in RTL_LANGUAGES else "ltr"


# --- Sending one message ------------------------------------------------------------------


def message_send(*, message_id: int) -> str:
    """Send one queued message that is due, and return its status afterwards.

    The claim (QUEUED -> SENDING) is one conditional update: a duplicated or retried task, or a
    message cancelled, already sent or not yet due, finds nothing to claim and sends nothing.
    A temporary failure queues it again after HESTIA_MESSAGE_RETRY_SECONDS * 2**(attempts - 1)
    until HESTIA_MESSAGE_MAX_ATTEMPTS; a permanent one fails it at once. Held messages (no safe
    channel, for an officer to hand over) are never sent.
    """
    now = timezone.now()
    if _postponed_for_quiet_hours(message_id, now):
        return Status.QUEUED
    message = _claim(message_id, now)
    if message is None:
        return "skipped"
    try:
        if message.channel == Channel.SMS:
            reference = _sms_send(message)
        else:
            reference = _email_send(message)
    except PermanentFailure as failure:
        return _fail(message, failure)
    except TemporaryFailure as failure:
        return _retry_or_fail(message, failure)
    except Exception as error:
        # A bug or a killed task must not leave the message "sending" until the sweep finds it.
        _retry_or_fail(message, TemporaryFailure("internal_error", type(error).__name__))
        raise
    return _sent(message, reference)


# The claim and the record of a send, the two statements of every message, are written in SQL:
# through the ORM they took four statements (claim, read, record, read again), and building
# those took most of a worker's time for each message (bench/dispatch.py). The names are the
# model's; values are always bound.
_MESSAGES = Message._meta.db_table
# What a send needs of the message, in the model's order (Model.from_db takes them so); any
# other field is read from the database if asked for.
_CLAIM_FIELDS = [
    field
    for field in Message._meta.concrete_fields
    if field.name
    in {"id", "kind", "channel", "language", "recipient", "subject", "body", "attempts",
        "idempotency_key"}
]  # fmt: skip
_KEY = Message._meta.get_field("idempotency_key")


def _claim(message_id: int, now: dt.datetime) -> Message | None:
    """The message as claimed for this attempt (QUEUED -> SENDING, one attempt more) if it was
    queued and due, in one statement that returns the row it changed; None otherwise."""
    ops = connection.ops
    sql = (
        f"UPDATE {ops.quote_name(_MESSAGES)} "  # noqa: S608  # nosec B608: see _MESSAGES
        "SET status = %s, attempts = attempts + 1, last_attempt_at = %s "
        "WHERE id = %s AND status = %s AND next_attempt_at <= %s "
        f"AND channel IN ({', '.join(['%s'] * len(SENT_BY_US))})"
        f"{_without_waiting_for_disk()} "
        f"RETURNING {', '.join(ops.quote_name(field.column) for field in _CLAIM_FIELDS)}"
    )
    at = ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(sql, [Status.SENDING, at, message_id, Status.QUEUED, at, *SENT_BY_US])
        row = cursor.fetchone()
    if row is None:
        return None
    values = dict(zip((field.attname for field in _CLAIM_FIELDS), row, strict=True))
    values[_KEY.attname] = _KEY.to_python(values[_KEY.attname])  # SQLite keeps it as text
    return Message.from_db(connection.alias, list(values), list(values.values()))


def _without_waiting_for_disk() -> str:
    """A condition for the claim of a message, and for the record of an SMS sent, that commits
    the write without waiting for PostgreSQL to flush it to disk ("" where it does not apply).

    That wait took longer than the rest of the write. The write is seen by every other
    connection at once (a duplicate task still finds nothing to claim); only a crash of the
    database server itself, within a fraction of a second of the commit, can undo it. The
    message is then queued or "sending" again and the sweep sends it again, as after a worker
    that died mid-send: a lost claim only brings that sooner, and a lost record of an SMS sent
    is harmless, because the gateway answers the repeated idempotency key with the first
    delivery's id. A mail server would deliver a repeated e-mail, so the record of an e-mail
    sent waits for the disk; and inside a caller's transaction nothing changes (the setting would
    last until that transaction ends).

    set_config(..., true) lasts until the end of the transaction, which for a statement in
    autocommit mode is the statement itself; it returns the value set, so the condition holds.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return ""
    return " AND set_config('synchronous_commit', 'off', true) = 'off'"


def _postponed_for_quiet_hours(message_id: int, now: dt.datetime) -> bool:
    """An SMS that comes due in the quiet hours (a late retry, a backlog) waits for the morning."""
    end = quiet_hours_end(now)
    if end is None:
        return False
    return bool(
        Message.objects.filter(
            pk=message_id, status=Status.QUEUED, channel=Channel.SMS, next_attempt_at__lte=now
        ).update(next_attempt_at=end)
    )


def _sms_send(message: Message) -> str:
    return get_sms_backend().send(
        to=message.recipient,
        body=message.body,
        sender=settings.HESTIA_SMS_SENDER,
        idempotency_key=str(message.idempotency_key),
    )


def _email_send(message: Message) -> str:
    """The notice as plain text and HTML (right to left where the language needs it), with a
    Message-ID derived from the idempotency key so a resend after a crash is recognisably the
    same e-mail to the recipient's mail program."""
    with translation.override(message.language):
        # A header is one line, whatever the template's subject holds.
        subject = " ".join((message.subject or str(Kind(message.kind).label)).split())
        html = render_to_string(
            "notifications/email/base.html",
            {
                "subject": subject,
                "body": message.body,
                "language": message.language,
                "direction": language_direction(message.language),
                "ministry_name": settings.HESTIA_MINISTRY_NAME,
                # Isolated left to right, so a number reads correctly in Arabic or Urdu text.
                "ministry_phone": f"\u2066{settings.HESTIA_MINISTRY_PHONE}\u2069",
            },
        )
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "hestia.invalid"
    message_id = f"<{message.idempotency_key}@{domain}>"
    email = EmailMultiAlternatives(
        subject=subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        headers={"Message-ID": message_id, "Content-Language": message.language},
    )
    email.attach_alternative(html, "text/html")
    try:
        email.send()
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _text in error.recipients.values()]
        if codes and all(500 <= code < 600 for code in codes):
            raise PermanentFailure("address_rejected", f"SMTP {codes[0]}") from error
        raise TemporaryFailure("smtp_error", f"SMTP {codes[0] if codes else ''}") from error
    except ValueError as error:  # Django refuses an address it cannot put in a header
        raise PermanentFailure("invalid_address", str(error)) from error
    except (smtplib.SMTPException, OSError) as error:
        raise TemporaryFailure("smtp_error", f"{type(error).__name__}: {error}") from error
    # django-anymail reports the provider's own id; Django's backends have none.
    anymail_status = getattr(email, "anymail_status", None)
    return str(getattr(anymail_status, "message_id", None) or message_id.strip("<>"))[:100]


def _sent(message: Message, reference: str) -> str:
    ops = connection.ops
    now = timezone.now()
    sql = (
        f"UPDATE {ops.quote_name(_MESSAGES)} "  # noqa: S608  # nosec B608: see _MESSAGES
        "SET status = %s, sent_at = %s, provider_reference = %s, failure_code = '', "
        "failure_detail = '' WHERE id = %s AND status IN (%s, %s)"
        f"{_without_waiting_for_disk() if message.channel == Channel.SMS else ''}"
    )
    params = [
        Status.SENT,
        ops.adapt_datetimefield_value(now),
        reference,
        message.pk,
        Status.SENDING,
        Status.QUEUED,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        done = cursor.rowcount
    if done:
        return Status.SENT
    # A delivery receipt overtook the gateway's answer: keep its verdict.
    Message.objects.filter(pk=message.pk).update(sent_at=now, provider_reference=reference)
    return Message.objects.values_list("status", flat=True).get(pk=message.pk)


def _fail(message: Message, failure: DeliveryFailure) -> str:
    Message.objects.filter(pk=message.pk, status=Status.SENDING).update(
        status=Status.FAILED, failure_code=failure.code, failure_detail=failure.detail
    )
    logger.warning("Message %s failed for good: %s", message.pk, failure)
    return Status.FAILED


def _retry_or_fail(message: Message, failure: DeliveryFailure) -> str:
    if message.attempts >= settings.HESTIA_MESSAGE_MAX_ATTEMPTS:
        return _fail(message, failure)
    delay = settings.HESTIA_MESSAGE_RETRY_SECONDS * 2 ** max(message.attempts - 1, 0)
    if failure.retry_after:
        delay = max(delay, min(failure.retry_after, RETRY_AFTER_LIMIT))
    next_attempt_at = timezone.now() + dt.timedelta(seconds=delay)
    if message.channel == Channel.SMS:
        next_attempt_at = quiet_hours_end(next_attempt_at) or next_attempt_at
    Message.objects.filter(pk=message.pk, status=Status.SENDING).update(
        status=Status.QUEUED,
        next_attempt_at=next_attempt_at,
        failure_code=failure.code,
        failure_detail=failure.detail,
    )
    logger.info(
        "Message %s: attempt %s failed (%s); next attempt at %s",
        message.pk,
        message.attempts,
        failure,
        next_attempt_at.isoformat(),
    )
    return Status.QUEUED


# --- The sweep ----------------------------------------------------------------------------


def messages_sweep() -> int:
    """Hand every queued message that is due to Celery, oldest first, and return how many.

    Runs every minute (Celery beat). It sends retries whose time has come and SMS held back by
    the quiet hours, and it is how nothing is lost: a message whose task never reached the broker
    is still queued, and one a dead worker left "sending" is queued again (the idempotency key
    makes the second attempt safe at the gateway). A message queued twice is claimed once.
    """
    from notifications.tasks import message_dispatch

    now = timezone.now()
    stuck = Q(status=Status.SENDING) & (
        Q(last_attempt_at__lt=now - SENDING_LIMIT) | Q(last_attempt_at__isnull=True)
    )
    interrupted = "The send was interrupted before the result was known."
    given_up = Message.objects.filter(
        stuck, attempts__gte=settings.HESTIA_MESSAGE_MAX_ATTEMPTS
    ).update(status=Status.FAILED, failure_code="interrupted", failure_detail=interrupted)
    recovered = Message.objects.filter(stuck).update(
        status=Status.QUEUED, next_attempt_at=now, failure_code="interrupted",
        failure_detail=interrupted,
    )  # fmt: skip
    if recovered or given_up:
        logger.warning(
            "Sweep: %s interrupted messages queued again, %s failed", recovered, given_up
        )
    quiet_end = quiet_hours_end(now)
    if quiet_end is not None:
        Message.objects.filter(
            status=Status.QUEUED, channel=Channel.SMS, next_attempt_at__lte=now
        ).update(next_attempt_at=quiet_end)
    due = Message.objects.filter(
        status=Status.QUEUED, next_attempt_at__lte=now, channel__in=SENT_BY_US
    ).order_by("next_attempt_at", "pk")
    queued = 0
    after = None
    while queued < SWEEP_LIMIT:
        chunk = due
        if after is not None:
            at, pk = after
            chunk = chunk.filter(Q(next_attempt_at__gt=at) | Q(next_attempt_at=at, pk__gt=pk))
        rows = list(
            chunk.values_list("pk", "next_attempt_at")[: min(SWEEP_CHUNK, SWEEP_LIMIT - queued)]
        )
        if not rows:
            break
        for message_id, _at in rows:
            message_dispatch.delay(message_id)
        queued += len(rows)
        after = (rows[-1][1], rows[-1][0])
    return queued


# --- Delivery receipts --------------------------------------------------------------------


def receipt_sign(*, timestamp: str, body: bytes, secret: str | None = None) -> str:
    """Hex HMAC-SHA256 of "<timestamp>.<raw body>" with HESTIA_RECEIPT_SECRET."""
    key = (secret or settings.HESTIA_RECEIPT_SECRET).encode()
    return hmac.new(key, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def receipt_verify(*, timestamp: str, body: bytes, signature: str) -> bool:
    """True if the receipt is signed with our secret within RECEIPT_TOLERANCE_SECONDS of now."""
    if not re.fullmatch(r"[0-9]{1,12}", timestamp or ""):
        return False
    if abs(timezone.now().timestamp() - int(timestamp)) > RECEIPT_TOLERANCE_SECONDS:
        return False
    expected = receipt_sign(timestamp=timestamp, body=body).encode()
    return hmac.compare_digest(expected, (signature or "").strip().lower().encode())


@transaction.atomic
def receipt_record(
    *, reference: str, status: str, error: str = "", idempotency_key: str = "", request=None
) -> Message | None:
    """Apply a gateway's delivery receipt; None if it names no message of ours.

    "delivered" moves a sent message to DELIVERED; "failed" (or undelivered, rejected, expired)
    moves a sent or queued one to FAILED. Final states stay: a failure is never overwritten and
    a delivery never downgraded. Any other status is acknowledged and changes nothing.
    """
    message = None
    if reference:
        message = (
            Message.objects.select_for_update()
            .filter(provider_reference=reference, channel=Channel.SMS)
            .order_by("pk")
            .first()
        )
    if message is None and idempotency_key:
        # A receipt can overtake the gateway's answer; it names our key as its "reference".
        try:
            key = uuid.UUID(idempotency_key)
        except ValueError:
            key = None
        if key is not None:
            message = Message.objects.select_for_update().filter(idempotency_key=key).first()
    if message is None:
        logger.warning("Delivery receipt for an unknown message (reference %r)", reference[:100])
        return None
    status = status.strip().lower()
    open_states = (Status.SENT, Status.SENDING, Status.QUEUED)
    changed = []
    if status in RECEIPT_DELIVERED and message.status in open_states:
        message.status = Status.DELIVERED
        message.delivered_at = timezone.now()
        changed += ["status", "delivered_at"]
    elif status in RECEIPT_FAILED and message.status in open_states:
        message.status = Status.FAILED
        message.failure_code = _code(error) or _code(status)
        message.failure_detail = f"Delivery receipt: {status}"[:300]
        changed += ["status", "failure_code", "failure_detail"]
    if reference and not message.provider_reference:
        message.provider_reference = reference[:100]
        changed.append("provider_reference")
    if not changed:
        logger.info("Delivery receipt %r for message %s changes nothing", status, message.pk)
        return message
    message.save(update_fields=changed)
    audit_log(
        action=AuditEntry.Action.UPDATE,
        request=request,
        obj=message,
        changed_fields=changed,
        username="sms-gateway",
        detail=f"delivery receipt: {status}",
    )
    return message


def _code(text: str) -> str:
    return re.sub(r"[^a-z0-9_]+", "_", (text or "").strip().lower()).strip("_")[:40]
