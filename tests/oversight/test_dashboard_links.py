"""Every figure on the dashboard links to the list behind it, and that list shows as many rows as
the figure says: follow each link with the supervisor's client and count."""

import re
from html import unescape

import pytest
from django.urls import reverse

from interviews import services as interview_services
from registry import services as registry_services
from tests.oversight import factories_dashboard as data
from tests.oversight.factories_dashboard import NOW

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("oversight:dashboard")


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def figures(client_for, supervisor) -> dict[str, tuple[str, int]]:
    """Every figure on the page: data-figure -> (link, number shown)."""
    interview_services.policy_current()
    registry_services.policy_current()
    data.everything()
    page = client_for(supervisor).get(DASHBOARD).content.decode()
    found = {}
    for href, key in re.findall(r'href="([^"]+)" data-figure="([^"]+)"', page):
        shown = re.search(r"data-value>(\d+)<", page.split(f'data-figure="{key}"', 1)[1])
        found[key] = (unescape(href), int(shown.group(1)))
    return found


def _rows_behind(client, url: str) -> int:
    path, _hash, fragment = url.partition("#")
    response = client.get(path)
    assert response.status_code == 200, url
    # The contracts page holds two lists: the fragment says which.
    page = response.context["active_page" if fragment == "below-heading" else "page"]
    return page.paginator.count


def test_every_figure_on_the_page_has_a_link(figures):
    blocks = {key.split("-")[0] for key in figures}
    assert blocks == {"interviews", "cards", "concerns", "bank", "contracts", "notices"}
    assert len(figures) == 5 + 3 + (4 * 3 + 4 + 3 + 1) + 3 + 2 + 2


def test_each_list_behind_a_figure_shows_as_many_rows_as_the_figure(
    figures, client_for, supervisor
):
    client = client_for(supervisor)
    behind = {key: _rows_behind(client, url) for key, (url, _value) in figures.items()}
    assert behind == {key: value for key, (_url, value) in figures.items()}
    # Not all zero: the data set gives every block something to count.
    assert all(
        any(value for key, (_url, value) in figures.items() if key.startswith(block))
        for block in ("interviews", "cards", "concerns", "bank", "contracts", "notices")
    )


def test_the_figures_are_those_of_the_data(figures):
    assert figures["notices-failed"][1] == 3
    assert figures["notices-held"][1] == 2
    assert figures["contracts-awaiting"][1] == 2
    assert figures["contracts-below"][1] == 1
    # One urgent concern of the concerns' data, two more holding cards of the cards' data.
    assert figures["concerns-urgent-under7"][1] == 3


def test_the_rows_behind_an_interview_figure_are_the_ones_counted(figures, client_for, supervisor):
    url, value = figures["interviews-missed"]
    assert value == 2
    page = client_for(supervisor).get(url).content.decode()
    assert len(re.findall(r'<tr data-interview="\d+"', page)) == value
