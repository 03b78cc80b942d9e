"""Data in and out: filtered exports, the updates feed, the deadlines calendar, and the
two-step import page for Editors.

Every streamed answer goes through `streams.py`: an outage is a 503 before the first byte,
a failure midway cuts the stream off."""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_safe

from ..changelog import log_import
from ..exporting import csv_chunks, json_chunks
from ..exporting_readable import download_name
from ..feeds import calendar_chunks
from ..filters import CommitmentFilterSet
from ..forms.importing import ImportConfirmForm, ImportUploadForm
from ..importing import import_file
from ..models import Milestone
from . import readable
from .streams import download as _download
from .streams import stream as _stream

logger = logging.getLogger(__name__)


def _filtered(request) -> CommitmentFilterSet:
    return CommitmentFilterSet(request.GET, request=request)


# `format` of the CSV export: our import columns (the default) or a reader's columns.
CSV_FORMATS = ("import", "readable")


def _import_format_name(request, filterset, extension: str) -> str:
    cleaned = filterset.form.cleaned_data
    return download_name(
        request.GET, cleaned, timezone.localdate(), extension, prefix="commitments-import-format"
    )


@require_safe
def export_csv(request):
    chosen = request.GET.get("format", "import") or "import"
    if chosen not in CSV_FORMATS:
        return HttpResponseBadRequest(
            gettext(
                "Unknown format “%(format)s”: use format=readable, or leave it out for the "
                "import columns."
            )
            % {"format": chosen[:40]},
            content_type="text/plain; charset=utf-8",
        )
    if chosen == "readable":
        return readable.export_csv(request)
    filterset = _filtered(request)
    if not filterset.is_valid():
        return readable.invalid_filters(filterset)
    return _download(
        csv_chunks(filterset.qs),
        "text/csv; charset=utf-8",
        _import_format_name(request, filterset, "csv"),
    )


@require_safe
def export_json(request):
    filterset = _filtered(request)
    if not filterset.is_valid():
        return readable.invalid_filters(filterset)
    return _download(
        json_chunks(filterset.qs),
        "application/json; charset=utf-8",
        _import_format_name(request, filterset, "json"),
    )


@require_safe
def deadlines_ics(request):
    filterset = _filtered(request)
    if not filterset.is_valid():
        return readable.invalid_filters(filterset)
    commitments = filterset.qs.filter(deadline__isnull=False).only(
        "slug", "title", "deadline", "deadline_precision", "status"
    )
    milestones = (
        Milestone.objects.filter(commitment__in=filterset.qs.values("pk"), due_on__isnull=False)
        .select_related("commitment")
        .order_by("due_on", "id")
    )
    chunks = calendar_chunks(
        commitments.iterator(chunk_size=500),
        milestones.iterator(chunk_size=500),
        host=request.get_host().split(":")[0],
        base_url=f"{request.scheme}://{request.get_host()}",
    )
    response = _stream(chunks, "text/calendar; charset=utf-8", "deadlines.ics")
    response["Content-Disposition"] = 'inline; filename="deadlines.ics"'
    return response


IMPORT_GUIDE = Path(settings.BASE_DIR) / "docs" / "import.md"


@login_required
@permission_required("commitments.import_commitments", raise_exception=True)
@require_safe
def import_guide(request):
    """The import guide (docs/import.md) as plain text, for those who may import."""
    return HttpResponse(
        IMPORT_GUIDE.read_text(encoding="utf-8"), content_type="text/plain; charset=utf-8"
    )


@login_required
@permission_required("commitments.import_commitments", raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def import_commitments(request):
    if request.method == "POST" and "payload" in request.POST:
        return _confirm_import(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        name, content, mapping = form.upload()
        skip_invalid = form.cleaned_data["skip_invalid"]
        result = import_file(
            content, name, mapping=mapping, by=request.user, dry_run=True, skip_invalid=skip_invalid
        )
        confirm = ImportConfirmForm(
            initial={"payload": form.signed_payload, "skip_invalid": skip_invalid},
            close_names=result.close_names,
        )
        return render(
            request,
            "commitments/data/import_preview.html",
            {"result": result, "confirm": confirm, "skip_invalid": skip_invalid},
        )
    return render(request, "commitments/data/import.html", {"form": form})


def _confirm_import(request):
    confirm = ImportConfirmForm(request.POST)
    if not confirm.is_valid():
        # A forged or stale preview: say why, write nothing, and start again.
        for errors in confirm.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("import_commitments")
    file = confirm.cleaned_data["payload"]
    skip_invalid = confirm.cleaned_data["skip_invalid"]
    try:
        result = import_file(
            file["content"],
            file["name"],
            mapping=file["mapping"],
            by=request.user,
            skip_invalid=skip_invalid,
        )
    except Exception:
        # The import runs in one transaction, so whatever stopped it, nothing was written.
        logger.exception("The import of %s stopped", file["name"])
        messages.error(
            request,
            gettext(
                "The import stopped unexpectedly and nothing was written. The error has been "
                "logged; try again, or ask an administrator to run the import_commitments command."
            ),
        )
        return redirect("import_commitments")
    if result.written:
        log_import(user=request.user, result=result)
        messages.success(request, result.summary())
        return redirect("import_commitments")
    return render(
        request,
        "commitments/data/import_preview.html",
        {"result": result, "confirm": confirm, "skip_invalid": skip_invalid},
    )
