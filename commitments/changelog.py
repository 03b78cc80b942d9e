"""The admin's change log in sentences.

Django's admin stores what a form changed as JSON and names only the fields; here each
change is one sentence with its values ("Changed deadline from 2035 to Q3 2026. Added
party Italy (lead)."), stored as the entry's text, so the Log entries list and every
object's History page read the same. An import through the web page is logged too: who,
when, which file and how many rows.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext

from .forms.dates import DAY_FORMAT, PeriodField, period_text
from .models import Commitment, Milestone, Party

# Longer texts are named as changed, without their values.
SHOWN_MAX = 80


def describe(obj) -> str:
    """How a row is named in a sentence: "Italy (lead)", "First flight (due Q1 2027)"."""
    if isinstance(obj, Party):
        return f"{obj.actor} ({obj.get_role_display().lower()})"
    if isinstance(obj, Milestone) and obj.due_on:
        return gettext("%(title)s (due %(due)s)") % {
            "title": obj.title,
            "due": period_text(obj.due_on, obj.due_precision),
        }
    if hasattr(obj, "evidence_id") and hasattr(obj, "commitment_id"):  # an evidence link
        return str(obj.evidence)
    return str(obj)


def _label(form: forms.BaseForm, name: str) -> str:
    label = str(form.fields[name].label or name.replace("_", " "))
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def _text(field: forms.Field, value, precision: str = "") -> str | None:
    """A value as a sentence shows it; None for a text too long to quote."""
    if value in (None, "", [], ()):
        return ""
    if isinstance(field, PeriodField):
        if isinstance(value, dt.date):
            return period_text(value, precision)
        return str(value)
    if isinstance(field, forms.ModelMultipleChoiceField):
        items = list(value)
        if not items:
            return ""
        if not hasattr(items[0], "pk"):  # ids, as a form's initial data may hold them
            items = list(field.queryset.filter(pk__in=items))
        return ", ".join(sorted(str(item) for item in items))
    if isinstance(field, forms.ModelChoiceField):
        if not hasattr(value, "pk"):
            value = field.queryset.filter(pk=value).first()
        return str(value) if value is not None else ""
    if isinstance(field, forms.BooleanField):
        return gettext("yes") if value else gettext("no")
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    if isinstance(value, dt.date):
        return value.strftime(DAY_FORMAT)
    text = str(value)
    return text if len(text) <= SHOWN_MAX and "\n" not in text else None


def _is_model_field(form: forms.BaseForm, name: str) -> bool:
    try:
        form.instance._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def field_changes(form: forms.BaseForm, names) -> list[str]:
    """One clause per changed field of a model form: "deadline from 2035 to Q3 2026"."""
    periods = getattr(form, "periods", {})
    clauses = []
    for name in names:
        if name not in form.fields or not _is_model_field(form, name):
            continue
        field = form.fields[name]
        before = _text(field, form.initial.get(name))
        precision = getattr(form.instance, periods[name]) if name in periods else ""
        after = _text(field, form.cleaned_data.get(name), precision)
        label = _label(form, name)
        values = {"field": label, "before": before, "after": after}
        if before is None or after is None:
            clauses.append(label)
        elif not before:
            clauses.append(gettext("%(field)s to %(after)s") % values if after else label)
        elif not after:
            clauses.append(gettext("%(field)s to nothing (was %(before)s)") % values)
        else:
            clauses.append(gettext("%(field)s from %(before)s to %(after)s") % values)
    return clauses


def describe_changes(form: forms.BaseForm, formsets, *, add: bool) -> list[str]:
    """The sentences for one save of an admin form and its inlines, in the language of
    the person saving (the log keeps them as written)."""
    instance = form.instance
    sentences = []
    if add:
        sentences.append(gettext("Added %(kind)s %(name)s.") % _named(instance))
    else:
        clauses = field_changes(form, form.changed_data)
        if clauses:
            sentences.append(gettext("Changed %(changes)s.") % {"changes": "; ".join(clauses)})
    for formset in formsets or []:
        for added in formset.new_objects:
            sentences.append(gettext("Added %(kind)s %(name)s.") % _named(added))
        for changed, names in formset.changed_objects:
            inline_form = next(f for f in formset.forms if f.instance.pk == changed.pk)
            clauses = field_changes(inline_form, names)
            if clauses:
                sentences.append(
                    gettext("Changed %(kind)s %(name)s: %(changes)s.")
                    % {**_named(changed), "changes": "; ".join(clauses)}
                )
            else:
                sentences.append(gettext("Changed %(kind)s %(name)s.") % _named(changed))
        for deleted in formset.deleted_objects:
            sentences.append(gettext("Removed %(kind)s %(name)s.") % _named(deleted))
    return sentences


def _named(obj) -> dict[str, str]:
    return {"kind": str(obj._meta.verbose_name), "name": describe(obj)}


def log_import(*, user, result) -> LogEntry:
    """An import written through the web page, in the admin's change log."""
    return LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(Commitment),
        object_id=None,
        object_repr=(gettext("Import of %(file)s") % {"file": result.name})[:200],
        action_flag=CHANGE,
        change_message=gettext("Imported %(summary)s") % {"summary": result.summary()},
    )
