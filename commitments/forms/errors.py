"""The error summary at the top of a form that failed (GOV.UK's pattern): every message,
in the order of the fields, each a link to the field it is about, so a keyboard or
screen-reader user reaches the problem without hunting for it. Each message also stays
next to its field.

A form mixes in `ErrorSummaryMixin`; `templates/commitments/updates/_error_summary.html`
shows `form.error_summary`.
"""

from __future__ import annotations

from django.forms.forms import NON_FIELD_ERRORS

# Evidence is a fieldset of checkboxes and rows, not one input: its messages link to it.
EVIDENCE_ANCHOR = "#evidence"
EVIDENCE_FIELDS = ("evidence", "cite_source", "evidence_query")


class ErrorSummaryMixin:
    """`error_summary()`: each message with the anchor of its field (None: no field)."""

    def error_summary(self) -> list[dict[str, str | None]]:
        errors = self.errors
        entries = [{"message": m, "href": None} for m in errors.get(NON_FIELD_ERRORS, [])]
        evidence_done = False
        for name, field in self.fields.items():
            if name in EVIDENCE_FIELDS:
                if not evidence_done:
                    entries += [
                        {"message": m, "href": EVIDENCE_ANCHOR} for m in self._evidence_messages()
                    ]
                    evidence_done = True
                continue
            href = None if field.widget.is_hidden else f"#{self[name].auto_id}"
            entries += [{"message": m, "href": href} for m in errors.get(name, [])]
        return entries

    def _evidence_messages(self) -> list[str]:
        """The evidence fieldset's messages: its fields', then its rows' (see `EvidenceForm`)."""
        errors = self.errors
        return [m for name in EVIDENCE_FIELDS if name in self.fields for m in errors.get(name, [])]
