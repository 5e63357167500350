"""The administrator writes, previews and saves notice templates; the editor shows SMS costs."""

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditEntry
from notifications.models import Channel, Kind, MessageTemplate
from tests.factories import WorkerFactory

pytestmark = pytest.mark.django_db


def _list():
    return reverse("notifications:template-list")


def _create():
    return reverse("notifications:template-create")


def _template(kind=Kind.REMINDER, channel=Channel.SMS, language="en"):
    return MessageTemplate.objects.get(kind=kind, channel=channel, language=language)


def _edit(template):
    return reverse("notifications:template-update", args=[template.pk])


def _text(response) -> str:
    return response.content.decode()


def test_the_list_shows_the_templates_and_which_language_kind_pairs_are_missing(
    client_for, administrator
):
    _template(Kind.CARD_EXPIRING, Channel.SMS, "sw").delete()
    WorkerFactory(preferred_language="ti")
    response = client_for(administrator).get(_list())
    page = _text(response)
    # Tigrinya: a worker reads it and no template covers it (9 kinds by 2 channels), plus the
    # Swahili SMS deleted above.
    assert "19 templates are missing" in page
    assert 'data-missing="card_expiring/sms/sw"' in page
    assert f"{_create()}?kind=card_expiring&amp;channel=sms&amp;language=sw" in page
    assert "1 worker prefers it" in page
    assert 'data-missing="reminder/email/ti"' in page


def test_the_list_filters_by_kind_channel_and_language(client_for, administrator):
    response = client_for(administrator).get(
        _list(), {"kind": Kind.MOVED, "channel": Channel.EMAIL, "language": "ar"}
    )
    assert [t.pk for t in response.context["page"]] == [
        _template(Kind.MOVED, Channel.EMAIL, "ar").pk
    ]
    assert [row["code"] for row in response.context["coverage"]] == ["ar"]
    assert "1 template</p>" in _text(response)


def test_the_list_takes_the_same_number_of_queries_whatever_the_number_of_templates(
    client_for, administrator
):
    client = client_for(administrator)
    client.get(_list())  # sessions and permissions cached as on any later page
    with CaptureQueriesContext(connection) as many:
        client.get(_list())
    MessageTemplate.objects.exclude(language="en").delete()
    with CaptureQueriesContext(connection) as few:
        client.get(_list())
    assert len(many) == len(few)


def test_the_editor_shows_the_encoding_and_segments_of_the_saved_sms(client_for, administrator):
    response = client_for(administrator).get(_edit(_template(Kind.REMINDER, Channel.SMS, "ar")))
    page = _text(response)
    assert 'id="preview-encoding">UCS-2</dd>' in page
    assert "2 (limit 3)" in page
    assert "Protocol Office, room 2.14" in page  # rendered with the sample place
    assert 'lang="ar" dir="rtl"' in page
    english = _text(client_for(administrator).get(_edit(_template())))
    assert 'id="preview-encoding">GSM-7</dd>' in english
    assert "1 (limit 3)" in english


def test_preview_renders_the_new_text_and_saves_nothing(client_for, administrator):
    template = _template(Kind.MOVED, Channel.SMS, "fr")
    response = client_for(administrator).post(
        _edit(template),
        {
            "body": "Rendez-vous déplacé : {{ date }}, {{ time }}. Reçu ?",
            "version": 1,
            "preview": "1",
        },
    )
    page = _text(response)
    assert "Rendez-vous déplacé : 30 septembre 2027, 10:30. Reçu ?" in page
    assert 'id="preview-encoding">UCS-2</dd>' in page
    assert "<code>ç</code>" in page  # the character that costs UCS-2
    template.refresh_from_db()
    assert (template.version, template.body.startswith("Votre rendez-vous")) == (1, True)
    assert not AuditEntry.objects.filter(object_type="notifications.messagetemplate").exists()


