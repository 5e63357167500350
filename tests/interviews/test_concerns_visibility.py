"""Who sees which concern (DESIGN.md: an interviewer never sees workers of other interviewers'
concerns unless supervisor). One rule, interviews.concerns.concerns_visible_to, for every page."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from interviews.concerns import concerns_visible_to
from interviews.models import Concern
from tests.interviews.factories import (
    BookedInterviewFactory,
    ConcernFactory,
    RecordFactory,
    ReferralFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(make_staff):
    return make_staff(Role.INTERVIEWER, username="colleague")


@pytest.fixture
def mine(interviewer, colleague):
    """One concern for each way a concern is the interviewer's, and one that is not."""
    return {
        "opened": ConcernFactory(summary="opened", opened_by=interviewer, owner=colleague),
        "owned": ConcernFactory(summary="owned", opened_by=colleague, owner=interviewer),
        "interview": ConcernFactory(
            summary="interview",
            opened_by=colleague,
            interview=BookedInterviewFactory(slot__interviewer=interviewer),
        ),
        "record": ConcernFactory(
            summary="record",
            opened_by=colleague,
            source=Concern.Source.RECORD,
            record=RecordFactory(interview__slot__interviewer=interviewer),
        ),
    }


@pytest.fixture
def theirs(colleague):
    return ConcernFactory(
        summary="theirs",
        opened_by=colleague,
        owner=colleague,
        interview=BookedInterviewFactory(slot__interviewer=colleague),
    )


def summaries(queryset):
    return sorted(queryset.values_list("summary", flat=True))


def test_a_supervisor_sees_every_concern(supervisor, mine, theirs):
    assert summaries(concerns_visible_to(supervisor)) == [
        "interview",
        "opened",
        "owned",
        "record",
        "theirs",
    ]


def test_an_interviewer_sees_concerns_they_opened_own_or_raised_on_their_interviews(
    interviewer, mine, theirs
):
    assert summaries(concerns_visible_to(interviewer)) == ["interview", "opened", "owned", "record"]


def test_the_rule_narrows_a_queryset_given_to_it(interviewer, mine, theirs):
    urgent_only = Concern.objects.filter(summary__in=["opened", "theirs"])
    assert summaries(concerns_visible_to(interviewer, urgent_only)) == ["opened"]


@pytest.mark.parametrize("role", [Role.PROTOCOL_OFFICER, Role.ADMINISTRATOR, Role.AUDITOR])
def test_officers_administrators_and_auditors_see_no_concern(make_staff, role, mine, theirs):
    assert not concerns_visible_to(make_staff(role)).exists()


def test_a_deactivated_account_sees_nothing(make_staff, mine):
    former = make_staff(Role.SUPERVISOR, username="former", is_active=False)
    assert not concerns_visible_to(former).exists()


# --- Every page uses the rule --------------------------------------------------------------------


def concern_pages(concern):
    return [
        reverse("interviews:concern-detail", args=[concern.pk]),
        reverse("interviews:concern-edit", args=[concern.pk]),
        reverse("interviews:concern-action", args=[concern.pk]),
        reverse("interviews:concern-referral", args=[concern.pk]),
        reverse("interviews:concern-close", args=[concern.pk]),
    ]


def test_an_interviewer_gets_not_found_for_another_interviewers_concern(
    client_for, interviewer, theirs
):
    client = client_for(interviewer)
    referral = ReferralFactory(concern=theirs)
    detail, *writes = concern_pages(theirs)
    writes.append(reverse("interviews:referral-response", args=[referral.pk]))
    assert client.get(detail).status_code == 404
    for url in writes:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url


def test_an_interviewer_opens_every_page_of_their_own_concern(client_for, interviewer, mine):
    client = client_for(interviewer)
    for concern in mine.values():
        for url in concern_pages(concern):
            assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", [Role.PROTOCOL_OFFICER, Role.ADMINISTRATOR, Role.AUDITOR])
def test_other_roles_are_refused_every_concern_page(client_for, make_staff, role, mine):
    client = client_for(make_staff(role))
    concern = mine["opened"]
    urls = [
        reverse("interviews:concern-list"),
        *concern_pages(concern),
        reverse("interviews:concern-reopen", args=[concern.pk]),
        reverse("interviews:concern-create", args=[concern.worker_id]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url


def test_the_list_shows_an_interviewer_only_their_concerns(client_for, interviewer, mine, theirs):
    response = client_for(interviewer).get(reverse("interviews:concern-list"))
    shown = sorted(concern.summary for concern in response.context["page"])
    assert shown == ["interview", "opened", "owned", "record"]
    assert "theirs" not in response.content.decode()


def test_the_list_shows_a_supervisor_every_concern(client_for, supervisor, mine, theirs):
    response = client_for(supervisor).get(reverse("interviews:concern-list"))
    assert len(response.context["page"]) == 5
