"""Staff journeys in a real browser: sign-in with password and TOTP, role home pages,
language switching (Arabic, right to left), and the audit log.

Each test gets its own user and TOTP device (the database is flushed between tests), so a
code is never replayed within its 30-second step. Screenshots go to test-artifacts/e2e/.
"""

import re

import pytest
from django.utils.text import slugify
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from accounts.models import AuditEntry
from accounts.roles import Role
from tests.factories import PASSWORD, current_code, totp_device_for

# Transactional, so the live server's thread sees the rows the test writes (and the other way
# round); the role groups are recreated before each test by conftest.role_groups.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LOGIN = "/accounts/login/"
VERIFY = "/accounts/two-factor/"
AUDIT = "/audit/"
DASHBOARD = "/oversight/"

# The menu bar, then the "Reports" and "Settings" menus that open from it.
EXPECTED_NAV = {
    Role.PROTOCOL_OFFICER: (
        [
            "home",
            "workers",
            "interviews",
            "clearances",
            "decisions",
            "bank-accounts",
            "employers",
            "missions",
            "import",
        ],
        {"reports": ["messages"], "settings": ["rooms", "interpreters"]},
    ),
    Role.INTERVIEWER: (
        [
            "home",
            "day",
            "workers",
            "interviews",
            "concerns",
            "employers",
            "missions",
            "availability",
        ],
        {"settings": ["rooms", "interpreters", "organisations"]},
    ),
    Role.SUPERVISOR: (
        [
            "home",
            "day",
            "workers",
            "interviews",
            "concerns",
            "clearances",
            "decisions",
            "bank-accounts",
            "employers",
            "missions",
            "availability",
        ],
        {
            "reports": ["dashboard", "messages", "compliance", "statistics", "holds", "audit"],
            "settings": [
                "policy",
                "interview-policy",
                "retention",
                "rooms",
                "interpreters",
                "organisations",
            ],
        },
    ),
    Role.ADMINISTRATOR: (
        ["home", "operations"],
        {
            "reports": ["holds"],
            "settings": [
                "policy",
                "interview-policy",
                "retention",
                "rooms",
                "interpreters",
                "organisations",
                "templates",
                "contacts",
                "rights",
                "admin",
            ],
        },
    ),
    Role.AUDITOR: (["home"], {"reports": ["compliance", "statistics", "audit"]}),
}


def _path_is(live_server, path: str) -> re.Pattern:
    """The page's URL is exactly this path (query string allowed)."""
    return re.compile(rf"^{re.escape(live_server.url + path)}(\?.*)?$")


def _submit_password(page: Page, live_server, username: str, password: str) -> None:
    page.goto(live_server.url + LOGIN)
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("main form").get_by_role("button", name="Sign in").click()


def _landing(user) -> tuple[str, str]:
    """Where a user lands after signing in, and its heading: supervisors on the dashboard."""
    if user.has_perm("oversight.view_dashboard") and not user.has_perm("registry.add_worker"):
        return DASHBOARD, "#dashboard-heading"
    return "/", "#home-heading"


def _sign_in(page: Page, live_server, user, device) -> None:
    """The whole staff sign-in, as a person does it: password, then the code from the app."""
    _submit_password(page, live_server, user.username, PASSWORD)
    expect(page).to_have_url(_path_is(live_server, VERIFY))
    # Computed right before use: a code is valid for its own step and one either side.
    page.locator("input[name=token]").fill(current_code(device))
    page.get_by_role("button", name="Verify").click()
    path, heading = _landing(user)
    expect(page).to_have_url(_path_is(live_server, path))
    expect(page.locator(heading)).to_be_visible()


def _wrong_code(device) -> str:
    """A six-digit code that the device will not accept right now."""
    valid = set()
    for offset in range(-device.tolerance - 1, device.tolerance + 2):
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + offset)
        valid.add(f"{totp.token():06d}")
    return next(code for code in ("000000", "123456", "999999", "424242") if code not in valid)


def _nav_keys(page: Page) -> list[str]:
    return page.locator("nav [data-nav]").evaluate_all("links => links.map(a => a.dataset.nav)")


def _stylesheet_loaded(page: Page, name: str) -> bool:
    """The stylesheet is linked, fetched and parsed (it has rules), not merely mentioned."""
    return page.evaluate(
        """name => [...document.styleSheets].some(
            sheet => sheet.href && sheet.href.endsWith('/' + name) && sheet.cssRules.length > 0
        )""",
        name,
    )


@pytest.mark.parametrize("role", list(Role), ids=[slugify(role.value) for role in Role])
def test_each_role_signs_in_with_password_and_code_and_sees_its_home_page(
    page, live_server, make_staff, artifacts_dir, role
):
    user = make_staff(role)
    device = totp_device_for(user)

    _sign_in(page, live_server, user, device)
    if role == Role.SUPERVISOR:
        # The supervisors' home is the dashboard; their role shows on their account page.
        page.goto(live_server.url + "/?account=1")

    expect(page.locator(f'[data-role="{role.value}"]')).to_be_visible()
    expect(page.locator("[data-role]")).to_have_count(1)
    bar, menus = EXPECTED_NAV[role]
    assert _nav_keys(page) == bar + [key for keys in menus.values() for key in keys]
    for key in bar:
        expect(page.locator(f'nav [data-nav="{key}"]')).to_be_visible()
    for group, keys in menus.items():
        page.locator(f'nav [data-nav-group="{group}"]').click()
        for key in keys:
            expect(page.locator(f'nav [data-nav="{key}"]')).to_be_visible()
        page.keyboard.press("Escape")
    page.screenshot(path=str(artifacts_dir / f"home-{slugify(role.value)}.png"), full_page=True)


