"""Turn rules and a matter's dates into deadlines. Pure: no clock, no files.

Counting follows the Interpretation Act, ss. 27-28: the trigger day is excluded and
the last day included; "clear days" (`clear_days: true`, used for wording such as
"at least N days") exclude both ends; a period of months ends on the same day of the
month, or the month's last day. Two safety choices (documented in the rules README):

* A deadline counted *before* an event only ever moves earlier, and for it every
  Saturday, Sunday and holiday is closed, whatever definition the rule names.
* A chained rule counts from the other rule's *unadjusted* date, the earlier one.
* A day only some readings close (a provincial holiday, a Monday-after substitute) never
  moves a due date later; the deadline says it may (`extension.may_extend`). For an
  earliest date (`not_before`) every such day counts, so it is never early.
"""

from __future__ import annotations

import dataclasses

import calendar as _cal
from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from clinic_app.domain.deadlines.calendar import BusinessCalendar
from clinic_app.domain.deadlines.model import (
    DATE_KEYS,
    MATTER_TYPES,
    Bilingual,
    Deadline,
    MatterRef,
    PendingRule,
    Rule,
    Timing,
    Trigger,
    Variant,
)
from clinic_app.errors import ValidationError
from clinic_app.i18n import _

_WIDEST = "federal_courts_rules"

# what a deadline counts from: the day, the date key or "rule:<id>", whether it is an estimate,
# and the rules on the way that took their default option (Deadline.assumed_from)
_Base = tuple[date, str, bool, tuple[tuple[str, Bilingual], ...]]


def add_months(day: date, months: int, *, prefer_later: bool = False) -> date:
    """`day` plus `months`; a missing day (Feb 30) becomes the month's last day,
    or the next month's first day when `prefer_later` (an "earliest date" must not be early)."""
    total = day.year * 12 + (day.month - 1) + months
    year, month = divmod(total, 12)
    month += 1
    last = _cal.monthrange(year, month)[1]
    if day.day <= last:
        return date(year, month, day.day)
    return date(year, month, last) + timedelta(days=1 if prefer_later else 0)


def _closed(cal: BusinessCalendar, day: date, timing: Timing, step: int, relied: bool = True) -> Bilingual | None:
    """Why `day` is closed for this count; going forward with `relied`, only days every
    reading closes count (a doubtful one would make the date later)."""
    definition = _WIDEST if step < 0 else timing.holidays
    reason = cal.closed_reason(day, definition)
    if reason is not None and step > 0 and relied and cal.doubtful(day, definition) is not None:
        return None
    return reason


def in_recess(day: date) -> bool:
    """Federal Courts Rules r. 2 "seasonal recess": 21 December to 7 January."""
    return (day.month == 12 and day.day >= 21) or (day.month == 1 and day.day <= 7)


def raw_date(base: date, timing: Timing, kind: str, cal: BusinessCalendar, *, relied: bool = True,
             skip_recess: bool = False) -> date:
    """The date the count lands on, before any weekend/holiday move; with `skip_recess`,
    days of the seasonal recess are not counted."""
    step = timing.direction
    day = add_months(base, timing.offset_months, prefer_later=kind == "not_before")
    remaining = abs(timing.offset_days)
    if timing.count == "calendar" and not skip_recess:
        day += timedelta(days=step * remaining)
    else:
        while remaining:
            day += timedelta(days=step)
            if skip_recess and in_recess(day):
                continue
            if timing.count == "calendar" or _closed(cal, day, timing, step, relied) is None:
                remaining -= 1
    if timing.clear_days:
        day += timedelta(days=step)
        while skip_recess and in_recess(day):
            day += timedelta(days=step)
    return day


def roll(raw: date, timing: Timing, cal: BusinessCalendar, *, relied: bool = True) -> tuple[date, Bilingual | None]:
    """Move `raw` off closed days in the rule's direction; return the day and why it moved."""
    if timing.roll == "none":
        return raw, None
    step = 1 if timing.roll == "forward" else -1
    day, reasons = raw, list[Bilingual]()
    while (why := _closed(cal, day, timing, step, relied)) is not None:
        if why not in reasons:
            reasons.append(why)
        day += timedelta(days=step)
    if not reasons:
        return day, None
    reason = reasons[0]
    for more in reasons[1:]:
        reason = reason.join(more)
    return day, reason