def test_saving_raises_the_version_records_who_and_shows_the_history(client_for, administrator):
    template = _template(Kind.CANCELLED, Channel.SMS, "en")
    client = client_for(administrator)
    body = "Your appointment on {{ date }} at {{ time }} is cancelled. Details: {{ link }}"
    response = client.post(_edit(template), {"body": body, "version": 1, "save": "1"})
    assert response["Location"] == _edit(template)
    template.refresh_from_db()
    assert (template.version, template.updated_by, template.body) == (2, administrator, body)
    entry = AuditEntry.objects.get(object_type="notifications.messagetemplate")
    assert (entry.action, entry.actor, entry.changed_fields) == (
        "update",
        administrator,
        ["body", "version"],
    )
    page = _text(client.get(response["Location"]))
    assert "Saved as version 2." in page
    assert "version 2" in page
    history = page[page.index('id="history-table"') :]
    assert history.count("<details>") == 2
    assert "administrator" in history
    assert "Default text" in history


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("Dear {{ employer_name }}", "“employer_name” is not a variable of this notice."),
        ("{% for x in date %}{{ x }}{% endfor %}", "The tag {% for x in date %} is not allowed"),
        ("{{ date|safe }}", "The filter “safe” is not allowed."),
        ("See you {{ date", "Braces that are not closed or not opened"),
        (
            "Your complaint about the employer: {{ link }}",
            "An SMS may be read by the employer, so it cannot contain: complaint, employer.",
        ),
    ],
)
def test_a_text_that_cannot_be_saved_is_explained_and_nothing_changes(
    client_for, administrator, body, message
):
    template = _template(Kind.REMINDER, Channel.SMS, "en")
    before = template.body
    response = client_for(administrator).post(
        _edit(template), {"body": body, "version": 1, "save": "1"}
    )
    assert response.status_code == 200
    assert message in _text(response)
    template.refresh_from_db()
    assert (template.version, template.body) == (1, before)
    assert template.history.count() == 1
    assert not AuditEntry.objects.filter(object_type="notifications.messagetemplate").exists()


@override_settings(HESTIA_SMS_MAX_SEGMENTS=2)
def test_an_sms_over_the_segment_limit_cannot_be_saved_but_its_preview_shows_why(
    client_for, administrator
):
    template = _template(Kind.REMINDER, Channel.SMS, "ar")
    body = template.body + " يرجى إحضار جواز سفرك وبطاقة هويتك. شكراً لك."
    response = client_for(administrator).post(
        _edit(template), {"body": body, "version": 1, "save": "1"}
    )
    page = _text(response)
    assert (
        "With sample values this SMS takes 3 segments in UCS-2; the limit is 2. Shorten it." in page
    )
    assert "3 (limit 2)" in page
    template.refresh_from_db()
    assert template.version == 1


def test_a_change_saved_by_someone_else_meanwhile_is_not_overwritten(client_for, administrator):
    template = _template(Kind.REMINDER, Channel.SMS, "en")
    MessageTemplate.objects.filter(pk=template.pk).update(version=2, body="Theirs {{ date }}")
    response = client_for(administrator).post(
        _edit(template), {"body": "Mine {{ date }}", "version": 1, "save": "1"}
    )
    assert "Someone saved this template (now version 2) after you opened it." in _text(response)
    assert _template().body == "Theirs {{ date }}"


def test_a_template_is_created_from_a_missing_pair_and_starts_at_version_one(
    client_for, administrator
):
    client = client_for(administrator)
    page = _text(
        client.get(_create(), {"kind": Kind.REMINDER, "channel": Channel.SMS, "language": "ti"})
    )
    assert '<option value="ti" selected>' in page
    assert '<option value="reminder" selected>' in page
    body = "ቆጸራ: {{ date }}, {{ time }}, {{ place }}። {{ link }}"
    response = client.post(
        _create(),
        {
            "kind": Kind.REMINDER,
            "channel": Channel.SMS,
            "language": "ti",
            "body": body,
            "save": "1",
        },
    )
    created = _template(Kind.REMINDER, Channel.SMS, "ti")
    assert response["Location"] == _edit(created)
    assert (created.version, created.updated_by, created.body) == (1, administrator, body)
    assert AuditEntry.objects.filter(action="create", object_id=str(created.pk)).exists()


