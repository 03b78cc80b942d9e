"""Every write of a status, a milestone or an evidence item goes through here.

Each service is keyword-only, typed and atomic, locks the row it changes, and states
its rules once: the web forms, the admin, the API, the importer and the seed parse
their input, call a service and show its `ValidationError` (keyed by field) next to
their own fields. A form that must show problems before saving calls the matching
`check_*` function, which runs the same rules without writing.

- `status`: `record_status_update` (and `check_status_update`), with its history row;
- `assessments`: `record_party_assessment` (and `check_party_assessment`), a party's own
  status and score with its history row, under `status`'s rules and checks;
- `milestones`: `add_milestone`, `change_milestone`, `complete_milestone`,
  `remove_milestone`;
- `evidence`: `NewEvidence`, `record_evidence`, `change_evidence`, evidence reuse;
- `deadlines`: `change_deadline` (and `check_deadline_change`), the one way an existing
  commitment's deadline moves, with its history row and reason;
- `lineage`: `link_commitments` (and `check_link`): reaffirmed, amended, superseded by
  or merged into a later commitment, with its source; superseding closes the earlier one;
- `review_policy` and `reviews`: when each commitment is next reviewed and by whom
  (`schedule_review`, `assign_reviews`, `mark_reviewed`);
- `periods`: each commitment's status periods, kept in step with its history by
  `record_status_update`, rebuilt and checked as a whole (`rebuild`, `out_of_step`);
- `timing`: which days an update or a completion may be dated;
- `limits`: the longest texts and largest numbers accepted.
"""

from .deadlines import change_deadline, check_deadline_change
from .evidence import NewEvidence, change_evidence, check_new_evidence, record_evidence
from .limits import DEADLINE_NOTE_MAX, EXCERPT_MAX, MAX_ID, NEW_EVIDENCE_MAX, RATIONALE_MAX
from .lineage import check_link, link_commitments
from .milestones import (
    add_milestone,
    change_milestone,
    check_completion,
    complete_milestone,
    remove_milestone,
)
from .status import (
    UNCHECKED,
    StaleUpdateError,
    check_status_update,
    latest_recorded_id,
    latest_update,
    record_status_update,
)

__all__ = [
    "DEADLINE_NOTE_MAX",
    "EXCERPT_MAX",
    "MAX_ID",
    "NEW_EVIDENCE_MAX",
    "RATIONALE_MAX",
    "UNCHECKED",
    "NewEvidence",
    "StaleUpdateError",
    "add_milestone",
    "change_deadline",
    "change_evidence",
    "change_milestone",
    "check_completion",
    "check_deadline_change",
    "check_link",
    "check_new_evidence",
    "check_status_update",
    "complete_milestone",
    "latest_recorded_id",
    "latest_update",
    "link_commitments",
    "record_evidence",
    "record_status_update",
    "remove_milestone",
]
