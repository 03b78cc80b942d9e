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
    "effective",
    "parent",
    "external_id",
    # Why a row moves an existing commitment's deadline (a reason key) and a note on it.
    "deadline_change_reason",
    "deadline_change_note",
]

# JSON only: nested lists per commitment.
NESTED = ["milestones", "evidence", "history"]

# Not a column of files: the words of the columns a mapping names as `evidence_columns`,
# quoted in the evidence of the row's status.
QUOTED = "__quoted__"
