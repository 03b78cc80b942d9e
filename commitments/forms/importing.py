"""The two steps of the import page: upload a file, then confirm what the preview showed.

Between the steps the file travels in a hidden field, signed with django.core.signing so
it cannot be altered, compressed, and refused when too large or too old. The names the
preview found close to existing ones travel signed too, each with a select of the existing
names offered; what the editor picks joins the mapping's `values` for the confirmed import."""

from __future__ import annotations

import base64
import hashlib

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..importing import Mapping, MappingError
from ..importing.mapping import parse_json, with_values
from ..importing.report import CloseName
from ..models import Actor, Source, Theme

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
PAYLOAD_SALT = "commitments.import.payload"
PAYLOAD_MAX_AGE = 60 * 60  # seconds an analyst has between preview and confirm
OFFERED_SALT = "commitments.import.offered"
COLUMN_LABELS = {"parties": _("Actor"), "themes": _("Theme"), "source": _("Source")}
# Selects offered on one preview, at most: a form posts at most Django's
# DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000) fields. The rest keep their mapping entries.
MAX_CHOICES = 200


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV, Excel (.xlsx) or JSON file"),
        help_text=_(
            "UTF-8 (with or without BOM) or UTF-16, or an .xlsx workbook (its first sheet, or "
            "the mapping's), up to 5 MB. The import guide lists the columns."
        ),
    )
    mapping = forms.FileField(
        label=_("Mapping (optional)"),
        required=False,
        help_text=_(
            "A JSON mapping for a spreadsheet from elsewhere, like examples/mappings/*.json."
        ),
    )
    skip_invalid = forms.BooleanField(
        label=_("Import the valid rows even if some rows are rejected"),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                gettext(
                    "The file is %(size)s; the limit here is 5 MB. Split it into "
                    "smaller files, or ask an administrator to run the import_commitments command."
                )
                % {"size": _megabytes(upload.size)}
            )
        if not upload.name.lower().endswith((".csv", ".json", ".txt", ".xlsx")):
            raise forms.ValidationError(gettext("Upload a .csv, .xlsx or .json file."))
        return upload

    def clean_mapping(self):
        upload = self.cleaned_data.get("mapping")
        if not upload:
            return None
        if upload.size > 256 * 1024:
            raise forms.ValidationError(gettext("A mapping file is at most 256 KB."))
        try:
            data = parse_json(upload.read().decode("utf-8-sig"))
            Mapping.from_dict(data)
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(
                gettext("The mapping is not valid JSON (not UTF-8 text): %(error)s")
                % {"error": exc}
            ) from None
        except MappingError as exc:
            raise forms.ValidationError(str(exc)) from None
        return data

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        # The confirm step posts the file back inside a form field, which Django caps at
        # DATA_UPLOAD_MAX_MEMORY_SIZE; a file that compresses badly can exceed it.
        self.signed_payload = self.payload()
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and len(self.signed_payload) > limit - 64 * 1024:
            raise forms.ValidationError(
                gettext(
                    "This file is too large to preview and confirm on the site. Split it into "
                    "smaller files, or ask an administrator to run the import_commitments command."
                )
            )
        return cleaned

    def upload(self) -> tuple[str, bytes, Mapping | None]:
        upload = self.cleaned_data["file"]
        upload.seek(0)
        mapping = self.cleaned_data["mapping"]
        return upload.name, upload.read(), Mapping.from_dict(mapping) if mapping else None

    def payload(self) -> str:
        name, content, _ = self.upload()
        return sign_payload(name, content, self.cleaned_data["mapping"])


def sign_payload(name: str, content: bytes, mapping: dict | None) -> str:
    data = {
        "name": name,
        "content": base64.b64encode(content).decode("ascii"),
        "mapping": mapping,
    }
    return signing.dumps(data, salt=PAYLOAD_SALT, compress=True)


def _fingerprint(payload: str) -> str:
    return hashlib.sha256(payload.encode()).hexdigest()


def sign_offered(close_names: list[CloseName], payload: str) -> str:
    """The close names a preview offered for this file, signed so the confirm step can
    trust them."""
    offered = [[close.column, close.name, close.existing] for close in close_names]
    return signing.dumps([_fingerprint(payload), offered], salt=OFFERED_SALT, compress=True)


