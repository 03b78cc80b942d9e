"""Our import and export columns: one list, so an export can always be imported."""

from ..content_languages import translation_columns

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
    # Each party's own status and compliance score: "Italy: achieved; Japan: in_progress"
    # and "Italy: 1; Japan: 0" (see `importing.parties`).
    "party_statuses",
    "party_scores",
    # Why a row moves an existing commitment's deadline (a reason key) and a note on it.
    "deadline_change_reason",
    "deadline_change_note",
    # The original's language, and each translation's title, summary, quote and who made
    # it: title_en, …, translated_by_ja (see `importing.translations`).
    "language",
    *translation_columns(),
]

# Import only: the kind of the row's source (a SourceKind key or label; a new source
# without one is a joint statement) and who published it.
IMPORT_ONLY = ["source_kind", "source_publisher"]

# Our columns that hold dates.
DATE_COLUMNS = ("announced", "deadline", "effective", "source_date")

# JSON only: nested lists per commitment.
NESTED = ["milestones", "evidence", "history"]

# Not a column of files: the words of the columns a mapping names as `evidence_columns`,
# quoted in the evidence of the row's status.
QUOTED = "__quoted__"

# Not a column of files: the cells a mapping's `not_given` patterns recognised as withheld
# values, as (column, text) pairs, kept as a note instead of the value.
WITHHELD = "__withheld__"
