"""Our import and export columns: one list, so an export can always be imported."""

COLUMNS = [
    "slug",
    "title",
    "summary",
    "quote",
    "source",
    "source_date",
    "source_url",
    "themes",
    "parties",
    "kind",
    "announced",
    "deadline",
    "status",
    "progress",
    "parent",
    "external_id",
]

# JSON only: nested lists per commitment.
NESTED = ["milestones", "evidence", "history"]