def test_switching_to_arabic_turns_the_page_right_to_left_and_back(
    page, live_server, make_staff, artifacts_dir
):
    user = make_staff(Role.INTERVIEWER)
    _sign_in(page, live_server, user, totp_device_for(user))
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "ltr")

    with page.expect_response(lambda response: "/i18n/setlang/" in response.url):
        page.locator("#language-select").select_option("ar")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ar")
    page.wait_for_load_state("load")
    expect(page).to_have_url(_path_is(live_server, "/"))
    expect(page.locator("#language-select")).to_have_value("ar")
    expect(page.locator('link[rel="stylesheet"][href$="/bootstrap.rtl.min.css"]')).to_have_count(1)
    assert _stylesheet_loaded(page, "bootstrap.rtl.min.css")
    assert not _stylesheet_loaded(page, "bootstrap.min.css")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # data-role carries the role's stable name; the label beside it is translated.
    expect(page.locator('[data-role="Interviewer"] .role-name')).to_have_text("مُجري المقابلات")
    page.screenshot(path=str(artifacts_dir / "home-ar.png"), full_page=True)

    with page.expect_response(lambda response: "/i18n/setlang/" in response.url):
        page.locator("#language-select").select_option("en")
    expect(html).to_have_attribute("dir", "ltr")
    expect(html).to_have_attribute("lang", "en")
    page.wait_for_load_state("load")
    assert _stylesheet_loaded(page, "bootstrap.min.css")
    assert not _stylesheet_loaded(page, "bootstrap.rtl.min.css")


def test_a_wrong_password_shows_an_error_and_does_not_sign_in(page, live_server, make_staff):
    user = make_staff(Role.PROTOCOL_OFFICER)
    totp_device_for(user)

    _submit_password(page, live_server, user.username, "not-the-password")

    expect(page).to_have_url(_path_is(live_server, LOGIN))
    expect(page.locator("main .alert-danger")).to_contain_text(
        "Please enter a correct username and password"
    )
    expect(page.locator("nav [data-nav]")).to_have_count(0)
    page.goto(live_server.url + "/")
    expect(page).to_have_url(_path_is(live_server, LOGIN))
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.LOGIN_FAILED, actor_username=user.username
    ).exists()


def test_a_wrong_code_keeps_the_user_on_the_two_factor_page(page, live_server, make_staff):
    user = make_staff(Role.PROTOCOL_OFFICER)
    device = totp_device_for(user)

    _submit_password(page, live_server, user.username, PASSWORD)
    expect(page).to_have_url(_path_is(live_server, VERIFY))
    page.locator("input[name=token]").fill(_wrong_code(device))
    page.get_by_role("button", name="Verify").click()

    expect(page).to_have_url(_path_is(live_server, VERIFY))
    expect(page.locator(".invalid-feedback")).to_contain_text("That code is not valid")
    expect(page.locator("input[name=token]")).to_have_class(re.compile(r"\bis-invalid\b"))
    page.goto(live_server.url + "/")
    expect(page).to_have_url(_path_is(live_server, VERIFY))
    expect(page.locator("#home-heading")).to_have_count(0)


def _audit_rows(page: Page) -> list[list[str]]:
    """The audit table's cells: when, user, action, object, changed fields, IP address, detail."""
    table = page.locator("#audit-table")
    expect(table).to_be_visible()
    return table.locator("tbody tr").evaluate_all(
        "rows => rows.map(row => [...row.cells].map(cell => cell.innerText.trim()))"
    )


def test_the_supervisor_finds_their_own_sign_in_in_the_audit_log(
    page, live_server, make_staff, artifacts_dir
):
    user = make_staff(Role.SUPERVISOR)
    _sign_in(page, live_server, user, totp_device_for(user))

    page.locator('nav [data-nav-group="reports"]').click()
    page.locator('nav [data-nav="audit"]').click()
    expect(page).to_have_url(_path_is(live_server, AUDIT))
    rows = _audit_rows(page)
    own_logins = [row for row in rows if row[1] == user.username and row[2] == "Login"]
    assert own_logins, rows
    expect(
        page.locator("#audit-table tbody tr", has_text=user.username).filter(has_text="Login").first
    ).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "audit-supervisor.png"), full_page=True)


def test_the_audit_log_shows_both_steps_of_the_sign_in(page, live_server, make_staff):
    user = make_staff(Role.SUPERVISOR)
    _sign_in(page, live_server, user, totp_device_for(user))

    page.goto(live_server.url + AUDIT)
    rows = _audit_rows(page)
    details = {row[6] for row in rows if row[1] == user.username and row[2] == "Login"}
    assert details == {"password", "second factor"}, rows


def test_a_protocol_officer_typing_the_audit_address_gets_the_friendly_403_page(
    page, live_server, make_staff
):
    user = make_staff(Role.PROTOCOL_OFFICER)
    _sign_in(page, live_server, user, totp_device_for(user))

    response = page.goto(live_server.url + AUDIT)

    assert response is not None
    assert response.status == 403
    expect(page.locator("main h1")).to_have_text("You do not have access to this page")
    expect(page.locator("#audit-table")).to_have_count(0)
    expect(page.locator('nav [data-nav="home"]')).to_be_visible()
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.PERMISSION_DENIED, actor=user, detail=f"GET {AUDIT}"
    ).exists()
