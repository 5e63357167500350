import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["workers", "employers", "missions"])
def test_supervisors_and_officers_find_the_export_on_each_list(
    kind, client_for, supervisor, officer, interviewer
):
    url = reverse(f"registry:{kind[:-1]}-list")
    export = reverse("registry:registry-export", args=[kind])
    assert export in client_for(supervisor).get(url).content.decode()
    assert export in client_for(officer).get(url).content.decode()
    assert export not in client_for(interviewer).get(url).content.decode()
