"""Deadlines of one matter or of every open matter, the agenda, and calendar export.

Rules come from `deadline_rules.load_rules` (bundled files, or a clinic's edited
copies in its rules folder); closed days from `calendar_for(province)`, the clinic's
province saved in the vault (Ontario by default); `context_for` chooses both. Dates are
counted from the matter's key dates; the rule engine is pure, so `today` is always passed
in (tests pin it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from clinic_app.domain.deadlines import (
    Agenda,
    BusinessCalendar,
    Deadline,
    PendingRule,
    build_agenda,
    compute_deadlines,
    describe_flags,
    pending_rules,
)
from clinic_app.domain.citations import cite
from clinic_app.domain.changes import Changes
from clinic_app.domain.deadlines.marks import DeadlineMark, mark_of, open_deadlines
from clinic_app.domain.ids import MatterId
from clinic_app.domain.matter import Matter, MatterStatus
from clinic_app.domain.roles import Permission
from clinic_app.errors import BadInput
from clinic_app.i18n import _, current_language
from clinic_app.services import ics
from clinic_app.services.deadline_settings import checked_province, clinic_province, rules_folder
from clinic_app.services.deadline_rules import LoadedRules, calendar_for, load_rules_cached
from clinic_app.services.session import Session
from clinic_app.vault import deadline_marks, records


@dataclass(frozen=True)
class MatterDeadlines:
    matter_ref: str
    matter_type: str
    deadlines: tuple[Deadline, ...] = ()
    pending: tuple[PendingRule, ...] = ()
    marks: dict[str, DeadlineMark] = field(default_factory=dict)  # rule id -> done / not applicable

    def mark(self, deadline: Deadline) -> DeadlineMark | None:
        return mark_of(deadline, self.marks)

    @property
    def open(self) -> list[Deadline]:
        """The deadlines still to meet: not marked done or not applicable for their current date."""
        return open_deadlines(self.deadlines, self.marks)


@dataclass
class RuleContext:
    """Rules and calendar loaded once and reused across matters."""

    province: str = "ON"
    override_dir: Path | None = None
    _rules: LoadedRules | None = field(default=None, init=False, repr=False)
    _calendar: BusinessCalendar | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.province = checked_province(self.province)

    @property
    def rules(self) -> LoadedRules:
        if self._rules is None:
            self._rules = load_rules_cached(self.override_dir)
        return self._rules

    @property
    def calendar(self) -> BusinessCalendar:
        if self._calendar is None:
            self._calendar = calendar_for(self.province)
        return self._calendar


def context_for(session: Session, province: str | None = None) -> RuleContext:
    """The clinic's rules and calendar: the rules folder on this computer (a corrected copy
    there replaces Haven's file of that name) and `province` if given for one command, else
    the province saved in the vault. Every deadline computation starts here."""
    return RuleContext(province or clinic_province(session), rules_folder())


def of_matter_record(matter: Matter, ctx: RuleContext,
                     marks: dict[str, DeadlineMark] | None = None) -> MatterDeadlines:
    """Deadlines and pending rules of one loaded matter (no permission check: callers hold one)."""
    dates = {key.value: day for key, day in matter.dates.known().items()}
    rules = ctx.rules.rules
    found = compute_deadlines(matter.type.value, dates, rules, ctx.calendar, matter_ref=matter.ref)
    pending = pending_rules(matter.type.value, dates, rules, ctx.calendar)
    return MatterDeadlines(matter.ref, matter.type.value, tuple(found), tuple(pending), dict(marks or {}))


def for_matter(session: Session, matter_ref: str, *, province: str | None = None,
               context: RuleContext | None = None) -> MatterDeadlines:
    session.require(Permission.READ_RECORDS)
    conn = session.vault.conn
    matter_id = records.require_id(conn, "matters", matter_ref)
    matter = records.load(conn, Matter, matter_id)
    return of_matter_record(matter, context or context_for(session, province),
                            deadline_marks.marks_of(conn, matter_id))


def for_all(session: Session, *, province: str | None = None, include_closed: bool = False,
            context: RuleContext | None = None) -> list[MatterDeadlines]:
    """Every open matter's deadlines (closed matters too if asked), by matter ref."""
    session.require(Permission.READ_RECORDS)
    ctx = context or context_for(session, province)
    conn = session.vault.conn
    marks = deadline_marks.marks_by_matter(conn)
    matters = records.load_all(conn, Matter)
    return [of_matter_record(m, ctx, marks.get(int(m.id or 0))) for m in matters
            if include_closed or m.status is MatterStatus.OPEN]


