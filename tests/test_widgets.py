"""The quick select renders what Django's own Select renders, escaped the same way."""

import re

import pytest
from django import forms

from commitments.widgets import QuickSelect

CHOICES = [("", "---------"), ("a&b", "A & <b>bold</b>"), ("defence", "Défense")]


def squeezed(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize("value", ["", "a&b", "defence", None, "unknown"])
def test_it_renders_the_same_markup_as_the_select_it_replaces(value):
    attrs = {"id": "id_theme"}
    expected = forms.Select(choices=CHOICES).render("theme", value, attrs)
    assert squeezed(QuickSelect(choices=CHOICES).render("theme", value, attrs)) == squeezed(
        expected
    )


def test_it_escapes_labels_and_values():
    html = QuickSelect(choices=CHOICES).render("theme", "a&b")
    assert '<option value="a&amp;b" selected>A &amp; &lt;b&gt;bold&lt;/b&gt;</option>' in html


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["", "defence", "unknown"])
def test_it_renders_a_model_menu_as_the_select_it_replaces(value):
    from commitments.models import Theme

    Theme.objects.create(name="Defence & <security>", slug="defence")
    Theme.objects.create(name="Energy", slug="energy")
    field = forms.ModelChoiceField(queryset=Theme.objects.order_by("slug"), to_field_name="slug")
    attrs = {"id": "id_theme", "required": False}
    expected = forms.Select(choices=field.choices).render("theme", value, attrs)
    quick = QuickSelect(choices=field.choices).render("theme", value, attrs)
    assert squeezed(quick) == squeezed(expected)
    assert ('value="defence" selected' in quick) is (value == "defence")


@pytest.mark.django_db
def test_it_draws_every_menu_of_the_filter_form_as_djangos_select_would():
    import datetime as dt

    from commitments.filters import CommitmentFilterSet
    from commitments.forms.filtering import filter_form
    from commitments.models import Actor, Theme

    Theme.objects.create(name="Defence", slug="defence")
    Actor.objects.create(name="Japan", slug="japan", kind="government")
    data = {"theme": "defence", "party": "japan", "sort": "-updated", "has_evidence": "true"}
    form = filter_form(CommitmentFilterSet(data, day=dt.date(2026, 3, 10)))
    menus = [name for name, field in form.fields.items() if isinstance(field.widget, QuickSelect)]
    assert {"theme", "party", "source", "kind", "health", "sort", "has_evidence"} <= set(menus)
    for name in menus:
        quick = str(form[name])
        widget = form.fields[name].widget
        form.fields[name].widget = forms.Select(choices=widget.choices, attrs=widget.attrs)
        assert squeezed(quick) == squeezed(str(form[name])), name
    assert 'value="japan" selected' in str(form["party"])
