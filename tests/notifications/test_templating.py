"""What a notice template may contain, how an SMS is counted, and what an SMS may never say."""

import datetime as dt
import importlib

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from accounts.models import AuditEntry
from notifications.models import Channel, Kind, MessageTemplate
from notifications.services import notify
from notifications.templating import (
    GSM7,
    NOTICE_LANGUAGES,
    SMS_DENIED_WORDS,
    UCS2,
    message_template_save,
    sms_count,
    sms_denied_words,
    sms_is_safe,
    template_errors,
    template_preview,
    template_problems,
)
from registry.models import Employment, WorkerPhone
from tests.factories import EmployerFactory, MissionFactory, UserFactory, WorkerFactory
from tests.registry.factories_employments import EmploymentFactory

DEFAULTS = importlib.import_module("notifications.migrations.0004_default_templates")


def _messages(text, kind=Kind.REMINDER):
    return [message for error in template_errors(text, kind=kind) for message in error.messages]


# --- Variables ----------------------------------------------------------------------------


def test_a_template_with_the_kinds_variables_and_allowed_filters_is_accepted():
    text = "{{ given_names|capfirst }}: {{ date }} {{ time|default:'10:00' }}, {{ place|upper }} {# note #}"
    assert _messages(text) == []


def test_an_unknown_variable_is_refused_by_name_with_the_ones_allowed():
    [message] = _messages("Dear {{ employer_name }}", kind=Kind.REGISTRATION_CONFIRMATION)
    assert message == (
        "“employer_name” is not a variable of this notice. You can use: "
        "given_names, ministry_phone, public_url, rights_url, language."
    )


def test_a_variable_of_another_kind_is_refused():
    assert (
        "“place” is not a variable of this notice."
        in _messages("{{ place }}", kind=Kind.CANCELLED)[0]
    )


def test_a_lookup_into_a_variable_is_refused():
    assert _messages("{{ given_names.upper }}")[0].startswith("“given_names.upper” is not")


def test_template_tags_are_refused_whatever_they_are():
    for text in ("{% if date %}x{% endif %}", "{% load static %}", "{% include 'base.html' %}"):
        messages = _messages(text)
        assert messages, text
        assert all("is not allowed: a notice can only contain text" in m for m in messages)
    assert "The tag {% if date %} is not allowed" in _messages("{% if date %}x{% endif %}")[0]


def test_filters_outside_the_allow_list_are_refused():
    for name in ("safe", "escape", "date", "linebreaks", "pprint"):
        assert f"The filter “{name}” is not allowed." in _messages(f"{{{{ date|{name} }}}}")[0]


def test_a_filter_argument_must_be_a_variable_of_the_kind_too():
    assert _messages("{{ date|default:secret_key }}")[0].startswith("“secret_key” is not")


def test_syntax_errors_are_refused_with_a_clear_message():
    assert "Braces that are not closed" in _messages("See you on {{ date")[0]
    assert "Braces that are not closed" in _messages("See you on date }}")[0]
    assert "are empty" in _messages("See you on {{ }}")[0]
    assert "cannot be read" in _messages("{{ date time }}")[0]
    assert "is not a variable" in _messages("{{ 'text' }}")[0]
    assert "cannot be read as a template" in _messages('{{ date|upper:"x" }}')[0]


# --- SMS encoding and segments ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "encoding", "units", "segments"),
    [
        ("", GSM7, 0, 0),
        ("a" * 160, GSM7, 160, 1),
        ("a" * 161, GSM7, 161, 2),
        ("a" * 306, GSM7, 306, 2),
        ("a" * 307, GSM7, 307, 3),
        ("€" * 80, GSM7, 160, 1),  # extension characters take two septets
        ("€" * 81, GSM7, 162, 2),
        ("a" * 152 + "€" + "a" * 152, GSM7, 306, 3),  # an escape pair is never split
        ("Votre rendez-vous à 10:30, déplacé", GSM7, 34, 1),
        ("ç" * 70, UCS2, 70, 1),
        ("ç" * 71, UCS2, 71, 2),
        ("ç" * 134, UCS2, 134, 2),
        ("ç" * 135, UCS2, 135, 3),
        ("😀" * 35, UCS2, 70, 1),  # outside the basic plane: a surrogate pair, two units
    ],
)
def test_sms_are_counted_as_phones_count_them(text, encoding, units, segments):
    count = sms_count(text)
    assert (count.encoding, count.units, count.segments) == (encoding, units, segments)


def test_the_characters_that_force_ucs2_are_named_once_each():
    assert sms_count("Reçu. Reçu ça!").non_gsm == ("ç",)
    assert sms_count("Plain text").non_gsm == ()


# --- SMS safety ---------------------------------------------------------------------------


