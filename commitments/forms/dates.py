"""Dates typed as people write them, for the admin's forms.

The importer's reader (`importing.fuzzy`) is the one parser: a deadline, an announcement
or a milestone's due date is typed in one box ("end of 2027", "Q3 2026", "Sept 2025",
"2027-03-31") and stored as a date with the precision the text gives. Every date box in
the admin shows days one way, 2027-03-31, and none uses the browser's date picker, whose
format follows the browser's locale.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..choices import Precision
from ..dates import plain_period
from ..importing import fuzzy

DAY_FORMAT = "%Y-%m-%d"
PERIOD_HELP = _(
    "As you would write it: 2035, end of 2027, Q3 2026, Sept 2025 or a day, 2027-03-31. "
    "The precision follows the text."
)
DAY_HELP = _("A day, written 2027-03-31.")


def period_text(day: dt.date | None, precision: str) -> str:
    """A stored date and precision as the text that reads back to them."""
    if day is None or not precision:
        return ""
    if precision == Precision.DAY:
        return day.strftime(DAY_FORMAT)
    return plain_period(day, precision)


class DayInput(forms.TextInput):
    """A day as text in the one format of the admin."""

    def __init__(self, attrs=None):
        super().__init__(
            {"placeholder": "YYYY-MM-DD", "size": 12, "autocomplete": "off", **(attrs or {})}
        )

    def format_value(self, value):
        if isinstance(value, dt.date):
            return value.strftime(DAY_FORMAT)
        return super().format_value(value)


class DayField(forms.DateField):
    """One day, read by the importer's reader (2027-03-31, 31/03/2027, 31 March 2027)."""

    widget = DayInput

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", DAY_HELP)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return fuzzy.parse_day(str(value))
        except ValueError as exc:
            raise ValidationError(f"{exc}.", code="invalid") from exc


class PeriodField(forms.CharField):
    """A date with its precision, as (date, precision) or None. `end=True` stores a
    deadline's last day of its period, `end=False` an announcement's first day."""

    def __init__(self, *, end: bool, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 60)
        kwargs.setdefault("help_text", PERIOD_HELP)
        kwargs.setdefault("widget", forms.TextInput(attrs={"size": 20, "autocomplete": "off"}))
        super().__init__(**kwargs)
        self.parse = fuzzy.parse_deadline if end else fuzzy.parse_since

    def prepare_value(self, value):
        if isinstance(value, dt.date):  # a bare date from the model, before __init__ sets text
            return value.strftime(DAY_FORMAT)
        return value

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        try:
            return self.parse(text)
        except ValueError as exc:
            raise ValidationError(f"{exc}.", code="invalid") from exc


class PeriodFormMixin:
    """For a ModelForm whose `periods` map a model date field to its precision field:
    the date field becomes one text box, shown as `period_text`, and the text sets both."""

    periods: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, precision_name in self.periods.items():
            if name in self.fields:
                self.initial[name] = period_text(
                    getattr(self.instance, name), getattr(self.instance, precision_name)
                )

    def clean(self):
        data = super().clean()
        for name, precision_name in self.periods.items():
            if name not in self.fields or name not in data:
                continue
            day, precision = data[name] or (None, "")
            # The form saves the date itself; its precision is set beside it.
            data[name] = day
            setattr(self.instance, precision_name, precision)
        return data
