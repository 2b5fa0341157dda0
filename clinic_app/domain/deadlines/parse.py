"""Check a rules document (already read from YAML) and turn it into `Rule` objects.

Pure: the service reads the file and passes the mapping in. Every problem raises
`RulesFileError` naming the file, the rule and the field, because the person
fixing it is a lawyer with a text editor, not a developer with a stack trace.
Unknown keys are refused: a misspelt `offest_days` must not silently become 0.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from clinic_app.domain.deadlines.model import (
    COUNTS, DATE_KEYS, HOLIDAY_DEFINITIONS, KINDS, MATTER_TYPES, RECESSES, ROLLS, STEP_DATES,
    Bilingual, Rule, Timing, Trigger, Variant,
)
from clinic_app.errors import BadInput, ValidationError
from clinic_app.i18n import _

ID_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_TIMING_KEYS = {"trigger", "offset_days", "offset_months", "count", "clear_days", "roll", "holidays", "recess"}
_RULE_KEYS = _TIMING_KEYS | {"id", "name", "applies_to", "kind", "citation", "sources",
                             "last_checked", "unconfirmed", "notes", "optional", "variants", "done_by"}
_VARIANT_KEYS = _TIMING_KEYS | {"label", "citation", "unconfirmed", "notes"}
#: The longest period a rule may give (about ten years), and the longest chain of rules
#: counting from one another: with matters' dates in 1900-2199, no count leaves the years
#: a date can hold, and none takes long (Haven's own rules use at most 90 days, 12 months
#: and chains of 4).
MAX_OFFSET_DAYS, MAX_OFFSET_MONTHS, MAX_CHAIN = 3660, 120, 20
_REQUIRED = ("id", "name", "applies_to", "kind", "trigger", "offset_days", "roll",
             "citation", "sources", "last_checked", "unconfirmed")


class RulesFileError(ValidationError):
    """Bad data in a rules file; `file`, `item` (the rule id) and `field` say where."""

    def __init__(self, problem: str, *, file: str = "", rule: str = "", field: str = "") -> None:
        if rule and field:
            text = _("In {file}, rule {rule}, field {field}: {problem}")
        elif field:
            text = _("In {file}, field {field}: {problem}")
        elif rule:
            text = _("In {file}, rule {rule}: {problem}")
        else:
            text = _("In {file}: {problem}")
        BadInput.__init__(self, text.format(file=file or "?", rule=rule, field=field, problem=problem))
        self.file, self.item, self.field, self.problem = file, rule, field, problem


class _Ctx:
    def __init__(self, file: str, rule: str = "") -> None:
        self.file, self.rule = file, rule

    def fail(self, field: str, problem: str) -> RulesFileError:
        return RulesFileError(problem, file=self.file, rule=self.rule, field=field)

    def choice(self, data: Mapping[str, Any], key: str, allowed: Iterable[str], default: str, at: str = "") -> str:
        value = data.get(key, default)
        allowed = tuple(allowed)
        if value not in allowed:
            raise self.fail(at + key, _("must be one of: {choices}").format(choices=", ".join(allowed)))
        return str(value)

    def integer(self, data: Mapping[str, Any], key: str, at: str = "", limit: int | None = None) -> int:
        value = data.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(at + key, _("must be a whole number (negative means before the event)"))
        if limit is not None and abs(value) > limit:
            raise self.fail(at + key, _("must be between -{limit} and {limit}").format(limit=limit))
        return value

    def flag(self, data: Mapping[str, Any], key: str, at: str = "") -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(at + key, _("must be true or false"))
        return value

    def text(self, data: Mapping[str, Any], key: str, at: str = "") -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(at + key, _("must be a non-empty text"))
        return value.strip()

    def bilingual(self, value: Any, key: str, *, need_fr: bool = True) -> Bilingual:
        problem = _("must have an English text (en) and a French text (fr)")
        if not isinstance(value, Mapping) or set(value) - {"en", "fr"}:
            raise self.fail(key, problem)
        en, fr = value.get("en"), value.get("fr", "")
        if not isinstance(en, str) or not en.strip() or not isinstance(fr, str):
            raise self.fail(key, problem)
        if need_fr and not fr.strip():
            raise self.fail(key, problem)
        return Bilingual(en.strip(), fr.strip())

    def unknown(self, data: Mapping[str, Any], allowed: set[str], where: str = "") -> None:
        for key in data:
            if key not in allowed:
                raise self.fail(f"{where}{key}", _("unknown field (check the spelling)"))


def _trigger(ctx: _Ctx, value: Any, field: str = "trigger") -> Trigger:
    if not isinstance(value, Mapping) or set(value) - {"date", "rule", "fallback"}:
        raise ctx.fail(field, _("must give either a date or a rule (and optionally a fallback)"))
    has_date, has_rule = "date" in value, "rule" in value
    if has_date == has_rule:
        raise ctx.fail(field, _("must give either a date or a rule, not both"))
    if has_date and value["date"] not in DATE_KEYS:
        raise ctx.fail(f"{field}.date", _("must be one of: {choices}").format(choices=", ".join(DATE_KEYS)))
    if has_rule and not (isinstance(value["rule"], str) and ID_RE.match(value["rule"])):
        raise ctx.fail(f"{field}.rule", _("must be the id of another rule, e.g. fc.leave_application"))
    fallback = _trigger(ctx, value["fallback"], f"{field}.fallback") if "fallback" in value else None
    return Trigger(date=value.get("date"), rule=value.get("rule"), fallback=fallback)


def _timing(ctx: _Ctx, data: Mapping[str, Any], kind: str, base: Timing | None = None, at: str = "") -> Timing:
    """Timing fields of a rule, or of a variant (`base` = the rule's, for fields it leaves out)."""

    def pick(key: str, read: Any) -> Any:
        return read() if key in data or base is None else getattr(base, key)

    timing = Timing(
        trigger=pick("trigger", lambda: _trigger(ctx, data.get("trigger"), f"{at}trigger")),
        offset_days=pick("offset_days", lambda: ctx.integer(data, "offset_days", at, MAX_OFFSET_DAYS)),
        offset_months=pick("offset_months", lambda: ctx.integer(data, "offset_months", at, MAX_OFFSET_MONTHS)),
        count=pick("count", lambda: ctx.choice(data, "count", COUNTS, "calendar", at)),
        clear_days=pick("clear_days", lambda: ctx.flag(data, "clear_days", at)),
        roll=pick("roll", lambda: ctx.choice(data, "roll", ROLLS, "none", at)),
        holidays=pick("holidays", lambda: ctx.choice(data, "holidays", HOLIDAY_DEFINITIONS, "interpretation_act", at)),
        recess=pick("recess", lambda: ctx.choice(data, "recess", RECESSES, "none", at)),
    )
    if timing.offset_days * timing.offset_months < 0:
        raise ctx.fail(f"{at}offset_months", _("months and days must point the same way"))
    if timing.direction < 0 and timing.roll == "forward":
        raise ctx.fail(f"{at}roll",
                       _("a deadline before an event must never move closer to it: use backward or none"))
    if kind == "not_before" and timing.roll == "backward":
        raise ctx.fail(f"{at}roll", _("an earliest date must never move earlier: use forward or none"))
    return timing


def _variants(ctx: _Ctx, value: Any, rule_timing: Timing, kind: str) -> tuple[tuple[Variant, ...], str]:
    options = value.get("options") if isinstance(value, Mapping) else None
    if not isinstance(options, Mapping) or not options or set(value) != {"default", "options"}:
        raise ctx.fail("variants", _("must have a default and a list of options"))
    out = []
    for key, data in value["options"].items():
        where = f"variants.options.{key}."
        if not isinstance(key, str) or not KEY_RE.match(key) or not isinstance(data, Mapping):
            raise ctx.fail(f"variants.options.{key}", _("must be a lower-case name with its settings"))
        ctx.unknown(data, _VARIANT_KEYS, where)
        out.append(Variant(
            key=key,
            label=ctx.bilingual(data.get("label"), f"{where}label"),
            timing=_timing(ctx, data, kind, rule_timing, where),
            citation=ctx.text(data, "citation", where) if "citation" in data else "",
            unconfirmed=ctx.flag(data, "unconfirmed", where),
            notes=ctx.bilingual(data["notes"], f"{where}notes", need_fr=False) if "notes" in data else None,
        ))
    if not isinstance(value["default"], str) or value["default"] not in {v.key for v in out}:
        raise ctx.fail("variants.default", _("must be one of the options"))
    return tuple(out), str(value["default"])


def _last_checked(ctx: _Ctx, value: Any) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ctx.fail("last_checked", _("must be a date written YYYY-MM-DD")) from None


def parse_rule(data: Any, file: str, forum: str, index: int) -> Rule:
    """One rule mapping to a `Rule`, or a RulesFileError saying exactly what is wrong."""
    rid = data.get("id") if isinstance(data, Mapping) else None
    ctx = _Ctx(file, rid if isinstance(rid, str) else f"#{index + 1}")
    if not isinstance(data, Mapping):
        raise ctx.fail("", _("each rule must be a set of fields"))
    ctx.unknown(data, _RULE_KEYS)
    for key in _REQUIRED:
        if key not in data:
            raise ctx.fail(key, _("is missing"))
    if not isinstance(rid, str) or not ID_RE.match(rid):
        raise ctx.fail("id", _("must look like forum.name, e.g. rad.notice"))
    kind = ctx.choice(data, "kind", KINDS, "due")
    applies = data["applies_to"]
    valid = isinstance(applies, list) and applies and all(m in MATTER_TYPES for m in applies)
    if not valid or len(set(applies)) != len(applies):
        raise ctx.fail("applies_to",
                       _("must list matter types from: {choices}").format(choices=", ".join(MATTER_TYPES)))
    sources = data["sources"]
    if not isinstance(sources, list) or not sources or not all(isinstance(s, str) and s.strip() for s in sources):
        raise ctx.fail("sources", _("must list at least one source key from domain-rules.md"))
    timing = _timing(ctx, data, kind)
    variants, default = _variants(ctx, data["variants"], timing, kind) if "variants" in data else ((), None)
    citation = ctx.text(data, "citation")
    done_by = ctx.choice(data, "done_by", STEP_DATES, "") if "done_by" in data else None
    if done_by is not None and kind == "not_before":
        raise ctx.fail("done_by", _("an earliest date is never done: leave done_by out"))
    # A variant without its own citation inherits the rule's.
    variants = tuple(v if v.citation else Variant(v.key, v.label, v.timing, citation, v.unconfirmed, v.notes)
                     for v in variants)
    return Rule(
        id=rid, forum=forum, name=ctx.bilingual(data["name"], "name"), applies_to=tuple(applies),
        kind=kind, timing=timing, citation=citation, sources=tuple(s.strip() for s in sources),
        last_checked=_last_checked(ctx, data["last_checked"]), unconfirmed=ctx.flag(data, "unconfirmed"),
        notes=ctx.bilingual(data["notes"], "notes", need_fr=False) if "notes" in data else None,
        optional=ctx.flag(data, "optional"), variants=variants, default_variant=default, origin=file,
        done_by=done_by,
    )


def parse_rules_document(doc: Any, file: str) -> list[Rule]:
    """A whole rules file: `forum`, optional `title`, and a list of `rules`."""
    ctx = _Ctx(file)
    if not isinstance(doc, Mapping):
        raise ctx.fail("", _("the file must start with forum: and rules:"))
    ctx.unknown(doc, {"forum", "title", "rules"})
    forum = ctx.text(doc, "forum")
    if "title" in doc:
        ctx.bilingual(doc["title"], "title")
    rules = doc.get("rules")
    if not isinstance(rules, list) or not rules:
        raise ctx.fail("rules", _("must be a list with at least one rule"))
    return [parse_rule(item, file, forum, i) for i, item in enumerate(rules)]


def check_rule_set(rules: Iterable[Rule]) -> None:
    """Across files: ids unique, chained rules exist, and no rule depends on itself."""
    by_id: dict[str, Rule] = {}
    for rule in rules:
        if rule.id in by_id:
            raise RulesFileError(_("the same id is also used in {other}").format(other=by_id[rule.id].origin),
                                 file=rule.origin, rule=rule.id, field="id")
        by_id[rule.id] = rule

    def refs(rule: Rule) -> list[str]:
        found: list[str] = []
        for timing in [rule.timing] + [v.timing for v in rule.variants]:
            trig: Trigger | None = timing.trigger
            while trig is not None:
                if trig.rule:
                    found.append(trig.rule)
                trig = trig.fallback
        return found

    for rule in by_id.values():
        for ref in refs(rule):
            if ref not in by_id:
                raise RulesFileError(_("refers to a rule that does not exist: {ref}").format(ref=ref),
                                     file=rule.origin, rule=rule.id, field="trigger.rule")

    longest: dict[str, int] = {}  # rule id -> rules in its longest chain, itself included

    def too_long(chain: tuple[str, ...]) -> RulesFileError:
        first = by_id[chain[0]]
        return RulesFileError(_("counts from a chain of more than {count} rules: {chain}").format(
            count=MAX_CHAIN, chain=" → ".join(chain)), file=first.origin, rule=first.id, field="trigger.rule")

    def visit(rid: str, path: tuple[str, ...]) -> int:
        """Each rule is followed once (a file whose rules each count from the next two would
        otherwise take years), and never deeper than MAX_CHAIN (nor into Python's limit)."""
        if rid in longest:
            return longest[rid]
        rule, deepest = by_id[rid], 0
        for ref in refs(rule):
            if ref in path:
                raise RulesFileError(_("rules trigger each other in a loop: {loop}").format(
                    loop=" → ".join(path + (ref,))), file=rule.origin, rule=rule.id, field="trigger.rule")
            if len(path) >= MAX_CHAIN:
                raise too_long(path + (ref,))
            deepest = max(deepest, visit(ref, path + (ref,)))
        if len(path) + deepest > MAX_CHAIN:
            raise too_long(path + ("…",))
        longest[rid] = deepest + 1
        return deepest + 1

    for rid in by_id:
        visit(rid, (rid,))
