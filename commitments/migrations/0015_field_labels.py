# The register's field and model names, marked for translation: labels only, no table changes.

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0014_keep_current"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="actor",
            options={
                "ordering": ["name"],
                "verbose_name": "actor",
                "verbose_name_plural": "actors",
            },
        ),
        migrations.AlterModelOptions(
            name="candidatedecision",
            options={
                "ordering": ["source", "start", "id"],
                "verbose_name": "candidate decision",
                "verbose_name_plural": "candidate decisions",
            },
        ),
        migrations.AlterModelOptions(
            name="commitment",
            options={
                "ordering": ["title"],
                "permissions": [("import_commitments", "Can import commitments in bulk")],
                "verbose_name": "commitment",
                "verbose_name_plural": "commitments",
            },
        ),
        migrations.AlterModelOptions(
            name="commitmentlink",
            options={
                "ordering": ["effective_on", "id"],
                "verbose_name": "commitment link",
                "verbose_name_plural": "commitment links",
            },
        ),
        migrations.AlterModelOptions(
            name="deadlinechange",
            options={
                "ordering": ["commitment", "changed_at", "id"],
                "verbose_name": "deadline change",
                "verbose_name_plural": "deadline changes",
            },
        ),
        migrations.AlterModelOptions(
            name="digestsent",
            options={
                "ordering": ["-day"],
                "verbose_name": "digest sent",
                "verbose_name_plural": "digests sent",
            },
        ),
        migrations.AlterModelOptions(
            name="digestsubscription",
            options={
                "verbose_name": "digest subscription",
                "verbose_name_plural": "digest subscriptions",
            },
        ),
        migrations.AlterModelOptions(
            name="evidence",
            options={
                "ordering": ["-published_on", "-added_at"],
                "verbose_name": "evidence",
                "verbose_name_plural": "evidence",
            },
        ),
        migrations.AlterModelOptions(
            name="milestone",
            options={
                "ordering": ["commitment", "order", "due_on", "id"],
                "verbose_name": "milestone",
                "verbose_name_plural": "milestones",
            },
        ),
        migrations.AlterModelOptions(
            name="party",
            options={
                "ordering": ["commitment", "role", "actor__name"],
                "verbose_name": "party",
                "verbose_name_plural": "parties",
            },
        ),
        migrations.AlterModelOptions(
            name="partyassessment",
            options={
                "ordering": ["-effective_on", "-recorded_at", "-id"],
                "verbose_name": "party assessment",
                "verbose_name_plural": "party assessments",
            },
        ),
        migrations.AlterModelOptions(
            name="registerversion",
            options={
                "verbose_name": "register version",
                "verbose_name_plural": "register versions",
            },
        ),
        migrations.AlterModelOptions(
            name="source",
            options={
                "ordering": ["-date", "title"],
                "verbose_name": "source",
                "verbose_name_plural": "sources",
            },
        ),
        migrations.AlterModelOptions(
            name="sourcequote",
            options={
                "ordering": ["source", "start", "id"],
                "verbose_name": "source quote",
                "verbose_name_plural": "source quotes",
            },
        ),
        migrations.AlterModelOptions(
            name="statusupdate",
            options={
                "ordering": ["-effective_on", "-recorded_at", "-id"],
                "verbose_name": "status update",
                "verbose_name_plural": "status updates",
            },
        ),
        migrations.AlterModelOptions(
            name="theme",
            options={
                "ordering": ["name"],
                "verbose_name": "theme",
                "verbose_name_plural": "themes",
            },
        ),
        migrations.AlterModelOptions(
            name="watch",
            options={
                "ordering": ["created_at", "id"],
                "verbose_name": "watch",
                "verbose_name_plural": "watches",
            },
        ),
        migrations.AlterField(
            model_name="actor",
            name="aliases",
            field=models.TextField(
                blank=True,
                help_text="Other names readers and statements use, one per line: e.g. Rome, Italian, ASI.",
                max_length=2000,
                verbose_name="aliases",
            ),
        ),
        migrations.AlterField(
            model_name="actor",
            name="kind",
            field=models.CharField(
                choices=[
                    ("government", "Government"),
                    ("agency", "Agency"),
                    ("company", "Company"),
                    ("business_group", "Business group"),
                    ("multilateral", "Multilateral body"),
                ],
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="actor",
            name="name",
            field=models.CharField(max_length=200, unique=True, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="actor",
            name="short_name",
            field=models.CharField(blank=True, max_length=60, verbose_name="short name"),
        ),
        migrations.AlterField(
            model_name="actor",
            name="slug",
            field=models.SlugField(max_length=80, unique=True, verbose_name="slug"),
        ),
        migrations.AlterField(
            model_name="candidatedecision",
            name="commitment",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="decisions",
                to="commitments.commitment",
                verbose_name="commitment",
            ),
        ),
        migrations.AlterField(
            model_name="candidatedecision",
            name="decided_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="decided at"
            ),
        ),
        migrations.AlterField(
            model_name="candidatedecision",
            name="decided_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="decided by",
            ),
        ),
        migrations.AlterField(
            model_name="candidatedecision",
            name="decision",
            field=models.CharField(
                choices=[
                    ("accepted", "Accepted"),
                    ("linked", "Linked to an existing commitment"),
                    ("rejected", "Rejected"),
                ],
                max_length=10,
                verbose_name="decision",
            ),
        ),
        migrations.AlterField(
            model_name="candidatedecision",
            name="end",
            field=models.PositiveIntegerField(verbose_name="end"),
        ),
        migrations.AlterField(
            model_name="candidatedecision",
            name="quote",
            field=models.TextField(max_length=5000, verbose_name="quote"),
        ),
        migrations.AlterField(
            model_name="candidatedecision",
            name="source",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="decisions",
                to="commitments.source",
                verbose_name="source",
            ),
        ),
        migrations.AlterField(
            model_name="candidatedecision",
            name="start",
            field=models.PositiveIntegerField(verbose_name="start"),
        ),
        migrations.AlterField(
            model_name="commitment",
            name="actors",
            field=models.ManyToManyField(
                blank=True,
                related_name="commitments",
                through="commitments.Party",
                to="commitments.actor",
                verbose_name="actors",
            ),
        ),
        migrations.AlterField(
            model_name="commitment",
            name="announced_on",
            field=models.DateField(blank=True, null=True, verbose_name="announced on"),
        ),
        migrations.AlterField(
            model_name="commitment",
            name="announced_precision",
            field=models.CharField(
                blank=True,
                choices=[
                    ("day", "Day"),
                    ("month", "Month"),
                    ("quarter", "Quarter"),
                    ("year", "Year"),
                ],
                default="",
                max_length=10,
                verbose_name="announced precision",
            ),
        ),
        migrations.AlterField(
            model_name="commitment",
            name="created_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, editable=False, verbose_name="created at"
            ),
        ),
        migrations.AlterField(
            model_name="commitment",
            name="deadline",
            field=models.DateField(
                blank=True,
                help_text="Stored as the last day of its period: 'by 2035' is 31 Dec 2035, year.",
                null=True,
                verbose_name="deadline",
            ),
        ),
        migrations.AlterField(
            model_name="commitment",
            name="deadline_precision",
            field=models.CharField(
                blank=True,
                choices=[
                    ("day", "Day"),
                    ("month", "Month"),
                    ("quarter", "Quarter"),
                    ("year", "Year"),
                ],
                default="",
                max_length=10,
                verbose_name="deadline precision",
            ),
        ),
        migrations.AlterField(
            model_name="commitment",
            name="external_id",
            field=models.CharField(
                blank=True,
                help_text="Identifier in an imported dataset.",
                max_length=120,
                verbose_name="external id",
            ),
        ),
        migrations.AlterField(
            model_name="commitment",
            name="kind",
            field=models.CharField(
                choices=[
                    ("deliverable", "Deliverable"),
                    ("recurring", "Recurring"),
                    ("standing", "Standing"),
                    ("framework", "Framework"),
                ],
                default="deliverable",
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="commitment",
            name="last_update_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When the latest update was recorded.",
                null=True,
                verbose_name="last update at",
            ),
        ),
        migrations.AlterField(
            model_name="commitment",
            name="next_milestone_due",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="next milestone due"
            ),
        ),
        migrations.AlterField(
            model_name="commitment",
            name="next_review_on",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="next review on"
            ),
        ),
        migrations.AlterField(
            model_name="commitment",
            name="parent",
            field=models.ForeignKey(
                blank=True,
                help_text="The framework this commitment belongs to.",
                limit_choices_to={"kind": "framework"},
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="children",
                to="commitments.commitment",
                verbose_name="parent",
            ),
        ),
        migrations.AlterField(
            model_name="commitment",
            name="progress",
            field=models.PositiveSmallIntegerField(
                blank=True,
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(0, "Progress cannot be below 0%%."),
                    django.core.validators.MaxValueValidator(
                        100, "Progress cannot be above 100%%."
                    ),
                ],
                verbose_name="progress",
            ),
        ),
        migrations.AlterField(
            model_name="commitment",
            name="review_assignee",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="review_queue",
                to=settings.AUTH_USER_MODEL,
                verbose_name="review assignee",
            ),
        ),
        migrations.AlterField(
            model_name="commitment",
            name="slug",
            field=models.SlugField(max_length=80, unique=True, verbose_name="slug"),
        ),
        migrations.AlterField(
            model_name="commitment",
            name="source",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="commitments",
                to="commitments.source",
                verbose_name="source",
            ),
        ),
        migrations.AlterField(
            model_name="commitment",
            name="status",
            field=models.CharField(
                choices=[
                    ("not_rated", "Not yet rated"),
                    ("not_started", "Not started"),
                    ("in_progress", "In progress"),
                    ("stalled", "Stalled"),
                    ("partially_achieved", "Partially achieved"),
                    ("achieved", "Achieved"),
                    ("broken", "Broken"),
                ],
                default="not_rated",
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="commitment",
            name="summary",
            field=models.TextField(blank=True, max_length=5000, verbose_name="summary"),
        ),
        migrations.AlterField(
            model_name="commitment",
            name="superseded_on",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="superseded on"
            ),
        ),
        migrations.AlterField(
            model_name="commitment",
            name="themes",
            field=models.ManyToManyField(
                blank=True,
                related_name="commitments",
                to="commitments.theme",
                verbose_name="themes",
            ),
        ),
        migrations.AlterField(
            model_name="commitment",
            name="title",
            field=models.CharField(max_length=300, verbose_name="title"),
        ),
        migrations.AlterField(
            model_name="commitment",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, verbose_name="updated at"),
        ),
        migrations.AlterField(
            model_name="commitment",
            name="weight",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Its weight in its framework's rolled-up progress; all count equally when none is set.",
                null=True,
                verbose_name="weight",
            ),
        ),
        migrations.AlterField(
            model_name="commitmentlink",
            name="commitment",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="links_out",
                to="commitments.commitment",
                verbose_name="commitment",
            ),
        ),
        migrations.AlterField(
            model_name="commitmentlink",
            name="created_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="created at"
            ),
        ),
        migrations.AlterField(
            model_name="commitmentlink",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="commitment_links",
                to=settings.AUTH_USER_MODEL,
                verbose_name="created by",
            ),
        ),
        migrations.AlterField(
            model_name="commitmentlink",
            name="effective_on",
            field=models.DateField(
                help_text="When the later commitment took over.", verbose_name="effective on"
            ),
        ),
        migrations.AlterField(
            model_name="commitmentlink",
            name="kind",
            field=models.CharField(
                choices=[
                    ("reaffirmed_by", "Reaffirmed by"),
                    ("amended_by", "Amended by"),
                    ("superseded_by", "Superseded by"),
                    ("merged_into", "Merged into"),
                ],
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="commitmentlink",
            name="note",
            field=models.TextField(blank=True, max_length=2000, verbose_name="note"),
        ),
        migrations.AlterField(
            model_name="commitmentlink",
            name="other",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="links_in",
                to="commitments.commitment",
                verbose_name="other",
            ),
        ),
        migrations.AlterField(
            model_name="commitmentlink",
            name="source",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="commitment_links",
                to="commitments.source",
                verbose_name="source",
            ),
        ),
        migrations.AlterField(
            model_name="deadlinechange",
            name="changed_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="changed at"
            ),
        ),
        migrations.AlterField(
            model_name="deadlinechange",
            name="changed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="deadline_changes",
                to=settings.AUTH_USER_MODEL,
                verbose_name="changed by",
            ),
        ),
        migrations.AlterField(
            model_name="deadlinechange",
            name="commitment",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="deadline_changes",
                to="commitments.commitment",
                verbose_name="commitment",
            ),
        ),
        migrations.AlterField(
            model_name="deadlinechange",
            name="new_deadline",
            field=models.DateField(blank=True, null=True, verbose_name="new deadline"),
        ),
        migrations.AlterField(
            model_name="deadlinechange",
            name="new_precision",
            field=models.CharField(
                blank=True,
                choices=[
                    ("day", "Day"),
                    ("month", "Month"),
                    ("quarter", "Quarter"),
                    ("year", "Year"),
                ],
                default="",
                max_length=10,
                verbose_name="new precision",
            ),
        ),
        migrations.AlterField(
            model_name="deadlinechange",
            name="note",
            field=models.TextField(blank=True, max_length=2000, verbose_name="note"),
        ),
        migrations.AlterField(
            model_name="deadlinechange",
            name="old_deadline",
            field=models.DateField(blank=True, null=True, verbose_name="old deadline"),
        ),
        migrations.AlterField(
            model_name="deadlinechange",
            name="old_precision",
            field=models.CharField(
                blank=True,
                choices=[
                    ("day", "Day"),
                    ("month", "Month"),
                    ("quarter", "Quarter"),
                    ("year", "Year"),
                ],
                default="",
                max_length=10,
                verbose_name="old precision",
            ),
        ),
        migrations.AlterField(
            model_name="deadlinechange",
            name="reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("funding", "Funding"),
                    ("political", "Political"),
                    ("capacity", "Technical or capacity"),
                    ("external", "External events"),
                    ("merged", "Merged or superseded"),
                    ("rescheduled", "Rescheduled by the parties"),
                    ("correction", "Correction of an error"),
                ],
                max_length=20,
                verbose_name="reason",
            ),
        ),
        migrations.AlterField(
            model_name="deadlinechange",
            name="source",
            field=models.ForeignKey(
                blank=True,
                help_text="The source that announced the new deadline, when there is one.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="deadline_changes",
                to="commitments.source",
                verbose_name="source",
            ),
        ),
        migrations.AlterField(
            model_name="digestsent",
            name="day",
            field=models.DateField(verbose_name="day"),
        ),
        migrations.AlterField(
            model_name="digestsent",
            name="items",
            field=models.PositiveIntegerField(default=0, verbose_name="items"),
        ),
        migrations.AlterField(
            model_name="digestsent",
            name="sent_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="sent at"),
        ),
        migrations.AlterField(
            model_name="digestsent",
            name="since",
            field=models.DateTimeField(
                help_text="What changed from this moment was in it.", verbose_name="since"
            ),
        ),
        migrations.AlterField(
            model_name="digestsent",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="user",
            ),
        ),
        migrations.AlterField(
            model_name="digestsubscription",
            name="feed_token",
            field=models.CharField(max_length=64, unique=True, verbose_name="feed token"),
        ),
        migrations.AlterField(
            model_name="digestsubscription",
            name="frequency",
            field=models.CharField(
                choices=[("daily", "Daily"), ("weekly", "Weekly"), ("off", "Off")],
                default="daily",
                max_length=10,
                verbose_name="frequency",
            ),
        ),
        migrations.AlterField(
            model_name="digestsubscription",
            name="user",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="digest",
                to=settings.AUTH_USER_MODEL,
                verbose_name="user",
            ),
        ),
        migrations.AlterField(
            model_name="evidence",
            name="added_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, editable=False, verbose_name="added at"
            ),
        ),
        migrations.AlterField(
            model_name="evidence",
            name="added_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                to=settings.AUTH_USER_MODEL,
                verbose_name="added by",
            ),
        ),
        migrations.AlterField(
            model_name="evidence",
            name="commitments",
            field=models.ManyToManyField(
                blank=True,
                related_name="evidence",
                to="commitments.commitment",
                verbose_name="commitments",
            ),
        ),
        migrations.AlterField(
            model_name="evidence",
            name="excerpt",
            field=models.TextField(blank=True, max_length=5000, verbose_name="excerpt"),
        ),
        migrations.AlterField(
            model_name="evidence",
            name="kind",
            field=models.CharField(
                choices=[
                    ("official_text", "Official text"),
                    ("government_statement", "Government statement"),
                    ("news_report", "News report"),
                    ("dataset", "Dataset"),
                    ("analysis", "Analysis"),
                ],
                max_length=30,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="evidence",
            name="published_on",
            field=models.DateField(blank=True, null=True, verbose_name="published on"),
        ),
        migrations.AlterField(
            model_name="evidence",
            name="publisher",
            field=models.CharField(blank=True, max_length=200, verbose_name="publisher"),
        ),
        migrations.AlterField(
            model_name="evidence",
            name="reliability",
            field=models.CharField(
                choices=[
                    ("primary", "Primary official source"),
                    ("secondary", "Secondary source"),
                    ("unverified", "Unverified"),
                ],
                max_length=20,
                verbose_name="reliability",
            ),
        ),
        migrations.AlterField(
            model_name="evidence",
            name="title",
            field=models.CharField(max_length=300, verbose_name="title"),
        ),
        migrations.AlterField(
            model_name="milestone",
            name="commitment",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="milestones",
                to="commitments.commitment",
                verbose_name="commitment",
            ),
        ),
        migrations.AlterField(
            model_name="milestone",
            name="completed_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="completed by",
            ),
        ),
        migrations.AlterField(
            model_name="milestone",
            name="completed_on",
            field=models.DateField(blank=True, null=True, verbose_name="completed on"),
        ),
        migrations.AlterField(
            model_name="milestone",
            name="due_on",
            field=models.DateField(blank=True, null=True, verbose_name="due on"),
        ),
        migrations.AlterField(
            model_name="milestone",
            name="due_precision",
            field=models.CharField(
                blank=True,
                choices=[
                    ("day", "Day"),
                    ("month", "Month"),
                    ("quarter", "Quarter"),
                    ("year", "Year"),
                ],
                default="",
                max_length=10,
                verbose_name="due precision",
            ),
        ),
        migrations.AlterField(
            model_name="milestone",
            name="evidence",
            field=models.ManyToManyField(
                blank=True,
                related_name="milestones",
                to="commitments.evidence",
                verbose_name="evidence",
            ),
        ),
        migrations.AlterField(
            model_name="milestone",
            name="order",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="order"),
        ),
        migrations.AlterField(
            model_name="milestone",
            name="title",
            field=models.CharField(max_length=300, verbose_name="title"),
        ),
        migrations.AlterField(
            model_name="party",
            name="actor",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="parties",
                to="commitments.actor",
                verbose_name="actor",
            ),
        ),
        migrations.AlterField(
            model_name="party",
            name="commitment",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="parties",
                to="commitments.commitment",
                verbose_name="commitment",
            ),
        ),
        migrations.AlterField(
            model_name="party",
            name="last_assessed_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="last assessed at"
            ),
        ),
        migrations.AlterField(
            model_name="party",
            name="role",
            field=models.CharField(
                choices=[("lead", "Lead"), ("partner", "Partner"), ("participant", "Participant")],
                default="partner",
                max_length=20,
                verbose_name="role",
            ),
        ),
        migrations.AlterField(
            model_name="party",
            name="score",
            field=models.SmallIntegerField(
                blank=True,
                choices=[
                    (-1, "-1 failed"),
                    (0, "0 partial or work in progress"),
                    (1, "+1 full compliance"),
                ],
                editable=False,
                null=True,
                verbose_name="score",
            ),
        ),
        migrations.AlterField(
            model_name="party",
            name="status",
            field=models.CharField(
                choices=[
                    ("not_rated", "Not yet rated"),
                    ("not_started", "Not started"),
                    ("in_progress", "In progress"),
                    ("stalled", "Stalled"),
                    ("partially_achieved", "Partially achieved"),
                    ("achieved", "Achieved"),
                    ("broken", "Broken"),
                ],
                default="not_rated",
                editable=False,
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="partyassessment",
            name="corrects",
            field=models.OneToOneField(
                blank=True,
                help_text="The earlier assessment this one corrects.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="corrected_by",
                to="commitments.partyassessment",
                verbose_name="corrects",
            ),
        ),
        migrations.AlterField(
            model_name="partyassessment",
            name="effective_on",
            field=models.DateField(
                help_text="The date this became true.", verbose_name="effective on"
            ),
        ),
        migrations.AlterField(
            model_name="partyassessment",
            name="effective_precision",
            field=models.CharField(
                choices=[
                    ("day", "Day"),
                    ("month", "Month"),
                    ("quarter", "Quarter"),
                    ("year", "Year"),
                ],
                default="day",
                max_length=10,
                verbose_name="effective precision",
            ),
        ),
        migrations.AlterField(
            model_name="partyassessment",
            name="evidence",
            field=models.ManyToManyField(
                blank=True,
                related_name="party_assessments",
                to="commitments.evidence",
                verbose_name="evidence",
            ),
        ),
        migrations.AlterField(
            model_name="partyassessment",
            name="party",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="assessments",
                to="commitments.party",
                verbose_name="party",
            ),
        ),
        migrations.AlterField(
            model_name="partyassessment",
            name="previous_status",
            field=models.CharField(
                choices=[
                    ("not_rated", "Not yet rated"),
                    ("not_started", "Not started"),
                    ("in_progress", "In progress"),
                    ("stalled", "Stalled"),
                    ("partially_achieved", "Partially achieved"),
                    ("achieved", "Achieved"),
                    ("broken", "Broken"),
                ],
                help_text="The party's status this assessment moved from, as of its effective date.",
                max_length=20,
                verbose_name="previous status",
            ),
        ),
        migrations.AlterField(
            model_name="partyassessment",
            name="rationale",
            field=models.TextField(max_length=5000, verbose_name="rationale"),
        ),
        migrations.AlterField(
            model_name="partyassessment",
            name="recorded_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="recorded at"
            ),
        ),
        migrations.AlterField(
            model_name="partyassessment",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="party_assessments",
                to=settings.AUTH_USER_MODEL,
                verbose_name="recorded by",
            ),
        ),
        migrations.AlterField(
            model_name="partyassessment",
            name="review",
            field=models.BooleanField(
                default=False,
                help_text="Recorded as a review: the analyst checked and found nothing changed.",
                verbose_name="review",
            ),
        ),
        migrations.AlterField(
            model_name="partyassessment",
            name="score",
            field=models.SmallIntegerField(
                blank=True,
                choices=[
                    (-1, "-1 failed"),
                    (0, "0 partial or work in progress"),
                    (1, "+1 full compliance"),
                ],
                null=True,
                verbose_name="score",
            ),
        ),
        migrations.AlterField(
            model_name="partyassessment",
            name="status",
            field=models.CharField(
                choices=[
                    ("not_rated", "Not yet rated"),
                    ("not_started", "Not started"),
                    ("in_progress", "In progress"),
                    ("stalled", "Stalled"),
                    ("partially_achieved", "Partially achieved"),
                    ("achieved", "Achieved"),
                    ("broken", "Broken"),
                ],
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="registerversion",
            name="changed_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="changed at"
            ),
        ),
        migrations.AlterField(
            model_name="registerversion",
            name="number",
            field=models.PositiveBigIntegerField(default=0, verbose_name="number"),
        ),
        migrations.AlterField(
            model_name="source",
            name="date",
            field=models.DateField(
                blank=True, help_text="Leave empty when unknown.", null=True, verbose_name="date"
            ),
        ),
        migrations.AlterField(
            model_name="source",
            name="full_text",
            field=models.TextField(blank=True, verbose_name="full text"),
        ),
        migrations.AlterField(
            model_name="source",
            name="kind",
            field=models.CharField(
                choices=[
                    ("joint_statement", "Joint statement"),
                    ("speech", "Speech"),
                    ("agreement", "Agreement text"),
                    ("action_plan", "Action plan"),
                    ("press_report", "Press report"),
                    ("analysis", "Analysis"),
                ],
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="source",
            name="language",
            field=models.CharField(
                default="en", help_text="e.g. en, it, ja", max_length=10, verbose_name="language"
            ),
        ),
        migrations.AlterField(
            model_name="source",
            name="publisher",
            field=models.CharField(blank=True, max_length=200, verbose_name="publisher"),
        ),
        migrations.AlterField(
            model_name="source",
            name="slug",
            field=models.SlugField(max_length=80, unique=True, verbose_name="slug"),
        ),
        migrations.AlterField(
            model_name="source",
            name="title",
            field=models.CharField(max_length=300, verbose_name="title"),
        ),
        migrations.AlterField(
            model_name="sourcequote",
            name="commitment",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="source_quotes",
                to="commitments.commitment",
                verbose_name="commitment",
            ),
        ),
        migrations.AlterField(
            model_name="sourcequote",
            name="end",
            field=models.PositiveIntegerField(verbose_name="end"),
        ),
        migrations.AlterField(
            model_name="sourcequote",
            name="quote",
            field=models.TextField(max_length=5000, verbose_name="quote"),
        ),
        migrations.AlterField(
            model_name="sourcequote",
            name="recorded_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="recorded at"
            ),
        ),
        migrations.AlterField(
            model_name="sourcequote",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="recorded by",
            ),
        ),
        migrations.AlterField(
            model_name="sourcequote",
            name="source",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="quotes",
                to="commitments.source",
                verbose_name="source",
            ),
        ),
        migrations.AlterField(
            model_name="sourcequote",
            name="start",
            field=models.PositiveIntegerField(verbose_name="start"),
        ),
        migrations.AlterField(
            model_name="statusupdate",
            name="commitment",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="updates",
                to="commitments.commitment",
                verbose_name="commitment",
            ),
        ),
        migrations.AlterField(
            model_name="statusupdate",
            name="corrects",
            field=models.OneToOneField(
                blank=True,
                help_text="The earlier update this one corrects.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="corrected_by",
                to="commitments.statusupdate",
                verbose_name="corrects",
            ),
        ),
        migrations.AlterField(
            model_name="statusupdate",
            name="effective_on",
            field=models.DateField(
                help_text="The date this became true.", verbose_name="effective on"
            ),
        ),
        migrations.AlterField(
            model_name="statusupdate",
            name="effective_precision",
            field=models.CharField(
                choices=[
                    ("day", "Day"),
                    ("month", "Month"),
                    ("quarter", "Quarter"),
                    ("year", "Year"),
                ],
                default="day",
                max_length=10,
                verbose_name="effective precision",
            ),
        ),
        migrations.AlterField(
            model_name="statusupdate",
            name="evidence",
            field=models.ManyToManyField(
                blank=True,
                related_name="status_updates",
                to="commitments.evidence",
                verbose_name="evidence",
            ),
        ),
        migrations.AlterField(
            model_name="statusupdate",
            name="previous_status",
            field=models.CharField(
                choices=[
                    ("not_rated", "Not yet rated"),
                    ("not_started", "Not started"),
                    ("in_progress", "In progress"),
                    ("stalled", "Stalled"),
                    ("partially_achieved", "Partially achieved"),
                    ("achieved", "Achieved"),
                    ("broken", "Broken"),
                ],
                help_text="The status this update moved from, as of its effective date.",
                max_length=20,
                verbose_name="previous status",
            ),
        ),
        migrations.AlterField(
            model_name="statusupdate",
            name="progress",
            field=models.PositiveSmallIntegerField(
                blank=True,
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(0, "Progress cannot be below 0%%."),
                    django.core.validators.MaxValueValidator(
                        100, "Progress cannot be above 100%%."
                    ),
                ],
                verbose_name="progress",
            ),
        ),
        migrations.AlterField(
            model_name="statusupdate",
            name="rationale",
            field=models.TextField(max_length=5000, verbose_name="rationale"),
        ),
        migrations.AlterField(
            model_name="statusupdate",
            name="recorded_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="recorded at"
            ),
        ),
        migrations.AlterField(
            model_name="statusupdate",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="status_updates",
                to=settings.AUTH_USER_MODEL,
                verbose_name="recorded by",
            ),
        ),
        migrations.AlterField(
            model_name="statusupdate",
            name="review",
            field=models.BooleanField(
                default=False,
                help_text="Recorded as a review: the analyst checked and found nothing changed.",
                verbose_name="review",
            ),
        ),
        migrations.AlterField(
            model_name="statusupdate",
            name="status",
            field=models.CharField(
                choices=[
                    ("not_rated", "Not yet rated"),
                    ("not_started", "Not started"),
                    ("in_progress", "In progress"),
                    ("stalled", "Stalled"),
                    ("partially_achieved", "Partially achieved"),
                    ("achieved", "Achieved"),
                    ("broken", "Broken"),
                ],
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="theme",
            name="colour",
            field=models.CharField(
                default="#1d4ed8",
                max_length=7,
                validators=[
                    django.core.validators.RegexValidator(
                        "^#[0-9a-fA-F]{6}$", "Enter a colour as #rrggbb, e.g. #1d4ed8."
                    )
                ],
                verbose_name="colour",
            ),
        ),
        migrations.AlterField(
            model_name="theme",
            name="description",
            field=models.TextField(blank=True, max_length=2000, verbose_name="description"),
        ),
        migrations.AlterField(
            model_name="theme",
            name="name",
            field=models.CharField(max_length=120, unique=True, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="theme",
            name="slug",
            field=models.SlugField(max_length=80, unique=True, verbose_name="slug"),
        ),
        migrations.AlterField(
            model_name="watch",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="commitments.actor",
                verbose_name="actor",
            ),
        ),
        migrations.AlterField(
            model_name="watch",
            name="commitment",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="commitments.commitment",
                verbose_name="commitment",
            ),
        ),
        migrations.AlterField(
            model_name="watch",
            name="created_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="created at"
            ),
        ),
        migrations.AlterField(
            model_name="watch",
            name="source",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="commitments.source",
                verbose_name="source",
            ),
        ),
        migrations.AlterField(
            model_name="watch",
            name="theme",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="commitments.theme",
                verbose_name="theme",
            ),
        ),
        migrations.AlterField(
            model_name="watch",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="watches",
                to=settings.AUTH_USER_MODEL,
                verbose_name="user",
            ),
        ),
    ]
