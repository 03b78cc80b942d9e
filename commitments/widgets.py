"""Form widgets."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

SELECTED = mark_safe(" selected")


class QuickSelect(forms.Select):
    """A select rendered in Python rather than one template per option: the filters'
    party and source menus hold hundreds of options, and rendering them through
    templates cost more than the rest of the list page. Same markup, no optgroups.

    It reads the choices as they are, without Django's context for each option (a copy of
    the attributes and a dict per option), which cost about a millisecond per ten
    options; as Django's select does, it marks the first option whose value matches."""

    def render(self, name, value, attrs=None, renderer=None):
        wanted = set(self.format_value(value))
        return format_html(
            '<select name="{}"{}>\n{}\n</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            format_html_join("\n", '<option value="{}"{}>{}</option>', self._options(wanted)),
        )

    def _options(self, wanted: set[str]):
        selected = False
        for option_value, label in self.choices:
            option_value = "" if option_value is None else str(option_value)
            mark = ""
            if not selected and option_value in wanted:
                mark, selected = SELECTED, True
            yield option_value, mark, label