def test_the_deny_list_has_words_in_every_language_notices_are_written_in():
    assert set(NOTICE_LANGUAGES) <= set(SMS_DENIED_WORDS)
    assert all(SMS_DENIED_WORDS[code] for code in NOTICE_LANGUAGES)


@pytest.mark.parametrize(
    "text",
    [
        "Call the POLICE",
        "You were abused",
        "Victims of trafficking",
        "Your employer knows",
        "About your concern",
        "Interview outcome: referral",
        "Votre plainte est reçue",
        "Un abus a été signalé",
        "La policía",
        "Tumawag sa pulis",
        "Hubungi polisi",
        "وصلتنا شكوى",
        "اتصل بالشرطة",  # the article and the preposition are joined to the word
        "ፖሊስ ጣቢያ",
        "प्रहरीलाई फोन गर्नुहोस्",
        "Đây là nạn nhân",
        "给警察打电话",
    ],
)
def test_denied_words_are_found_whatever_the_case_accents_or_language(text):
    assert sms_denied_words(text), text


def test_the_denied_word_is_shown_whole_as_written_without_accents():
    assert sms_denied_words("ABUSÉ by the Police") == ["abuse", "police"]
    assert sms_denied_words("Les policières") == ["policieres"]


def test_whole_words_are_not_found_inside_other_words():
    # Tagalog "amo" (employer) is a whole word; Vietnamese keeps its tones ("nô lệ", slave).
    assert sms_denied_words("The amount among us") == []
    assert sms_denied_words("No le vimos en su cita") == []
    assert "amo" in sms_denied_words("Sabihin sa amo mo")


def test_an_installation_can_deny_more_words_in_its_settings():
    assert sms_denied_words("Meet at Casa Esperanza") == []
    with override_settings(HESTIA_SMS_DENIED_WORDS=["casa esperanza"]):
        assert sms_denied_words("Meet at Casa Esperanza") == ["casa esperanza"]


@pytest.mark.django_db
def test_an_sms_naming_the_workers_employer_or_mission_is_not_safe():
    worker = WorkerFactory()
    mission = MissionFactory(name="Embassy of Ruritania")
    EmploymentFactory(
        worker=worker, employer=EmployerFactory(family_name="Dąbrowski", mission=mission)
    )
    assert sms_is_safe("Your appointment is on 3 May at 10:00.", worker=worker)
    assert not sms_is_safe("Appointment at the Dabrowski residence", worker=worker)
    assert not sms_is_safe("Appointment at the DĄBROWSKI residence", worker=worker)
    assert not sms_is_safe("Meet at the embassy of ruritania", worker=worker)
    assert sms_is_safe("Appointment at Dabrowskiego street", worker=worker)  # another word


@pytest.mark.django_db
def test_a_former_employers_name_is_not_safe_either():
    worker = WorkerFactory()
    EmploymentFactory(
        worker=worker,
        employer=EmployerFactory(family_name="Okafor"),
        status=Employment.Status.ENDED,
        end_date=dt.date(2026, 6, 30),
        end_reason=Employment.EndReason.TRANSFERRED,
    )
    EmploymentFactory(worker=worker, employer=EmployerFactory(family_name="Lindqvist"))
    assert not sms_is_safe("Room Okafor, 10:00", worker=worker)
    assert not sms_is_safe("Room Lindqvist, 10:00", worker=worker)
    assert sms_is_safe("Room 2.14, 10:00", worker=worker)


@pytest.mark.django_db
def test_an_sms_with_a_denied_word_is_not_safe_even_without_an_employer():
    assert not sms_is_safe("Please call the police", worker=WorkerFactory())


@pytest.mark.django_db
def test_hestias_own_link_is_not_read_for_denied_words_but_the_text_around_it_is(settings):
    settings.HESTIA_PUBLIC_URL = "https://hestia.example.org"
    worker = WorkerFactory()
    EmploymentFactory(worker=worker, employer=EmployerFactory(family_name="Okafor"))
    # A random token that happens to spell a denied word or a name is ours, not a disclosure.
    assert sms_is_safe("Confirm: https://hestia.example.org/a/ngo-police-okafor/", worker=worker)
    assert not sms_is_safe(
        "NGO shelter: https://hestia.example.org/a/3k9x7q/ call us", worker=worker
    )
    assert not sms_is_safe("Okafor https://hestia.example.org/a/3k9x7q/", worker=worker)
    # Another site's address is read like the rest of the text.
    assert not sms_is_safe("See https://police.example.org/ngo", worker=worker)


# --- Saving templates ---------------------------------------------------------------------


@pytest.fixture
def admin_user(db):
    return UserFactory(username="templates-admin")


def _sms(language="xx", kind=Kind.REMINDER):
    return MessageTemplate.objects.filter(kind=kind, channel=Channel.SMS, language=language)


