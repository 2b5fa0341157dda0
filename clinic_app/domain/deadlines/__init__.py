"""Deadline rules engine: rules as data, pure date arithmetic, an agenda.

Public API (see `resources/rules/README.md` for the rules file format):

* `Rule`, `Deadline`, `PendingRule`, `Bilingual` and the vocabularies
  `MATTER_TYPES`, `DATE_KEYS`, `KINDS`.
* `BusinessCalendar(province)`: closed days; built by a service, passed in.
* `compute_deadlines(...)`, `pending_rules(...)`.
* `build_agenda(...)`, `describe_days(...)`, `describe_flags(...)`.
* `parse_rules_document(...)`, `check_rule_set(...)`, `RulesFileError`.
"""

from __future__ import annotations

from clinic_app.domain.deadlines.agenda import (
    GROUP_LABELS,
    GROUPS,
    KIND_LABELS,
    Agenda,
    AgendaItem,
    build_agenda,
    describe_days,
    describe_flags,
)
from clinic_app.domain.deadlines.calendar import PROVINCES, BusinessCalendar
from clinic_app.domain.deadlines.compute import add_months, compute_deadlines, pending_rules
from clinic_app.domain.deadlines.model import (
    COUNTS,
    DATE_KEYS,
    HOLIDAY_DEFINITIONS,
    KEY_DATES,
    KINDS,
    MATTER_TYPES,
    RECESSES,
    ROLLS,
    STEP_DATES,
    Bilingual,
    Deadline,
    PendingRule,
    Rule,
    Timing,
    Trigger,
    Variant,
)
from clinic_app.domain.deadlines.parse import RulesFileError, check_rule_set, parse_rule, parse_rules_document

__all__ = [
    "COUNTS", "DATE_KEYS", "GROUPS", "GROUP_LABELS", "HOLIDAY_DEFINITIONS", "KEY_DATES", "KINDS",
    "KIND_LABELS", "MATTER_TYPES", "PROVINCES", "RECESSES", "ROLLS", "STEP_DATES",
    "Agenda", "AgendaItem", "Bilingual", "BusinessCalendar", "Deadline", "PendingRule", "Rule",
    "RulesFileError", "Timing", "Trigger", "Variant",
    "add_months", "build_agenda", "check_rule_set", "compute_deadlines", "describe_days",
    "describe_flags", "parse_rule", "parse_rules_document", "pending_rules",
]
