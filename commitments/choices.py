"""The tracker's vocabularies: one place for each key, its label and its colour.

Keys are a public contract: they are used as they are in URLs, the API and imports.
Colours are paired with a pattern name so charts never rely on hue alone.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    NOT_RATED = "not_rated", _("Not yet rated")
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    STALLED = "stalled", _("Stalled")
    PARTIALLY_ACHIEVED = "partially_achieved", _("Partially achieved")
    ACHIEVED = "achieved", _("Achieved")
    BROKEN = "broken", _("Broken")

    @classmethod
    def closed(cls) -> list[str]:
        return [cls.PARTIALLY_ACHIEVED, cls.ACHIEVED, cls.BROKEN]


# Colour (background), text colour and pattern for every status. The patterns are
# defined once in templates/commitments/partials/svg_patterns.html.
STATUS_STYLE: dict[str, dict[str, str]] = {
    Status.NOT_RATED: {"bg": "#e5e7eb", "fg": "#1f2937", "pattern": "dots", "icon": "?"},
    Status.NOT_STARTED: {"bg": "#cbd5e1", "fg": "#0f172a", "pattern": "none", "icon": "○"},
    Status.IN_PROGRESS: {"bg": "#2563eb", "fg": "#ffffff", "pattern": "diagonal", "icon": "◔"},
    Status.STALLED: {"bg": "#d97706", "fg": "#111827", "pattern": "cross", "icon": "‖"},
    Status.PARTIALLY_ACHIEVED: {
        "bg": "#65a30d",
        "fg": "#111827",
        "pattern": "vertical",
        "icon": "◑",
    },
    Status.ACHIEVED: {"bg": "#15803d", "fg": "#ffffff", "pattern": "none", "icon": "●"},
    Status.BROKEN: {"bg": "#b91c1c", "fg": "#ffffff", "pattern": "horizontal", "icon": "✕"},
}


class Compliance(models.IntegerChoices):
    """A party's compliance score, as the G7 and G20 Research Groups score summits."""

    FAILED = -1, _("-1 failed")
    PARTIAL = 0, _("0 partial or work in progress")
    FULL = 1, _("+1 full compliance")


def compliance_percent(mean: float | None) -> float | None:
    """The Research Groups' percentage of a mean score: (mean + 1) / 2 × 100."""
    if mean is None:
        return None
    return (mean + 1) / 2 * 100


class Kind(models.TextChoices):
    DELIVERABLE = "deliverable", _("Deliverable")
    RECURRING = "recurring", _("Recurring")
    STANDING = "standing", _("Standing")
    FRAMEWORK = "framework", _("Framework")


KIND_HELP = {
    Kind.DELIVERABLE: _("Done once, by a deadline."),
    Kind.RECURRING: _("Expected to happen again and again, like a dialogue or exercises."),
    Kind.STANDING: _("An agreement or position to keep in force."),
    Kind.FRAMEWORK: _("An umbrella plan with commitments under it."),
}

# Where a status reads better for a kind, this label is shown instead.
KIND_STATUS_LABELS: dict[tuple[str, str], str] = {
    (Kind.STANDING, Status.ACHIEVED): _("In force / upheld"),
    (Kind.STANDING, Status.BROKEN): _("Lapsed / breached"),
    (Kind.RECURRING, Status.ACHIEVED): _("Taking place regularly"),
}


def status_label(status: str, kind: str | None = None) -> str:
    """The status's label for this kind, in the active language."""
    if kind is not None and (kind, status) in KIND_STATUS_LABELS:
        return str(KIND_STATUS_LABELS[(kind, status)])
    return str(Status(status).label)


def counts_as(status: str, kind: str | None = None) -> str | None:
    """The status a kind's own label counts as ("Achieved" for "In force / upheld"),
    or None when the kind reads the status under its usual label."""
    if kind is not None and (kind, status) in KIND_STATUS_LABELS:
        return str(Status(status).label)
    return None


def status_label_in_full(status: str, kind: str | None = None) -> str:
    """A kind's own label with the status it counts as: "In force / upheld (Achieved)"."""
    label, plain = status_label(status, kind), counts_as(status, kind)
    return f"{label} ({plain})" if plain else label


class Precision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class DeadlineChangeReason(models.TextChoices):
    """Why a commitment's deadline moved: every change to a deadline names one."""

    FUNDING = "funding", _("Funding")
    POLITICAL = "political", _("Political")
    CAPACITY = "capacity", _("Technical or capacity")
    EXTERNAL = "external", _("External events")
    MERGED = "merged", _("Merged or superseded")
    RESCHEDULED = "rescheduled", _("Rescheduled by the parties")
    CORRECTION = "correction", _("Correction of an error")


