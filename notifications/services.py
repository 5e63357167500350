"""The one entry point other apps use to tell a worker something, and what it needs."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template import Context, Template
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts.models import AuditEntry
from accounts.services import audit_log
from notifications.models import Batch, Channel, Kind, Message, MessageTemplate
from notifications.rights import rights_page_url
from notifications.templating import sms_is_safe
from registry.models import Worker

FALLBACK_LANGUAGE = "en"
LEVEL_ORDER = ["native", "fluent", "working", "basic", "none"]


def language_chain(worker) -> list[str]:
    """Languages to try, best first: the preferred one, the worker's others (best known first),
    the host state's, then English. A notice is never left blank."""
    spoken = sorted(
        worker.languages.all(),
        key=lambda entry: LEVEL_ORDER.index(entry.level) if entry.level in LEVEL_ORDER else 99,
    )
    chain = [
        worker.preferred_language,
        *(entry.language for entry in spoken if entry.level != "none"),
    ]
    chain += [settings.HESTIA_HOST_LANGUAGE, FALLBACK_LANGUAGE]
    seen: list[str] = []
    for code in chain:
        code = (code or "").strip().lower()
        if code and code not in seen:
            seen.append(code)
    return seen


def localised_moments(moments: dict, language: str) -> dict[str, str]:
    """Dates as "30 September 2027" and times as "10:30", in `language` and the host state's
    time zone; a datetime gives its date under its own name and the time under "time"."""
    if not moments:
        return {}
    values: dict[str, str] = {}
    # Django knows month names and date formats for far more languages than the staff UI offers.
    known = translation.check_for_language(language)
    with translation.override(language if known else FALLBACK_LANGUAGE):
        for name, value in moments.items():
            if isinstance(value, dt.datetime):
                local = timezone.localtime(value) if timezone.is_aware(value) else value
                values[name] = formats.date_format(local.date(), "DATE_FORMAT")
                values.setdefault("time", local.strftime("%H:%M"))
            else:
                values[name] = formats.date_format(value, "DATE_FORMAT")
    return values


def template_for(
    kind: str, channel: str, languages: list[str], *, templates: dict | None = None
) -> MessageTemplate | None:
    """The template of the first language of `languages` that has one. `templates` is an
    optional {(kind, channel, language): template} read beforehand by a caller notifying
    thousands of workers in one transaction (the scheduling run): one query, not one each."""
    if templates is not None:
        found = {
            code: templates[(kind, channel, code)]
            for code in languages
            if (kind, channel, code) in templates
        }
    else:
        found = {
            t.language: t
            for t in MessageTemplate.objects.filter(
                kind=kind, channel=channel, language__in=languages
            )
        }
    for code in languages:
        if code in found:
            return found[code]
    return None


def render(text: str, context: dict) -> str:
    """Render a template text; SMS and e-mail bodies are plain text, never HTML-escaped."""
    return (
        Template("{% autoescape off %}" + text + "{% endautoescape %}")
        .render(Context(context))
        .strip()
    )


def quiet_hours_end(moment: dt.datetime) -> dt.datetime | None:
    """If `moment` falls in the quiet hours, the local time they end; otherwise None."""
    start_text, end_text = settings.HESTIA_QUIET_HOURS.split("-")
    start = dt.time(*map(int, start_text.split(":")))
    end = dt.time(*map(int, end_text.split(":")))
    local = timezone.localtime(moment)
    now = local.time()
    if start <= end:
        quiet = start <= now < end
    else:
        quiet = now >= start or now < end
    if not quiet:
        return None
    day = local.date() if now < end else local.date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, end, tzinfo=local.tzinfo)


def _channels(worker) -> tuple[list[tuple[str, str]], str]:
    """The channels this worker can safely be reached on, and why none if there are none."""
    refused = {consent.kind for consent in _latest_consents(worker) if not consent.given}
    channels = []
    sms_phone = next(
        (p for p in worker.phones.all() if p.is_sms_number and p.is_safe and p.is_mobile),
        None,
    )
    if sms_phone and "sms" not in refused:
        channels.append((Channel.SMS, str(sms_phone.number)))
    if worker.email and "email" not in refused:
        channels.append((Channel.EMAIL, worker.email))
    if channels:
        return channels, ""
    if any(not phone.is_safe for phone in worker.phones.all()):
        reason = _(
            "The worker's only phone is not safe to use (it may be controlled by the employer) and there is no e-mail address."
        )
    elif refused:
        reason = _("The worker asked not to receive notices by SMS or e-mail.")
    else:
        reason = _("The worker has no safe mobile number and no e-mail address.")
    return [], reason


