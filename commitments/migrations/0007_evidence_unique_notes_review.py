"""Evidence: the old single commitment goes, one item per link and title; commitments
gain analyst's notes and updates a `review` flag."""

from django.db import migrations, models
from django.db.models import Q


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0006_evidence_shared"),
    ]

    operations = [
        migrations.RemoveField(model_name="evidence", name="old_commitment"),
        migrations.AddConstraint(
            model_name="evidence",
            constraint=models.UniqueConstraint(
                condition=~Q(url=""),
                fields=("url", "title"),
                name="evidence_once_per_link_and_title",
                violation_error_message=(
                    "This link is already recorded as evidence with this title."
                ),
            ),
        ),
        migrations.AddField(
            model_name="commitment",
            name="notes",
            field=models.TextField(
                blank=True,
                help_text="How the source was read: what was recorded, what was left out, and why.",
                max_length=5000,
                verbose_name="analyst's notes",
            ),
        ),
        migrations.AddField(
            model_name="statusupdate",
            name="review",
            field=models.BooleanField(
                default=False,
                help_text="Recorded as a review: the analyst checked and found nothing changed.",
            ),
        ),
    ]
