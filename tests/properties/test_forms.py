"""Every form in the project, fed any data at all, answers valid or not valid: it never raises,
and each error is a sentence in the user's language.

The forms are found by importing every <app>/forms.py and <app>/forms_*.py, so a new form is
tested as soon as it exists. A form whose constructor needs an object gets one built by the
factory of the annotated model (or by BUILDERS below).
"""

import functools
import importlib
import inspect
import typing
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from hypothesis import given
from hypothesis import strategies as st

from tests.properties import (
    LANGUAGES,
    PROPERTY_FORMS,
    TRICKY_STRINGS,
    form_data,
    upload_bytes,
)

ROOT = Path(__file__).resolve().parents[2]
SKIPPED_FOLDERS = {".venv", "tests", "bench", "config", "locale", "static", "templates"}


def _form_modules() -> list[str]:
    paths = [*ROOT.glob("*/forms.py"), *ROOT.glob("*/forms_*.py")]
    return sorted(
        f"{path.parent.name}.{path.stem}"
        for path in paths
        if path.parent.name not in SKIPPED_FOLDERS and (path.parent / "__init__.py").exists()
    )


def _form_classes() -> list:
    found = []
    for module_name in _form_modules():
        try:
            module = importlib.import_module(module_name)
        except Exception as error:  # a module someone is still writing
            found.append(
                pytest.param(
                    None,
                    id=module_name,
                    marks=pytest.mark.skip(reason=f"{module_name} does not import: {error!r}"),
                )
            )
            continue
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module_name:
                found.append(pytest.param(cls, id=f"{module_name}.{name}"))
    return found


FORM_CLASSES = _form_classes()


def test_the_forms_of_every_app_are_found():
    names = {param.id for param in FORM_CLASSES}
    for expected in (
        "accounts.forms.AuditFilterForm",
        "registry.forms_organisations.MissionForm",
        "registry.forms_workers.WorkerCreateForm",
        "registry.forms_bank.BankAccountForm",
        "registry.forms_transfer.ImportForm",
        "notifications.forms_templates.MessageTemplateForm",
    ):
        assert expected in names
    assert len(names) > 30


# --- What a form's constructor needs ------------------------------------------------------


def _device():
    from tests.factories import UserFactory, totp_device_for

    return totp_device_for(UserFactory())


BUILDERS = {
    # By parameter name, where the annotation does not name a model.
    "device": _device,
    "with_reason": lambda: True,
}


@functools.cache
def _factories() -> dict[type[models.Model], type]:
    """The first factory found for each model, in the test factories modules."""
    import factory

    modules = ["tests.factories"]
    for folder in ("registry", "interviews", "notifications", "oversight"):
        modules += [
            f"tests.{folder}.{path.stem}"
            for path in sorted((ROOT / "tests" / folder).glob("factories*.py"))
        ]
    found = {}
    for module_name in modules:
        module = importlib.import_module(module_name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, factory.django.DjangoModelFactory) and cls._meta.model:
                found.setdefault(cls._meta.model, cls)
    return found


def constructor_arguments(form_class) -> dict:
    """Keyword arguments the form's constructor requires, built from factories."""
    signature = inspect.signature(form_class.__init__)
    try:
        hints = typing.get_type_hints(form_class.__init__)
    except Exception:
        hints = {}
    arguments = {}
    for name, parameter in signature.parameters.items():
        if parameter.kind is not parameter.KEYWORD_ONLY or parameter.default is not parameter.empty:
            continue
        if name in BUILDERS:
            arguments[name] = BUILDERS[name]()
            continue
        # The annotation, else the model named like the parameter (worker=, interview=...).
        hint = hints.get(name) or _model_named(name)
        for candidate in typing.get_args(hint) or (hint,):
            if inspect.isclass(candidate) and issubclass(candidate, models.Model):
                model_factory = _factories().get(candidate)
                if model_factory is not None:
                    arguments[name] = model_factory()
                    break
            if candidate is bool:
                arguments[name] = True
                break
        else:
            # A plural (interviews=): a queryset of that model, holding one row.
            model = _model_named(name[:-1]) if name.endswith("s") else None
            model_factory = _factories().get(model)
            if model_factory is None:
                pytest.fail(
                    f"{form_class.__name__} needs {name}=: add a builder to BUILDERS in "
                    "tests/properties/test_forms.py"
                )
            arguments[name] = model._default_manager.filter(pk=model_factory().pk)
    return arguments


def _model_named(name: str) -> type[models.Model] | None:
    wanted = name.replace("_", "")
    return next((m for m in apps.get_models() if m._meta.model_name == wanted), None)


def error_messages(form) -> list:
    return [error["message"] for errors in form.errors.get_json_data().values() for error in errors]


@pytest.fixture
def arguments(db, form_class):
    """Built once for all the examples of a form."""
    return constructor_arguments(form_class)


@pytest.mark.parametrize("form_class", FORM_CLASSES)
@PROPERTY_FORMS
@given(draw=st.data())
def test_any_input_is_valid_or_refused_with_messages(form_class, arguments, draw):
    language = draw.draw(st.sampled_from(LANGUAGES))
    with translation.override(language):
        shape = form_class(**arguments)  # unbound: which fields and choices it offers
        data = MultiValueDict(form_data(shape, draw.draw))
        files = MultiValueDict()
        for name, field in shape.fields.items():
            if isinstance(field, forms.FileField) and draw.draw(st.booleans()):
                content = draw.draw(upload_bytes())
                filename = draw.draw(st.sampled_from(["a.csv", "a.pdf", "a.png", "x", "é.txt"]))
                files[shape.add_prefix(name)] = [SimpleUploadedFile(filename, content)]
        form = form_class(data=data, files=files, **arguments)
        valid = form.is_valid()
        assert valid is True or valid is False
        messages = error_messages(form)
        if not valid:
            assert messages, "refused without saying why"
        for message in messages:
            assert isinstance(message, str) and message.strip(), repr(message)
        form.errors.as_ul()  # as the page shows them
        for bound in form:
            # What showing the form again computes, short of the HTML: each widget's value and
            # its options (a choice list may run a query on what was typed).
            bound.field.widget.get_context(bound.html_name, bound.value(), {})


@pytest.mark.parametrize("form_class", FORM_CLASSES)
def test_each_tricky_value_in_every_field_is_valid_or_refused(form_class, arguments):
    """Every value of TRICKY_STRINGS, typed into every field at once: a sweep, not a sample."""
    shape = form_class(**arguments)
    problems = []
    for value in TRICKY_STRINGS:
        data = MultiValueDict({shape.add_prefix(name): [value] for name in shape.fields})
        try:
            with transaction.atomic():  # a failed query must not spoil the next value's
                form = form_class(data=data, **arguments)
                assert form.is_valid() in (True, False)
                for message in error_messages(form):
                    assert isinstance(message, str) and message.strip(), message
                for bound in form:
                    bound.field.widget.get_context(bound.html_name, bound.value(), {})
        except Exception as error:
            problems.append(f"{value[:30]!r}: {error!r}"[:300])
    assert not problems, "\n".join(problems)