def may_extend(base: date, timing: Timing, kind: str, cal: BusinessCalendar, due: date) -> Bilingual | None:
    """What a reading Haven does not rely on would give: a later date when a doubtful
    holiday is closed, or when the seasonal recess is not counted (FCR r. 6(3))."""
    if timing.direction < 0:
        return None
    notes: list[Bilingual] = []
    later, _why = roll(raw_date(base, timing, kind, cal, relied=False), timing, cal, relied=False)
    if later > due:
        days = [due + timedelta(days=n) for n in range((later - due).days)]
        days += [base + timedelta(days=n) for n in range(1, (due - base).days + 1)]
        found = next(((d, r) for d in days if (r := cal.doubtful(d, timing.holidays)) is not None), None)
        if found is not None:
            day, reason = found
            notes.append(Bilingual(
                f"{reason.en} ({day.isoformat()}) may be a holiday here; if it is, the time runs to "
                f"{later.isoformat()}. Haven keeps the earlier date.",
                f"{reason.get('fr')} ({day.isoformat()}) est peut-être un jour férié ici ; si c'est le cas, "
                f"le délai court jusqu'au {later.isoformat()}. Haven garde la date la plus proche."))
    if timing.recess == "seasonal":
        recess, _why = roll(raw_date(base, timing, kind, cal, skip_recess=True), timing, cal)
        if recess > due:
            notes.append(Bilingual(
                "If the seasonal recess (21 December to 7 January, Federal Courts Rules r. 6(3)) applies, "
                f"those days are not counted and the time runs to {recess.isoformat()}. Haven keeps the "
                "earlier date.",
                "Si la période des Fêtes (du 21 décembre au 7 janvier, règle 6(3) des Règles des Cours "
                "fédérales) s'applique, ces jours ne comptent pas et le délai court jusqu'au "
                f"{recess.isoformat()}. Haven garde la date la plus proche."))
    if not notes:
        return None
    out = notes[0]
    for more in notes[1:]:
        out = out.join(more, " ")
    return out


def _check_inputs(matter_type: str, dates: Mapping[str, date], rules: Iterable[Rule],
                  variants: Mapping[str, str]) -> dict[str, Rule]:
    if matter_type not in MATTER_TYPES:
        raise ValidationError(_("unknown matter type"), item=matter_type, field="matter_type")
    for key in dates:
        if key not in DATE_KEYS:
            raise ValidationError(_("unknown date name"), item=key, field="dates")
    by_id = {r.id: r for r in rules}
    for rule_id, key in variants.items():
        rule = by_id.get(rule_id)
        if rule is None:
            raise ValidationError(_("no such rule"), item=rule_id, field="variants")
        if key not in rule.variant_keys():
            raise ValidationError(
                _("unknown variant {variant}").format(variant=key), item=rule_id, field="variants"
            )
    return by_id


class _Engine:
    """Computes rules on demand, memoised, following chains between rules."""

    def __init__(self, by_id: Mapping[str, Rule], dates: Mapping[str, date],
                 cal: BusinessCalendar, variants: Mapping[str, str], matter_ref: MatterRef) -> None:
        self.by_id, self.dates, self.cal = by_id, dates, cal
        self.variants, self.matter_ref = variants, matter_ref
        self.done: dict[str, Deadline | None] = {}

    def _base(self, trig: Trigger, stack: tuple[str, ...]) -> _Base | None:
        found = self._one(trig, stack)
        if found is not None:
            return found
        if trig.fallback is not None:
            alt = self._base(trig.fallback, stack)
            if alt is not None:
                return alt[0], alt[1], True, alt[3]
        return None

    def _one(self, trig: Trigger, stack: tuple[str, ...]) -> _Base | None:
        if trig.date is not None:
            value = self.dates.get(trig.date)
            return None if value is None else (value, trig.date, False, ())
        if trig.rule not in self.by_id:
            raise ValidationError(_("refers to a rule that does not exist"), item=stack[-1],
                                  field="trigger.rule")
        other = self.get(trig.rule, stack)
        if other is None:
            return None
        assumed = other.assumed_from
        if other.variant_assumed and other.variant_label is not None:
            assumed += ((other.rule_id, other.variant_label),)
        return other.unadjusted, trig.label(), other.estimated, assumed

    def get(self, rule_id: str, stack: tuple[str, ...] = ()) -> Deadline | None:
        if rule_id in self.done:
            return self.done[rule_id]
        if rule_id in stack:  # the loader refuses cycles; this guards hand-built rule lists
            raise ValidationError(_("rules trigger each other in a loop"), item=rule_id, field="trigger")
        rule = self.by_id[rule_id]
        variant = rule.variant(self.variants.get(rule_id))
        timing = variant.timing if variant else rule.timing
        base = self._base(timing.trigger, stack + (rule_id,))
        result = None if base is None else self._make(rule, variant, timing, *base)
        if result is not None and variant is not None and rule_id not in self.variants:
            result = dataclasses.replace(result, variant_assumed=self._other_case_riskier(
                rule, variant, result, stack + (rule_id,)))
        self.done[rule_id] = result
        return result

    def _other_case_riskier(self, rule: Rule, assumed: Variant, found: Deadline, stack: tuple[str, ...]) -> bool:
        """Whether a case the matter has not ruled out could need action sooner than the one
        assumed: an earlier due date, or for an earliest date a later one, or a date this
        matter cannot compute yet. Only then does the deadline ask for the matter's case; a
        default that is already the safe reading (15 days in Canada, not 60) stays quiet."""
        for other in rule.variants:
            if other.key == assumed.key:
                continue
            base = self._base(other.timing.trigger, stack)
            if base is None:
                return True
            alt = self._make(rule, other, other.timing, *base)
            if (alt.due > found.due) if rule.kind == "not_before" else (alt.due < found.due):
                return True
        return False

    def _make(self, rule: Rule, variant: Variant | None, timing: Timing, base: date,
              basis: str, estimated: bool, assumed_from: tuple[tuple[str, Bilingual], ...]) -> Deadline:
        relied = rule.kind != "not_before"  # an earliest date counts every doubtful day: never early
        raw = raw_date(base, timing, rule.kind, self.cal, relied=relied)
        due, reason = roll(raw, timing, self.cal, relied=relied)
        closed = None
        if rule.kind == "due":
            closed = self.cal.closed_reason(due, _WIDEST)
        return Deadline(
            rule_id=rule.id,
            title=rule.name,
            kind=rule.kind,
            due=due,
            unadjusted=raw,
            moved_reason=reason,
            citation=variant.citation if variant else rule.citation,
            unconfirmed=(variant.unconfirmed if variant else False) or rule.unconfirmed,
            forum=rule.forum,
            matter_ref=self.matter_ref,
            variant=variant.key if variant else None,
            variant_label=variant.label if variant else None,
            assumed_from=assumed_from,
            trigger=basis,
            trigger_date=base,
            estimated=estimated,
            closed_day=closed,
            notes=(variant.notes if variant and variant.notes else rule.notes),
            optional=rule.optional,
            may_extend=may_extend(base, timing, rule.kind, self.cal, due) if relied else None,
            done_by=rule.done_by or "",
            met_on=self.dates.get(rule.done_by) if rule.done_by else None,
        )