def missing_names(chosen: dict[str, dict[str, str]]) -> list[tuple[str, str, str]]:
    """The chosen existing names no longer in the register: (column, new name, target)."""
    present = {
        "themes": lambda wanted: set(
            Theme.objects.filter(name__in=wanted).values_list("name", flat=True)
        ),
        "source": lambda wanted: set(
            Source.objects.filter(title__in=wanted).values_list("title", flat=True)
        ),
        "parties": lambda wanted: {
            name
            for actor in Actor.objects.only("name", "short_name", "aliases")
            for name in actor.all_names
        },
    }
    missing = []
    for column, choices in chosen.items():
        found = present[column](set(choices.values()))
        missing += [
            (column, name, target) for name, target in choices.items() if target not in found
        ]
    return missing


class ImportConfirmForm(forms.Form):
    """The confirm step: the signed file, and for each name the import would create that
    is close to existing ones, a choice between creating it and using one of those."""

    payload = forms.CharField(widget=forms.HiddenInput)
    skip_invalid = forms.BooleanField(required=False, widget=forms.HiddenInput)
    offered = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, *, close_names: list[CloseName] = (), **kwargs):
        super().__init__(data, **kwargs)
        if data is None:
            self.offered_names = list(close_names[:MAX_CHOICES])
            payload = self.initial.get("payload", "")
            self.initial["offered"] = (
                sign_offered(self.offered_names, payload) if close_names else ""
            )
        else:
            self.offered_names = self._verified_offer(
                data.get("offered") or "", data.get("payload") or ""
            )
        for index, close in enumerate(self.offered_names):
            label = gettext("%(column)s “%(name)s”") % {
                "column": COLUMN_LABELS.get(close.column, close.column),
                "name": close.name,
            }
            self.fields[f"use_{index}"] = forms.ChoiceField(
                label=label,
                required=False,
                choices=[("", gettext("Create new: %(name)s") % {"name": close.name})]
                + [
                    (name, gettext("Use existing: %(name)s") % {"name": name})
                    for name in close.existing
                ],
                error_messages={
                    # The field fills in %(value)s itself.
                    "invalid_choice": gettext("%(name)s: %(message)s")
                    % {
                        "name": label,
                        "message": gettext(
                            "%(value)s is not one of the existing names offered; "
                            "choose one of them or create it new. Nothing was written."
                        ),
                    }
                },
            )

    def _verified_offer(self, text: str, payload: str) -> list[CloseName]:
        if not text:
            return []
        try:
            fingerprint, offered = signing.loads(text, salt=OFFERED_SALT, max_age=PAYLOAD_MAX_AGE)
        except (signing.BadSignature, ValueError, TypeError):
            fingerprint, offered = "", []
        if fingerprint != _fingerprint(payload):
            self.offer_error = gettext(
                "The names offered in the preview could not be verified; upload the file again."
            )
            return []
        return [CloseName(column, name, list(existing)) for column, name, existing in offered]

    @property
    def choice_fields(self):
        return [self[f"use_{index}"] for index in range(len(self.offered_names))]

    def clean_offered(self):
        if getattr(self, "offer_error", ""):
            raise forms.ValidationError(self.offer_error)
        return self.cleaned_data["offered"]

    def chosen(self) -> dict[str, dict[str, str]]:
        """Per column, each new name -> the existing name picked instead of creating it."""
        chosen: dict[str, dict[str, str]] = {}
        for index, close in enumerate(self.offered_names):
            target = self.cleaned_data.get(f"use_{index}")
            if target:
                chosen.setdefault(close.column, {})[close.name] = target
        return chosen

    def clean_payload(self):
        try:
            data = signing.loads(
                self.cleaned_data["payload"], salt=PAYLOAD_SALT, max_age=PAYLOAD_MAX_AGE
            )
        except signing.SignatureExpired:
            raise forms.ValidationError(
                gettext("The preview is more than an hour old; upload the file again.")
            ) from None
        except signing.BadSignature:
            raise forms.ValidationError(
                gettext("The uploaded file could not be verified; upload it again.")
            ) from None
        content = base64.b64decode(data["content"])
        if len(content) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(gettext("The file is larger than 5 MB."))
        return {"name": data["name"], "content": content, "mapping": data.get("mapping")}

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        file = cleaned["payload"]
        chosen = self.chosen()
        for column, name, target in missing_names(chosen):
            label = COLUMN_LABELS.get(column, column)
            self.add_error(
                None,
                gettext(
                    "%(column)s “%(name)s” was to use “%(target)s”, which is no longer in the "
                    "register; upload the file again. Nothing was written."
                )
                % {"column": label, "name": name, "target": target},
            )
        if self.errors:
            return cleaned
        data = with_values(file["mapping"], chosen) if chosen else file["mapping"]
        try:
            file["mapping"] = Mapping.from_dict(data) if data else None
        except MappingError as exc:
            raise forms.ValidationError(str(exc)) from None
        return cleaned
