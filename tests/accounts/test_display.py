"""Hestia's get_FOO_display() gives what Django's gives, without translating every label."""

import inspect

import pytest
from django.db import models
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import gettext_lazy as _

from accounts import display
from interviews.models import Interview
from registry.models import Employment, IdentityCard


def djangos(instance, field):
    """Django's own implementation (django/db/models/base.py)."""
    value = getattr(instance, field.attname)
    choices_dict = dict(make_hashable(field.flatchoices))
    return force_str(choices_dict.get(make_hashable(value), value), strings_only=True)


class Thing(models.Model):
    status = models.CharField(  # noqa: DJ001 (None is one of the values compared)
        max_length=10,
        choices=[("a", _("Active")), ("Group", [("b", _("Ended")), ("c", "Cee")]), ("a", "Last")],
        null=True,
    )
    size = models.IntegerField(choices=[(1, "One"), (2, "Two")], null=True)
    tags = models.JSONField(choices=[(["x", "y"], "Both")], null=True)

    class Meta:
        app_label = "accounts"
        managed = False


@pytest.mark.parametrize(
    "values",
    [
        {"status": "a"},  # listed twice: the last label, as Django's dict keeps
        {"status": "b"},  # in a group
        {"status": "zzz"},  # not a choice: the value itself
        {"status": None},
        {"size": 2},
        {"size": 7},
        {"tags": ["x", "y"]},  # an unhashable value
    ],
)
def test_the_label_is_djangos(values):
    thing = Thing(**values)
    for name in ("status", "size", "tags"):
        field = Thing._meta.get_field(name)
        assert display._get_FIELD_display(thing, field) == djangos(thing, field)


@pytest.mark.parametrize(
    ("model", "name"),
    [(Employment, "status"), (Interview, "status"), (IdentityCard, "kind")],
)
def test_every_models_display_method_is_this_one(model, name):
    method = inspect.getattr_static(model, f"get_{name}_display")
    assert method.func is display._get_FIELD_display
    assert method.keywords["field"] is model._meta.get_field(name)


def test_the_models_labels_are_djangos_and_translated():
    employment = Employment(status=Employment.Status.ACTIVE)
    interview = Interview(status=Interview.Status.NO_SHOW)
    card = IdentityCard(kind=IdentityCard.Kind.VISA)
    with translation.override("fr"):
        for instance, name in ((employment, "status"), (interview, "status"), (card, "kind")):
            field = instance._meta.get_field(name)
            shown = getattr(instance, f"get_{name}_display")()
            assert shown == djangos(instance, field)
            assert isinstance(shown, str)
    with translation.override("fr"):
        assert Employment(status="ended").get_status_display() != "Ended"