class LinkKind(models.TextChoices):
    """How a commitment relates to a later one (the `other` of a `CommitmentLink`)."""

    REAFFIRMED_BY = "reaffirmed_by", _("Reaffirmed by")
    AMENDED_BY = "amended_by", _("Amended by")
    SUPERSEDED_BY = "superseded_by", _("Superseded by")
    MERGED_INTO = "merged_into", _("Merged into")


# The same link read from the later commitment.
LINK_INVERSE_LABELS: dict[str, str] = {
    LinkKind.REAFFIRMED_BY: _("Reaffirms"),
    LinkKind.AMENDED_BY: _("Amends"),
    LinkKind.SUPERSEDED_BY: _("Supersedes"),
    LinkKind.MERGED_INTO: _("Merges in"),
}


class DigestFrequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    OFF = "off", _("Off")


class Health(models.TextChoices):
    """How a commitment stands on a day; each commitment has exactly one (see health.py,
    which tries them in this order)."""

    CLOSED = "closed", _("Closed")
    OVERDUE = "overdue", _("Overdue")
    AT_RISK = "at_risk", _("At risk")
    DUE_SOON = "due_soon", _("Due soon")
    UNASSESSED = "unassessed", _("Not yet assessed")
    STALE = "stale", _("Stale")
    ON_TRACK = "on_track", _("On track")


HEALTH_STYLE: dict[str, dict[str, str]] = {
    Health.CLOSED: {"bg": "#e5e7eb", "fg": "#1f2937", "icon": "■"},
    Health.OVERDUE: {"bg": "#b91c1c", "fg": "#ffffff", "icon": "!"},
    Health.AT_RISK: {"bg": "#9a3412", "fg": "#ffffff", "icon": "▲"},
    Health.DUE_SOON: {"bg": "#d97706", "fg": "#111827", "icon": "⏱"},
    Health.UNASSESSED: {"bg": "#f3f4f6", "fg": "#374151", "icon": "?"},
    Health.STALE: {"bg": "#6b7280", "fg": "#ffffff", "icon": "…"},
    Health.ON_TRACK: {"bg": "#dcfce7", "fg": "#14532d", "icon": "✓"},
}


class PartyRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    PARTNER = "partner", _("Partner")
    PARTICIPANT = "participant", _("Participant")


class ActorKind(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    AGENCY = "agency", _("Agency")
    COMPANY = "company", _("Company")
    BUSINESS_GROUP = "business_group", _("Business group")
    MULTILATERAL = "multilateral", _("Multilateral body")


class SourceKind(models.TextChoices):
    JOINT_STATEMENT = "joint_statement", _("Joint statement")
    SPEECH = "speech", _("Speech")
    AGREEMENT = "agreement", _("Agreement text")
    ACTION_PLAN = "action_plan", _("Action plan")
    PRESS_REPORT = "press_report", _("Press report")
    ANALYSIS = "analysis", _("Analysis")
    DATASET = "dataset", _("Dataset")


class EvidenceKind(models.TextChoices):
    OFFICIAL_TEXT = "official_text", _("Official text")
    GOVERNMENT_STATEMENT = "government_statement", _("Government statement")
    NEWS_REPORT = "news_report", _("News report")
    DATASET = "dataset", _("Dataset")
    ANALYSIS = "analysis", _("Analysis")


class Reliability(models.TextChoices):
    PRIMARY = "primary", _("Primary official source")
    SECONDARY = "secondary", _("Secondary source")
    UNVERIFIED = "unverified", _("Unverified")


# The evidence an item made from a source is, by the source's kind: its kind and how
# reliable it is. Citing a commitment's own source records it this way.
SOURCE_EVIDENCE: dict[str, tuple[str, str]] = {
    SourceKind.JOINT_STATEMENT: (EvidenceKind.OFFICIAL_TEXT, Reliability.PRIMARY),
    SourceKind.AGREEMENT: (EvidenceKind.OFFICIAL_TEXT, Reliability.PRIMARY),
    SourceKind.ACTION_PLAN: (EvidenceKind.OFFICIAL_TEXT, Reliability.PRIMARY),
    SourceKind.SPEECH: (EvidenceKind.GOVERNMENT_STATEMENT, Reliability.PRIMARY),
    SourceKind.PRESS_REPORT: (EvidenceKind.NEWS_REPORT, Reliability.SECONDARY),
    SourceKind.ANALYSIS: (EvidenceKind.ANALYSIS, Reliability.SECONDARY),
    SourceKind.DATASET: (EvidenceKind.DATASET, Reliability.SECONDARY),
}


class Decision(models.TextChoices):
    """What an editor made of a sentence the extractor proposed (or one marked by hand)."""

    ACCEPTED = "accepted", _("Accepted")
    LINKED = "linked", _("Linked to an existing commitment")
    REJECTED = "rejected", _("Rejected")
