"""Evidence is recorded once and backs updates on any number of commitments.

Each item's commitment becomes one of its commitments; items that share a link and a
title are merged into the oldest one (their commitments, updates and milestones are
moved onto it), so the unique constraint of the next migration holds. The schema
changes that follow the data changes are in 0007: PostgreSQL does not alter a table
in the transaction that changed its rows.
"""

from django.db import migrations, models
from django.db.models import Count, Min


def copy_commitments(apps, schema_editor):
    Evidence = apps.get_model("commitments", "Evidence")
    through = Evidence.commitments.through
    rows = [
        through(evidence_id=pk, commitment_id=commitment_id)
        for pk, commitment_id in Evidence.objects.values_list("pk", "old_commitment_id")
    ]
    through.objects.bulk_create(rows, batch_size=2000)


def merge_duplicates(apps, schema_editor):
    Evidence = apps.get_model("commitments", "Evidence")
    StatusUpdate = apps.get_model("commitments", "StatusUpdate")
    Milestone = apps.get_model("commitments", "Milestone")
    duplicated = (
        Evidence.objects.exclude(url="")
        .values("url", "title")
        .annotate(n=Count("pk"), keep=Min("pk"))
        .filter(n__gt=1)
    )
    links = [
        (Evidence.commitments.through, "evidence_id", "commitment_id"),
        (StatusUpdate.evidence.through, "evidence_id", "statusupdate_id"),
        (Milestone.evidence.through, "evidence_id", "milestone_id"),
    ]
    for group in duplicated:
        keep = group["keep"]
        others = list(
            Evidence.objects.filter(url=group["url"], title=group["title"])
            .exclude(pk=keep)
            .values_list("pk", flat=True)
        )
        for through, own, other in links:
            kept = set(through.objects.filter(**{own: keep}).values_list(other, flat=True))
            for row in through.objects.filter(**{f"{own}__in": others}):
                target = getattr(row, other)
                if target not in kept:
                    through.objects.create(**{own: keep, other: target})
                    kept.add(target)
            through.objects.filter(**{f"{own}__in": others}).delete()
        Evidence.objects.filter(pk__in=others).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0005_kind_deadline_index"),
    ]

    operations = [
        migrations.RenameField("evidence", "commitment", "old_commitment"),
        migrations.AlterField(
            model_name="evidence",
            name="old_commitment",
            field=models.ForeignKey(
                on_delete=models.deletion.CASCADE,
                related_name="+",
                to="commitments.commitment",
            ),
        ),
        migrations.AddField(
            model_name="evidence",
            name="commitments",
            field=models.ManyToManyField(
                blank=True, related_name="evidence", to="commitments.commitment"
            ),
        ),
        migrations.RunPython(copy_commitments, migrations.RunPython.noop),
        migrations.RunPython(merge_duplicates, migrations.RunPython.noop),
    ]
