"""The notice-template editor: administrators list, write and preview the texts of notices."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.permissions import object_for, staff_view
from notifications import templating
from notifications.forms_templates import CHANNEL_CHOICES, MessageTemplateForm, TemplateFilterForm
from notifications.models import Kind, MessageTemplate
from registry.models import Worker

PAGE_SIZE = 50


def _coverage(filters: dict, present: dict) -> tuple[list[dict], int]:
    """For each language notices are needed in, which kinds have a template on which channel.

    The languages are those with a template, the host state's, English, and every language a
    worker prefers (with how many do), so a language workers read but no template covers shows.
    """
    preferring = dict(
        Worker.objects.order_by()
        .values_list("preferred_language")
        .annotate(workers=Count("id"))
        .values_list("preferred_language", "workers")
    )
    preferring = {code.strip().lower(): n for code, n in preferring.items() if code}
    codes = [code for code, _name in templating.language_choices()]
    wanted = {language for _kind, _channel, language in present}
    wanted |= {settings.HESTIA_HOST_LANGUAGE, "en", *preferring}
    languages = [code for code in codes if code in wanted]
    languages += sorted(wanted - set(languages))
    if filters.get("language"):
        languages = [code for code in languages if code == filters["language"]]
    kinds = [k for k in Kind if not filters.get("kind") or k == filters["kind"]]
    channels = [
        c for c, _l in CHANNEL_CHOICES if not filters.get("channel") or c == filters["channel"]
    ]
    rows, missing = [], 0
    for code in languages:
        cells = []
        for kind in kinds:
            entries = []
            for channel in channels:
                template = present.get((kind, channel, code))
                missing += template is None
                entries.append({"channel": channel, "template": template})
            cells.append({"kind": kind, "entries": entries})
        rows.append(
            {
                "code": code,
                "name": templating.language_name(code),
                "direction": templating.language_direction(code),
                "workers": preferring.get(code, 0),
                "cells": cells,
            }
        )
    return rows, missing


@staff_view("notifications.view_messagetemplate")
def template_list(request):
    form = TemplateFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    templates = MessageTemplate.objects.select_related("updated_by")
    for name in ("kind", "channel", "language"):
        if filters.get(name):
            templates = templates.filter(**{name: filters[name]})
    present = {
        (kind, channel, language): (pk, version)
        for pk, kind, channel, language, version in MessageTemplate.objects.values_list(
            "pk", "kind", "channel", "language", "version"
        )
    }
    coverage, missing = _coverage(filters, present)
    page = Paginator(templates, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "notifications/templates_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "coverage": coverage,
            "coverage_kinds": [
                Kind(k) for k in Kind if not filters.get("kind") or k == filters["kind"]
            ],
            "missing": missing,
        },
    )


def _form_page(request, form: MessageTemplateForm, template: MessageTemplate | None):
    # What the editor has chosen so far, kept to known values: they reach the translation
    # machinery and the page.
    kind = form["kind"].value() if form["kind"].value() in Kind.values else ""
    language = form["language"].value() or ""
    if language not in dict(form.fields["language"].choices):
        language = ""
    channel = form["channel"].value() if form["channel"].value() in dict(CHANNEL_CHOICES) else ""
    preview = form.preview
    if preview is None and template is not None and not form.is_bound:
        preview = templating.template_preview(
            kind=template.kind,
            channel=template.channel,
            language=template.language,
            subject=template.subject,
            body=template.body,
        )
    if language:
        form.fields["body"].widget.attrs.update(
            {"lang": language, "dir": templating.language_direction(language)}
        )
    # Values the counter in static/js/sms-counter.js puts in place of variables as you type.
    samples = {}
    for each in [*Kind, *([kind] if kind else [])]:
        samples.update(templating.sample_values(each, language or "en"))
    return render(
        request,
        "notifications/templates_form.html",
        {
            "form": form,
            "template": template,
            "history": templating.template_history(template) if template else [],
            "preview": preview,
            "channel": channel,
            "language": language,
            "direction": templating.language_direction(language),
            # All kinds while one can still be chosen; only its own once the template exists.
            "variables": [
                (Kind(k).label, templating.allowed_variables(k), k == kind)
                for k in Kind
                if template is None or k == template.kind
            ],
            "filters": ", ".join(templating.ALLOWED_FILTERS),
            "variable_example": templating.EXAMPLE_VARIABLE,
            "tag_example": "{% if %}",
            "samples": samples,
            "max_segments": settings.HESTIA_SMS_MAX_SEGMENTS,
        },
    )


def _save(request, form: MessageTemplateForm, template: MessageTemplate | None):
    data = form.cleaned_data
    before = template.version if template else None
    try:
        saved = templating.message_template_save(
            by=request.user,
            template=template,
            kind=data["kind"],
            channel=data["channel"],
            language=data["language"],
            subject=data.get("subject", ""),
            body=data["body"],
            based_on_version=data.get("version"),
            request=request,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return None
    if before == saved.version:
        text = _("Nothing changed: the template stays at version %(version)s.")
        messages.info(request, text % {"version": saved.version})
    else:
        messages.success(request, _("Saved as version %(version)s.") % {"version": saved.version})
    return redirect("notifications:template-update", pk=saved.pk)


@staff_view("notifications.add_messagetemplate")
@require_http_methods(["GET", "POST"])
def template_create(request):
    """Write a template for a kind of notice, a channel and a language (issue 5, point 2)."""
    initial = {
        name: request.GET[name] for name in ("kind", "channel", "language") if name in request.GET
    }
    form = MessageTemplateForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid() and "save" in request.POST:
        done = _save(request, form, None)
        if done:
            return done
    return _form_page(request, form, None)


@staff_view("notifications.change_messagetemplate")
@require_http_methods(["GET", "POST"])
def template_update(request, pk):
    """Change a template's text, with a preview; each save is a new version (issue 5, point 2)."""
    template = object_for(
        request,
        MessageTemplate.objects.select_related("updated_by"),
        "notifications.change_messagetemplate",
        pk=pk,
    )
    form = MessageTemplateForm(
        request.POST if request.method == "POST" else None, template=template
    )
    if request.method == "POST" and form.is_valid() and "save" in request.POST:
        done = _save(request, form, template)
        if done:
            return done
    return _form_page(request, form, template)
