"""Every response carries the security headers: for every URL, signed in or not, whatever
the answer (page, redirect, 403, 404, download)."""

import pytest
from django.test import Client

from tests.matrix import ANON
from tests.security import MATRIX, request_entry, signed_in_visitor

pytestmark = pytest.mark.django_db

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# same-origin, or stricter: the worker's appointment page sends no referrer at all.
REFERRER_POLICIES = {"same-origin", "no-referrer"}
HSTS = "max-age=31536000; includeSubDomains; preload"


def assert_security_headers(response):
    for header, value in EXPECTED.items():
        assert response.get(header) == value, (header, response.get(header))
    assert response.get("Referrer-Policy") in REFERRER_POLICIES, response.get("Referrer-Policy")
    policy = response.get("Content-Security-Policy", "")
    assert "default-src 'self'" in policy, policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, policy


CASES = [
    (name, visitor)
    for name, (_kwargs, _method, expected) in MATRIX.items()
    for visitor in (ANON, signed_in_visitor(expected))
]


@pytest.mark.parametrize(("name", "visitor"), CASES, ids=[f"{n}-{v}" for n, v in CASES])
def test_every_url_answers_with_the_security_headers(name, visitor, client, make_staff, client_for):
    response = request_entry(name, visitor, client, make_staff, client_for)
    assert_security_headers(response)
    # Plain HTTP (the test client's default): HSTS is only ever sent over HTTPS.
    assert "Strict-Transport-Security" not in response


@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/rights/", "/rights/tl/", "/no-such-page/", "/static/nothing.css"]
)
def test_public_pages_errors_and_missing_files_carry_them_too(client, path):
    response = client.get(path)
    assert response.status_code in (200, 404)
    assert_security_headers(response)


def test_a_refused_form_post_carries_them_too():
    """The CSRF failure page (403) is rendered outside the views."""
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert_security_headers(response)


def test_over_https_every_answer_asks_the_browser_to_stay_on_https(client, officer, client_for):
    assert client.get("/accounts/login/", secure=True)["Strict-Transport-Security"] == HSTS
    signed_in = client_for(officer)
    assert signed_in.get("/missions/", secure=True)["Strict-Transport-Security"] == HSTS
    assert signed_in.get("/audit/", secure=True)["Strict-Transport-Security"] == HSTS
