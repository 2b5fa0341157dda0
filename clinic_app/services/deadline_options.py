"""What a matter records for its deadlines beyond the key dates: steps' dates and rule options.

Some rules count from a step the clinic took (leave filed, record served), and some
depend on the matter's circumstances (a claim made inland or at a port of entry, a
PRRA notification given in person or by mail): the rules files call those cases
variants. Which steps and options a matter type has follows from the rules in force,
so a clinic's edited rules file changes what the form asks for.
"""

from __future__ import annotations

from dataclasses import dataclass

from clinic_app.domain.deadlines.model import Bilingual
from clinic_app.domain.matter import KeyDate, Matter
from clinic_app.errors import ValidationError
from clinic_app.i18n import _
from clinic_app.services.deadline_rules import LoadedRules


@dataclass(frozen=True)
class RuleOptions:
    """A rule whose timing depends on the matter's circumstances, and the cases to choose from."""

    rule_id: str
    title: Bilingual
    default: str
    options: tuple[tuple[str, Bilingual], ...]  # (key, label), in the rules file's order


@dataclass(frozen=True)
class TimingFields:
    """What a matter of one type can record for its deadlines beyond the key dates: the steps'
    dates its rules count from, and the rules with options."""

    steps: tuple[KeyDate, ...]
    options: tuple[RuleOptions, ...]


def timing_fields(rules: LoadedRules, matter_type: str) -> TimingFields:
    """The step dates and rule options that matter for `matter_type` under the rules in force."""
    applying = rules.for_matter(matter_type)
    by_id = rules.by_id()
    used: set[str] = set()
    todo, seen = [r.id for r in applying], set[str]()
    while todo:  # a rule counted from another rule waits for that rule's dates too, whatever its types
        rule_id = todo.pop()
        if rule_id in seen or rule_id not in by_id:
            continue
        seen.add(rule_id)
        rule = by_id[rule_id]
        for timing in [rule.timing] + [v.timing for v in rule.variants]:
            trigger = timing.trigger
            while trigger is not None:
                if trigger.date is not None:
                    used.add(trigger.date)
                elif trigger.rule is not None:
                    todo.append(trigger.rule)
                trigger = trigger.fallback
    steps = tuple(k for k in KeyDate if k.is_step and k.value in used)
    options = tuple(RuleOptions(r.id, r.name, r.default_variant or r.variants[0].key,
                                tuple((v.key, v.label) for v in r.variants))
                    for r in applying if r.variants)
    return TimingFields(steps, options)


def check_options(matter: Matter, rules: LoadedRules, before: Matter | None = None) -> None:
    """Refuse an option the rules in force do not offer for this matter's type. Only options
    that changed since `before` are checked: a clinic's edited rules file must not stop
    anyone from saving an unrelated change to a matter chosen under the old one."""
    by_id = rules.by_id()
    old = before.deadline_options if before is not None and before.type is matter.type else {}
    for rule_id, key in matter.deadline_options.items():
        if old.get(rule_id) == key:
            continue
        rule = by_id.get(rule_id)
        if rule is None or matter.type.value not in rule.applies_to or not rule.variants:
            raise ValidationError(_("{rule} is not a rule with options for this type of matter").format(
                rule=rule_id), field="deadline_options")
        if key not in rule.variant_keys():
            raise ValidationError(_("{rule} has no option {option} (its options: {options})").format(
                rule=rule_id, option=key, options=", ".join(rule.variant_keys())), field="deadline_options")
