"""The renewal clearance pages: the list of cards coming up for renewal, one card's clearance,
the supervisor's decision on a hold, and the printable notice for the card office."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import AuditEntry
from interviews.clearance import Status, clearance_for
from interviews.models import ClearanceDecision
from interviews.views.clearance import notice_html
from notifications.models import Message
from registry.models import IdentityCard
from tests.interviews.factories_clearance import decision, ready_card, urgent_concern
from tests.registry.factories_workers import CardFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC)
LIST = reverse("interviews:clearance-list")
SUMMARY = "Employer keeps her passport and threatens her"
DETAILS = "She says the employer locks her in at night."


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def detail_url(card):
    return reverse("interviews:clearance-detail", args=[card.pk])


def decide_url(card):
    return reverse("interviews:clearance-decide", args=[card.pk])


def notice_url(card):
    return reverse("interviews:clearance-notice", args=[card.pk])


def pdf_url(card):
    return reverse("interviews:clearance-notice-pdf", args=[card.pk])


def rows(response) -> dict[int, str]:
    """Each listed card's row, as text, by card id."""
    html = response.content.decode()
    found = {}
    for chunk in html.split('<tr data-card="')[1:]:
        pk, rest = chunk.split('"', 1)
        found[int(pk)] = rest.split("</tr>", 1)[0]
    return found


# --- The list -------------------------------------------------------------------------------


def test_the_list_shows_cards_expiring_in_the_next_120_days_soonest_first(client_for, officer):
    later = ready_card(expiry=dt.date(2026, 8, 30))
    sooner = ready_card()
    ready_card(expiry=dt.date(2026, 9, 2))  # 121 days away
    ready_card(expiry=dt.date(2026, 5, 3))  # expired yesterday
    CardFactory(expiry_date=dt.date(2026, 6, 1), status=IdentityCard.Status.CANCELLED)

    response = client_for(officer).get(LIST)

    assert response.status_code == 200
    assert list(rows(response)) == [sooner.pk, later.pk]


def test_the_list_shows_the_status_and_the_first_reason(client_for, officer):
    cleared = ready_card()
    missing = ready_card(verified_on=None, held_on=None)

    found = rows(client_for(officer).get(LIST))

    assert 'data-status="cleared"' in found[cleared.pk]
    assert "Every condition is met." in found[cleared.pk]
    assert 'data-status="not_cleared"' in found[missing.pk]
    assert (
        escape("No interview that counts was held between 2026-04-02 and 2026-07-01.")
        in (found[missing.pk])
    )
    assert "and 1 more reason" in found[missing.pk]


def test_a_card_on_hold_is_listed_as_pending_a_supervisors_decision(client_for, officer):
    card = ready_card()
    urgent_concern(card.worker)

    found = rows(client_for(officer).get(LIST))

    assert 'data-status="on_hold"' in found[card.pk]
    assert escape("On hold, pending a supervisor's decision") in found[card.pk]
    assert SUMMARY not in found[card.pk]


def test_the_list_filters_by_status_and_by_number(client_for, supervisor):
    cleared = ready_card(number="B-111 222")
    held = ready_card(number="B-333 444")
    urgent_concern(held.worker)
    client = client_for(supervisor)

    assert list(rows(client.get(LIST, {"status": "on_hold"}))) == [held.pk]
    assert list(rows(client.get(LIST, {"status": "cleared"}))) == [cleared.pk]
    assert list(rows(client.get(LIST, {"number": "b111"}))) == [cleared.pk]


def test_the_list_can_look_further_ahead(client_for, officer):
    card = ready_card(expiry=dt.date(2026, 10, 1))

    assert list(rows(client_for(officer).get(LIST))) == []
    assert list(rows(client_for(officer).get(LIST, {"days": 180}))) == [card.pk]


def test_a_bad_filter_shows_an_error_and_the_default_list(client_for, officer):
    card = ready_card()

    response = client_for(officer).get(LIST, {"days": "7"})

    assert "Select a valid choice." in response.content.decode()
    assert list(rows(response)) == [card.pk]


def test_reading_the_list_is_audited(client_for, officer):
    client_for(officer).get(LIST)

    entry = AuditEntry.objects.get(detail="clearance list")
    assert (entry.actor, entry.action) == (officer, AuditEntry.Action.VIEW)


@pytest.mark.parametrize("role", ["interviewer", "auditor", "administrator"])
def test_others_cannot_see_the_list(client_for, request, role):
    assert client_for(request.getfixturevalue(role)).get(LIST).status_code == 403