def test_a_second_template_for_the_same_pair_is_refused(client_for, administrator):
    response = client_for(administrator).post(
        _create(),
        {
            "kind": Kind.REMINDER,
            "channel": Channel.SMS,
            "language": "en",
            "body": "{{ date }}",
            "save": "1",
        },
    )
    assert "A template for this notice, channel and language exists already" in _text(response)
    assert (
        MessageTemplate.objects.filter(
            kind=Kind.REMINDER, channel=Channel.SMS, language="en"
        ).count()
        == 1
    )


def test_an_email_template_needs_a_subject(client_for, administrator):
    response = client_for(administrator).post(
        _create(),
        {
            "kind": Kind.CANCELLED,
            "channel": Channel.EMAIL,
            "language": "ti",
            "body": "{{ date }}",
            "save": "1",
        },
    )
    assert "An e-mail needs a subject." in _text(response)
    assert not MessageTemplate.objects.filter(language="ti").exists()


def test_kind_channel_and_language_cannot_be_changed_on_an_existing_template(
    client_for, administrator
):
    template = _template(Kind.REMINDER, Channel.SMS, "en")
    client_for(administrator).post(
        _edit(template),
        {"kind": Kind.MOVED, "channel": Channel.EMAIL, "language": "ar", "body": "{{ date }} x", "version": 1, "save": "1"},
    )  # fmt: skip
    template.refresh_from_db()
    assert (template.kind, template.channel, template.language, template.body) == (
        Kind.REMINDER, Channel.SMS, "en", "{{ date }} x",
    )  # fmt: skip


def test_the_live_counter_script_is_served_from_our_own_static_files(client_for, administrator):
    page = _text(client_for(administrator).get(_edit(_template())))
    assert '<script src="/static/js/sms-counter.js" defer></script>' in page
    assert 'id="sms-samples"' in page
    assert finders.find("js/sms-counter.js")


def test_an_officer_cannot_open_the_editor(client_for, officer):
    client = client_for(officer)
    assert client.get(_list()).status_code == 403
    assert client.post(_edit(_template()), {"body": "x", "save": "1"}).status_code == 403
    assert _template().version == 1


def test_an_email_preview_shows_the_subject_and_text_with_sample_values(client_for, administrator):
    response = client_for(administrator).post(
        _create(),
        {
            "kind": Kind.CARD_EXPIRING, "channel": Channel.EMAIL, "language": "es",
            "subject": "Su tarjeta caduca el {{ date }}", "body": "Venga a {{ place }}.",
            "preview": "1",
        },
    )  # fmt: skip
    page = _text(response)
    assert 'id="preview-subject">Su tarjeta caduca el 30 de septiembre de 2027</span>' in page
    assert "Venga a Protocol Office, room 2.14." in page
    assert 'id="preview-sms"' not in page  # e-mails have no segments
    assert not MessageTemplate.objects.filter(subject__startswith="Su tarjeta caduca").exists()


def test_a_text_of_only_spaces_is_refused_and_nothing_changes(client_for, administrator):
    from django.urls import reverse

    from notifications.models import MessageTemplate

    template = MessageTemplate.objects.filter(channel="sms").first()
    before = (template.body, template.version)
    response = client_for(administrator).post(
        reverse("notifications:template-update", args=[template.pk]),
        {"subject": "", "body": "   \r\n  ", "version": template.version},
    )
    assert response.status_code == 200
    assert "Write the text of the notice." in response.content.decode()
    template.refresh_from_db()
    assert (template.body, template.version) == before