def agenda(session: Session, *, today: date | None = None, province: str | None = None, week_days: int = 7,
           matter_ref: str | None = None) -> Agenda:
    """Overdue, today, this week and later, across open matters (or one matter): only the
    deadlines nobody has marked done or not applicable."""
    found = [for_matter(session, matter_ref, province=province)] if matter_ref else \
        for_all(session, province=province)
    return build_agenda([d for m in found for d in m.open], today or date.today(), week_days=week_days)


def export_ics(session: Session, target: Path, *, matter_ref: str | None = None, province: str | None = None,
               today: date | None = None, lang: str | None = None, with_refs: bool = False,
               now: datetime | None = None) -> int:
    """Write upcoming (and overdue) deadlines to an .ics file; returns the number of events.

    By default events carry only the rule's title and citation: calendars leave the
    vault. `with_refs` adds the matter ref to each title and needs the export permission.
    """
    session.require(Permission.READ_RECORDS)
    if with_refs:
        session.require(Permission.EXPORT)
    lang = lang or current_language()
    found = [for_matter(session, matter_ref, province=province)] if matter_ref else \
        for_all(session, province=province)
    day = today or date.today()
    entries = []
    for m in found:
        for d in m.open:
            if d.kind != "due" and d.due < day:
                continue
            summary = f"{m.matter_ref}: {d.title.get(lang)}" if with_refs else None
            entries.append(ics.IcsEntry(d, summary=summary))
    ics.write_ics(Path(target), entries, lang=lang, calendar_name="Haven", now=now, alarm_days=2)
    with session.transaction():
        session.audit("deadlines_exported", detail={"events": len(entries), "with_refs": with_refs})
    return len(entries)


def set_mark(session: Session, matter_ref: str, rule_id: str, state: str | None, reason: str = "", *,
             province: str | None = None) -> Changes:
    """Mark one of a matter's deadlines done or not applicable (`state`), or clear its mark
    (`state` None: undo). Audited with the rule and the state; the reason stays in the vault."""
    session.require(Permission.EDIT_RECORDS)
    found = for_matter(session, matter_ref, province=province)
    deadline = next((d for d in found.deadlines if d.rule_id == rule_id), None)
    with session.transaction() as conn:
        matter_id = records.require_id(conn, "matters", matter_ref)
        if state is None:
            if not deadline_marks.remove(conn, matter_id, rule_id):
                raise BadInput(_("Deadline {rule} of {matter} is not marked done or not applicable.").format(
                    rule=rule_id, matter=matter_ref))
            session.audit("deadline_reopened", target=f"matter:{matter_id}", detail={"rule": rule_id})
        else:
            if deadline is None:
                raise BadInput(_("Matter {matter} has no deadline {rule} (see clinic-app deadlines {matter}).").format(
                    matter=matter_ref, rule=rule_id))
            deadline_marks.save(conn, matter_id, DeadlineMark(rule_id, deadline.due, state, reason,
                                                              session.user.name))
            session.audit("deadline_marked", target=f"matter:{matter_id}",
                          detail={"rule": rule_id, "state": state, "due": deadline.due.isoformat()})
    return Changes(matters=frozenset({MatterId(matter_id)}))


def deadline_row(d: Deadline, today: date, lang: str | None = None,
                 mark: DeadlineMark | None = None) -> dict[str, Any]:
    """Plain data for --json and tables."""
    lang = lang or current_language()
    return {
        "state": mark.state if mark else "open", "reason": mark.reason if mark else "",
        "matter": d.matter_ref, "rule": d.rule_id, "title": d.title.get(lang), "kind": d.kind,
        "due": d.due.isoformat(), "days": (d.due - today).days, "citation": cite(d.citation, lang),
        "unconfirmed": d.unconfirmed, "estimated": d.estimated, "variant": d.variant,
        "flags": describe_flags(d, lang),
    }
