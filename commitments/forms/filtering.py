"""The list's filters as a reader sees them: the menus, checkboxes and placeholders of
the filter form, and a chip per active filter with a link that removes it.

`CommitmentFilterSet` decides what the parameters select; this module only decides
how they are shown, on the list, the per-actor, theme and source pages and the
dashboard.
"""

from __future__ import annotations

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext, gettext_lazy

from ..filters import CommitmentFilterSet
from ..widgets import QuickSelect

# What every menu reads when it narrows nothing.
ANY = gettext_lazy("Any")
EITHER_YES_NO = [("", ANY), ("true", gettext_lazy("Yes")), ("false", gettext_lazy("No"))]
PLACEHOLDERS = {
    "deadline_after": gettext_lazy("e.g. 2025"),
    "deadline_before": gettext_lazy("e.g. 2035"),
}


def filter_form(filterset: CommitmentFilterSet) -> forms.Form:
    """The FilterSet's form with the widgets a page shows."""
    form = filterset.form
    fields = form.fields
    for field in fields.values():
        if getattr(field, "empty_label", None) is not None:
            field.empty_label = ANY
            if not isinstance(field, forms.ModelChoiceField):
                field.widget.choices = [
                    (v, ANY if v == "" else label) for v, label in field.choices
                ]
    fields["status"].widget = forms.CheckboxSelectMultiple(choices=fields["status"].choices)
    fields["has_evidence"].widget = forms.Select(choices=EITHER_YES_NO)
    fields["slipped"].widget = forms.Select(choices=EITHER_YES_NO)
    for name, placeholder in PLACEHOLDERS.items():
        fields[name].widget.attrs["placeholder"] = placeholder
    # Every menu renders in Python (see `widgets.QuickSelect`): the party and source menus
    # hold hundreds of options, and a template per option was a fifth of the list's time.
    for field in fields.values():
        if type(field.widget) is forms.Select:
            field.widget = QuickSelect(choices=field.widget.choices, attrs=field.widget.attrs)
    return form


def chips(filterset: CommitmentFilterSet, *, leave_out=()) -> list[dict[str, str]]:
    """Each active filter value as a chip: its label, the value's label and the query
    string without it. Parameters in `leave_out` (pinned by the page) get no chip."""
    if not filterset.is_bound:
        return []
    form = filterset.form
    cleaned = form.cleaned_data if form.is_valid() or hasattr(form, "cleaned_data") else {}
    data = filterset.data
    result = []
    for name, field in form.fields.items():
        if name == "sort" or name in leave_out:
            continue
        for raw in [v for v in _values(data, name) if v not in (None, "")]:
            remaining = QueryDict(mutable=True)
            for key in data:
                for value in _values(data, key):
                    if key == "page" or value == "" or (key == name and value == raw):
                        continue
                    remaining.appendlist(key, value)
            result.append(
                {
                    "name": name,
                    "label": field.label,
                    "value": _value_label(field, raw, cleaned.get(name)),
                    "remove_query": remaining.urlencode(),
                }
            )
    return result


def _values(data, key: str) -> list:
    return data.getlist(key) if hasattr(data, "getlist") else [data.get(key)]


def _value_label(field, raw: str, cleaned) -> str:
    choices = dict(getattr(field, "choices", []) or [])
    if raw in choices:
        return str(choices[raw])
    if isinstance(cleaned, bool):
        return gettext("Yes") if cleaned else gettext("No")
    if cleaned is not None and not isinstance(cleaned, list):
        return str(cleaned)
    return raw
