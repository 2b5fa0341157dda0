"""The case manifest: a YAML or JSON file of clients, matters, documents, support
letters and bundles, for bulk entry, migration from spreadsheets and scripting.

Parsing is all-or-nothing: every item and every cross-reference is checked
before the caller writes anything, and all problems are reported together
(`ManifestInvalid`), each naming the item and the field, so a mistake in the last
item imports nothing. Items are keyed by `ref`, so importing the same manifest
again updates records instead of duplicating them (the importer's job: this module
only parses). Format and examples: docs/manifest.md.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clinic_app.domain.client import Client
from clinic_app.domain.common import message_of
from clinic_app.domain.display import display_name
from clinic_app.domain.correspondence import CorrespondenceEntry
from clinic_app.domain.exhibits import ExhibitLink
from clinic_app.domain.matter import Matter
from clinic_app.domain.translation import TranslationLink
from clinic_app.errors import ValidationError
from clinic_app.i18n import _, ngettext
from clinic_app.services.manifest_bundles import BundleEntry, BundleTab, TabKind, parse_bundle
from clinic_app.services.manifest_checks import check_references
from clinic_app.services.manifest_items import (
    DocumentEntry,
    LetterEntry,
    parse_client,
    parse_document,
    parse_letter,
    parse_matter_entry,
)
from clinic_app.services.manifest_schema import (
    LIST_LIMITS,
    MAX_ERRORS,
    MAX_MANIFEST_BYTES,
    SUPPORTED_VERSIONS,
    TOP_LEVEL_KEYS,
    ItemReader,
    item_label,
)

if TYPE_CHECKING:
    import yaml

__all__ = [
    "BundleEntry",
    "BundleTab",
    "DocumentEntry",
    "ExistingRefs",
    "LetterEntry",
    "Manifest",
    "ManifestInvalid",
    "TabKind",
    "load_manifest",
    "parse_manifest_data",
    "parse_manifest_text",
]


@dataclass(frozen=True)
class ExistingRefs:
    """Refs already in the vault, so a manifest may point at them (e.g. letters for
    a matter imported last month). The caller fills this from the vault."""

    clients: frozenset[str] = frozenset()
    matters: frozenset[str] = frozenset()
    documents: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Manifest:
    """A fully checked manifest. Paths in entries are absolute and inside `base_dir`."""

    base_dir: Path
    clients: tuple[Client, ...] = ()
    matters: tuple[Matter, ...] = ()
    documents: tuple[DocumentEntry, ...] = ()
    letters: tuple[LetterEntry, ...] = ()
    bundles: tuple[BundleEntry, ...] = ()
    translations: tuple[TranslationLink, ...] = ()
    exhibits: tuple[ExhibitLink, ...] = ()  # in manifest order: each affidavit's exhibits A, B, C…
    correspondence: tuple[tuple[str, tuple[CorrespondenceEntry, ...]], ...] = ()  # (matter ref, entries)

    def all_refs(self) -> frozenset[str]:
        kinds = (self.clients, self.matters, self.documents, self.letters, self.bundles)
        return frozenset(entry.ref for kind in kinds for entry in kind)


class ManifestInvalid(ValidationError):
    """Every problem found in a manifest (at most MAX_ERRORS). `item` and `field`
    are those of the first problem; `errors` holds them all."""

    def __init__(self, errors: list[ValidationError]) -> None:
        first = errors[0]
        super().__init__(message_of(first), item=first.item, field=first.field)
        self.errors = tuple(errors)
        header = ngettext(
            "The manifest has {count} problem; nothing was imported.",
            "The manifest has {count} problems; nothing was imported.",
            len(errors),
        ).format(count=len(errors))
        self.args = ("\n".join([header, *(f"- {e}" for e in errors)]),)


class _Errors:
    """Collects problems item by item, so the user can fix them all in one pass."""

    def __init__(self) -> None:
        self.items: list[ValidationError] = []

    def add(self, err: ValidationError) -> None:
        if len(self.items) < MAX_ERRORS:
            self.items.append(err)

    def raise_if_any(self) -> None:
        if self.items:
            raise ManifestInvalid(self.items)


def load_manifest(path: Path, *, existing: ExistingRefs | None = None, max_bytes: int = MAX_MANIFEST_BYTES) -> Manifest:
    """Read and check the manifest at `path` (.json is JSON; anything else YAML).
    Document files are resolved against the manifest's folder."""
    from clinic_app.intake import IntakeError
    from clinic_app.intake.files import open_regular

    path = Path(path)
    try:
        with open_regular(path) as fh:  # a pipe or link given as the manifest never blocks
            raw = fh.read(max_bytes + 1)
    except IntakeError as exc:  # a link, a pipe, a device: says which
        raise ValidationError(str(exc)) from None
    except OSError:
        raise ValidationError(_("cannot read the manifest {name}").format(name=display_name(path.name))) from None
    if len(raw) > max_bytes:
        raise ValidationError(
            _("the manifest {name} is larger than {limit} MB; split it into several files").format(
                name=display_name(path.name), limit=max_bytes // (1024 * 1024)
            )
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("the manifest {name} is not UTF-8 text").format(name=display_name(path.name))) from None
    fmt = "json" if path.suffix.lower() == ".json" else "yaml"
    return parse_manifest_text(text, base_dir=path.parent, fmt=fmt, existing=existing)


