"""The two steps of the import page: upload a file, then confirm what the preview showed.

Between the steps the file travels in a hidden field, signed with django.core.signing so
it cannot be altered, compressed, and refused when too large or too old."""

from __future__ import annotations

import base64

from django import forms
from django.conf import settings
from django.core import signing

from ..importing import Mapping, MappingError
from ..importing.mapping import parse_json

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
PAYLOAD_SALT = "commitments.import.payload"
PAYLOAD_MAX_AGE = 60 * 60  # seconds an analyst has between preview and confirm


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV or JSON file",
        help_text="UTF-8 (with or without BOM), up to 5 MB. The import guide lists the columns.",
    )
    mapping = forms.FileField(
        label="Mapping (optional)",
        required=False,
        help_text="A JSON mapping for a spreadsheet from elsewhere, like examples/mappings/*.json.",
    )
    skip_invalid = forms.BooleanField(
        label="Import the valid rows even if some rows are rejected",
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is {_megabytes(upload.size)}; the limit here is 5 MB. Split it into "
                "smaller files, or ask an administrator to run the import_commitments command."
            )
        if not upload.name.lower().endswith((".csv", ".json", ".txt")):
            raise forms.ValidationError("Upload a .csv or .json file.")
        return upload

    def clean_mapping(self):
        upload = self.cleaned_data.get("mapping")
        if not upload:
            return None
        if upload.size > 256 * 1024:
            raise forms.ValidationError("A mapping file is at most 256 KB.")
        try:
            data = parse_json(upload.read().decode("utf-8-sig"))
            Mapping.from_dict(data)
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(
                f"The mapping is not valid JSON (not UTF-8 text): {exc}"
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
                "This file is too large to preview and confirm on the site. Split it into "
                "smaller files, or ask an administrator to run the import_commitments command."
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


class ImportConfirmForm(forms.Form):
    payload = forms.CharField(widget=forms.HiddenInput)
    skip_invalid = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_payload(self):
        try:
            data = signing.loads(
                self.cleaned_data["payload"], salt=PAYLOAD_SALT, max_age=PAYLOAD_MAX_AGE
            )
        except signing.SignatureExpired:
            raise forms.ValidationError(
                "The preview is more than an hour old; upload the file again."
            ) from None
        except signing.BadSignature:
            raise forms.ValidationError(
                "The uploaded file could not be verified; upload it again."
            ) from None
        content = base64.b64decode(data["content"])
        if len(content) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 5 MB.")
        mapping = Mapping.from_dict(data["mapping"]) if data.get("mapping") else None
        return {"name": data["name"], "content": content, "mapping": mapping}
