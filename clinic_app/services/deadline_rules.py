"""Load the deadline rules files: bundled ones, and a clinic's edited copies.

Rules live as YAML in `resources/rules/` (one file per forum). A clinic that edits a
rule puts its copy of the whole file, under the same name, in an override folder
(the lead wires it to the user config folder); that copy then replaces the bundled
file. Everything is checked on load and any problem stops loading with a message
naming the file, the rule and the field: a half-loaded rule set would hide deadlines.

The JSON Schema beside the files (`rules.schema.json`) is for editors and tests; the
checks here do not need `jsonschema`, which is not a runtime dependency.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from clinic_app.domain.deadlines import BusinessCalendar, Rule, RulesFileError, check_rule_set, parse_rules_document
from clinic_app.i18n import _
from clinic_app.paths import resources_dir

RULE_SUFFIXES = (".yaml", ".yml")


def bundled_rules_dir() -> Path:
    return resources_dir() / "rules"


@dataclass(frozen=True)
class RulesFile:
    """One loaded file: where it came from and whether it is a clinic override."""

    name: str
    path: Path
    forum: str
    overridden: bool
    rule_ids: tuple[str, ...]


@dataclass(frozen=True)
class LoadedRules:
    """Every rule in force, and the files they came from (for an "about the rules" view)."""

    rules: tuple[Rule, ...]
    files: tuple[RulesFile, ...]

    def by_id(self) -> dict[str, Rule]:
        return {r.id: r for r in self.rules}

    def for_matter(self, matter_type: str) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if matter_type in r.applies_to)

    def unconfirmed(self) -> tuple[Rule, ...]:
        """Rules (or rules with a variant) marked unconfirmed, for a review list."""
        return tuple(r for r in self.rules if r.unconfirmed or any(v.unconfirmed for v in r.variants))


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys: the second `offset_days` must not win silently."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: dict[Any, int] = {}
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first on line {seen[key] + 1})", key_node.start_mark
            )
        seen[key] = key_node.start_mark.line
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def parse_yaml(text: str, display: str) -> Any:
    """YAML text to plain data, or a RulesFileError naming the file and line."""
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        detail = getattr(exc, "problem", None) or str(exc)
        raise RulesFileError(
            _("cannot be read near line {line}: {detail}").format(line=line, detail=detail), file=display
        ) from None


def read_rules_file(path: Path, display: str | None = None) -> tuple[str, list[Rule]]:
    """(forum, rules) of one file; `display` is how messages name it (default: file name)."""
    display = display or path.name
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise RulesFileError(_("the file is not UTF-8 text"), file=display) from None
    except OSError as exc:
        raise RulesFileError(_("cannot be read: {reason}").format(reason=exc.strerror or exc), file=display) from None
    doc = parse_yaml(text, display)
    rules = parse_rules_document(doc, display)
    return rules[0].forum, rules


def _rule_paths(folder: Path) -> dict[str, Path]:
    if not folder.is_dir():
        return {}
    return {p.name: p for p in sorted(folder.iterdir()) if p.suffix.lower() in RULE_SUFFIXES and p.is_file()}


def load_rules(rules_dir: Path | None = None, *, override_dir: Path | None = None) -> LoadedRules:
    """Load and check every rules file; a same-named file in `override_dir` replaces the bundled one.

    A missing override folder means "no overrides". Raises RulesFileError on any problem.
    """
    bundled = _rule_paths(rules_dir or bundled_rules_dir())
    if not bundled:
        raise RulesFileError(_("no rules files found"), file=str(rules_dir or bundled_rules_dir()))
    overrides = _rule_paths(override_dir) if override_dir is not None else {}
    files: list[RulesFile] = []
    rules: list[Rule] = []
    for name in sorted(set(bundled) | set(overrides)):
        path = overrides.get(name) or bundled[name]
        is_override = name in overrides
        forum, found = read_rules_file(path, str(path) if is_override else name)
        files.append(RulesFile(name, path, forum, is_override, tuple(r.id for r in found)))
        rules.extend(found)
    check_rule_set(rules)
    return LoadedRules(tuple(rules), tuple(files))


_LOADED: dict[object, LoadedRules] = {}


def load_rules_cached(override_dir: Path | None = None) -> LoadedRules:
    """`load_rules`, kept until a rules file changes: every refresh of the agenda or of a
    matter's deadlines (each mark is followed by several) no longer reads and checks them all."""
    folders = [bundled_rules_dir(), *([override_dir] if override_dir is not None else [])]
    stamp = tuple((str(path), path.stat().st_mtime_ns, path.stat().st_size)
                  for folder in folders for path in _rule_paths(folder).values())
    key = (str(override_dir), stamp)
    if key not in _LOADED:
        loaded = load_rules(override_dir=override_dir)
        _LOADED.clear()
        _LOADED[key] = loaded
    return _LOADED[key]


def calendar_for(province: str = "ON", extra_holidays: Mapping[date, str] | None = None) -> BusinessCalendar:
    """The clinic's calendar: federal holidays plus `province` (a clinic setting, default Ontario)."""
    return BusinessCalendar(province, extra_holidays=extra_holidays)

