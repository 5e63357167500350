"""Forms of the notice-template editor: which templates to list, and one template's text."""

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications import templating
from notifications.models import Channel, Kind, MessageTemplate

CHANNEL_CHOICES = [(Channel.SMS, Channel.SMS.label), (Channel.EMAIL, Channel.EMAIL.label)]


class TemplateFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Notice"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Any notice")), *Kind.choices]
        self.fields["channel"].choices = [("", _("Any channel")), *CHANNEL_CHOICES]
        self.fields["language"].choices = [
            ("", _("Any language")),
            *templating.language_choices(),
        ]


class MessageTemplateForm(forms.Form):
    """One template's text. Kind, channel and language are chosen once, when it is created.

    After validation `preview` holds the notice rendered with sample values, or None when the
    text cannot be rendered; it is shown even when the text cannot be saved (too many SMS
    segments, say), so the editor sees what to shorten.
    """

    kind = forms.ChoiceField(label=_("Notice"), choices=Kind.choices)
    channel = forms.ChoiceField(label=_("Channel"), choices=CHANNEL_CHOICES)
    language = forms.ChoiceField(label=_("Language"))
    subject = forms.CharField(
        label=_("Subject"),
        max_length=200,
        required=False,
        help_text=_("For e-mail only."),
    )
    body = forms.CharField(
        label=_("Text"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "true"}),
    )
    # The version the editor opened, so a change made meanwhile by someone else is not lost.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, template: MessageTemplate | None = None, **kwargs):
        self.template = template
        if template is not None:
            kwargs["initial"] = {
                "kind": template.kind,
                "channel": template.channel,
                "language": template.language,
                "subject": template.subject,
                "body": template.body,
                "version": template.version,
                **kwargs.get("initial", {}),
            }
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = templating.language_choices()
        if template is not None:
            for name in ("kind", "channel", "language"):
                self.fields[name].disabled = True
            if template.language not in dict(self.fields["language"].choices):
                self.fields["language"].choices.append((template.language, template.language))
        self.preview = None

    def clean_body(self) -> str:
        # Browsers send line breaks as CRLF; an SMS counts one character per break.
        body = self.cleaned_data["body"].replace("\r\n", "\n").strip()
        if not body:
            raise forms.ValidationError(_("Write the text of the notice."), code="required")
        return body

    def clean_subject(self) -> str:
        return self.cleaned_data["subject"].strip()

    def clean(self):
        data = super().clean()
        if not all(data.get(name) for name in ("kind", "channel", "language", "body")):
            return data
        text = {
            "kind": data["kind"],
            "channel": data["channel"],
            "language": data["language"],
            "subject": data.get("subject", "") if data["channel"] == Channel.EMAIL else "",
            "body": data["body"],
        }
        self.preview = templating.template_preview(**text)
        for field, errors in templating.template_problems(**text).items():
            for error in errors:
                self.add_error(field, error)
        return data