def parse_manifest_text(
    text: str, *, base_dir: Path, fmt: str = "yaml", existing: ExistingRefs | None = None
) -> Manifest:
    """Parse manifest text in `fmt` ("yaml" or "json")."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_MANIFEST_BYTES:
        raise ValidationError(
            _("the manifest is larger than {limit} MB; split it into several files").format(
                limit=MAX_MANIFEST_BYTES // (1024 * 1024)
            )
        )
    data = _load_json(text) if fmt == "json" else _load_yaml(text)
    return parse_manifest_data(data, base_dir=base_dir, existing=existing)


def _load_json(text: str) -> Any:
    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise ValidationError(_("the key {key} appears twice in the same map").format(key=key))
            out[key] = value
        return out

    try:
        return json.loads(text, object_pairs_hook=no_duplicates)
    except json.JSONDecodeError as err:
        raise ValidationError(
            _("not valid JSON (line {line}, column {column}): {problem}").format(
                line=err.lineno, column=err.colno, problem=err.msg
            )
        ) from None
    except RecursionError:
        raise ValidationError(_("the manifest is nested too deeply")) from None


def _load_yaml(text: str) -> Any:
    """yaml.safe_load, after a pass over the node tree (no objects are built) that
    refuses a key given twice in one map: PyYAML would silently keep the last.
    (PyYAML is imported here: only manifests need it, not every process that builds.)"""
    import yaml

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        _refuse_duplicate_keys(node)
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise ValidationError(
            _("not valid YAML (line {line}, column {column}): {problem}").format(
                line=line, column=column, problem=err.problem or err.context or ""
            )
        ) from None
    except yaml.YAMLError:
        raise ValidationError(_("not valid YAML")) from None
    except RecursionError:
        raise ValidationError(_("the manifest is nested too deeply")) from None


def _refuse_duplicate_keys(root: yaml.Node | None) -> None:
    import yaml

    seen: set[int] = set()  # aliases share nodes: visit each once
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys: set[str] = set()
            for key_node, value_node in node.value:
                key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else ""
                if key and key != "<<" and key in keys:
                    raise ValidationError(
                        _("the key {key} appears twice in the same map (line {line})").format(
                            key=key, line=key_node.start_mark.line + 1
                        )
                    )
                keys.add(key)
                stack.extend((key_node, value_node))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def parse_manifest_data(data: object, *, base_dir: Path, existing: ExistingRefs | None = None) -> Manifest:
    """Check already-loaded manifest data (maps, lists, text, dates)."""
    if data is None:
        raise ValidationError(_("the manifest is empty"))
    try:
        top = ItemReader(data, "", TOP_LEVEL_KEYS)
    except ValidationError as err:
        raise ValidationError(message_of(err), field=err.field) from None
    version = top.raw("version")
    if version is not None and (isinstance(version, bool) or version not in SUPPORTED_VERSIONS):
        raise top.error(
            "version", _("this version of Haven reads manifest version 1, not {value}").format(value=str(version))
        )
    errors = _Errors()
    parsed: dict[str, list[Any]] = {}
    parsers: dict[str, Callable[[object, str], Any]] = {
        "clients": lambda d, label: parse_client(d, label),
        "matters": lambda d, label: parse_matter_entry(d, label),
        "documents": lambda d, label: parse_document(d, label, base_dir),
        "letters": lambda d, label: parse_letter(d, label, base_dir),
        "bundles": lambda d, label: parse_bundle(d, label),
    }
    declared: dict[str, str] = {}  # ref -> kind, including items that failed
    for kind, parse in parsers.items():
        parsed[kind] = []
        try:
            raw_items = top.items(kind, LIST_LIMITS[kind])
        except ValidationError as err:
            errors.add(err)
            continue
        for index, raw in enumerate(raw_items):
            label = item_label(kind, index, raw)
            ref = raw.get("ref") if isinstance(raw, dict) else None
            try:
                parsed[kind].append((index, parse(raw, label)))
            except ValidationError as err:
                errors.add(err)
            if isinstance(ref, str) and ref.strip():
                declared.setdefault(ref.strip(), kind)
    check_references(parsed, declared, existing or ExistingRefs(), errors.add)
    errors.raise_if_any()
    documents = tuple(entry for _i, entry in parsed["documents"])
    matters = [entry for _i, entry in parsed["matters"]]
    return Manifest(
        base_dir=base_dir.resolve(),
        clients=tuple(entry for _i, entry in parsed["clients"]),
        matters=tuple(entry.matter for entry in matters),
        documents=documents,
        letters=tuple(entry for _i, entry in parsed["letters"]),
        bundles=tuple(entry for _i, entry in parsed["bundles"]),
        translations=_translation_links(documents),
        exhibits=_exhibit_links(documents),
        correspondence=tuple((entry.ref, entry.correspondence) for entry in matters if entry.correspondence),
    )


def _exhibit_links(documents: tuple[DocumentEntry, ...]) -> tuple[ExhibitLink, ...]:
    positions: dict[str, int] = {}
    out = []
    for d in documents:
        if d.exhibit_of:
            out.append(ExhibitLink(d.exhibit_of, d.ref, positions.setdefault(d.exhibit_of, 0)))
            positions[d.exhibit_of] += 1
    return tuple(out)


def _translation_links(documents: tuple[DocumentEntry, ...]) -> tuple[TranslationLink, ...]:
    declarations = {d.declaration_for: d.ref for d in documents if d.declaration_for}
    return tuple(
        TranslationLink(d.translation_of, d.ref, declarations.get(d.ref)) for d in documents if d.translation_of
    )
