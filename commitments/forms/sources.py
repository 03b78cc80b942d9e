"""Forms of a statement's pages: its text pasted or uploaded, and the review of the
commitments found in it. Parsing only: the rules are the services'."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import sourcetext
from ..choices import Kind, SourceKind
from ..dates import period_end
from ..extraction import language
from ..importing.fuzzy import parse_statement_period
from ..models import Actor, Commitment, Source, Theme
from .errors import ErrorSummaryMixin


class SourceTextForm(ErrorSummaryMixin, forms.Form):
    """The statement's words, pasted or as a .txt, .html or .pdf file (one of the two)."""

    text = forms.CharField(
        label=_("Paste the text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("The whole statement, as published."),
    )
    file = forms.FileField(
        label=_("Or upload a file"),
        required=False,
        help_text=_(".txt, .html or .pdf with a text layer, up to 5 MB."),
    )
    language = forms.CharField(
        label=_("Language"),
        required=False,
        max_length=10,
        help_text=_("A two-letter code (en, it, ja); left empty, it is worked out from the text."),
    )

    def clean(self):
        data = super().clean()
        upload, pasted = data.get("file"), data.get("text", "")
        try:
            if upload and pasted.strip():
                raise ValidationError(gettext("Paste the text or upload a file, not both."))
            if upload:
                if upload.size > sourcetext.MAX_BYTES:
                    raise sourcetext.SourceTextError(
                        gettext(
                            "“%(name)s” is larger than 5 MB: upload the statement's text alone."
                        )
                        % {"name": upload.name}
                    )
                data["full_text"] = sourcetext.from_upload(upload.name, upload.read())
            else:
                data["full_text"] = sourcetext.from_paste(pasted)
        except sourcetext.SourceTextError as error:
            raise ValidationError({"file" if upload else "text": str(error)}) from error
        code = (data.get("language") or "").strip().lower()
        data["language"] = code or language.detect(data["full_text"]) or "en"
        return data


class SourceForm(SourceTextForm):
    """A new source with its text."""

    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=SourceKind.choices, initial=SourceKind.JOINT_STATEMENT
    )
    date = forms.DateField(
        label=_("Date"),
        required=False,
        help_text=_(
            "YYYY-MM-DD. Deadlines such as “next year” are read from it; leave empty when unknown."
        ),
    )
    publisher = forms.CharField(label=_("Publisher"), max_length=200, required=False)
    url = forms.URLField(label=_("Link"), max_length=500, required=False, assume_scheme="https")

    field_order = ["title", "kind", "date", "publisher", "url", "text", "file", "language"]

    def source(self) -> Source:
        data = self.cleaned_data
        source = Source(
            title=data["title"].strip(),
            kind=data["kind"],
            date=data["date"],
            publisher=data["publisher"],
            url=data["url"],
            language=data["language"],
            full_text=data["full_text"],
        )
        try:
            source.full_clean(exclude=["slug"])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
            return None
        return source


class SpanForm(forms.Form):
    start = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


def parse_deadline(text: str, said_on: dt.date | None) -> tuple[dt.date | None, str]:
    if not text.strip():
        return None, ""
    try:
        day, precision = parse_statement_period(text, said_on=said_on)
    except ValueError as error:
        raise ValidationError(str(error)) from error
    return period_end(day, precision), precision


class AcceptForm(ErrorSummaryMixin, SpanForm):
    title = forms.CharField(
        label=_("Title"), max_length=300, help_text=_("What is promised, in a few words.")
    )
    quote = forms.CharField(
        label=_("The source's exact words"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("Trim it if you like; it must stay the source's words."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    deadline = forms.CharField(
        label=_("Deadline"),
        required=False,
        max_length=60,
        help_text=_(
            "As written: 2035, by March 2027, Q3 2026, first half of 2026; empty for none."
        ),
    )
    parties = forms.ModelMultipleChoiceField(
        label=_("Parties"),
        queryset=Actor.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, said_on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.said_on = said_on
        self.fields["parties"].queryset = Actor.objects.order_by("name")
        self.fields["themes"].queryset = Theme.objects.order_by("name")

    def clean_deadline(self):
        return parse_deadline(self.cleaned_data.get("deadline", ""), self.said_on)


class LinkForm(ErrorSummaryMixin, SpanForm):
    commitment = forms.SlugField(label=_("Existing commitment"), max_length=80)
    deadline = forms.CharField(required=False, max_length=60)
    change_deadline = forms.BooleanField(
        required=False, label=_("Change its deadline to the one in this sentence")
    )

    def __init__(self, *args, said_on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.said_on = said_on

    def clean_commitment(self):
        slug = self.cleaned_data["commitment"]
        commitment = Commitment.objects.filter(slug=slug).first()
        if commitment is None:
            raise ValidationError(
                gettext("No commitment is recorded as “%(slug)s”.") % {"slug": slug}
            )
        return commitment

    def clean_deadline(self):
        return parse_deadline(self.cleaned_data.get("deadline", ""), self.said_on)


class MarkForm(forms.Form):
    words = forms.CharField(
        label=_("Mark a sentence the extractor missed"),
        max_length=5000,
        help_text=_(
            "Copy its words from the text (or select them there); they open a form to accept them."
        ),
    )
