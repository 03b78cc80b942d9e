"""Indexes and a version counter that keep the tracker fast at 100,000 commitments.

- commitment_updated_idx and milestone_due_idx: MAX(updated_at) for the dashboard
  cache's version, and the dashboard's next milestones, as index scans.
- RegisterVersion: raised after every change to the register (commitments.caching).
- commitment_search_idx, on PostgreSQL only: a GIN index on the very expression the
  list's full-text search matches (`commitments.filters.search_vector`). SQLite has no
  GIN and searches with LIKE, so it is skipped there.
"""

import django.utils.timezone
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations, models

SEARCH_INDEX = "commitment_search_idx"


def _search_index() -> GinIndex:
    # The same expression as commitments.filters.search_vector(), frozen here.
    vector = (
        SearchVector("title", weight="A", config="english")
        + SearchVector("summary", weight="B", config="english")
        + SearchVector("quote", weight="B", config="english")
    )
    return GinIndex(vector, name=SEARCH_INDEX)


def add_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.add_index(apps.get_model("commitments", "Commitment"), _search_index())


def remove_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_index(apps.get_model("commitments", "Commitment"), _search_index())


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0002_roles"),
    ]

    operations = [
        migrations.CreateModel(
            name="RegisterVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveBigIntegerField(default=0)),
                ("changed_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "verbose_name": "register version",
            },
        ),
        migrations.AddIndex(
            model_name="commitment",
            index=models.Index(fields=["updated_at"], name="commitment_updated_idx"),
        ),
        migrations.AddIndex(
            model_name="milestone",
            index=models.Index(fields=["due_on", "order", "id"], name="milestone_due_idx"),
        ),
        migrations.RunPython(add_search_index, remove_search_index, elidable=False),
    ]