def test_a_new_template_starts_at_version_one_and_is_audited(admin_user):
    template = message_template_save(
        by=admin_user,
        kind=Kind.REMINDER,
        channel=Channel.SMS,
        language="xx",
        subject="ignored for SMS",
        body="Appointment {{ date }} {{ time }}\r\n{{ link }}",
    )
    assert (template.version, template.updated_by, template.subject) == (1, admin_user, "")
    assert template.body == "Appointment {{ date }} {{ time }}\n{{ link }}"
    entry = AuditEntry.objects.get(object_type="notifications.messagetemplate")
    assert (entry.action, entry.actor, entry.detail) == ("create", admin_user, "version 1")
    assert template.history.get().history_user == admin_user


def test_each_change_raises_the_version_and_history_keeps_every_text(admin_user):
    template = message_template_save(
        by=admin_user, kind=Kind.REMINDER, channel=Channel.SMS, language="xx", subject="",
        body="First {{ date }}",
    )  # fmt: skip
    other = UserFactory(username="second-admin")
    template = message_template_save(
        by=other, template=template, subject="", body="Second {{ date }}", based_on_version=1
    )
    assert (template.version, template.updated_by) == (2, other)
    assert [
        (h.version, h.body, h.history_user) for h in template.history.order_by("history_id")
    ] == [
        (1, "First {{ date }}", admin_user),
        (2, "Second {{ date }}", other),
    ]
    update = AuditEntry.objects.get(action="update")
    assert update.changed_fields == ["body", "version"]


def test_saving_the_same_text_again_makes_no_new_version(admin_user):
    template = message_template_save(
        by=admin_user, kind=Kind.REMINDER, channel=Channel.SMS, language="xx", subject="",
        body="Same {{ date }}",
    )  # fmt: skip
    again = message_template_save(
        by=admin_user, template=template, subject="", body="Same {{ date }}\n"
    )
    assert again.version == 1
    assert AuditEntry.objects.filter(action="update").count() == 0


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("Hello {{ employer }}", "variable"),
        ("{% if date %}{{ date }}{% endif %}", "tag"),
        ("Call the police on {{ ministry_phone }}", "unsafe"),
        ("{{ date }} " + "Long text. " * 60, "segments"),
    ],
)
def test_a_refused_text_changes_nothing(admin_user, body, code):
    template = message_template_save(
        by=admin_user, kind=Kind.REMINDER, channel=Channel.SMS, language="xx", subject="",
        body="Kept {{ date }}",
    )  # fmt: skip
    with pytest.raises(ValidationError) as raised:
        message_template_save(by=admin_user, template=template, subject="", body=body)
    assert code in {error.code for error in raised.value.error_dict["body"]}
    template.refresh_from_db()
    assert (template.version, template.body) == (1, "Kept {{ date }}")
    assert template.history.count() == 1
    assert AuditEntry.objects.count() == 1


def test_the_segment_limit_comes_from_the_settings(admin_user):
    body = "Your appointment is on {{ date }} at {{ time }}, {{ place }}. Details: {{ link }}"
    assert (
        template_problems(
            kind=Kind.REMINDER, channel=Channel.SMS, language="en", subject="", body=body
        )
        == {}
    )
    with override_settings(HESTIA_SMS_MAX_SEGMENTS=1):
        [error] = template_problems(
            kind=Kind.REMINDER,
            channel=Channel.SMS,
            language="fr",
            subject="",
            body=body + " Please bring your passport and your card.",
        )["body"]
    assert error.messages == [
        "With sample values this SMS takes 2 segments in GSM-7; the limit is 1. Shorten it."
    ]


def test_an_email_needs_a_subject_whose_variables_are_checked_too(admin_user):
    problems = template_problems(
        kind=Kind.CANCELLED, channel=Channel.EMAIL, language="en", subject="", body="{{ date }}"
    )
    assert problems["subject"][0].messages == ["An e-mail needs a subject."]
    problems = template_problems(
        kind=Kind.CANCELLED, channel=Channel.EMAIL, language="en",
        subject="About {{ place }}", body="{{ date }}",
    )  # fmt: skip
    assert problems["subject"][0].code == "variable"


def test_a_change_made_meanwhile_by_someone_else_is_not_overwritten(admin_user):
    template = message_template_save(
        by=admin_user, kind=Kind.REMINDER, channel=Channel.SMS, language="xx", subject="",
        body="One {{ date }}",
    )  # fmt: skip
    message_template_save(by=admin_user, template=template, subject="", body="Two {{ date }}")
    with pytest.raises(ValidationError) as raised:
        message_template_save(
            by=admin_user, template=template, subject="", body="Mine {{ date }}", based_on_version=1
        )
    assert raised.value.code == "stale"
    assert _sms().get().body == "Two {{ date }}"


