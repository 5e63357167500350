from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from registry.importing import KIND_LABELS, MAX_BYTES, read_upload


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("The file holds"), choices=list(KIND_LABELS.items()))
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8 text, separated by commas or semicolons, at most 5 MB, with the header row "
            "described in the import guide."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run only: check the file and show what would change, writing nothing"),
        required=False,
        initial=True,
    )

    def clean_file(self) -> str:
        """The text of the file; a file that is too big or not UTF-8 text is refused here."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(limit)d MB. Split it into smaller files.")
                % {"limit": MAX_BYTES // (1024 * 1024)},
                code="size",
            )
        return read_upload(upload.read())
