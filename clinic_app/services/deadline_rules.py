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

import hashlib
import os
import stat
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
MAX_FILE_BYTES = 1_000_000  # Haven's largest rules file is about 25 KB
MAX_NESTING = 50  # levels of lists and fields inside each other; Haven's files use 5


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
    """SafeLoader that refuses duplicate keys (the second `offset_days` must not win silently),
    values its constructors cannot read (`last_checked: 2026-13-45`), and nesting past
    MAX_NESTING (PyYAML would recurse until Python stops it): each as a YAMLError with its line."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > MAX_NESTING:
                raise yaml.composer.ComposerError(
                    None, None, f"lists and fields nested more than {MAX_NESTING} deep", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError):
            shown = f" {node.value!r}" if isinstance(node, yaml.ScalarNode) and len(node.value) < 80 else ""
            kind = node.tag.rsplit(":", 1)[-1]
            kind = {"timestamp": "a date (YYYY-MM-DD)", "int": "a whole number", "float": "a number",
                    "bool": "true or false"}.get(kind, kind)
            raise yaml.constructor.ConstructorError(
                None, None, f"the value{shown} cannot be read as {kind}", node.start_mark) from None


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: dict[Any, int] = {}
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(None, None, "a field name must be a word, not a list",
                                                    key_node.start_mark) from None
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


def _read_bytes(path: Path, display: str) -> bytes:
    """The bytes of one rules file, or a RulesFileError: a folder, a link to nothing, a
    device (/dev/zero) or a pipe named rad.yaml is refused rather than skipped (Haven's own
    file would then count in silence) or read (a pipe or a device would never end)."""
    if path.is_dir():
        raise RulesFileError(_("is a folder, not a rules file"), file=display)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise RulesFileError(_("is a link to a file that does not exist"), file=display) from None
    except IsADirectoryError:
        raise RulesFileError(_("is a folder, not a rules file"), file=display) from None
    except OSError as exc:
        raise RulesFileError(_("cannot be read: {reason}").format(reason=exc.strerror or exc), file=display) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise RulesFileError(_("is a folder, not a rules file"), file=display)
        if not stat.S_ISREG(info.st_mode):
            raise RulesFileError(_("is not a file (a device or a pipe)"), file=display)
        if info.st_size > MAX_FILE_BYTES:
            raise RulesFileError(_("is too large for a rules file ({size} bytes; at most {limit})").format(
                size=info.st_size, limit=MAX_FILE_BYTES), file=display)
        with os.fdopen(fd, "rb", closefd=False) as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise RulesFileError(_("cannot be read: {reason}").format(reason=exc.strerror or exc), file=display) from None
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:
        raise RulesFileError(_("is too large for a rules file ({size} bytes; at most {limit})").format(
            size=len(data), limit=MAX_FILE_BYTES), file=display)
    return data


def _parse_bytes(data: bytes, display: str) -> tuple[str, list[Rule]]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise RulesFileError(_("the file is not UTF-8 text"), file=display) from None
    doc = parse_yaml(text, display)
    rules = parse_rules_document(doc, display)
    return rules[0].forum, rules


def _rule_paths(folder: Path) -> dict[str, Path]:
    """The rules files of `folder` by name: every name ending .yaml or .yml, whatever it is
    (the reader refuses what is not a file), except hidden ones (an editor's lock file
    .#rad.yaml, a Mac's ._rad.yaml). No folder: none. A file where the folder should be, or
    a folder Haven cannot list, is refused: the clinic's copies there would count for nothing."""
    if not folder.exists() and not folder.is_symlink():
        return {}
    if not folder.is_dir():
        raise RulesFileError(_("is not a folder: remove it, or rename it, so that the rules folder can be made"),
                             file=str(folder))
    try:
        names = sorted(folder.iterdir())
    except OSError as exc:
        raise RulesFileError(_("cannot be read: {reason}").format(reason=exc.strerror or exc),
                             file=str(folder)) from None
    return {p.name: p for p in names if p.suffix.lower() in RULE_SUFFIXES and not p.name.startswith(".")}


# (name, path, the clinic's copy?, the name messages give, the file's bytes)
_Read = tuple[str, Path, bool, str, bytes]


def _read_all(rules_dir: Path | None, override_dir: Path | None) -> list[_Read]:
    folder = rules_dir or bundled_rules_dir()
    bundled = _rule_paths(folder)
    if not bundled:
        raise RulesFileError(_("no rules files found"), file=str(folder))
    overrides = _rule_paths(override_dir) if override_dir is not None else {}
    out: list[_Read] = []
    for name in sorted(set(bundled) | set(overrides)):
        path = overrides.get(name) or bundled[name]
        is_override = name in overrides
        display = str(path) if is_override else name
        out.append((name, path, is_override, display, _read_bytes(path, display)))
    return out


def _load(read: list[_Read]) -> LoadedRules:
    files: list[RulesFile] = []
    rules: list[Rule] = []
    for name, path, is_override, display, data in read:
        forum, found = _parse_bytes(data, display)
        files.append(RulesFile(name, path, forum, is_override, tuple(r.id for r in found)))
        rules.extend(found)
    check_rule_set(rules)
    return LoadedRules(tuple(rules), tuple(files))


def load_rules(rules_dir: Path | None = None, *, override_dir: Path | None = None) -> LoadedRules:
    """Load and check every rules file; a same-named file in `override_dir` replaces the bundled one.

    A missing override folder means "no overrides". Raises RulesFileError on any problem.
    """
    return _load(_read_all(rules_dir, override_dir))


_LOADED: dict[object, LoadedRules] = {}


def load_rules_cached(override_dir: Path | None = None) -> LoadedRules:
    """`load_rules`, kept until a rules file changes: every refresh of the agenda or of a
    matter's deadlines (each mark is followed by several) no longer parses and checks them
    all. The files are read each time and compared by content: an edit that keeps the
    size and the time stamp (a copy restored with its old date) is not missed."""
    read = _read_all(None, override_dir)
    key = (str(override_dir), tuple((str(path), hashlib.sha256(data).digest()) for _n, path, _o, _d, data in read))
    if key not in _LOADED:
        loaded = _load(read)
        _LOADED.clear()
        _LOADED[key] = loaded
    return _LOADED[key]


def calendar_for(province: str = "ON", extra_holidays: Mapping[date, str] | None = None) -> BusinessCalendar:
    """The clinic's calendar: federal holidays plus `province` (a clinic setting, default Ontario)."""
    return BusinessCalendar(province, extra_holidays=extra_holidays)