def test_the_list_costs_the_same_queries_for_3_and_30_cards(
    client_for, officer, django_assert_max_num_queries
):
    client = client_for(officer)
    for _ in range(3):
        ready_card()
    client.get(LIST)  # the policies exist from now on, as on every later visit
    # Session, user, device, two for permissions, the audit entry, the cards, two policies,
    # and one each for records, accounts, employments, concerns and decisions.
    with django_assert_max_num_queries(14) as small:
        assert len(rows(client.get(LIST))) == 3
    for index in range(27):
        card = ready_card()
        if index % 5 == 0:
            urgent_concern(card.worker)
            decision(card)

    with django_assert_max_num_queries(len(small)) as large:
        assert len(rows(client.get(LIST))) == 30
    assert len(large) == len(small)


# --- One card -------------------------------------------------------------------------------


def test_the_page_ticks_each_condition_or_gives_the_reason(client_for, officer):
    card = ready_card(verified_on=None)

    response = client_for(officer).get(detail_url(card))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-condition="interview" data-met="yes"' in html
    assert 'data-condition="bank_account" data-met="no"' in html
    assert 'data-condition="employment" data-met="yes"' in html
    assert (
        escape("No bank account in the worker's sole name was verified in the last 12 months.")
        in html
    )
    assert 'Held on <span dir="ltr">2026-04-20</span>.' in html
    entry = AuditEntry.objects.get(detail="clearance")
    assert (entry.actor, entry.object_id) == (officer, str(card.pk))


def test_a_supervisor_sees_which_concern_holds_the_card_and_may_decide(client_for, supervisor):
    card = ready_card()
    urgent_concern(card.worker)

    html = client_for(supervisor).get(detail_url(card)).content.decode()

    assert 'id="hold-state"' in html
    assert SUMMARY in html
    assert decide_url(card) in html


def test_an_officer_sees_the_hold_but_not_the_concern_nor_a_decisions_reason(
    client_for, officer, supervisor
):
    card = ready_card()
    urgent_concern(card.worker)
    decision(card, ClearanceDecision.Decision.RELEASED, by=supervisor, reason="Private reason.")

    html = client_for(officer).get(detail_url(card)).content.decode()

    assert 'data-status="released"' in html
    assert SUMMARY not in html
    assert "urgent concern" not in html.lower()
    assert "Private reason." not in html
    assert "Shown to supervisors only." in html
    assert decide_url(card) not in html


def test_an_officer_is_told_to_wait_for_a_supervisor(client_for, officer):
    card = ready_card()
    urgent_concern(card.worker)

    html = client_for(officer).get(detail_url(card)).content.decode()

    assert (
        "The renewal is on hold, pending a supervisor's decision. Do not renew the card until a "
        "supervisor has decided."
    ) in html
    assert "urgent concern" not in html.lower()


def test_the_page_lists_every_decision_newest_first(client_for, supervisor):
    card = ready_card()
    urgent_concern(card.worker, opened_at=timezone.now() - dt.timedelta(days=9))
    decision(
        card,
        ClearanceDecision.Decision.REFUSED,
        reason="First look.",
        decided_at=timezone.now() - dt.timedelta(days=3),
    )
    decision(
        card,
        ClearanceDecision.Decision.RELEASED,
        reason="Second look.",
        decided_at=timezone.now() - dt.timedelta(days=1),
    )

    html = client_for(supervisor).get(detail_url(card)).content.decode()

    assert html.index("Second look.") < html.index("First look.")


def test_an_interviewer_cannot_see_a_clearance(client_for, interviewer):
    card = ready_card()

    assert client_for(interviewer).get(detail_url(card)).status_code == 403


# --- The decision ---------------------------------------------------------------------------


def test_a_supervisor_releases_a_card_on_hold(client_for, supervisor):
    card = ready_card()
    urgent_concern(card.worker)
    messages_before = Message.objects.count()
    mail.outbox.clear()
    client = client_for(supervisor)

    assert client.get(decide_url(card)).status_code == 200
    response = client.post(
        decide_url(card), {"decision": "released", "reason": "She wishes to stay."}
    )

    assert response.status_code == 302
    assert response["Location"] == detail_url(card)
    made = ClearanceDecision.objects.get()
    assert (made.decision, made.reason, made.decided_by) == (
        "released",
        "She wishes to stay.",
        supervisor,
    )
    assert clearance_for(card).status == Status.RELEASED
    assert AuditEntry.objects.filter(
        actor=supervisor,
        action=AuditEntry.Action.CREATE,
        object_type="interviews.clearancedecision",
    ).exists()
    # Nothing goes to the worker, the employer or the mission.
    assert Message.objects.count() == messages_before
    assert mail.outbox == []


