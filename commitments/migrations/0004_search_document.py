"""A stored full-text document for each commitment, on PostgreSQL.

Ranking thousands of matches recomputed `to_tsvector` for every matching row; a stored
`search_document`, kept by a trigger and indexed with GIN, makes matching and ranking
read it instead. The trigger fires on every insert (bulk_create included) and on any
update that writes the title, summary or quote. SQLite has no tsvector: the column stays
empty there and search uses LIKE.

The expression index of 0003 on the computed vector is dropped: the column's replaces it.
"""

import django.contrib.postgres.search
from django.db import migrations

DOCUMENT = """
    setweight(to_tsvector('english', COALESCE({row}title, '')), 'A')
    || setweight(to_tsvector('english', COALESCE({row}summary, '')), 'B')
    || setweight(to_tsvector('english', COALESCE({row}quote, '')), 'B')
"""

FORWARD = f"""
DROP INDEX IF EXISTS commitment_search_idx;
CREATE FUNCTION commitments_search_document() RETURNS trigger AS $$
BEGIN
    NEW.search_document := {DOCUMENT.format(row="NEW.")};
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER commitments_search_document
    BEFORE INSERT OR UPDATE OF title, summary, quote ON commitments_commitment
    FOR EACH ROW EXECUTE FUNCTION commitments_search_document();
UPDATE commitments_commitment SET search_document = {DOCUMENT.format(row="")};
CREATE INDEX commitment_document_idx ON commitments_commitment USING gin (search_document);
ANALYZE commitments_commitment;
"""

BACKWARD = """
DROP INDEX IF EXISTS commitment_document_idx;
DROP TRIGGER IF EXISTS commitments_search_document ON commitments_commitment;
DROP FUNCTION IF EXISTS commitments_search_document();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0003_performance"),
    ]

    operations = [
        migrations.AddField(
            model_name="commitment",
            name="search_document",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
