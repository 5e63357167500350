"""A protocol officer registers a domestic worker in a real browser, from the mission to an
active employment with a verified bank account, in English and in Arabic (right to left).

Only the sign-in page is typed into the address bar; every other page is reached through the
navigation, links and forms, so a broken link or a lost redirect fails the journey. Selectors are
form field names, element ids and data attributes, never translated text, so the same journey
runs in both languages. The database is only written to directly to create the officer and their
TOTP device; it is read at the end to check that what the pages showed was stored.
"""

import re

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect
from schwifty import IBAN

from accounts.roles import Role
from notifications.models import Kind, Message
from registry.models import BankAccount, BankEvidence, Employment, Registration, Worker
from tests.factories import PASSWORD, current_code, totp_device_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LOGIN = "/accounts/login/"
VERIFY = "/accounts/two-factor/"

MISSION = "Embassy of the Philippines"
EMPLOYER = {"family_name": "Santos", "given_names": "Maria", "accreditation": "ACC-2026-0042"}
WORKER = {"family_name": "Dela Cruz", "given_names": "Rosario", "date_of_birth": "1985-03-14"}
# A Belgian mobile number (the host state is BE), so it may carry SMS notices.
MOBILE = "+32 470 12 34 56"
# Terms that meet registry.services.policy_current(): at least 1800 EUR, at most 40 hours,
# at least 1 rest day a week and 20 days of leave a year.
TERMS = {
    "monthly_salary": "1950.00",
    "currency": "EUR",
    "weekly_hours": "38",
    "weekly_rest_days": "2",
    "annual_leave_days": "24",
}
SUBMIT = "main form[method=post] button[type=submit]"


def _url(live_server, path_pattern: str) -> re.Pattern:
    """The page's URL is the live server's, with a path matching the pattern (query allowed)."""
    return re.compile(rf"^{re.escape(live_server.url)}{path_pattern}(\?.*)?$")


def _arrive(page: Page, live_server, path_pattern: str, lang: str) -> None:
    """The browser is on this page, rendered in the journey's language and direction."""
    expect(page).to_have_url(_url(live_server, path_pattern))
    html = page.locator("html")
    expect(html).to_have_attribute("lang", lang)
    expect(html).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
    expect(page.locator("#language-select")).to_have_value(lang)


def _saved(page: Page) -> None:
    """The page the form redirected to confirms the save (a success message, no error)."""
    expect(page.locator("main .alert-success")).to_have_count(1)
    expect(page.locator("main .alert-danger, main .invalid-feedback")).to_have_count(0)


def _sign_in(page: Page, live_server, user, device) -> None:
    page.goto(live_server.url + LOGIN)
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    # Signing in happens before the language is chosen, so in English.
    page.locator("main form").get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(_url(live_server, VERIFY))
    # Computed right before use: a code is valid for its own step and one either side.
    page.locator("input[name=token]").fill(current_code(device))
    page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(_url(live_server, "/"))
    expect(page.locator("#home-heading")).to_be_visible()


