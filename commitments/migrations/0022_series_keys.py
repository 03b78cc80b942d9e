"""Give each series commitment its title's looser `series_key`, so a file imported after
this finds the commitments earlier files created under a slightly different name."""

from django.db import migrations

from commitments.importing.matching import series_key


def add_series_keys(apps, schema_editor):
    Commitment = apps.get_model("commitments", "Commitment")
    SeriesTitle = apps.get_model("commitments", "SeriesTitle")
    rows = Commitment.objects.exclude(series="").values_list("pk", "series", "title")
    SeriesTitle.objects.bulk_create(
        [
            SeriesTitle(series=series, key=key, commitment_id=pk)
            for pk, series, title in rows.iterator()
            if (key := series_key(title))
        ],
        batch_size=500,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("commitments", "0021_source_kind_dataset")]

    operations = [migrations.RunPython(add_series_keys, migrations.RunPython.noop)]
