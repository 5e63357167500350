"""Security checks: headers, Content-Security-Policy, cookies, and reads across roles.

The page walks reuse the access matrix (tests/matrix/), which names every URL with what it
needs, so a new page is checked here as soon as it is in the matrix.
"""

from django.urls import reverse

from tests.matrix import ALL_ROLES, ANON, LOGIN, all_entries

MATRIX = all_entries()


def visitor_let_in(expected: dict) -> str | None:
    """The first visitor (anonymous first) whom the page answers with 200, if any."""
    for visitor in [ANON, *ALL_ROLES]:
        if expected[visitor] == 200:
            return visitor
    return None


def signed_in_visitor(expected: dict):
    """A role the page lets through (any answer but 403 or login), else the first role."""
    allowed = [role for role in ALL_ROLES if expected[role] not in (403, LOGIN)]
    return (allowed or ALL_ROLES)[0]


def request_entry(name: str, visitor, client, make_staff, client_for):
    """Request the matrix entry `name` as `visitor`, as tests/test_access_matrix.py does."""
    kwargs, method, _expected = MATRIX[name]
    if callable(kwargs):
        kwargs = kwargs()
    if visitor != ANON:
        client = client_for(make_staff(visitor))
    return read_to_the_end(getattr(client, method)(reverse(name, kwargs=kwargs)))


def read_to_the_end(response):
    """Read a streamed answer (CSV, file) to its end, as a browser does; the test client then
    closes it. (Calling close() again would close the database connection on PostgreSQL.)"""
    if response.streaming:
        response.content_bytes = b"".join(response.streaming_content)
    return response
