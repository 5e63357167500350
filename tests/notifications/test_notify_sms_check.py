"""The SMS check and the rendering notify() and notify_many() share: the fast text comparison
gives what the plain one gives, names read for many workers at once give the same answers, and
an edited template is used at once."""

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notifications.models import Channel, Kind, MessageTemplate
from notifications.services import notify
from notifications.templating import _normalise, employer_names_by_worker, sms_is_safe
from registry.models import Employment, WorkerPhone
from tests.factories import EmployerFactory, MissionFactory, WorkerFactory
from tests.properties import PROPERTY
from tests.registry.factories_employments import EmploymentFactory


def _plain_normalise(text: str, *, keep_marks: bool = False) -> str:
    """The comparison written the plain way, character by character."""
    if keep_marks:
        return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text.casefold()))
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(c for c in decomposed if unicodedata.category(c) not in ("Mn", "Cf"))
    return re.sub(r"\s+", " ", kept)


EXAMPLES = [
    "Your appointment is on 3 May at 10:00.",
    "ABUSÉ by the Police",
    "Ｐｏｌｉｃｅ",  # full-width letters
    "po\u200dlice",  # a zero-width joiner inside the word
    "nô lệ",  # Vietnamese keeps its marks
    "İstanbul ﬁle ß",  # letters whose lower case grows
    "ඔබේ හමුව: 3 දෙසැම්බර්, 15:00",
    "موعدك يوم ٣ ديسمبر",
    "tabs\tand\n\nnew lines",
    "",
    # As long as a real SMS, accents and all.
    "Le Ministère vous invite à un rendez-vous le 3 décembre 2026 à 15:00, Rue de la Loi 15. "
    "Confirmez ou choisissez une autre heure : https://h.example/a/ngo-huy48",
    "Bộ mời bạn đến cuộc hẹn vào ngày 3 tháng 12 năm 2026 lúc 15:00, Rue de la Loi 15.",
]


@pytest.mark.parametrize("text", EXAMPLES)
@pytest.mark.parametrize("keep_marks", [False, True])
def test_the_fast_comparison_equals_the_plain_one(text, keep_marks):
    assert _normalise(text, keep_marks=keep_marks) == _plain_normalise(text, keep_marks=keep_marks)


@PROPERTY
@given(
    text=st.text(
        alphabet=st.characters(exclude_categories=["Cs"]),
        max_size=200,
    ),
    keep_marks=st.booleans(),
)
def test_the_fast_comparison_equals_the_plain_one_for_any_text(text, keep_marks):
    assert _normalise(text, keep_marks=keep_marks) == _plain_normalise(text, keep_marks=keep_marks)


BODIES = [
    "Your appointment is on 3 May at 10:00.",
    "Appointment at the Dabrowski residence",
    "Appointment at the DĄBROWSKI residence",
    "Meet at the embassy of ruritania",
    "Appointment at Dabrowskiego street",  # another word
    "Room Okafor, 10:00",
    "Room 2.14, 10:00",
    "Please call the police",
]


@pytest.mark.django_db
def test_names_read_for_many_workers_give_the_answers_read_one_by_one():
    mission = MissionFactory(name="Embassy of Ruritania")
    current = WorkerFactory()
    EmploymentFactory(
        worker=current, employer=EmployerFactory(family_name="Dąbrowski", mission=mission)
    )
    former = WorkerFactory()
    EmploymentFactory(
        worker=former,
        employer=EmployerFactory(family_name="Okafor"),
        status=Employment.Status.ENDED,
        end_date="2026-06-30",
        end_reason=Employment.EndReason.TRANSFERRED,
    )
    never = WorkerFactory()
    workers = [current, former, never]
    names = employer_names_by_worker([worker.pk for worker in workers])
    assert names[never.pk] == set()
    answers = {
        (worker.pk, body): sms_is_safe(body, worker=worker, employer_names=names[worker.pk])
        for worker in workers
        for body in BODIES
    }
    assert answers == {
        (worker.pk, body): sms_is_safe(body, worker=worker) for worker in workers for body in BODIES
    }
    assert not answers[(current.pk, "Appointment at the DĄBROWSKI residence")]
    assert answers[(current.pk, "Appointment at Dabrowskiego street")]
    assert not answers[(former.pk, "Room Okafor, 10:00")]
    assert answers[(never.pk, "Room Okafor, 10:00")]


@pytest.mark.django_db
def test_an_edited_template_is_used_for_the_next_notice():
    worker = WorkerFactory(preferred_language="en")
    WorkerPhone.objects.create(
        worker=worker, number="+32470123456", is_mobile=True, is_safe=True, is_sms_number=True
    )
    template = MessageTemplate.objects.get(
        kind=Kind.REGISTRATION_CONFIRMATION, channel=Channel.SMS, language="en"
    )
    template.body = "Welcome, {{ given_names }}."
    template.save()
    [first] = notify(worker, Kind.REGISTRATION_CONFIRMATION)
    template.body = "Thank you, {{ given_names }}."
    template.save()
    [second] = notify(worker, Kind.REGISTRATION_CONFIRMATION)
    assert first.body == f"Welcome, {worker.given_names}."
    assert second.body == f"Thank you, {worker.given_names}."
