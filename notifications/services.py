"""The one entry point other apps use to tell a worker something, and what it needs."""

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts.models import AuditEntry
from accounts.services import audit_log
from notifications.models import Batch, Channel, Kind, Message, MessageTemplate
from notifications.rights import rights_page_url
from notifications.templating import employer_names_by_worker, render_text, sms_is_safe
from registry.models import Consent, Worker, WorkerLanguage, WorkerPhone

logger = logging.getLogger(__name__)

FALLBACK_LANGUAGE = "en"
LEVEL_ORDER = ["native", "fluent", "working", "basic", "none"]


def language_chain(worker, spoken=None) -> list[str]:
    """Languages to try, best first: the preferred one, the worker's others (best known first),
    the host state's, then English. A notice is never left blank. `spoken`: the worker's
    languages, when read beforehand (notify_many)."""
    spoken = sorted(
        worker.languages.all() if spoken is None else spoken,
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
    many workers at once (notify_many): one query, not one each."""
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
    return render_text(text, context)


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


def _channels(worker, *, phones=None, consents=None) -> tuple[list[tuple[str, str]], str]:
    """The channels this worker can safely be reached on, and why none if there are none.
    `phones` and `consents`: the worker's, when read beforehand (notify_many)."""
    phones = worker.phones.all() if phones is None else phones
    refused = {consent.kind for consent in _latest_consents(worker, consents) if not consent.given}
    channels = []
    sms_phone = next(
        (p for p in phones if p.is_sms_number and p.is_safe and p.is_mobile),
        None,
    )
    if sms_phone and "sms" not in refused:
        channels.append((Channel.SMS, str(sms_phone.number)))
    if worker.email and "email" not in refused:
        channels.append((Channel.EMAIL, worker.email))
    if channels:
        return channels, ""
    if any(not phone.is_safe for phone in phones):
        reason = _(
            "The worker's only phone is not safe to use (it may be controlled by the employer) and there is no e-mail address."
        )
    elif refused:
        reason = _("The worker asked not to receive notices by SMS or e-mail.")
    else:
        reason = _("The worker has no safe mobile number and no e-mail address.")
    return [], reason


def _latest_consents(worker, consents=None):
    latest = {}
    for consent in worker.consents.all() if consents is None else consents:  # newest first
        latest.setdefault(consent.kind, consent)
    return latest.values()


class _Shared:
    """What the notices of one call have in common, worked out once for all of them: the moment,
    the end of the quiet hours, the rights page and the dates in each language. notify() makes
    one per notice; notify_many() one for thousands, who mostly share a few days and languages."""

    def __init__(
        self,
        kind: str,
        *,
        templates: dict | None,
        names: dict | None = None,
        rows: dict | None = None,
    ):
        self.kind = kind
        self.templates = templates
        # Read beforehand for every worker (notify_many), or None to read them one by one:
        self.names = names  # worker pk -> employer names
        self.rows = rows  # "languages", "phones", "consents" -> worker pk -> rows
        self.now = timezone.now()
        self._quiet_end: list = []
        self._rights: dict[str, str] = {}
        self._moments: dict[tuple, dict[str, str]] = {}

    def quiet_end(self) -> dt.datetime | None:
        if not self._quiet_end:
            self._quiet_end.append(quiet_hours_end(self.now))
        return self._quiet_end[0]

    def rights_url(self, language: str) -> str:
        if language not in self._rights:
            self._rights[language] = rights_page_url(language)
        return self._rights[language]

    def rows_of(self, worker) -> dict[str, list]:
        if self.rows is None:
            return {}
        return {name: rows.get(worker.pk, []) for name, rows in self.rows.items()}

    def moments(self, moments: dict, language: str) -> dict[str, str]:
        key = (language, *moments.items())
        if key not in self._moments:
            self._moments[key] = localised_moments(moments, language)
        return self._moments[key]


def _compose(
    worker, context: dict | None, shared: _Shared, *, by, batch, language: str | None
) -> list[Message]:
    """The unsaved messages that tell `worker` about shared.kind (see notify)."""
    kind = shared.kind
    context = dict(context or {})
    moments = {name: value for name, value in context.items() if isinstance(value, dt.date)}
    # Dates and times are written in each notice's own language; the stored context keeps ISO.
    context.update({name: value.isoformat() for name, value in moments.items()})
    rows = shared.rows_of(worker)
    languages = language_chain(worker, rows.get("languages"))
    if language:
        # A language chosen with the worker (the leaflet's, at registration) comes first.
        languages = [language, *(code for code in languages if code != language)]
    channels, hold_reason = _channels(
        worker, phones=rows.get("phones"), consents=rows.get("consents")
    )
    now = shared.now
    messages = []
    for channel, recipient in channels or [(Channel.HAND_OVER, "")]:
        template_channel = Channel.EMAIL if channel == Channel.HAND_OVER else channel
        template = template_for(kind, template_channel, languages, templates=shared.templates)
        language = template.language if template else FALLBACK_LANGUAGE
        values = {
            **context,
            **shared.moments(moments, language),
            "given_names": worker.given_names,
            "ministry_phone": settings.HESTIA_MINISTRY_PHONE,
            "public_url": settings.HESTIA_PUBLIC_URL,
            "rights_url": shared.rights_url(language),
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
        names = None if shared.names is None else shared.names.get(worker.pk, set())
        if channel == Channel.HAND_OVER:
            message.status = Message.Status.HELD
            message.hold_reason = hold_reason
        elif channel == Channel.SMS and not sms_is_safe(body, worker=worker, employer_names=names):
            # A value passed in (a place, say) brought a word or a name an employer reading the
            # phone must not see: the officer decides what to do with it.
            message.status = Message.Status.HELD
            message.hold_reason = _(
                "The SMS text would have named the employer, the mission or the purpose of the "
                "notice, so it was not sent. Hand it over or correct the text."
            )
        elif channel == Channel.SMS:
            message.next_attempt_at = shared.quiet_end() or now
        messages.append(message)
    return messages


def _due_now(message: Message, now: dt.datetime) -> bool:
    return message.status == Message.Status.QUEUED and message.next_attempt_at <= now


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
    template_for. For hundreds of workers at once, notify_many() writes the same messages.
    """
    if kind not in Kind.values:
        raise ValueError(f"Unknown notice kind {kind!r}.")
    shared = _Shared(kind, templates=templates)
    messages = _compose(worker, context, shared, by=by, batch=batch, language=language)
    for message in messages:
        message.save()
        if _due_now(message, shared.now):
            _dispatch_on_commit(message)
    return messages


def notify_many(
    notices: Iterable[tuple[Worker, dict | None]],
    kind: str,
    *,
    by=None,
    batch=None,
    templates: dict | None = None,
) -> list[Message]:
    """notify() for many workers at once: `notices` are (worker, context) pairs, and each worker
    gets exactly the messages notify(worker, kind, context, by=by, batch=batch) would write.

    Made for a chunk of a few hundred workers inside the caller's transaction (the scheduling
    run, a batch): the workers' languages, phones and consents, their employers' names for the
    SMS check and the templates of `kind` (unless given) are read in one query each, what the
    texts share (dates, the rights page, the quiet hours) is worked out once, every message is
    written with one INSERT, and one commit hook hands those due now to Celery, in order.
    Returns the messages in the order of `notices`.
    """
    if kind not in Kind.values:
        raise ValueError(f"Unknown notice kind {kind!r}.")
    notices = list(notices)
    if not notices:
        return []
    ids = {worker.pk for worker, _context in notices}
    if templates is None:
        templates = {
            (template.kind, template.channel, template.language): template
            for template in MessageTemplate.objects.filter(kind=kind)
        }
    shared = _Shared(
        kind,
        templates=templates,
        names=employer_names_by_worker(ids),
        rows={
            name: _by_worker(model.objects.filter(worker_id__in=ids))
            for name, model in (
                ("languages", WorkerLanguage),
                ("phones", WorkerPhone),
                ("consents", Consent),  # newest first, as worker.consents
            )
        },
    )
    messages = [
        message
        for worker, context in notices
        for message in _compose(worker, context, shared, by=by, batch=batch, language=None)
    ]
    Message.objects.bulk_create(messages)
    due = [message.pk for message in messages if _due_now(message, shared.now)]
    if due:
        transaction.on_commit(lambda: _dispatch_all(due), robust=True)
    return messages


def _by_worker(rows) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for row in rows:
        grouped.setdefault(row.worker_id, []).append(row)
    return grouped


def _dispatch_all(message_ids: list[int]) -> None:
    """What _dispatch_on_commit does for each message, in one commit hook: a broker or gateway
    error on one message is logged and the others are still handed over."""
    from notifications.tasks import message_dispatch

    for message_id in message_ids:
        try:
            message_dispatch.delay(message_id)
        except Exception:
            logger.exception("Message %s was not handed to Celery; the sweep sends it.", message_id)


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
            workers = Worker.objects.filter(pk__in=chunk)
            notify_many(
                ((worker, {"batch": batch.pk}) for worker in workers),
                batch.kind,
                by=batch.created_by,
                batch=batch,
            )
            batch.processed += len(chunk)
            batch.save(update_fields=["processed"])
