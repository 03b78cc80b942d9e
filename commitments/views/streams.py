"""Every streamed answer (exports, calendars): the database is asked first, so an outage is
a 503 with `Retry-After` before any byte is sent; a stream that fails midway is logged and
cut off, never closed as if complete (no closing `]}`, `END:VCALENDAR` or XLSX directory,
and the server ends the connection without the transfer's last chunk)."""

from __future__ import annotations

import logging

from django.http import StreamingHttpResponse

from ..security import check_database

logger = logging.getLogger(__name__)


def _cut_off_on_failure(chunks, filename: str):
    try:
        yield from chunks
    except Exception:
        logger.exception("The stream of %s failed midway and was cut off", filename)
        raise


def stream(chunks, content_type: str, filename: str) -> StreamingHttpResponse:
    """A streamed answer shown in place (a calendar a client subscribes to)."""
    check_database()
    return StreamingHttpResponse(_cut_off_on_failure(chunks, filename), content_type=content_type)


def download(chunks, content_type: str, filename: str) -> StreamingHttpResponse:
    """A streamed answer saved as `filename`."""
    response = stream(chunks, content_type, filename)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