def test_a_supervisor_refuses_a_card_on_hold(client_for, supervisor):
    card = ready_card()
    urgent_concern(card.worker)

    client_for(supervisor).post(
        decide_url(card), {"decision": "refused", "reason": "She has left the country."}
    )

    assert clearance_for(card).status == Status.REFUSED


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (
            {"decision": "released", "reason": ""},
            "Give the reason for the decision, in a few words.",
        ),
        (
            {"decision": "released", "reason": "ok"},
            "Give the reason for the decision, in a few words.",
        ),
        ({"reason": "She wishes to stay."}, "Choose whether the renewal may go ahead."),
    ],
)
def test_a_decision_without_a_reason_or_a_choice_shows_an_error_and_changes_nothing(
    client_for, supervisor, data, error
):
    card = ready_card()
    urgent_concern(card.worker)

    response = client_for(supervisor).post(decide_url(card), data)

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not ClearanceDecision.objects.exists()
    assert clearance_for(card).status == Status.ON_HOLD


def test_a_card_not_on_hold_has_nothing_to_decide(client_for, supervisor):
    card = ready_card()

    response = client_for(supervisor).post(
        decide_url(card), {"decision": "refused", "reason": "Not needed."}
    )

    assert response.status_code == 302
    assert response["Location"] == detail_url(card)
    assert not ClearanceDecision.objects.exists()


def test_an_officer_cannot_decide(client_for, officer):
    card = ready_card()
    urgent_concern(card.worker)

    response = client_for(officer).post(
        decide_url(card), {"decision": "released", "reason": "Fine by me."}
    )

    assert response.status_code == 403
    assert not ClearanceDecision.objects.exists()


# --- The notice -----------------------------------------------------------------------------


def test_the_notice_gives_the_card_the_name_the_status_the_date_and_a_reference(
    client_for, officer
):
    card = ready_card(number="B 700 999")

    response = client_for(officer).get(notice_url(card))

    html = response.content.decode()
    assert response.status_code == 200
    assert "B 700 999" in html
    assert f"{card.worker.family_name}, {card.worker.given_names}" in html
    assert 'data-status="cleared"' in html
    assert "The renewal may go ahead." in html
    assert f"HCL-{card.pk:06d}-20260504" in html
    assert "2026-05-04" in html
    assert "css/clearance-notice.css" in html
    assert "<style" not in html and "onclick" not in html


def test_the_notice_gives_the_reasons_of_a_card_not_cleared(client_for, officer):
    card = ready_card(held_on=None)

    html = client_for(officer).get(notice_url(card)).content.decode()

    assert "The renewal may not go ahead yet, for these reasons:" in html
    assert "No interview that counts was held between 2026-04-02 and 2026-07-01." in html


@pytest.mark.parametrize("decided", [None, "refused"])
def test_the_notice_of_a_card_on_hold_never_mentions_the_concern_nor_the_interview(
    client_for, supervisor, decided
):
    card = ready_card()
    urgent_concern(card.worker)
    if decided:
        decision(card, decided, reason="The concern is serious: she fears her employer.")

    html = client_for(supervisor).get(notice_url(card)).content.decode()

    assert "concern" not in html.lower()
    assert SUMMARY not in html and DETAILS not in html and "fears" not in html
    assert "She says the family treats her well." not in html  # the record's restricted notes
    if decided:
        assert "Refused by a supervisor" in html
    else:
        assert "pending a supervisor&#x27;s decision" in html


def test_the_notice_is_audited(client_for, officer):
    card = ready_card()

    client_for(officer).get(notice_url(card))

    entry = AuditEntry.objects.get(detail="clearance notice")
    assert (entry.actor, entry.object_type, entry.object_id) == (
        officer,
        "registry.identitycard",
        str(card.pk),
    )


def test_the_notice_prints_as_a_pdf_without_the_concern(client_for, officer, rf):
    card = ready_card()
    urgent_concern(card.worker)

    response = client_for(officer).get(pdf_url(card))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(detail="clearance notice pdf", actor=officer).exists()
    # The PDF is printed from this HTML: no stylesheet link, no script, no concern.
    request = rf.get("/")
    request.user = officer
    html = notice_html(clearance_for(card), request=request, for_pdf=True)
    assert "concern" not in html.lower()
    assert "<script" not in html
    assert "pending a supervisor&#x27;s decision" in html


def test_the_notice_in_arabic_is_right_to_left(client_for, officer):
    card = ready_card()

    html = client_for(officer).get(notice_url(card), HTTP_ACCEPT_LANGUAGE="ar").content.decode()

    assert 'dir="rtl"' in html
