"""Working through a list: an analyst filters the list, then records updates for its
commitments one after another, or for several at once, and comes back to it.

- `list_param`: the query a list row passes to the update form (`?list=<the list's
  query>`), so that after saving, the form names the next commitment of the same list;
- `next_in_list`: that next commitment, by the same FilterSet and sort as the list;
- `safe_back`: where a form goes back to, only ever a path on this site.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from ..filters import CommitmentFilterSet
from ..models import Commitment
from ..params import LIST_PATH, parse_as_of

# A list's query is a few filters; anything longer is not one of ours.
LIST_QUERY_MAX = 2000
# Ids read at a time while looking for the current commitment in a long list.
CHUNK = 1000


def list_param(query: str) -> str:
    """`list=<query>` for a link from a list row to the update form."""
    return urlencode({"list": query})


def list_from(request: HttpRequest) -> str | None:
    """The query of the list the form was opened from (its hidden field, or the link's
    `list`), or None when it was not opened from a list. An empty query is a list too:
    every commitment, in the default order."""
    raw = request.POST.get("list") if "list" in request.POST else request.GET.get("list")
    if raw is None:
        return None
    raw = raw.strip()
    return raw if len(raw) <= LIST_QUERY_MAX else None


@dataclass(frozen=True)
class Place:
    """Where a commitment stands in a list: whether it is in it, and the one after it."""

    in_list: bool
    next: Commitment | None

    @property
    def is_last(self) -> bool:
        return self.in_list and self.next is None


def next_in_list(query: str, commitment: Commitment) -> Place:
    """The commitment after `commitment` in the list that `query` selects, in its order.

    Call it before saving: an update can take the commitment out of the list (a list
    of the ones not yet rated, say), and the next one is the one after it as the
    analyst saw it."""
    data = QueryDict(query)
    day, _problem = parse_as_of(data.get("as_of"))
    filterset = CommitmentFilterSet(data, queryset=Commitment.objects.all(), day=day)
    if not filterset.is_valid():
        return Place(in_list=False, next=None)
    found = False
    for pk in filterset.qs.values_list("pk", flat=True).iterator(chunk_size=CHUNK):
        if found:
            return Place(in_list=True, next=Commitment.objects.get(pk=pk))
        found = pk == commitment.pk
    return Place(in_list=found, next=None)


def update_url(commitment: Commitment, query: str) -> str:
    return f"{reverse('commitment_update', args=[commitment.slug])}?{list_param(query)}"


def list_url(query: str) -> str:
    return f"{LIST_PATH}?{query}" if query else LIST_PATH


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
