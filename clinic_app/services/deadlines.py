"""Deadlines of one matter or of every open matter, the agenda, and calendar export.

Rules come from `deadline_rules.load_rules` (bundled files, or a clinic's edited
copies in its rules folder); closed days from `calendar_for(province)`, the clinic's
province saved in the vault (Ontario by default); `context_for` chooses both. Dates are
counted from the matter's key dates; the rule engine is pure, so `today` is always passed
in (tests pin it).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
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
from clinic_app.domain.matter import KeyDate, KeyDates, Matter, MatterStatus, MatterType
from clinic_app.domain.roles import Permission
from clinic_app.errors import BadInput, ValidationError
from clinic_app.i18n import _, current_language
from clinic_app.services import case_record, ics
from clinic_app.services.deadline_options import TimingFields, timing_fields
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
    # options the matter chose that the rules in force no longer have: (rule id, option key)
    stale_options: tuple[tuple[str, str], ...] = ()

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
    """Deadlines and pending rules of one loaded matter (no permission check: callers hold one).

    Every date the matter holds counts, the steps' too, and so do the options it chose. An
    option the rules in force no longer have (a clinic's edited file dropped it) counts as
    the default and is reported in `stale_options`, rather than hiding every deadline."""
    dates = {key.value: day for key, day in matter.dates.known().items()}
    rules = ctx.rules.rules
    by_id = ctx.rules.by_id()
    chosen = {r: k for r, k in matter.deadline_options.items() if r in by_id and k in by_id[r].variant_keys()}
    stale = tuple((r, k) for r, k in matter.deadline_options.items() if r not in chosen
                  and (r not in by_id or matter.type.value in by_id[r].applies_to))
    found = compute_deadlines(matter.type.value, dates, rules, ctx.calendar, variants=chosen, matter_ref=matter.ref)
    pending = pending_rules(matter.type.value, dates, rules, ctx.calendar, variants=chosen)
    return MatterDeadlines(matter.ref, matter.type.value, tuple(found), tuple(pending), dict(marks or {}), stale)


def timing_fields_by_type(ctx: RuleContext) -> dict[str, TimingFields]:
    """`timing_fields` of every matter type, for a form that lets the type change."""
    return {t.value: timing_fields(ctx.rules, t.value) for t in MatterType}


def timing_rows(session: Session, found: MatterDeadlines, lang: str | None = None) -> dict[str, Any]:
    """Plain data for --json and the CLI: the steps' dates and rule options of `found`'s matter."""
    lang = lang or current_language()
    conn = session.vault.conn
    matter = records.load(conn, Matter, records.require_id(conn, "matters", found.matter_ref))
    fields = timing_fields(context_for(session).rules, matter.type.value)
    steps = [k for k in KeyDate if k.is_step and (k in fields.steps or matter.dates.get(k))]
    return {
        "steps": [{"name": k.value, "label": k.label, "date": d.isoformat() if (d := matter.dates.get(k)) else None}
                  for k in steps],
        "options": [{"rule": r.rule_id, "title": r.title.get(lang), "default": r.default,
                     "chosen": matter.deadline_options.get(r.rule_id),
                     "options": [{"key": key, "label": label.get(lang)} for key, label in r.options]}
                    for r in fields.options],
        "stale_options": [{"rule": rule, "option": key} for rule, key in found.stale_options],
    }


def set_timing(session: Session, matter_ref: str, *, dates: Mapping[str, date | None] | None = None,
               options: Mapping[str, str | None] | None = None, context: RuleContext | None = None) -> Matter:
    """Record steps' dates (or key dates) and rule options on a matter: a date or option of
    None clears it (the rule's default option then counts). Saved as any matter edit is."""
    session.require(Permission.EDIT_RECORDS)
    conn = session.vault.conn
    before = records.load(conn, Matter, records.require_id(conn, "matters", matter_ref))
    new_dates = dataclasses.asdict(before.dates)
    for name, day in (dates or {}).items():
        if name not in new_dates:
            raise BadInput(_("{name} is not a date a matter records (dates: {names}).").format(
                name=name, names=", ".join(k.value for k in KeyDate)))
        new_dates[name] = day
    rules = (context or context_for(session)).rules
    offered = {r.rule_id for r in timing_fields(rules, before.type.value).options}
    new_options = dict(before.deadline_options)
    for rule_id, key in (options or {}).items():
        if key is None and rule_id not in new_options and rule_id not in offered:
            # a misspelt rule would "go back to its default" in silence, the real one unchanged
            raise ValidationError(_("{rule} is not a rule with options for this type of matter").format(
                rule=rule_id), field="deadline_options")
        if key is None:
            new_options.pop(rule_id, None)
        else:
            new_options[rule_id] = key
    after = dataclasses.replace(before, dates=KeyDates(**new_dates), deadline_options=new_options)
    case_record.save_matter(session, after, rules=rules)
    return after


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


def step_done_text(d: Deadline) -> str:
    """Why a deadline counts as done without a mark: its step's date is entered."""
    name = KeyDate(d.done_by).label if d.done_by in {k.value for k in KeyDate} else d.done_by
    return _("{step}: {date}").format(step=name, date=d.met_on.isoformat() if d.met_on else "")


def deadline_row(d: Deadline, today: date, lang: str | None = None,
                 mark: DeadlineMark | None = None) -> dict[str, Any]:
    """Plain data for --json and tables."""
    lang = lang or current_language()
    state = mark.state if mark else "done" if d.met_on else "open"
    reason = mark.reason if mark else step_done_text(d) if d.met_on else ""
    return {
        "state": state, "reason": reason, "met_on": d.met_on.isoformat() if d.met_on else None,
        "done_by_step": mark is None and d.met_on is not None,
        "matter": d.matter_ref, "rule": d.rule_id, "title": d.title.get(lang), "kind": d.kind,
        "due": d.due.isoformat(), "days": (d.due - today).days, "citation": cite(d.citation, lang),
        "unconfirmed": d.unconfirmed, "estimated": d.estimated, "variant": d.variant,
        "flags": describe_flags(d, lang),
    }
