"""The rights information: public pages (no login) and the administrators' screens.

config/urls.py includes this module at "rights/" with the namespace "rights".
"""

from django.urls import path, register_converter

from notifications import views_rights


class LanguageCodeConverter:
    """A language code in the address (am, tl, zh-Hans): two or three letters, then an optional
    script or region, so that it never takes the administrators' paths."""

    regex = "[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,4})?"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(LanguageCodeConverter, "rights_language")

app_name = "rights"

urlpatterns = [
    path("", views_rights.language_list, name="language-list"),
    path("contacts/", views_rights.contact_list, name="contact-list"),
    path("contacts/new/", views_rights.contact_create, name="contact-create"),
    path("contacts/<int:pk>/", views_rights.contact_update, name="contact-update"),
    path("contacts/<int:pk>/move/", views_rights.contact_move, name="contact-move"),
    path("translations/", views_rights.translation_list, name="translation-list"),
    path("<rights_language:language>/", views_rights.page_detail, name="page-detail"),
    path("<rights_language:language>/qr.svg", views_rights.page_qr, name="page-qr"),
    path("<rights_language:language>/leaflet.pdf", views_rights.leaflet_pdf, name="leaflet-pdf"),
]
