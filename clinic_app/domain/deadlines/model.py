"""Deadline rules and computed deadlines as plain, immutable data.

Rules are data a lawyer edits (see `resources/rules/README.md`); these classes are
what the engine works on once a file has been checked. Nothing here reads files,
talks to a database or imports Qt.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Union

MATTER_TYPES: tuple[str, ...] = (
    "rpd_claim",
    "rad_appeal",
    "prra",
    "hc",
    "deferral",
    "fc_jr",
    "stay_motion",
    "sponsorship",
    "ministerial_relief",
    "stca",
    "mandamus",
)

#: The key dates every matter can carry.
KEY_DATES: tuple[str, ...] = (
    "referral",
    "hearing",
    "decision",
    "reasons_received",
    "notification",
    "removal",
)

#: Dates of steps taken during a proceeding; rules use them when the step has happened.
STEP_DATES: tuple[str, ...] = (
    "eligibility",  # inland claim: eligibility interview (BOC handed to the officer)
    "leave_filed",  # FC: application for leave and judicial review filed
    "record_served",  # FC: applicant's record served
    "respondent_memo_served",  # FC: respondent's memorandum served
    "appeal_perfected",  # RAD: appellant's record received
    "appeal_filed",  # IAD: notice of appeal received
    "cross_exam_completed",  # FC (non-IRPA JR): cross-examinations completed
    "crossing",  # STCA: day the person crossed from the United States
    "reasons_mailed",  # the day written reasons were mailed (deemed receipt counts from it)
    "contact_changed",  # the day the client's address, phone or email changed
    "prior_prra_rejected",  # the day an earlier PRRA application was rejected
)

DATE_KEYS: tuple[str, ...] = KEY_DATES + STEP_DATES

#: due: the clinic must act by this date. not_before: the earliest date a step is
#: allowed (e.g. the H&C 12-month bar). watch: a date set for someone else (the
#: respondent's memorandum, a scheduled removal) that the clinic must keep an eye on.
KINDS = ("due", "not_before", "watch")
COUNTS = ("calendar", "business")
ROLLS = ("forward", "backward", "none")
HOLIDAY_DEFINITIONS = ("interpretation_act", "federal_courts_rules")
#: none, or "seasonal": the Federal Courts Rules r. 6(3) recess (21 December to 7 January)
#: may apply. Haven keeps the earlier date and says how far the recess may extend it.
RECESSES = ("none", "seasonal")

MatterRef = Union[str, int, None]


@dataclass(frozen=True)
class Bilingual:
    """A text in English and French; French falls back to English when missing."""

    en: str
    fr: str = ""

    def get(self, lang: str) -> str:
        return self.fr if lang == "fr" and self.fr else self.en

    def join(self, other: Bilingual, sep: str = ", ") -> Bilingual:
        return Bilingual(f"{self.en}{sep}{other.en}", f"{self.get('fr')}{sep}{other.get('fr')}")


@dataclass(frozen=True)
class Trigger:
    """What a rule counts from: a matter date or another rule's (unadjusted) date."""

    date: str | None = None
    rule: str | None = None
    fallback: Trigger | None = None

    def label(self) -> str:
        return self.date if self.date else f"rule:{self.rule}"


@dataclass(frozen=True)
class Timing:
    """How to count: the parts of a rule that a variant may replace."""

    trigger: Trigger
    offset_days: int = 0
    offset_months: int = 0
    count: str = "calendar"
    clear_days: bool = False
    roll: str = "none"
    holidays: str = "interpretation_act"
    recess: str = "none"

    @property
    def direction(self) -> int:
        """+1 for "after the trigger", -1 for "before"; 0-day offsets count as after."""
        lead = self.offset_months or self.offset_days
        return -1 if lead < 0 else 1


@dataclass(frozen=True)
class Variant:
    """A selectable alternative (e.g. RAD record 30 or 45 days), with its own timing."""

    key: str
    label: Bilingual
    timing: Timing
    citation: str
    unconfirmed: bool
    notes: Bilingual | None = None


@dataclass(frozen=True)
class Rule:
    """One deadline rule, as checked and loaded from a rules file."""

    id: str
    forum: str
    name: Bilingual
    applies_to: tuple[str, ...]
    kind: str
    timing: Timing
    citation: str
    sources: tuple[str, ...]
    last_checked: date
    unconfirmed: bool
    notes: Bilingual | None = None
    optional: bool = False
    variants: tuple[Variant, ...] = ()
    default_variant: str | None = None
    origin: str = ""  # the rules file it came from, for error messages
    done_by: str | None = None  # a step date that, once entered, means the clinic has taken this step

    def variant(self, key: str | None) -> Variant | None:
        """The chosen variant (default when `key` is None), or None for rules without any."""
        if not self.variants:
            return None
        wanted = key or self.default_variant
        for v in self.variants:
            if v.key == wanted:
                return v
        return None

    def variant_keys(self) -> tuple[str, ...]:
        return tuple(v.key for v in self.variants)


@dataclass(frozen=True)
class Deadline:
    """A computed date for one rule on one matter, with everything needed to trust it."""

    rule_id: str
    title: Bilingual
    kind: str
    due: date
    unadjusted: date
    moved_reason: Bilingual | None
    citation: str
    unconfirmed: bool
    forum: str = ""
    matter_ref: MatterRef = None
    variant: str | None = None
    variant_label: Bilingual | None = None
    # the matter chose no option, and another case could need action sooner than the default
    variant_assumed: bool = False
    # the rules this date is counted through (a `{rule: ...}` trigger) that took their default
    # because the matter chose no option: (rule id, the option assumed), earliest first
    assumed_from: tuple[tuple[str, Bilingual], ...] = ()
    trigger: str = ""  # the date key or "rule:<id>" actually counted from
    trigger_date: date | None = None
    estimated: bool = False  # counted from a fallback, not the real event
    closed_day: Bilingual | None = None  # due on a Saturday/Sunday/holiday and not moved
    notes: Bilingual | None = None
    optional: bool = False  # only if the clinic takes this step (e.g. a reply memorandum)
    may_extend: Bilingual | None = None  # a holiday or recess Haven does not rely on may give a later date
    done_by: str = ""  # the step date that meets this deadline (the rule's done_by)
    met_on: date | None = None  # that step's date, once entered: the deadline is done

    @property
    def met_late(self) -> bool:
        """The step was taken after the due date (shown: an extension may be needed)."""
        return self.met_on is not None and self.kind == "due" and self.met_on > self.due

    @property
    def moved(self) -> bool:
        return self.due != self.unadjusted


@dataclass(frozen=True)
class PendingRule:
    """A rule that applies to the matter but cannot be computed until a date is entered."""

    rule_id: str
    title: Bilingual
    needs: tuple[str, ...]  # date keys, any one of which would do
