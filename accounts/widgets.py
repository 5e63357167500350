"""Form widgets shared by the apps."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class LongSelect(forms.Select):
    """A <select> of hundreds of options (countries, missions) written in Python.

    Django renders each <option> through its own template (two includes an option): 300 missions
    and 250 countries took most of a list page's time (bench/RESULTS.md). The markup is the same
    as Django's select.html and select_option.html, escaped the same way (format_html), built
    from the same context (get_context), so labels, values, `selected`, optgroups and the attrs
    crispy-forms adds are unchanged.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            parts.extend(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    option["value"],
                    flatatt(option["attrs"]),
                    option["label"],
                )
                for option in options
            )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703: every part is format_html
