"""A worker opens the public rights page in a real browser, with no login: from the language
chooser to Arabic (right to left), back to the chooser, then to Amharic (Ge'ez script).

Chromium reports which installed font drew each heading, so the test knows the page is set in
the Noto family for its script, not in a fallback that would show empty boxes. Screenshots
rights-ar.png and rights-am.png are kept in test-artifacts/e2e/.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from notifications.models_contacts import ContactPoint

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ARABIC = {
    "lang": "ar",
    "dir": "rtl",
    "title": "حقوقك وواجباتك",
    "line": "يحق لك الاحتفاظ بجواز سفرك.",
    "contacts": "أرقام للمساعدة",
    "font": "Noto Naskh Arabic",
}
AMHARIC = {
    "lang": "am",
    "dir": "ltr",
    "title": "የእርስዎ መብቶች እና ግዴታዎች",
    "line": "ፓስፖርትዎን እርስዎ ራስዎ ይይዛሉ።",
    "contacts": "ለማን መደወል እንደሚችሉ",
    "font": "Noto Sans Ethiopic",
}


def _fonts_drawing(page: Page, selector: str) -> set[str]:
    """The installed font families Chromium used to draw the element's text."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return {font["familyName"] for font in fonts}


def _read_in(page: Page, live_server, language: dict, artifacts_dir) -> None:
    code = language["lang"]
    expect(page).to_have_url(re.compile(rf"^{re.escape(live_server.url)}/rights/{code}/$"))
    html = page.locator("html")
    expect(html).to_have_attribute("lang", code)
    expect(html).to_have_attribute("dir", language["dir"])
    title = page.locator("#rights-title")
    expect(title).to_have_text(language["title"])
    expect(page.locator("#rights-documents li").first).to_have_text(language["line"])
    expect(page.locator("#rights-contacts-heading")).to_have_text(language["contacts"])
    # Whom to call: the emergency number among the contacts, as a link to dial.
    expect(page.locator('#rights-contact-list a[href="tel:112"]')).to_be_visible()
    assert title.evaluate("e => getComputedStyle(e).direction") == language["dir"]
    heading, main = title.bounding_box(), page.locator("main").bounding_box()
    if language["dir"] == "rtl":
        # The heading starts at the right edge of the page.
        assert main["x"] + main["width"] - (heading["x"] + heading["width"]) < 40
    else:
        assert heading["x"] - main["x"] < 40
    # Headings are drawn in a heavier face of the family ("Noto Naskh Arabic Medium").
    fonts = _fonts_drawing(page, "#rights-title")
    assert fonts and all(font.startswith(language["font"]) for font in fonts), fonts
    expect(page.locator("#rights-leaflet")).to_have_attribute("href", f"/rights/{code}/leaflet.pdf")
    expect(page.locator("#rights-short-url")).to_contain_text(f"/rights/{code}/")
    expect(page.locator("#rights-share svg")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / f"rights-{code}.png"), full_page=True)


def test_a_worker_reads_the_rights_page_in_arabic_then_in_amharic(
    page: Page, live_server, artifacts_dir
):
    # An earlier browser test's flush may have removed the examples the migration created.
    ContactPoint.objects.get_or_create(
        kind=ContactPoint.Kind.EMERGENCY, phone="112", defaults={"name": "Emergency"}
    )
    page.goto(live_server.url + "/rights/")
    expect(page.locator("#rights-languages a")).to_have_count(24)
    page.locator('#rights-languages a[data-language="ar"]').click()
    _read_in(page, live_server, ARABIC, artifacts_dir)

    page.locator("#rights-other-languages").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(live_server.url)}/rights/$"))
    page.locator('#rights-languages a[data-language="am"]').click()
    _read_in(page, live_server, AMHARIC, artifacts_dir)
