"""get_FOO_display() without translating every label of the field's choices.

Django's Model._get_FIELD_display builds dict(make_hashable(field.flatchoices)) at each call,
and make_hashable hashes every label: a lazy label is translated to be hashed. A staff page
shows a few hundred choice labels (statuses, kinds, languages in the timeline and tables), and
each display translated the whole list of its field: 2,600 gettext calls, a quarter of the
worker page's CPU time (bench/RESULTS.md). This version finds the value among the choices and
translates only the label it returns; the result is the same, including for a value that is not
among the choices and for a value listed twice (the last one wins, as in the dict).
"""

import inspect
from functools import partialmethod

from django.apps import apps
from django.db.models import Model
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


def _get_FIELD_display(self, field):
    value = getattr(self, field.attname)
    key = make_hashable(value)
    label = value
    for choice, choice_label in field.flatchoices:
        if make_hashable(choice) == key:
            label = choice_label
    return force_str(label, strings_only=True)


def install() -> None:
    """Every model's get_FOO_display() through _get_FIELD_display above. Django binds the method
    when the model class is made (a partialmethod of Model._get_FIELD_display), before any app is
    ready, so each model's own is replaced; one a model defines itself is left alone."""
    original = Model.__dict__["_get_FIELD_display"]
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.fields:
            if not field.choices:
                continue
            name = f"get_{field.name}_display"
            bound = inspect.getattr_static(model, name, None)
            if isinstance(bound, partialmethod) and bound.func in (original, _get_FIELD_display):
                setattr(model, name, partialmethod(_get_FIELD_display, field=field))