def _latest_consents(worker):
    latest = {}
    for consent in worker.consents.all():  # newest first
        latest.setdefault(consent.kind, consent)
    return latest.values()


@transaction.atomic
def notify(
    worker,
    kind: str,
    context: dict | None = None,
    *,
    by=None,
    batch=None,
    language: str | None = None,
    templates: dict | None = None,
) -> list[Message]:
    """Tell `worker` about `kind`, in their language, on every safe channel.

    Writes one Message per channel inside the caller's transaction and hands each to Celery
    only once that transaction commits, so a rollback sends nothing and a broker outage loses
    nothing (the sweep picks queued messages up). With no safe channel the notice is held for an
    officer to hand over, with the reason shown on the worker's page. `templates`: see
    template_for.
    """
    if kind not in Kind.values:
        raise ValueError(f"Unknown notice kind {kind!r}.")
    context = dict(context or {})
    moments = {name: value for name, value in context.items() if isinstance(value, dt.date)}
    # Dates and times are written in each notice's own language; the stored context keeps ISO.
    context.update({name: value.isoformat() for name, value in moments.items()})
    languages = language_chain(worker)
    if language:
        # A language chosen with the worker (the leaflet's, at registration) comes first.
        languages = [language, *(code for code in languages if code != language)]
    channels, hold_reason = _channels(worker)
    now = timezone.now()
    messages = []
    for channel, recipient in channels or [(Channel.HAND_OVER, "")]:
        template_channel = Channel.EMAIL if channel == Channel.HAND_OVER else channel
        template = template_for(kind, template_channel, languages, templates=templates)
        language = template.language if template else FALLBACK_LANGUAGE
        values = {
            **context,
            **localised_moments(moments, language),
            "given_names": worker.given_names,
            "ministry_phone": settings.HESTIA_MINISTRY_PHONE,
            "public_url": settings.HESTIA_PUBLIC_URL,
            "rights_url": rights_page_url(language),
            "language": language,
        }
        if template is not None:
            subject, body, version = (
                render(template.subject, values),
                render(template.body, values),
                template.version,
            )
        else:
            subject, body, version = Kind(kind).label, str(Kind(kind).label), None
        message = Message(
            worker=worker,
            kind=kind,
            channel=channel,
            language=language,
            template_version=version,
            recipient=recipient,
            subject=subject[:200],
            body=body,
            context=context,
            created_by=by,
            batch=batch,
            next_attempt_at=now,
        )
        if channel == Channel.HAND_OVER:
            message.status = Message.Status.HELD
            message.hold_reason = hold_reason
        elif channel == Channel.SMS and not sms_is_safe(body, worker=worker):
            # A value passed in (a place, say) brought a word or a name an employer reading the
            # phone must not see: the officer decides what to do with it.
            message.status = Message.Status.HELD
            message.hold_reason = _(
                "The SMS text would have named the employer, the mission or the purpose of the "
                "notice, so it was not sent. Hand it over or correct the text."
            )
        elif channel == Channel.SMS:
            message.next_attempt_at = quiet_hours_end(now) or now
        message.save()
        messages.append(message)
        if message.status == Message.Status.QUEUED and message.next_attempt_at <= now:
            _dispatch_on_commit(message)
    return messages


def _dispatch_on_commit(message: Message) -> None:
    """Queue the send once the transaction commits. A message due later (quiet hours, a retry)
    is not queued with a countdown, which a broker may deliver twice: the sweep queues it when
    it is due."""
    from notifications.tasks import message_dispatch

    message_id = message.pk
    # robust: a broker or gateway error must not undo or hide the change that caused the notice;
    # the message stays in the outbox and the sweep sends it.
    transaction.on_commit(lambda: message_dispatch.delay(message_id), robust=True)


# --- What officers do with messages -------------------------------------------------------


