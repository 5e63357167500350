"""One worker through an interview cycle in a real browser (Hestia issue 4, "Done when").

The scheduling run invites the worker by SMS in Tagalog; the worker opens the link from the
message on a phone-sized screen, without a login, and confirms; the interviewer records the
interview on the record form (passport held by the employer: an urgent outcome), which opens an
urgent concern and e-mails every supervisor; a supervisor refers the concern to an organisation
(in Arabic, right to left) and releases the card's renewal clearance that the concern put on
hold, which ends cleared after a supervisor's decision.

Each person has their own browser context (own cookies). Time is real: the card expires in 60
days, so its window is open today. The run books the earliest slot three days ahead (the notice
a worker needs), so once the worker has confirmed, the test moves the appointment and its slot
with the ORM to a few minutes ago: only then may the interview be recorded. Nothing else is
written to the database directly after the world is set up; the pages do the rest, and the
database is read to check that what they showed was stored. No page may log a JavaScript error
or a Content-Security-Policy violation.
"""

import contextlib
import datetime as dt
import importlib
import io
import re

import pytest
from django.apps import apps as django_apps
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from accounts.roles import Role
from interviews import clearance as clearance_service
from interviews.appointment_text import TEXTS
from interviews.models import (
    AvailabilityPattern,
    ClearanceDecision,
    Concern,
    DocumentHolder,
    Indicator,
    IndicatorLevel,
    Interview,
    InterviewRecord,
    Organisation,
    Outcome,
    Referral,
    Slot,
)
from notifications.models import Channel, Kind, Message
from tests.e2e.conftest import TIMEOUT_MS, VIEWPORT
from tests.factories import PASSWORD, current_code, totp_device_for
from tests.interviews.factories import InterviewerProfileFactory, OrganisationFactory, RoomFactory
from tests.interviews.factories_clearance import verified_account
from tests.interviews.factories_scheduling import active_worker

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DEFAULT_TEMPLATES = importlib.import_module("notifications.migrations.0004_default_templates")

LOGIN = "/accounts/login/"
VERIFY = "/accounts/two-factor/"
DASHBOARD = "/oversight/"
# The worker reads the link on a phone.
PHONE = {"width": 390, "height": 844}
ROOM_LOCATION = "Protocol Office, Rue de la Loi 15, room 2.14"
ORGANISATION = "Domestic Workers Support Centre"
NOTES = "She says the employer keeps her passport in a locked drawer."
RELEASE_REASON = "She wants to stay in Belgium; the renewal protects her status."
CONCERN_ALERT = "Hestia: an urgent concern needs a supervisor"


def _path(live_server, pattern: str) -> re.Pattern:
    """The page's URL is the live server's, with a path matching the pattern (query allowed)."""
    return re.compile(rf"^{re.escape(live_server.url)}{pattern}(\?.*)?$")


