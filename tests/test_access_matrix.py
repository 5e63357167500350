"""Every URL in the URL conf, for anonymous users and every role: redirect to login, 403 or 200.

A new view without an entry in MATRIX fails test_every_view_is_in_the_matrix.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.roles import Role

ANON = "anonymous"
PO, IV, SV, AD, AU = (
    Role.PROTOCOL_OFFICER,
    Role.INTERVIEWER,
    Role.SUPERVISOR,
    Role.ADMINISTRATOR,
    Role.AUDITOR,
)
ALL_ROLES = [PO, IV, SV, AD, AU]
LOGIN = "login"  # a redirect to the login page


def everyone(status):
    return {role: status for role in ALL_ROLES}


def only(*roles, allowed=200):
    return {role: (allowed if role in roles else 403) for role in ALL_ROLES}


# url name -> (kwargs for reverse, method, expected answer per visitor)
MATRIX = {
    "accounts:home": ({}, "get", {ANON: LOGIN, **everyone(200)}),
    "accounts:login": ({}, "get", {ANON: 200, **everyone(302)}),
    "accounts:logout": ({}, "post", {ANON: 302, **everyone(302)}),
    "accounts:two-factor-verify": ({}, "get", {ANON: LOGIN, **everyone(302)}),
    "accounts:two-factor-setup": ({}, "get", {ANON: LOGIN, **everyone(200)}),
    "accounts:recovery-codes-regenerate": ({}, "post", {ANON: LOGIN, **everyone(200)}),
    "accounts:password-change": ({}, "get", {ANON: LOGIN, **everyone(200)}),
    "accounts:password-reset": ({}, "get", {ANON: 200, **everyone(200)}),
    "accounts:password-reset-done": ({}, "get", {ANON: 200, **everyone(200)}),
    "accounts:password-reset-confirm": (
        {"uidb64": "MQ", "token": "set-password"},
        "get",
        {ANON: 200, **everyone(200)},
    ),
    "accounts:password-reset-complete": ({}, "get", {ANON: 200, **everyone(200)}),
    "accounts:audit-list": ({}, "get", {ANON: LOGIN, **only(SV, AU)}),
    "accounts:audit-export": ({}, "get", {ANON: LOGIN, **only(AU)}),
    "set_language": ({}, "post", {ANON: 302, **everyone(302)}),
    # The Django admin: staff accounts (administrators) only; others are sent to sign in.
    "admin:index": (
        {},
        "get",
        {ANON: 302, **only(AD, allowed=200), PO: 302, IV: 302, SV: 302, AU: 302},
    ),
}
# Admin pages are Django's own and answer as admin:index does; the admin login is redirected.
EXEMPT_NAMESPACES = {"admin"}


def _named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            space = namespace
            if entry.namespace:
                space = f"{namespace}{entry.namespace}:"
            yield from _named_patterns(entry, space)
        elif isinstance(entry, URLPattern):
            yield namespace, f"{namespace}{entry.name}" if entry.name else None, entry


def test_every_view_is_in_the_matrix():
    missing = []
    for namespace, name, pattern in _named_patterns():
        if namespace.rstrip(":") in EXEMPT_NAMESPACES:
            continue
        if name is None:
            if str(pattern.pattern) == "admin/login/":
                continue
            missing.append(str(pattern.pattern))
        elif name not in MATRIX:
            missing.append(name)
    assert missing == [], f"Add these views to the access matrix: {missing}"


CASES = [
    (name, visitor)
    for name, (_kwargs, _method, expected) in MATRIX.items()
    for visitor in [ANON, *ALL_ROLES]
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "visitor"), CASES, ids=[f"{n}-{v}" for n, v in CASES])
def test_access(name, visitor, client, make_staff, client_for):
    kwargs, method, expected_by_visitor = MATRIX[name]
    expected = expected_by_visitor[visitor]
    if visitor != ANON:
        client = client_for(make_staff(visitor))
    url = reverse(name, kwargs=kwargs)
    response = getattr(client, method)(url)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected, (url, visitor, response.status_code)
