"""A supervisor signs in and lands on the oversight dashboard, follows a figure to its list, and
reads the dashboard in English and in Arabic (right to left), on a wide screen and on a phone.

Screenshots: test-artifacts/e2e/dashboard-en.png, dashboard-ar.png and dashboard-ar-phone.png.
The data is written relative to the real clock: the live server and the browser share it.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from accounts.roles import Role
from interviews.models import Concern, Interview
from notifications.models import Message
from tests.factories import PASSWORD, current_code, totp_device_for
from tests.interviews.factories import BookedInterviewFactory, InterviewFactory, SlotFactory
from tests.oversight.factories_dashboard import concern, notice

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LOGIN = "/accounts/login/"
VERIFY = "/accounts/two-factor/"
DASHBOARD = "/oversight/"
PHONE = {"width": 390, "height": 844}


def _url(live_server, path: str) -> re.Pattern:
    return re.compile(rf"^{re.escape(live_server.url + path)}(\?.*)?$")


def _sign_in(page: Page, live_server, user) -> None:
    device = totp_device_for(user)
    page.goto(live_server.url + LOGIN)
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(_url(live_server, VERIFY))
    page.locator("input[name=token]").fill(current_code(device))
    page.get_by_role("button", name="Verify").click()


def _some_of_everything() -> None:
    """A little of what the dashboard counts, over the last months, for the screenshots."""
    now = timezone.now()
    today = timezone.localdate()
    day = dt.timedelta(days=1)
    InterviewFactory(due_on=today - 4 * day)  # due and overdue
    InterviewFactory(due_on=today + 20 * day)  # due
    for index in range(14):
        status = Interview.Status.NO_SHOW if index % 4 == 0 else Interview.Status.HELD
        BookedInterviewFactory(
            status=status, slot=SlotFactory(starts_at=now - (3 + index * 23) * day)
        )
    for index, severity in enumerate(["urgent", "high", "medium", "medium", "low", "high"]):
        opened = now - (2 + index * 41) * day
        closed = index % 2 == 1
        concern(
            severity,
            opened,
            status=Concern.Status.CLOSED if closed else Concern.Status.OPEN,
            **({"closed_at": opened + 12 * day} if closed else {}),
        )
    notice(Message.Status.FAILED, last_attempt_at=now - day, created_at=now - 2 * day)
    notice(Message.Status.HELD, created_at=now - 3 * day)


def _no_page_wide_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_supervisor_lands_on_the_dashboard_and_reads_it_in_english_and_arabic(
    page, live_server, make_staff, artifacts_dir
):
    _some_of_everything()
    supervisor = make_staff(Role.SUPERVISOR)
    _sign_in(page, live_server, supervisor)

    # The supervisor's home page is the dashboard.
    expect(page).to_have_url(_url(live_server, DASHBOARD))
    expect(page.locator("#dashboard-heading")).to_have_text("Oversight")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    overdue = page.locator('[data-figure="interviews-overdue"]')
    expect(overdue.locator("[data-value]")).to_have_text("1")
    expect(page.locator('[data-figure="notices-failed"] [data-value]')).to_have_text("1")
    expect(page.locator('svg[data-chart="interviews-chart"] rect')).to_have_count(24)
    expect(page.locator('svg[data-chart="concerns-chart"] rect')).to_have_count(24)
    # The figures behind a chart, for those who would rather read.
    page.locator("#interviews-chart-block summary").click()
    expect(page.locator("#interviews-chart-table tbody tr")).to_have_count(12)
    page.screenshot(path=str(artifacts_dir / "dashboard-en.png"), full_page=True)

    # A figure opens the list behind it, with as many rows.
    overdue.click()
    expect(page).to_have_url(re.compile(r"/interviews/\?overdue=on$"))
    expect(page.locator("#interview-table tbody tr[data-interview]")).to_have_count(1)
    page.go_back()
    expect(page).to_have_url(_url(live_server, DASHBOARD))

    # In Arabic the page runs right to left and the charts are mirrored.
    with page.expect_response(lambda response: "/i18n/setlang/" in response.url):
        page.locator("#language-select").select_option("ar")
    page.wait_for_load_state("load")
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ar")
    with translation.override("ar"):
        expect(page.locator("#dashboard-heading")).to_have_text(translation.gettext("Oversight"))
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    ticks = page.locator('svg[data-chart="interviews-chart"] g[data-part="months"] text')
    first_x = float(ticks.first.get_attribute("x"))
    last_x = float(ticks.last.get_attribute("x"))
    assert first_x > last_x  # the oldest month on the right
    page.screenshot(path=str(artifacts_dir / "dashboard-ar.png"), full_page=True)

    # On a phone nothing makes the page scroll sideways; a chart scrolls inside its box.
    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator("#dashboard-heading")).to_be_visible()
    assert _no_page_wide_scroll(page)
    page.screenshot(path=str(artifacts_dir / "dashboard-ar-phone.png"), full_page=True)


def test_an_officer_is_refused_the_dashboard(page, live_server, make_staff):
    officer = make_staff(Role.PROTOCOL_OFFICER)
    _sign_in(page, live_server, officer)
    expect(page).to_have_url(_url(live_server, "/"))
    response = page.goto(live_server.url + DASHBOARD)
    assert response is not None and response.status == 403
