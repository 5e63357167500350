"""Property-based tests (hypothesis): no input, however bad, gives a server error or a partial
write, and each refusal says why.

The runs are short and repeatable: a fixed seed (derandomize) and no example database, so the
package takes well under a minute and never writes a .hypothesis folder.
"""

import datetime as dt
import string

from django import forms
from django.apps import apps
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Function-scoped fixtures (the database, a signed-in client) are shared by every example of a
# test on purpose: each example compares the database before and after itself.
PROPERTY = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)
# Forms and requests through the whole stack cost more; fewer examples keep the package quick.
PROPERTY_FORMS = settings(PROPERTY, max_examples=25)
PROPERTY_VIEWS = settings(PROPERTY, max_examples=15)

LANGUAGES = ["en", "fr", "es", "ar"]

# --- Values a person (or a script) might type into any field ----------------------------

TRICKY_STRINGS = [
    "",
    " ",
    "\t\n",
    "0",
    "-1",
    "1e309",
    "NaN",
    "Infinity",
    "-0.000",
    "99999999999999999999999999",
    "1,5",
    "١٢٣",  # Arabic-Indic digits
    "²",  # a digit for str.isdigit(), not for int()
    "2026-02-30",
    "0000-00-00",
    "9999-12-31",
    "31/12/2026",
    "2026-13-01T25:61",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    '=HYPERLINK("http://x")',
    "+32 470 12 34 56",
    "BE71 0961 2345 6769",
    "rosario@example.org",
    "a@b",
    "\x00",
    "nul\x00byte",
    "\u202eevil",  # right-to-left override
    "\ufeffbom",
    "🙂👩🏽‍🔧",
    "ÅÉÎõü",
    "مرحبا",
    "ሰላም",
    "x" * 5000,
    "9" * 400,
]


def text_values() -> st.SearchStrategy[str]:
    """Any text at all: short unicode, tricky values, numbers, dates, and very long text."""
    return st.one_of(
        st.sampled_from(TRICKY_STRINGS),
        st.text(max_size=40),
        st.text(alphabet=string.printable, max_size=40),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(str),
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
        st.dates(min_value=dt.date(1, 1, 1)).map(dt.date.isoformat),
        st.datetimes().map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M")),
        st.integers(min_value=300, max_value=100_000).map(lambda n: "é" * n),
    )


def _choice_values(field: forms.Field) -> list[str]:
    values = []
    for value, label in getattr(field, "choices", []):
        if isinstance(label, list | tuple):  # an optgroup
            values += [str(inner) for inner, _label in label]
        else:
            values.append(str(getattr(value, "value", value)))
    return values


def field_value(field: forms.Field) -> st.SearchStrategy:
    """A value for one form field: often garbage, sometimes what the field expects."""
    plausible = []
    # Choices may come from the database, which grows between examples: draw a position, not
    # a value, so that hypothesis can replay an example exactly.
    if isinstance(field, forms.ModelChoiceField):
        pks = [str(pk) for pk in field.queryset.values_list("pk", flat=True)[:20]] or ["1"]
        plausible.append(st.integers(0, 999).map(lambda i: pks[i % len(pks)]))
    elif isinstance(field, forms.ChoiceField):
        choices = _choice_values(field) or [""]
        plausible.append(st.integers(0, 999).map(lambda i: choices[i % len(choices)]))
    if isinstance(field, forms.BooleanField):
        plausible.append(st.sampled_from(["on", "true", "false", "1", "0", ""]))
    if isinstance(field, forms.DateField):
        plausible.append(st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)).map(str))
    if isinstance(field, forms.DateTimeField):
        plausible.append(
            st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2100, 1, 1)).map(
                lambda moment: moment.strftime("%Y-%m-%dT%H:%M")
            )
        )
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        plausible.append(st.integers(-1000, 100_000).map(str))
    single = st.one_of(*plausible, text_values()) if plausible else text_values()
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return st.lists(single, max_size=4)
    return single


def form_data(form: forms.BaseForm, draw) -> dict[str, list[str]]:
    """POST-like data for the form's fields: some left out, the others given a drawn value."""
    data = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField):
            continue
        if draw(st.integers(0, 9)) == 0:
            continue  # the field is missing from the request altogether
        value = draw(field_value(field))
        data[form.add_prefix(name)] = value if isinstance(value, list) else [value]
    return data


def upload_bytes() -> st.SearchStrategy[bytes]:
    """What might arrive as a file: text in many encodings, a byte-order mark, or noise."""
    encoded = st.tuples(
        st.text(max_size=300), st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"])
    ).map(lambda pair: pair[0].encode(pair[1], errors="replace"))
    return st.one_of(
        st.binary(max_size=300),
        encoded,
        st.sampled_from([b"", b"%PDF-1.4\n%%EOF\n", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0"]),
    )


# --- Counting rows, to prove that nothing was written ----------------------------------

# The audit log records reads as well as writes, and sessions change on every request.
NOT_COUNTED = {"accounts.auditentry", "sessions.session", "axes.accessattempt", "axes.accesslog"}
COUNTED_APPS = {"accounts", "registry", "interviews", "notifications", "oversight"}


def row_counts() -> dict[str, int]:
    return {
        model._meta.label_lower: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in COUNTED_APPS
        and model._meta.label_lower not in NOT_COUNTED
        and model._meta.managed
    }