def compute_deadlines(matter_type: str, dates: Mapping[str, date], rules: Iterable[Rule],
                      calendar: BusinessCalendar, *, variants: Mapping[str, str] | None = None,
                      matter_ref: MatterRef = None) -> list[Deadline]:
    """Every deadline of `matter_type` that the known `dates` allow, sorted by date.

    `variants` maps a rule id to a variant key (e.g. {"rad.record": "practice_notice_45"});
    rules not named use their default. Unknown matter types, date names, rule ids or
    variant keys raise ValidationError rather than silently giving no deadline.
    """
    variants = dict(variants or {})
    by_id = _check_inputs(matter_type, dates, list(rules), variants)
    engine = _Engine(by_id, dates, calendar, variants, matter_ref)
    out = [d for r in by_id.values() if matter_type in r.applies_to
           if (d := engine.get(r.id)) is not None]
    return sorted(out, key=lambda d: (d.due, d.rule_id))


def pending_rules(matter_type: str, dates: Mapping[str, date], rules: Iterable[Rule],
                  calendar: BusinessCalendar, *, variants: Mapping[str, str] | None = None
                  ) -> list[PendingRule]:
    """Rules that apply but lack a date, so the user can be asked for it (never silent)."""
    rules = list(rules)
    have = {d.rule_id for d in compute_deadlines(matter_type, dates, rules, calendar,
                                                 variants=variants)}
    by_id = {r.id: r for r in rules}
    out: list[PendingRule] = []
    for rule in rules:
        if matter_type not in rule.applies_to or rule.id in have or rule.optional:
            continue
        out.append(PendingRule(rule.id, rule.name, _needs(rule, by_id, dict(variants or {}), (), {})))
    return out


def _needs(rule: Rule, by_id: Mapping[str, Rule], variants: Mapping[str, str],
           seen: tuple[str, ...], known: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The date keys `rule` could count from; `known` keeps each rule's answer, so rules that
    reach one another by several paths are followed once."""
    if rule.id in known:
        return known[rule.id]
    variant = rule.variant(variants.get(rule.id))
    trig: Trigger | None = (variant.timing if variant else rule.timing).trigger
    keys: list[str] = []
    while trig is not None:
        if trig.date is not None:
            keys.append(trig.date)
        elif trig.rule in by_id and trig.rule not in seen:
            keys.extend(_needs(by_id[trig.rule], by_id, variants, seen + (rule.id,), known))
        trig = trig.fallback
    known[rule.id] = tuple(dict.fromkeys(keys))
    return known[rule.id]