def test_a_second_template_for_the_same_kind_channel_and_language_is_refused(admin_user):
    message_template_save(
        by=admin_user, kind=Kind.REMINDER, channel=Channel.SMS, language="xx", subject="",
        body="One {{ date }}",
    )  # fmt: skip
    with pytest.raises(ValidationError) as raised:
        message_template_save(
            by=admin_user, kind=Kind.REMINDER, channel=Channel.SMS, language="xx", subject="",
            body="Two {{ date }}",
        )  # fmt: skip
    assert raised.value.code == "exists"
    assert _sms().get().body == "One {{ date }}"


@pytest.mark.parametrize(
    ("kind", "channel", "language"),
    [("gossip", Channel.SMS, "en"), (Kind.REMINDER, "fax", "en"), (Kind.REMINDER, Channel.SMS, "")],
)
def test_a_template_needs_a_known_kind_a_channel_and_a_language(
    admin_user, kind, channel, language
):
    with pytest.raises(ValidationError) as raised:
        message_template_save(
            by=admin_user, kind=kind, channel=channel, language=language, subject="", body="Hello"
        )
    assert raised.value.code == "invalid"
    assert not MessageTemplate.objects.filter(body="Hello").exists()


def test_the_preview_renders_sample_values_in_the_templates_language():
    preview = template_preview(
        kind=Kind.REMINDER, channel=Channel.SMS, language="fr", subject="",
        body="Rendez-vous le {{ date }} à {{ time }}.",
    )  # fmt: skip
    assert preview.body == "Rendez-vous le 30 septembre 2027 à 10:30."
    assert (preview.sms.encoding, preview.sms.segments, preview.too_long) == (GSM7, 1, False)
    assert (
        template_preview(
            kind=Kind.REMINDER, channel=Channel.SMS, language="fr", subject="", body="{{ x }}"
        )
        is None
    )


# --- The default texts (migration 0004) ---------------------------------------------------

LANGUAGES = ["en", "fr", "es", "ar", "tl", "id", "sw", "vi", "am", "ne", "si", "bn"]


@pytest.mark.django_db
def test_every_kind_has_a_default_sms_and_email_in_each_default_language():
    present = set(MessageTemplate.objects.values_list("kind", "channel", "language"))
    for language in LANGUAGES:
        for kind in Kind.values:
            for channel in (Channel.SMS, Channel.EMAIL):
                assert (kind, channel, language) in present, (kind, channel, language)
    assert set(DEFAULTS.TEXTS) == set(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_default_texts_pass_every_check_and_each_sms_fits_in_two_segments(language):
    for kind, (sms, subject, email) in DEFAULTS.TEXTS[language].items():
        for channel, head, body in ((Channel.SMS, "", sms), (Channel.EMAIL, subject, email)):
            problems = template_problems(
                kind=kind, channel=channel, language=language, subject=head, body=body
            )
            assert problems == {}, (kind, channel, problems)
        preview = template_preview(
            kind=kind, channel=Channel.SMS, language=language, subject="", body=sms
        )
        assert preview.sms.segments <= 2, (kind, preview.sms)
        assert "{{" not in preview.body


@pytest.mark.django_db
def test_default_texts_start_their_history_at_version_one():
    template = MessageTemplate.objects.get(kind=Kind.MOVED, channel=Channel.SMS, language="ar")
    [first] = template.history.all()
    assert (first.version, first.history_type, first.history_user) == (1, "+", None)


@pytest.mark.django_db
def test_notify_sends_the_default_text_in_the_workers_language_and_it_is_safe():
    worker = WorkerFactory(preferred_language="sw")
    WorkerPhone.objects.create(
        worker=worker, number="+32470123456", is_mobile=True, is_safe=True, is_sms_number=True
    )
    [message] = notify(
        worker,
        Kind.REMINDER,
        {
            "date": "3 Mei 2027",
            "time": "09:00",
            "place": "Rue de la Loi 15",
            "link": "https://x.example/a/1",
        },
    )
    assert (message.language, message.template_version) == ("sw", 1)
    assert message.body == (
        "Kumbusho: miadi yako Wizarani ni 3 Mei 2027, 09:00, Rue de la Loi 15. "
        "Maelezo: https://x.example/a/1"
    )
    assert sms_is_safe(message.body, worker=worker)


@pytest.mark.django_db
def test_the_default_rights_information_links_to_the_public_page_in_the_workers_language(
    settings,
):
    settings.HESTIA_PUBLIC_URL = "https://hestia.ministry.example"
    worker = WorkerFactory(preferred_language="tl", email="rosario@example.org")
    [message] = notify(worker, Kind.RIGHTS_INFORMATION)
    assert (message.channel, message.language) == (Channel.EMAIL, "tl")
    assert "https://hestia.ministry.example/rights/tl/" in message.body
