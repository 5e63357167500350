"""Every page in every UI language: catalogues compiled and reachable, Arabic right-to-left."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

LOGIN = reverse("accounts:login")

# A known translation per language: fails when a catalogue is missing or not compiled.
KNOWN = {
    "fr": "Connexion à Hestia",
    "es": "Iniciar sesión en Hestia",
    "ar": "تسجيل الدخول إلى Hestia",
}


@pytest.mark.parametrize(("language", "expected"), KNOWN.items())
def test_each_catalogue_is_compiled_and_translates_the_login_page(language, expected):
    with translation.override(language):
        assert translation.gettext("Sign in to Hestia") == expected


def test_every_ui_language_has_a_catalogue():
    assert {code for code, _name in settings.LANGUAGES} >= {"en", "fr", "es", "ar"}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "es", "ar"])
def test_the_login_page_is_served_in_the_chosen_language(client, language):
    client.post(reverse("set_language"), {"language": language, "next": LOGIN})
    page = client.get(LOGIN).content.decode()
    assert f'lang="{language}"' in page
    assert KNOWN[language] in page


@pytest.mark.django_db
def test_arabic_pages_are_right_to_left_with_the_rtl_stylesheet(client):
    client.post(reverse("set_language"), {"language": "ar", "next": LOGIN})
    page = client.get(LOGIN).content.decode()
    assert 'dir="rtl"' in page
    assert "bootstrap.rtl.min.css" in page
    client.post(reverse("set_language"), {"language": "en", "next": LOGIN})
    page = client.get(LOGIN).content.decode()
    assert 'dir="ltr"' in page
    assert "bootstrap.min.css" in page


@pytest.mark.django_db
def test_an_unknown_language_code_is_refused_with_a_message_and_changes_nothing(client):
    client.post(reverse("set_language"), {"language": "fr", "next": LOGIN})
    response = client.post(reverse("set_language"), {"language": "xx", "next": LOGIN}, follow=True)
    page = response.content.decode()
    assert 'lang="fr"' in page
    with translation.override("fr"):
        message = translation.gettext(
            "This language is not available. The language was not changed."
        )
    assert escape(message) in page
    assert response.redirect_chain[-1][0] == LOGIN
    assert settings.LANGUAGE_COOKIE_NAME in client.cookies
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