@pytest.fixture
def new_page(browser, request, artifacts_dir):
    """new_page(name, viewport=...): a page in a browser context of its own, as each person uses
    their own device. JavaScript errors and console errors (a CSP violation is one) are
    collected in `new_page.problems`; a failing test leaves a screenshot of every page."""
    pages: dict[str, Page] = {}
    problems: list[str] = []

    def make(name: str, viewport=VIEWPORT) -> Page:
        context = browser.new_context(
            locale="en-GB", timezone_id="Europe/Brussels", viewport=viewport
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        page = context.new_page()
        page.on(
            "console",
            lambda message: (
                problems.append(f"{name}: {message.text}") if message.type == "error" else None
            ),
        )
        page.on("pageerror", lambda error: problems.append(f"{name}: {error}"))
        pages[name] = page
        return page

    make.problems = problems
    yield make
    report = getattr(request.node, "rep_call", None)
    for name, page in pages.items():
        if report is not None and report.failed:
            # A screenshot of the failure is a courtesy; it must not hide the real error.
            with contextlib.suppress(Exception):
                page.screenshot(
                    path=str(artifacts_dir / f"failed-interview-journey-{name}.png"),
                    full_page=True,
                )
        page.context.close()


def _sign_in(page: Page, live_server, user, landing: str) -> None:
    """Password, then the code from the authenticator app, as a person does it."""
    device = totp_device_for(user)
    page.goto(live_server.url + LOGIN)
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(_path(live_server, VERIFY))
    # Computed right before use: a code is valid for its own step and one either side.
    page.locator("input[name=token]").fill(current_code(device))
    page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(_path(live_server, landing))


def _choose_language(page: Page, lang: str) -> None:
    with page.expect_response(lambda response: "/i18n/setlang/" in response.url):
        page.locator("#language-select").select_option(lang)
    page.wait_for_load_state("load")
    expect(page.locator("html")).to_have_attribute("lang", lang)


def _saved(page: Page) -> None:
    expect(page.locator("main .alert-success")).to_have_count(1)
    expect(page.locator("main .alert-danger, main .invalid-feedback")).to_have_count(0)


def _check(page: Page, name: str, value: str) -> None:
    page.locator(f'#record-form input[name="{name}"][value="{value}"]').check()


def _world(make_staff):
    """Everything that exists before the day of the journey: the notice texts, an interviewer
    speaking Tagalog with weekly availability from today, two supervisors, an organisation, and
    a worker in an active contract that meets the policy, with a verified bank account in her
    sole name and a card expiring in 60 days (its window opened 30 days ago)."""
    # The migration's default texts: a transactional test starts from an emptied database.
    DEFAULT_TEMPLATES.create_defaults(django_apps, None)
    today = timezone.localdate()
    interviewer = make_staff(Role.INTERVIEWER, first_name="Ines", last_name="Peeters")
    room = RoomFactory(name="Room 2.14", location=ROOM_LOCATION)
    InterviewerProfileFactory(user=interviewer, languages=["tl", "en"], default_room=room)
    for weekday in AvailabilityPattern.Weekday.values:
        AvailabilityPattern.objects.create(
            interviewer=interviewer,
            room=room,
            weekday=weekday,
            start_time=dt.time(9, 0),
            end_time=dt.time(17, 0),
            valid_from=today,
        )
    supervisors = [
        make_staff(Role.SUPERVISOR),
        make_staff(Role.SUPERVISOR, username="second-supervisor"),
    ]
    organisation = OrganisationFactory(name=ORGANISATION, kind=Organisation.Kind.NGO)
    worker, employment, card = active_worker(
        language="tl",
        expiry=today + dt.timedelta(days=60),
        start=today - dt.timedelta(days=3 * 365),
        given_names="Maria Rosario",
    )
    verified_account(worker, verified_on=today - dt.timedelta(days=10))
    return interviewer, supervisors, organisation, worker, employment, card


def test_a_worker_goes_from_invitation_to_a_released_clearance_in_the_browser(
    new_page, live_server, make_staff, settings, artifacts_dir
):
    # The links in notices and alerts point at this server, so the test can follow them.
    settings.HESTIA_PUBLIC_URL = live_server.url
    interviewer, supervisors, organisation, worker, employment, card = _world(make_staff)

    # 1. The daily scheduling run books the earliest slot in Tagalog and invites the worker.
    out = io.StringIO()
    call_command("schedule_interviews", stdout=out)
    assert "Booked and invited: 1" in out.getvalue()
    interview = Interview.objects.get(worker=worker)
    assert interview.status == Interview.Status.INVITED
    assert (interview.card, interview.interviewer, interview.language) == (card, interviewer, "tl")
    assert interview.starts_at > timezone.now() + dt.timedelta(days=2)

    invitation = Message.objects.get(worker=worker, kind=Kind.INTERVIEW_INVITATION)
    assert (invitation.channel, invitation.language) == (Channel.SMS, "tl")
    assert invitation.status != Message.Status.HELD, invitation.hold_reason
    assert "Kumpirmahin o pumili ng ibang oras" in invitation.body
    assert ROOM_LOCATION in invitation.body
    # Worker safety: the SMS names neither the employer nor what the appointment is for.
    for word in ("interview", "concern", employment.employer.family_name.lower()):
        assert word not in invitation.body.lower()
    links = re.findall(r"https?://\S+/a/\S+/", invitation.body)
    assert len(links) == 1 and links[0].startswith(live_server.url + "/a/"), invitation.body

    # 2. The worker opens the link from the SMS on her phone, without a login, and confirms.
    phone = new_page("worker", viewport=PHONE)
    tagalog = TEXTS["tl"]
    phone.goto(links[0])
    expect(phone.locator("html")).to_have_attribute("lang", "tl")
    expect(phone.locator("#appointment-title")).to_have_text(tagalog["title"])
    expect(phone.locator("#appointment-place")).to_have_text(ROOM_LOCATION)
    expect(phone.locator("#appointment-time")).to_have_text(
        timezone.localtime(interview.starts_at).strftime("%H:%M")
    )
    expect(phone.locator("#appointment-answer")).to_have_count(0)
    confirm = phone.locator("#appointment-confirm button[name=answer][value=confirm]")
    expect(confirm).to_have_text(tagalog["confirm"])
    confirm.click()
    expect(phone).to_have_url(re.compile(r"/a/[^/]+/\?lang=tl$"))
    answer = phone.locator("#appointment-answer")
    expect(answer).to_have_attribute("data-answer", "confirm")
    expect(answer).to_have_text(tagalog["confirmed"])
    expect(phone.locator("#appointment-confirm")).to_have_count(0)
    phone.screenshot(path=str(artifacts_dir / "interview-journey-1-worker-confirmed.png"))
    interview.refresh_from_db()
    assert interview.status == Interview.Status.CONFIRMED
    assert interview.confirmed_at is not None

    # The appointment comes: its start (and its slot's) is moved to a few minutes ago, today,
    # off the slot grid of whole minutes so it collides with no published slot.
    start_of_today = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time.min))
    starts_at = max(timezone.now() - dt.timedelta(minutes=5), start_of_today)
    ends_at = starts_at + (interview.ends_at - interview.starts_at)
    Slot.objects.filter(pk=interview.slot_id).update(starts_at=starts_at, ends_at=ends_at)
    Interview.objects.filter(pk=interview.pk).update(starts_at=starts_at, ends_at=ends_at)

    # 3. The interviewer opens her day, then the record form, and records the interview.
    desk = new_page("interviewer")
    _sign_in(desk, live_server, interviewer, "/")
    desk.locator('nav [data-nav="day"]').click()
    expect(desk).to_have_url(_path(live_server, "/interviews/day/"))
    row = desk.locator(f"#interview-{interview.pk}")
    expect(row).to_contain_text(str(worker))
    expect(row.locator(".badge")).to_have_text(str(Interview.Status.CONFIRMED.label))
    row.locator("[data-action=record]").click()
    expect(desk).to_have_url(_path(live_server, f"/interviews/{interview.pk}/record/new/"))
    expect(desk.locator("#refusal")).to_have_count(0)

    # record-form.js: the "does not count" warning follows the presence answers, and the
    # question on the interpreter's independence is hidden while no interpreter is chosen.
    warning = desk.locator("#not-counting")
    expect(desk.locator("[data-needs-interpreter]")).to_be_hidden()
    _check(desk, "in_private", "no")
    expect(warning).to_be_visible()
    for name in ("in_person", "in_private", "no_employer_present", "identity_checked"):
        _check(desk, name, "yes")
    expect(warning).to_be_hidden()
    desk.locator("#record-form input[name=language]").fill("tl")
    expect(desk.locator("#record-form select[name=interpreter]")).to_have_value("")
    _check(desk, "passport_holder", DocumentHolder.EMPLOYER)
    _check(desk, "card_holder", DocumentHolder.WORKER)
    desk.locator("#record-form input[name=daily_hours]").fill("11")
    desk.locator("#record-form input[name=weekly_hours]").fill("60")
    desk.locator("#record-form input[name=wage_amount]").fill("2000.00")
    answers = {
        "weekly_rest_day": "partly",
        "annual_leave": "no",
        "wage_into_own_account": "yes",
        "wage_on_time": "yes",
        "wage_in_full": "yes",
        "bank_account_confirmed": "yes",
        "own_room_locks": "yes",
        "free_to_go_out": "partly",
        "own_phone": "yes",
        "contact_family": "yes",
        "threats_or_abuse": "no",
        "wish_to_continue": "yes",
    }
    for name, value in answers.items():
        _check(desk, name, value)
    for code in Indicator.values:
        level = (
            IndicatorLevel.OBSERVED
            if code == Indicator.RETENTION_OF_DOCUMENTS
            else IndicatorLevel.NOT_SEEN
        )
        _check(desk, f"indicator_{code}", level)
    desk.locator(
        f'#record-form textarea[name="indicator_{Indicator.RETENTION_OF_DOCUMENTS}_note"]'
    ).fill("The employer holds the passport.")
    _check(desk, "outcome", Outcome.URGENT)
    desk.locator("#record-form textarea[name=restricted_notes]").fill(NOTES)
    desk.locator("#record-form button[type=submit]").click()

    expect(desk).to_have_url(_path(live_server, f"/interviews/{interview.pk}/record/"))
    expect(desk.locator("main .alert-success")).to_have_count(1)
    expect(desk.locator("main .alert-warning")).to_contain_text("every supervisor alerted")
    expect(desk.locator("#outcome")).to_have_text(str(Outcome.URGENT.label))
    expect(desk.locator("#counts .badge")).to_have_class(re.compile(r"\btext-bg-success\b"))
    expect(desk.locator("main")).to_contain_text(NOTES)
    desk.screenshot(path=str(artifacts_dir / "interview-journey-2-record.png"), full_page=True)

    record = InterviewRecord.objects.get(interview=interview)
    assert record.recorded_by == interviewer
    assert (record.outcome, record.counts) == (Outcome.URGENT, True)
    assert record.passport_holder == DocumentHolder.EMPLOYER
    assert record.restricted_notes == NOTES
    observed = record.indicators.get(indicator=Indicator.RETENTION_OF_DOCUMENTS)
    assert observed.level == IndicatorLevel.OBSERVED
    assert record.indicators.filter(level=IndicatorLevel.NOT_SEEN).count() == 10
    interview.refresh_from_db()
    assert interview.status == Interview.Status.HELD
    concern = Concern.objects.get(worker=worker)
    assert (concern.severity, concern.status) == (Concern.Severity.URGENT, Concern.Status.OPEN)
    assert (concern.source, concern.record) == (Concern.Source.RECORD, record)
    assert concern.indicators == [Indicator.RETENTION_OF_DOCUMENTS]
    # The live server runs in a thread of this process: its e-mails are in this outbox.
    concern_url = f"{live_server.url}/interviews/concerns/{concern.pk}/"
    alerts = [email for email in mail.outbox if email.subject == CONCERN_ALERT]
    assert sorted(to for email in alerts for to in email.to) == sorted(
        supervisor.email for supervisor in supervisors
    )
    assert all(len(email.to) == 1 and concern_url in email.body for email in alerts)
    assert all(NOTES not in email.body and "passport" not in email.body for email in alerts)

    # 4. A supervisor finds the concern in the list and opens it.
    office = new_page("supervisor")
    _sign_in(office, live_server, supervisors[0], DASHBOARD)
    office.locator('nav [data-nav="concerns"]').click()
    expect(office).to_have_url(_path(live_server, "/interviews/concerns/"))
    listed = office.locator(f'#concern-table tr[data-concern="{concern.pk}"]')
    expect(listed.locator("[data-severity]")).to_have_attribute("data-severity", "urgent")
    listed.locator(f'a[href="/interviews/concerns/{concern.pk}/"]').click()
    # The page the supervisors' e-mail links to.
    expect(office).to_have_url(concern_url)

    # 5. From here the supervisor works in Arabic, right to left.
    _choose_language(office, "ar")
    expect(office).to_have_url(concern_url)
    expect(office.locator("html")).to_have_attribute("dir", "rtl")
    rtl_stylesheet = 'link[rel="stylesheet"][href$="/bootstrap.rtl.min.css"]'
    expect(office.locator(rtl_stylesheet)).to_have_count(1)
    with translation.override("ar"):
        workers_label = gettext("Workers")
    assert workers_label != "Workers"
    expect(office.locator('nav [data-nav="workers"]')).to_have_text(workers_label)
    expect(office.locator("#concern-summary")).to_have_text(concern.summary)

    # The referral, from the concern's page.
    referral_form = office.locator(
        f'form[action="/interviews/concerns/{concern.pk}/referrals/new/"]'
    )
    referral_form.locator("select[name=referral-organisation]").select_option(str(organisation.pk))
    expect(referral_form.locator("input[name=referral-referred_on]")).to_have_value(
        timezone.localdate().isoformat()
    )
    referral_form.locator("button[type=submit]").click()
    expect(office).to_have_url(concern_url)
    _saved(office)
    expect(office.locator("html")).to_have_attribute("dir", "rtl")
    expect(office.locator('#concern-timeline [data-entry="referral"]')).to_contain_text(
        ORGANISATION
    )
    concern_status = office.locator('section[aria-labelledby="summary-heading"] [data-status]')
    expect(concern_status).to_have_attribute("data-status", "referred")
    office.screenshot(
        path=str(artifacts_dir / "interview-journey-3-concern-referred-ar.png"), full_page=True
    )
    referral = Referral.objects.get(concern=concern)
    assert (referral.organisation, referral.referred_by) == (organisation, supervisors[0])
    concern.refresh_from_db()
    assert concern.status == Concern.Status.REFERRED

    # The card's renewal clearance: on hold while the urgent concern is open, though every
    # condition is met (interview held today in the window, account verified, contract fine).
    office.locator('nav [data-nav="clearances"]').click()
    expect(office).to_have_url(_path(live_server, "/interviews/clearances/"))
    card_row = office.locator(f'#clearance-table tr[data-card="{card.pk}"]')
    expect(card_row.locator("[data-status]")).to_have_attribute("data-status", "on_hold")
    card_row.locator(f'a[href="/interviews/clearances/{card.pk}/"]').click()
    expect(office).to_have_url(_path(live_server, f"/interviews/clearances/{card.pk}/"))
    status = office.locator("#status-heading [data-status]")
    expect(status).to_have_attribute("data-status", "on_hold")
    expect(office.locator("#clearance-reasons [data-code]").first).to_have_attribute(
        "data-code", "pending_supervisor_decision"
    )
    expect(office.locator('#conditions [data-met="yes"]')).to_have_count(3)
    expect(office.locator("#holding-concerns")).to_contain_text(concern.summary)

    office.locator("#decide-link").click()
    expect(office).to_have_url(_path(live_server, f"/interviews/clearances/{card.pk}/decide/"))
    office.locator(
        f'main form input[name=decision][value="{ClearanceDecision.Decision.RELEASED}"]'
    ).check()
    office.locator("main form textarea[name=reason]").fill(RELEASE_REASON)
    office.locator("main form button[type=submit]").click()

    expect(office).to_have_url(_path(live_server, f"/interviews/clearances/{card.pk}/"))
    _saved(office)
    expect(status).to_have_attribute("data-status", "released")
    expect(office.locator("#clearance-reasons [data-code]")).to_have_count(0)
    decisions = office.locator("#decision-table tbody tr[data-decision]")
    expect(decisions).to_have_count(1)
    expect(decisions).to_contain_text(RELEASE_REASON)
    expect(office.locator("html")).to_have_attribute("dir", "rtl")
    office.screenshot(
        path=str(artifacts_dir / "interview-journey-4-clearance-released-ar.png"), full_page=True
    )

    decision = ClearanceDecision.objects.get(card=card)
    assert decision.decision == ClearanceDecision.Decision.RELEASED
    assert (decision.decided_by, decision.reason) == (supervisors[0], RELEASE_REASON)
    clearance = clearance_service.clearance_for(card)
    assert (clearance.status, clearance.cleared) == (clearance_service.Status.RELEASED, True)
    assert clearance.interview_held_on == timezone.localdate()

    # No page logged a JavaScript error or a Content-Security-Policy violation.
    assert new_page.problems == []
