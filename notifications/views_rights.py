"""The rights information (recommendations 36 and 38): the public pages workers read, with no
login and no personal data, and the administrators' screens for the contacts and translations."""

import logging

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import object_for, staff_view
from accounts.viewtools import form_errors_from
from notifications import rights
from notifications.models_contacts import ContactPoint

logger = logging.getLogger(__name__)

# Public pages hold no personal data; a proxy may keep them a few minutes.
PUBLIC_CACHE = {"public": True, "max_age": 300}


def _text_or_404(language: str):
    """The text for a code in the address; an alias (fil, zh-Hans) redirects to its own page."""
    code = rights.language_resolve(language)
    if code is None:
        raise Http404("No rights information in this language.")
    return code, code != language


def _public_context(text: rights.RightsText) -> dict:
    return {
        "html_lang": text.html_lang,
        "direction": text.direction,
        "script_class": f"script-{text.script}",
    }


# --- Public ----------------------------------------------------------------------------------


@require_GET
@cache_control(**PUBLIC_CACHE)
def language_list(request):
    """Every language the rights information is written in, each named in its own script."""
    interface = get_language() or "en"
    languages = [
        {
            "code": text.code,
            "name": text.name,
            "name_here": rights.language_name_in(text.code, interface),
            "html_lang": text.html_lang,
            "direction": text.direction,
            "script": text.script,
        }
        for text in rights.contents_all()
    ]
    return render(
        request,
        "notifications/rights/language_list.html",
        {
            "languages": languages,
            "html_lang": interface,
            "direction": "rtl" if get_language_bidi() else "ltr",
            "script_class": "",
        },
    )


@require_GET
@cache_control(**PUBLIC_CACHE)
def page_detail(request, language: str):
    code, alias = _text_or_404(language)
    if alias:
        return redirect("rights:page-detail", language=code, permanent=True)
    rendered = rights.rights_render(code)
    return render(
        request,
        "notifications/rights/page_detail.html",
        {
            **_public_context(rendered.text),
            "rights": rendered,
            "qr_svg": rights.qr_svg(rendered.page_url),
        },
    )


@require_GET
@cache_control(**PUBLIC_CACHE)
def page_qr(request, language: str):
    """The QR code of the page, for a poster in the waiting room or a leaflet."""
    code, alias = _text_or_404(language)
    if alias:
        return redirect("rights:page-qr", language=code, permanent=True)
    return HttpResponse(
        rights.qr_svg(rights.rights_page_url(code)), content_type="image/svg+xml; charset=utf-8"
    )


@require_GET
@cache_control(**PUBLIC_CACHE)
def leaflet_pdf(request, language: str):
    """The printable leaflet: the worker's language beside the host state's."""
    code, alias = _text_or_404(language)
    if alias:
        return redirect("rights:leaflet-pdf", language=code, permanent=True)
    try:
        pdf = rights.leaflet_pdf(code)
    except rights.PdfUnavailable:
        logger.exception("The rights leaflet cannot be rendered: WeasyPrint or Pango is missing.")
        return HttpResponse(
            _("The leaflet cannot be printed from this server at the moment."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="rights-{code}.pdf"'
    return response


# --- Administrators: contacts ----------------------------------------------------------------


def _field(name: str, **kwargs):
    return ContactPoint._meta.get_field(name).formfield(**kwargs)


LTR = {"dir": "ltr"}


class ContactPointForm(forms.Form):
    kind = _field("kind")
    name = _field("name")
    phone = _field("phone", widget=forms.TextInput(attrs=LTR))
    hours = _field("hours")
    languages = _field("languages")
    address = _field("address", widget=forms.Textarea(attrs={"rows": 3}))
    email = _field("email", widget=forms.EmailInput(attrs=LTR))
    website = _field("website", assume_scheme="https", widget=forms.URLInput(attrs=LTR))
    is_active = _field("is_active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].help_text = _(
            "As a worker dials it: with + and the country code, or a short number such as 112."
        )


def _initial(contact_point: ContactPoint) -> dict:
    return {name: getattr(contact_point, name) for name in rights.CONTACT_FIELDS}


@staff_view("notifications.view_contactpoint")
@require_GET
def contact_list(request):
    contact_points = list(ContactPoint.objects.order_by("position", "id"))
    return render(
        request,
        "notifications/rights/contact_list.html",
        {
            "contact_points": contact_points,
            "examples": sum(point.is_example for point in contact_points),
        },
    )


@staff_view("notifications.add_contactpoint")
@require_http_methods(["GET", "POST"])
def contact_create(request):
    form = ContactPointForm(
        request.POST if request.method == "POST" else None, initial={"is_active": True}
    )
    if request.method == "POST" and form.is_valid():
        try:
            contact_point = rights.contact_point_save(
                by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                _("The contact %(name)s was added.") % {"name": contact_point.name},
            )
            return redirect("rights:contact-list")
    return render(
        request, "notifications/rights/contact_form.html", {"form": form, "contact_point": None}
    )


@staff_view("notifications.change_contactpoint")
@require_http_methods(["GET", "POST"])
def contact_update(request, pk: int):
    contact_point = object_for(request, ContactPoint, "notifications.change_contactpoint", pk=pk)
    stored_name = contact_point.name
    form = ContactPointForm(
        request.POST if request.method == "POST" else None, initial=_initial(contact_point)
    )
    if request.method == "POST" and form.is_valid():
        try:
            rights.contact_point_save(
                by=request.user, contact_point=contact_point, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request, _("The contact %(name)s was saved.") % {"name": contact_point.name}
            )
            return redirect("rights:contact-list")
    return render(
        request,
        "notifications/rights/contact_form.html",
        {"form": form, "contact_point": contact_point, "stored_name": stored_name},
    )


@staff_view("notifications.change_contactpoint")
@require_POST
def contact_move(request, pk: int):
    contact_point = object_for(request, ContactPoint, "notifications.change_contactpoint", pk=pk)
    try:
        rights.contact_point_move(
            by=request.user,
            contact_point=contact_point,
            direction=request.POST.get("direction", ""),
            request=request,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("rights:contact-list")


# --- Administrators: translations ------------------------------------------------------------


@staff_view("notifications.view_rights_review")
@require_GET
def translation_list(request):
    """Every language with its review status: a draft is shown to workers, but an administrator
    sees which texts still need a native speaker's review."""
    texts = rights.contents_all()
    interface = get_language() or "en"
    return render(
        request,
        "notifications/rights/translation_list.html",
        {
            "rows": [(text, rights.language_name_in(text.code, interface)) for text in texts],
            "drafts": sum(not text.is_reviewed for text in texts),
            "host_language": rights.host_language(),
        },
    )
