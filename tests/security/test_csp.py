"""The Content-Security-Policy forbids inline script and style, so no page may hold any: no
<script> without src, no on...= handler, no style="..." attribute, no <style> block, no
javascript: link. Checked on the policy itself, on every page as rendered, and on every
template (which also covers pages that need data the walk does not create)."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.security import MATRIX, request_entry, visitor_let_in

ROOT = Path(__file__).resolve().parents[2]

POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
# Data blocks (json_script) are not run by the browser, so the policy allows them.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


def policy_of(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {name: values for name, *values in directives}


class InlineCode(HTMLParser):
    """Collects every piece of inline script or style in a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        script_type = (attributes.get("type") or "").lower()
        if tag == "script" and not attributes.get("src") and script_type not in DATA_SCRIPT_TYPES:
            self.found.append(f"inline <script> {attributes}")
        if tag == "style":
            self.found.append("<style> block")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...> handler")
            if name == "style":
                self.found.append(f'<{tag} style="{value}">')
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}={value!r}>")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    parser.close()
    return parser.found


def test_the_policy_allows_only_our_own_files(client):
    response = client.get("/accounts/login/")
    assert policy_of(response) == POLICY


def test_the_inline_code_finder_finds_what_the_policy_blocks():
    page = (
        '<script>alert(1)</script><script src="/static/x.js"></script>'
        '<script type="application/json" id="d">{}</script>'
        '<select onchange="this.form.submit()"></select><div style="width: 5%"></div>'
        '<style>p {}</style><a href="javascript:void(0)">x</a>'
    )
    assert len(inline_code(page)) == 5


PAGES = sorted(
    (name, visitor)
    for name, (_kwargs, method, expected) in MATRIX.items()
    if method == "get" and (visitor := visitor_let_in(expected)) is not None
)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "visitor"), PAGES, ids=[f"{n}-{v}" for n, v in PAGES])
def test_no_page_holds_inline_script_or_style(name, visitor, client, make_staff, client_for):
    response = request_entry(name, visitor, client, make_staff, client_for)
    assert response.status_code == 200
    # Downloads (CSV, PDF, calendars), images and JSON hold no page for a browser to run.
    if response.get("Content-Type", "").startswith("text/html"):
        assert inline_code(response.content.decode()) == []


# Templates that are never served as a page under the policy: e-mails (a mail client needs
# inline styles, so they live under email/) and the PDFs WeasyPrint draws (named *_pdf.html).


def _is_a_page(relative: str) -> bool:
    return "/email/" not in relative and not relative.endswith("_pdf.html")


TEMPLATE_PATTERNS = {
    "inline <script>": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>"),
    "event handler": re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.S),
    "style attribute": re.compile(r"<[a-zA-Z][^>]*\sstyle\s*=", re.S),
    "<style> block": re.compile(r"<style[\s>]"),
    "javascript: link": re.compile(r"javascript:", re.I),
}


def _templates():
    folders = [ROOT / "templates", *ROOT.glob("*/templates")]
    for folder in folders:
        if ".venv" in folder.parts:
            continue
        for path in sorted(folder.rglob("*.html")):
            relative = path.relative_to(ROOT).as_posix()
            if _is_a_page(relative):
                yield relative


def test_no_template_holds_inline_script_or_style():
    problems = []
    templates = list(_templates())
    assert len(templates) > 50
    for relative in templates:
        text = (ROOT / relative).read_text(encoding="utf-8")
        for problem, pattern in TEMPLATE_PATTERNS.items():
            if pattern.search(text):
                problems.append(f"{relative}: {problem}")
    assert problems == []


def test_the_rights_pages_stylesheet_sets_every_script_the_leaflet_sets():
    """The web pages take their fonts from static/css/rights.css, the PDF from fonts.html."""
    leaflet = (ROOT / "notifications/templates/notifications/rights/fonts.html").read_text()
    stylesheet = (ROOT / "static/css/rights.css").read_text()
    scripts = set(re.findall(r"\.script-[a-z_]+", leaflet))
    assert len(scripts) > 10
    assert scripts <= set(re.findall(r"\.script-[a-z_]+", stylesheet))
