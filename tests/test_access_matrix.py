"""Every URL in the URL conf, for anonymous users and every role: redirect to login, 403 or 200.

The entries live in tests/matrix/, one module per area. A new view without an entry fails
test_every_view_is_in_the_matrix.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.matrix import ALL_ROLES, ANON, LOGIN, all_entries

MATRIX = all_entries()
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
    if callable(kwargs):
        kwargs = kwargs()
    if visitor != ANON:
        client = client_for(make_staff(visitor))
    url = reverse(name, kwargs=kwargs)
    response = getattr(client, method)(url)
    response.close()  # file downloads hold their file open until closed
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected, (url, visitor, response.status_code)
