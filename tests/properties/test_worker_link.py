"""The worker's signed link: any token at all is either the interview it was issued for, or
LinkInvalid / LinkExpired, never another error; a token with one character changed is invalid.
The public page at /a/<token>/ answers any token without a server error."""

import datetime as dt
import string

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from interviews.links import LinkExpired, LinkInvalid, interview_id_from, token_for
from tests.properties import PROPERTY, text_values

NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
# What a token is written with: base 36 numbers, dashes, URL-safe base64.
TOKEN_ALPHABET = string.ascii_letters + string.digits + "-_"

ids = st.integers(min_value=1, max_value=10**12)
lifetimes = st.integers(min_value=-(10**6), max_value=10**6).map(lambda m: dt.timedelta(minutes=m))
base36 = st.text(alphabet=string.digits + string.ascii_lowercase, min_size=1, max_size=8)
tokens = st.one_of(
    text_values(),
    # The shape of a token, with any signature at all.
    st.builds(lambda a, b, c: f"{a}-{b}-{c}", base36, base36, text_values()),
    st.text(alphabet=TOKEN_ALPHABET, max_size=60),
    st.builds(
        lambda a, b, c: f"{a}-{b}-{c}",
        st.text(alphabet=TOKEN_ALPHABET, max_size=12),
        st.text(alphabet=TOKEN_ALPHABET, max_size=12),
        st.text(alphabet=TOKEN_ALPHABET, max_size=20),
    ),
)


def _outcome(token: str):
    try:
        return interview_id_from(token, now=NOW)
    except (LinkInvalid, LinkExpired) as refusal:
        return type(refusal)


@PROPERTY
@given(interview_id=ids, lifetime=lifetimes)
def test_a_token_gives_back_its_interview_until_it_expires(interview_id, lifetime):
    # NOW and the lifetimes are whole minutes, the expiry's own precision.
    token = token_for(interview_id, NOW + lifetime)
    expected = interview_id if lifetime >= dt.timedelta(0) else LinkExpired
    assert _outcome(token) == expected


@PROPERTY
@given(token=tokens)
def test_any_other_token_at_all_is_refused_as_invalid(token):
    assert _outcome(token) is LinkInvalid


@PROPERTY
@given(interview_id=ids, data=st.data())
def test_a_token_with_one_character_changed_is_invalid(interview_id, data):
    token = token_for(interview_id, NOW + dt.timedelta(days=30))
    position = data.draw(st.integers(0, len(token) - 1))
    character = data.draw(
        (st.sampled_from(TOKEN_ALPHABET) | st.characters()).filter(lambda c: c != token[position])
    )
    changed = token[:position] + character + token[position + 1 :]
    assert _outcome(changed) is LinkInvalid


# --- The public page ----------------------------------------------------------------------


def _page_url(token: str) -> str:
    try:
        return reverse("appointment", kwargs={"token": token})
    except NoReverseMatch:
        pytest.skip("the appointment page is not in the URL conf yet")


@pytest.mark.django_db
@PROPERTY
@given(
    token=st.text(alphabet=TOKEN_ALPHABET, min_size=1, max_size=60),
    post=st.booleans(),
    lang=text_values(),
    answer=st.sampled_from(["confirm", "move", "", "x"]) | text_values(),
)
def test_the_appointment_page_refuses_any_token_without_a_server_error(
    client, token, post, lang, answer
):
    url = _page_url(token)
    if post:
        response = client.post(f"{url}?lang=", {"answer": answer, "note": lang})
    else:
        response = client.get(url, {"lang": lang})
    assert response.status_code in (400, 403, 404, 410), response.status_code


@pytest.mark.django_db
def test_the_appointment_page_of_an_expired_token_says_so(client):
    token = token_for(1, timezone.now() - dt.timedelta(days=1))
    response = client.get(_page_url(token))
    assert response.status_code in (404, 410), response.status_code
