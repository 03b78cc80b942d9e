"""Each browse page runs the same number of queries for 3 rows as for 30."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commitments.services import record_status_update

pytestmark = pytest.mark.django_db


def build(make, rows: int):
    italy, energy, source = make.actor("Italy"), make.theme("Energy"), make.source()
    framework = make.commitment("Framework", kind="framework", parties=[italy], source=source)
    for n in range(rows):
        child = make.commitment(
            f"Row {n}",
            themes=[energy, make.theme(f"Theme {n}")],
            parties=[italy, make.actor(f"Actor {n}")],
            deadline=dt.date(2030, 1, 1),
            source=source,
            parent=framework,
        )
        ev = make.evidence(framework)
        record_status_update(
            commitment=framework,
            status="in_progress",
            by=None,
            rationale=f"Step {n}",
            evidence=[ev],
            progress=n % 100,
            effective_on=dt.date(2025, 1, 1),
        )
        make.evidence(child)
    return {"framework": framework, "italy": italy, "energy": energy, "source": source}


def urls(objs):
    return {
        "list": reverse("commitment_list") + "?q=Row&status=not_rated&has_evidence=true",
        "list_as_of": reverse("commitment_list") + "?as_of=2025-06-30&sort=-progress",
        "detail": reverse("commitment_detail", args=[objs["framework"].slug]),
        "actor": objs["italy"].get_absolute_url(),
        "theme": objs["energy"].get_absolute_url(),
        "source": objs["source"].get_absolute_url(),
        "actors": reverse("actor_index"),
        "themes": reverse("theme_index"),
        "sources": reverse("source_index"),
    }


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "page",
    ["list", "list_as_of", "detail", "actor", "theme", "source", "actors", "themes", "sources"],
)
def test_it_keeps_the_query_count_flat_as_rows_grow(client, make, django_assert_num_queries, page):
    small = count_queries(client, urls(build(make, 3))[page])
    from commitments.models import Actor, Commitment, Source, Theme

    Commitment.objects.update(parent=None)
    Commitment.objects.all().delete()
    for model in (Actor, Theme, Source):
        model.objects.all().delete()
    url = urls(build(make, 30))[page]
    with django_assert_num_queries(small):
        client.get(url)