@transaction.atomic
def message_cancel(*, by, message: Message, reason: str, request=None) -> Message:
    """Stop a message that has not left yet. A message already being sent cannot be stopped."""

    if not reason.strip():
        raise ValidationError(_("Give the reason for cancelling."), code="reason")
    cancelled = Message.objects.filter(
        pk=message.pk, status__in=[Message.Status.QUEUED, Message.Status.HELD]
    ).update(status=Message.Status.CANCELLED, cancel_reason=reason.strip()[:300])
    if not cancelled:
        raise ValidationError(
            _("Only a message that is queued or waiting to be handed over can be cancelled."),
            code="status",
        )
    audit_log(
        action=AuditEntry.Action.UPDATE,
        actor=by,
        request=request,
        obj=message,
        changed_fields=["status", "cancel_reason"],
    )
    message.refresh_from_db()
    return message


@transaction.atomic
def message_resend(*, by, message: Message, reason: str, request=None) -> list[Message]:
    """Send the same notice again, on the worker's current safe channels, as new messages."""

    if not reason.strip():
        raise ValidationError(_("Give the reason for sending again."), code="reason")
    if message.status not in (
        Message.Status.FAILED,
        Message.Status.CANCELLED,
        Message.Status.DELIVERED,
        Message.Status.SENT,
    ):
        raise ValidationError(
            _("This message has not finished yet; cancel it first or wait for it to be sent."),
            code="status",
        )
    new_messages = notify(message.worker, message.kind, message.context, by=by)
    Message.objects.filter(pk__in=[m.pk for m in new_messages]).update(resent_from=message)
    audit_log(
        action=AuditEntry.Action.CREATE,
        actor=by,
        request=request,
        obj=message,
        changed_fields=["resent"],
        detail=reason.strip()[:255],
    )
    return new_messages


@transaction.atomic
def message_hand_over(*, by, message: Message, request=None) -> Message:
    """An officer gave the notice to the worker in person (no safe phone or e-mail)."""

    done = Message.objects.filter(pk=message.pk, status=Message.Status.HELD).update(
        status=Message.Status.DELIVERED, delivered_at=timezone.now()
    )
    if not done:
        raise ValidationError(
            _("Only a message waiting to be handed over can be marked as handed over."),
            code="status",
        )
    audit_log(
        action=AuditEntry.Action.UPDATE,
        actor=by,
        request=request,
        obj=message,
        changed_fields=["status"],
    )
    message.refresh_from_db()
    return message


@transaction.atomic
def batch_start(*, by, kind: str, worker_ids: list[int], description: str, request=None):
    """Record a batch of notices and run it in the background once the transaction commits."""

    if not worker_ids:
        raise ValidationError(_("No worker matches this choice: nothing was sent."), code="empty")
    batch = Batch.objects.create(
        kind=kind,
        description=description[:300],
        worker_ids=list(worker_ids),
        total=len(worker_ids),
        created_by=by,
    )
    audit_log(
        action=AuditEntry.Action.CREATE,
        actor=by,
        request=request,
        obj=batch,
        detail=f"{len(worker_ids)} workers",
    )
    batch_id = batch.pk
    transaction.on_commit(lambda: _batch_task().delay(batch_id), robust=True)
    return batch


def _batch_task():
    from notifications.tasks import batch_run

    return batch_run


BATCH_CHUNK = 200


def batch_run(*, batch_id: int) -> int:
    """Notify every worker of the batch not yet processed, a chunk per transaction, so progress
    shows as it goes and a restarted task carries on where it stopped."""

    while True:
        with transaction.atomic():
            batch = Batch.objects.select_for_update().get(pk=batch_id)
            chunk = batch.worker_ids[batch.processed : batch.processed + BATCH_CHUNK]
            if not chunk:
                if batch.finished_at is None:
                    batch.finished_at = timezone.now()
                    batch.save(update_fields=["finished_at"])
                return batch.processed
            workers = Worker.objects.filter(pk__in=chunk).prefetch_related(
                "phones", "languages", "consents"
            )
            for worker in workers:
                notify(worker, batch.kind, {"batch": batch.pk}, by=batch.created_by, batch=batch)
            batch.processed += len(chunk)
            batch.save(update_fields=["processed"])