def _choose_language(page: Page, lang: str) -> None:
    if page.locator("#language-select").input_value() == lang:
        return
    with page.expect_response(lambda response: "/i18n/setlang/" in response.url):
        page.locator("#language-select").select_option(lang)
    page.wait_for_load_state("load")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_an_officer_registers_a_worker_from_mission_to_active_employment_with_a_verified_account(
    page, live_server, make_staff, artifacts_dir, tmp_path, lang
):
    officer = make_staff(Role.PROTOCOL_OFFICER)
    _sign_in(page, live_server, officer, totp_device_for(officer))
    _choose_language(page, lang)
    _arrive(page, live_server, "/", lang)
    today = timezone.localdate().isoformat()

    # 1. The mission: Missions in the menu, then the new-mission form.
    page.locator('nav [data-nav="missions"]').click()
    _arrive(page, live_server, "/missions/", lang)
    page.locator("#mission-create").click()
    _arrive(page, live_server, "/missions/new/", lang)
    page.locator("input[name=name]").fill(MISSION)
    page.locator("select[name=kind]").select_option("embassy")
    page.locator("select[name=sending_state]").select_option("PH")
    page.locator("input[name=protocol_contact_email]").fill("protocol@philembassy.example")
    page.locator(SUBMIT).click()
    _arrive(page, live_server, r"/missions/\d+/", lang)
    _saved(page)
    expect(page.locator("main h1")).to_have_text(MISSION)

    # 2. The employer, from the mission's page: the form opens with the mission chosen.
    page.locator("#employer-create").click()
    _arrive(page, live_server, "/employers/new/", lang)
    mission_id = page.locator("select[name=mission]").input_value()
    assert mission_id, "the new-employer form should open with the mission chosen"
    page.locator("input[name=family_name]").fill(EMPLOYER["family_name"])
    page.locator("input[name=given_names]").fill(EMPLOYER["given_names"])
    page.locator("input[name=title]").fill("First Secretary")
    page.locator("input[name=accreditation_number]").fill(EMPLOYER["accreditation"])
    page.locator("select[name=privileges_category]").select_option("diplomatic_agent")
    page.locator(SUBMIT).click()
    _arrive(page, live_server, r"/employers/\d+/", lang)
    _saved(page)
    employer_id = re.search(r"/employers/(\d+)/", page.url).group(1)
    expect(page.locator(f'main a[href="/missions/{mission_id}/"]')).to_have_text(MISSION)

    # 3. The worker: Workers in the menu, then the registration form, with the consent and a
    # safe mobile number for SMS.
    page.locator('nav [data-nav="workers"]').click()
    _arrive(page, live_server, "/workers/", lang)
    page.locator("#worker-create").click()
    _arrive(page, live_server, "/workers/new/", lang)
    page.locator("input[name=family_name]").fill(WORKER["family_name"])
    page.locator("input[name=given_names]").fill(WORKER["given_names"])
    page.locator("input[name=date_of_birth]").fill(WORKER["date_of_birth"])
    page.locator("select[name=sex]").select_option("F")
    page.locator("select[name=nationality]").select_option("PH")
    page.locator("input[name=passport_number]").fill("P1234567A")
    page.locator("input[name=preferred_language]").fill("tl")
    page.locator("select[name=host_language_level]").select_option("basic")
    page.locator("input[name=phone_number]").fill(MOBILE)
    page.locator("input[name=phone_is_safe]").check()
    page.locator("input[name=phone_is_sms_number]").check()
    page.locator("input[name=data_processing_consent]").check()
    page.locator(SUBMIT).click()
    _arrive(page, live_server, r"/workers/\d+/", lang)
    _saved(page)
    worker_path = re.search(r"/workers/\d+/", page.url).group(0)
    expect(page.locator("main h1")).to_have_text(
        f"{WORKER['family_name']}, {WORKER['given_names']}"
    )
    expect(page.locator('[id^="phone-"]')).to_have_text("+32470123456")

    # 4. The employment, from the worker's page, on terms that meet the policy.
    page.locator("#employment-create").click()
    _arrive(page, live_server, r"/workers/\d+/employments/new/", lang)
    page.locator("select[name=employer]").select_option(employer_id)
    page.locator("input[name=start_date]").fill(today)
    page.locator("textarea[name=duties]").fill("Cooking, cleaning, childcare")
    for name, value in TERMS.items():
        page.locator(f"input[name={name}]").fill(value)
    page.locator("select[name=accommodation]").select_option("in_household")
    page.locator("input[name=contract_languages]").fill("en, tl")
    page.locator(SUBMIT).click()
    _arrive(page, live_server, worker_path, lang)
    _saved(page)
    expect(page.locator("#policy-breaches")).to_have_count(0)
    expect(page.locator("#current-employment")).to_have_attribute("data-status", "pre_notified")

    # 5. The in-person registration: the worker seen alone, identity checked, rights explained.
    page.locator("#registration-create").click()
    _arrive(page, live_server, r"/employments/\d+/registration/", lang)
    page.locator("input[name=identity_checked]").check()
    page.locator("input[name=held_own_passport]").check()
    page.locator("input[name=employer_absent]").check()
    page.locator("input[name=rights_explained]").check()
    page.locator("input[name=language]").fill("tl")
    page.locator("input[name=leaflet_language]").fill("tl")
    page.locator(SUBMIT).click()
    _arrive(page, live_server, worker_path, lang)
    _saved(page)
    expect(page.locator("#current-employment")).to_have_attribute("data-status", "active")
    expect(page.locator("#registration")).to_be_visible()

    # 6. The bank account, in the worker's name, with a bank letter, then verified.
    iban = IBAN.generate("BE", bank_code="096", account_code="2200301")
    page.locator("#bank-account-create").click()
    _arrive(page, live_server, r"/workers/\d+/bank-accounts/new/", lang)
    page.locator("input[name=iban]").fill(iban.formatted)
    page.locator("input[name=holder_names]").fill(
        f"{WORKER['given_names']} {WORKER['family_name']}".upper()
    )
    page.locator("input[name=sole_holder]").check()
    page.locator(SUBMIT).click()
    _arrive(page, live_server, r"/bank-accounts/\d+/", lang)
    _saved(page)
    expect(page.locator("#name-mismatch")).to_have_count(0)
    expect(page.locator("#not-sole-holder")).to_have_count(0)
    expect(page.locator("#account-number")).to_have_text(iban.formatted)
    expect(page.locator("#verification-state")).to_have_attribute("data-state", "unverified")

    letter = tmp_path / "bank-letter.pdf"
    letter.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n")
    page.locator("#upload-form input[name=file]").set_input_files(letter)
    page.locator("#upload-form button[type=submit]").click()
    _arrive(page, live_server, r"/bank-accounts/\d+/", lang)
    _saved(page)
    expect(page.locator("#evidence-table tbody a[download]")).to_have_text(letter.name)

    page.locator("#verify-form select[name=method]").select_option("bank_letter")
    page.locator("#verify-form input[name=verified_on]").fill(today)
    page.locator("#verify-form button[type=submit]").click()
    _arrive(page, live_server, r"/bank-accounts/\d+/", lang)
    _saved(page)
    expect(page.locator("#verification-state")).to_have_attribute("data-state", "verified")

    # 7. Back on the worker's page: the employment is active and the account verified.
    page.locator("#back-to-worker").click()
    _arrive(page, live_server, worker_path, lang)
    expect(page.locator("#current-employment")).to_have_attribute("data-status", "active")
    accounts = page.locator("#bank-account-table tbody tr")
    expect(accounts).to_have_count(1)
    expect(accounts).to_have_attribute("data-status", "verified")
    expect(accounts.locator('a[href^="/bank-accounts/"]')).to_contain_text(iban.compact[-4:])
    # The page speaks the journey's language, not only its direction: headings come from the
    # compiled catalogue (an untranslated page would show the English text).
    with translation.override(lang):
        headings = [gettext(text) for text in ("Current employment", "Bank accounts", "Timeline")]
    for heading_id, text in zip(
        ["employment-heading", "bank-heading", "timeline-heading"], headings, strict=True
    ):
        expect(page.locator(f"#{heading_id}")).to_have_text(text)
    if lang == "ar":
        assert headings[1] != "Bank accounts"
    page.screenshot(path=str(artifacts_dir / f"registry-journey-{lang}.png"), full_page=True)

    # The database agrees with what the pages showed.
    worker = Worker.objects.get()
    employment = Employment.objects.get(worker=worker)
    assert employment.status == Employment.Status.ACTIVE
    assert str(employment.employer_id) == employer_id
    assert str(employment.employer.mission_id) == mission_id
    assert Registration.objects.get(employment=employment).officer == officer
    account = BankAccount.objects.get(worker=worker)
    assert account.status == BankAccount.Status.VERIFIED
    assert account.iban == iban.compact
    assert account.verified_by == officer
    assert account.verification_method == BankAccount.Method.BANK_LETTER
    assert account.verified_on.isoformat() == today
    assert BankEvidence.objects.filter(account=account).count() == 1
    assert Message.objects.filter(worker=worker, kind=Kind.RIGHTS_INFORMATION).exists()
