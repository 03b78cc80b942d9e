"""Working through a list: an analyst filters the list, then records updates for its
commitments, several at once, and comes back to it.

- `safe_back`: where a form goes back to, only ever a path on this site.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from ..params import LIST_PATH


def safe_back(request: HttpRequest, raw: str | None) -> str:
    """`raw` when it is a path on this site, else the list of commitments."""
    if (
        raw
        and raw.startswith("/")
        and not raw.startswith("//")
        and url_has_allowed_host_and_scheme(
            raw, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return raw
    return LIST_PATH
