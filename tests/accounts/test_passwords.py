"""Changing and resetting a staff password."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import AuditEntry

pytestmark = pytest.mark.django_db
RESET = reverse("accounts:password-reset")


def test_a_weak_new_password_is_refused_and_the_old_one_still_works(client_for, officer, password):
    client = client_for(officer)
    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": password, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "This password is too short" in page
    assert "This password is entirely numeric" in page
    officer.refresh_from_db()
    assert officer.check_password(password)


def test_a_strong_new_password_is_saved_and_audited(client_for, officer, password):
    client = client_for(officer)
    new = "violet-kettle-harbour-29"
    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": password, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password(new)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.UPDATE, actor=officer)
    assert entry.changed_fields == ["password"]
    # The session survives the change: no need to sign in again.
    assert client.get(reverse("accounts:home")).status_code == 200


def test_reset_sends_a_working_link_by_email(client, officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RESET, {"email": officer.email})
    assert response["Location"] == reverse("accounts:password-reset-done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [officer.email]
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body)[1]
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    new = "violet-kettle-harbour-29"
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert response["Location"] == reverse("accounts:password-reset-complete")
    officer.refresh_from_db()
    assert officer.check_password(new)
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.UPDATE, actor=officer, detail="password reset by e-mail"
    ).exists()


def test_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RESET, {"email": "nobody@ministry.example"})
    assert response["Location"] == reverse("accounts:password-reset-done")
    assert mail.outbox == []


def test_a_used_or_forged_reset_link_is_refused(client):
    response = client.get(
        reverse("accounts:password-reset-confirm", kwargs={"uidb64": "MQ", "token": "forged"})
    )
    assert "This link no longer works" in response.content.decode()
