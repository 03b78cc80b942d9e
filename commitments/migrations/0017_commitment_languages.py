"""Commitments in several languages: each commitment's original language, and its
translations (`CommitmentText`), one per language, with who made them.

On PostgreSQL the translations' titles and summaries get a GIN trigram index (pg_trgm),
and so do the commitments' own when their original is not English (a partial index: the
English ones are the full-text search's), so a search finds "次期戦闘機" inside a Japanese
title: on the upper-cased texts, as
Django writes `icontains` (`UPPER(title::text) LIKE UPPER('%…%')`). SQLite searches them
with LIKE.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it.
# Going back leaves the extension in place (other indexes may use it) and drops the index.
FORWARD = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX commitment_text_trgm_idx ON commitments_commitmenttext
    USING gin ((UPPER(title::text)) gin_trgm_ops, (UPPER(summary)) gin_trgm_ops);
CREATE INDEX commitment_original_trgm_idx ON commitments_commitment
    USING gin ((UPPER(title::text)) gin_trgm_ops, (UPPER(summary)) gin_trgm_ops)
    WHERE NOT (language = 'en');
"""
BACKWARD = """
DROP INDEX IF EXISTS commitment_original_trgm_idx;
DROP INDEX IF EXISTS commitment_text_trgm_idx;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0016_review_queue_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CommitmentText",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        choices=[("en", "English"), ("it", "Italian"), ("ja", "Japanese")],
                        max_length=10,
                        verbose_name="language",
                    ),
                ),
                ("title", models.CharField(max_length=300, verbose_name="title")),
                ("summary", models.TextField(blank=True, max_length=5000, verbose_name="summary")),
                (
                    "quote",
                    models.TextField(
                        blank=True,
                        help_text="A translation of the source's words; the original quote is always shown beside it.",
                        max_length=5000,
                        verbose_name="the quote, translated",
                    ),
                ),
                (
                    "translated_by",
                    models.CharField(
                        help_text="Who translated it: a person, or e.g. “Tracker editors”.",
                        max_length=200,
                        verbose_name="translated by",
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name": "translation",
                "verbose_name_plural": "translations",
                "ordering": ["commitment_id", "language"],
            },
        ),
        migrations.AddField(
            model_name="commitment",
            name="language",
            field=models.CharField(
                choices=[("en", "English"), ("it", "Italian"), ("ja", "Japanese")],
                default="en",
                help_text="The language of the title, summary and quote: the original's (its source's). Translations are kept beside it.",
                max_length=10,
                verbose_name="original language",
            ),
        ),
        migrations.AddConstraint(
            model_name="commitment",
            constraint=models.CheckConstraint(
                condition=models.Q(("language__in", ("en", "it", "ja"))),
                name="commitment_language_known",
                violation_error_message="Choose English (en), Italian (it) or Japanese (ja).",
            ),
        ),
        migrations.AddField(
            model_name="commitmenttext",
            name="commitment",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="translations",
                to="commitments.commitment",
            ),
        ),
        migrations.AddField(
            model_name="commitmenttext",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="commitmenttext",
            constraint=models.UniqueConstraint(
                fields=("commitment", "language"),
                name="commitment_text_one_per_language",
                violation_error_message="This commitment already has a translation into this language.",
            ),
        ),
        migrations.AddConstraint(
            model_name="commitmenttext",
            constraint=models.CheckConstraint(
                condition=models.Q(("language__in", ("en", "it", "ja"))),
                name="commitment_text_language_known",
                violation_error_message="Choose English (en), Italian (it) or Japanese (ja).",
            ),
        ),
        migrations.AddConstraint(
            model_name="commitmenttext",
            constraint=models.CheckConstraint(
                condition=models.Q(("title", ""), _negated=True),
                name="commitment_text_title_not_empty",
                violation_error_message="A translation needs its title.",
            ),
        ),
        migrations.AddConstraint(
            model_name="commitmenttext",
            constraint=models.CheckConstraint(
                condition=models.Q(("translated_by", ""), _negated=True),
                name="commitment_text_translated_by_given",
                violation_error_message="Say who made this translation.",
            ),
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
