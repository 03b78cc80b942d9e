"""The reader's export of the list (CSV and XLSX), with the list's filters; see
`exporting_readable.py` for what it holds."""

from __future__ import annotations

from django.http import HttpResponseBadRequest
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from ..content_languages import reader_language
from ..exporting_readable import XLSX_CONTENT_TYPE, csv_chunks, download_name, xlsx_chunks
from ..filters import CommitmentFilterSet
from ..models import Commitment
from .streams import download


def _filtered(request) -> CommitmentFilterSet:
    """The list's rows, each titled in the reader's language where it has a translation."""
    today = timezone.localdate()
    rows = Commitment.objects.with_health(today).in_language(reader_language(), parts=("title",))
    return CommitmentFilterSet(request.GET, queryset=rows, request=request, day=today)


def invalid_filters(filterset: CommitmentFilterSet) -> HttpResponseBadRequest:
    """Every export's answer to filters it cannot read: a 400 naming each."""
    lines = [f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items()]
    return HttpResponseBadRequest(
        gettext("Invalid filters.") + "\n" + "\n".join(lines),
        content_type="text/plain; charset=utf-8",
    )


def _download(request, filterset, chunks, content_type: str, extension: str):
    name = download_name(request.GET, filterset.form.cleaned_data, timezone.localdate(), extension)
    return download(chunks, content_type, name)


@require_safe
def export_csv(request):
    filterset = _filtered(request)
    if not filterset.is_valid():
        return invalid_filters(filterset)
    base_url = f"{request.scheme}://{request.get_host()}"
    chunks = csv_chunks(filterset.qs, base_url)
    return _download(request, filterset, chunks, "text/csv; charset=utf-8", "csv")


@require_safe
def export_xlsx(request):
    filterset = _filtered(request)
    if not filterset.is_valid():
        return invalid_filters(filterset)
    base_url = f"{request.scheme}://{request.get_host()}"
    chunks = xlsx_chunks(filterset.qs, base_url)
    return _download(request, filterset, chunks, XLSX_CONTENT_TYPE, "xlsx")
