"""The longest texts and largest numbers the services accept; the model fields, forms
and serializers read the same values."""

# Longest rationale and evidence excerpt.
RATIONALE_MAX = 5000
EXCERPT_MAX = 5000
# Most evidence items typed in with one update or completion (the form's rows).
NEW_EVIDENCE_MAX = 10
# Ids are 64-bit; a larger number names nothing and cannot even be looked up.
MAX_ID = 2**63 - 1
# An update may be dated at most this many years back.
EFFECTIVE_YEARS_BACK = 10
# Longest note on a deadline change.
DEADLINE_NOTE_MAX = 2000
