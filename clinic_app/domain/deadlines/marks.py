"""What the clinic did about a computed deadline: done, or not applicable (with a reason).

A mark is kept per matter and rule, for the due date it was made against: if the
matter's dates later move that deadline, the mark no longer applies and the deadline
is open again (a new hearing date means a new disclosure deadline to meet).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from clinic_app.domain.common import clean_line
from clinic_app.domain.deadlines.model import Deadline
from clinic_app.errors import ValidationError
from clinic_app.i18n import N_, _

DONE = "done"
NOT_APPLICABLE = "not_applicable"
STATES = (DONE, NOT_APPLICABLE)
STATE_LABELS = {DONE: N_("Done"), NOT_APPLICABLE: N_("Not applicable")}
MAX_REASON = 500


@dataclass(frozen=True)
class DeadlineMark:
    rule_id: str
    due: date  # the deadline's due date when it was marked
    state: str
    reason: str = ""
    marked_by: str = ""
    marked_at: str = ""  # UTC timestamp

    def __post_init__(self) -> None:
        if self.state not in STATES:
            raise ValidationError(_("unknown deadline state {state}").format(state=self.state))
        object.__setattr__(self, "reason", clean_line(self.reason, _("Reason"), max_len=MAX_REASON))
        if self.state == NOT_APPLICABLE and not self.reason:
            raise ValidationError(_("Say why this deadline does not apply (the reason is kept with the mark)."))

    def applies_to(self, deadline: Deadline) -> bool:
        return self.rule_id == deadline.rule_id and self.due == deadline.due

    @property
    def label(self) -> str:
        return _(STATE_LABELS[self.state])


def mark_of(deadline: Deadline, marks: Mapping[str, DeadlineMark]) -> DeadlineMark | None:
    """The mark that applies to `deadline` now, if any."""
    mark = marks.get(deadline.rule_id)
    return mark if mark is not None and mark.applies_to(deadline) else None


def open_deadlines(deadlines: Iterable[Deadline], marks: Mapping[str, DeadlineMark]) -> list[Deadline]:
    """The deadlines nobody has marked done or not applicable (for their current date), and
    whose step has no date yet (leave filed meets the deadline to file for leave)."""
    return [d for d in deadlines if mark_of(d, marks) is None and d.met_on is None]
