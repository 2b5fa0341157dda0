"""Comparing an incoming case file with the vault, and applying the user's choice.

A conflict is a record whose ref is already in the vault with other content, an
incoming client whose name equals an existing client's under another ref, or a
document ref a bundle of the file names (its project or its service log) that the
file does not hold but the vault does: left as it is, the bundle would reach that
other document.
Nothing is ever overwritten. The user chooses for all conflicts at once:

- "skip": conflicting records are not imported, nor anything that depends on
  them (a skipped client or matter means the whole matter is skipped: attaching
  it to someone else's record would be worse than importing nothing);
- "rename": conflicting records are imported under a new ref (`<ref>-imported`,
  then `-imported-2`...), and every reference inside the case file follows.

Identical records (same ref, same content) are not conflicts: they are reused.
Conflict descriptions name refs only, never a person's name.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from clinic_app.domain.bundle import BundleSpec, BundleSpecError
from clinic_app.domain.bundle_content import rename_parts, sources_of
from clinic_app.i18n import N_, _

KIND_LABELS = {"client": N_("client"), "matter": N_("matter"), "document": N_("document"),
               "letter": N_("support letter"), "bundle": N_("bundle project")}
TABLES = {"client": "clients", "matter": "matters", "document": "documents", "letter": "letters",
          "bundle": "bundles"}


@dataclass(frozen=True)
class Conflict:
    kind: str
    ref: str
    reason: str  # "different", "same_name" or "absent"
    other_ref: str = ""  # the existing client (same_name) or the bundle naming it (absent)

    def describe(self) -> str:
        if self.reason == "absent":
            return _("bundle {bundle} in the case file names document {ref}, which the case file does not hold; "
                     "this vault has another document {ref}").format(bundle=self.other_ref, ref=self.ref)
        if self.reason == "same_name":
            return _("client {ref} in the case file has the same name as client {other} in this vault").format(
                ref=self.ref, other=self.other_ref)
        return _("{kind} {ref} is already in this vault with different content").format(
            kind=_(KIND_LABELS[self.kind]), ref=self.ref)


@dataclass
class Resolution:
    """What to import after the user's choice: refs renamed, records dropped."""

    renamed: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, old) -> new
    dropped: set[tuple[str, str]] = field(default_factory=set)

    def ref(self, kind: str, ref: str | None) -> str | None:
        return None if ref is None else self.renamed.get((kind, ref), ref)

    def keeps(self, kind: str, ref: str | None) -> bool:
        return ref is None or (kind, ref) not in self.dropped

    def renames(self, kind: str) -> dict[str, str]:
        """old ref -> new ref, for one kind of record."""
        return {old: new for (k, old), new in self.renamed.items() if k == kind}


def fold_name(name: str) -> str:
    """Case, accents and spacing folded, so "MARÍA  garcía" equals "Maria Garcia"."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def _new_ref(ref: str, taken: set[str]) -> str:
    n = 1
    while True:
        suffix = "-imported" if n == 1 else f"-imported-{n}"
        candidate = ref[: 64 - len(suffix)] + suffix
        if candidate.casefold() not in taken:
            return candidate
        n += 1


def resolve(payload: dict[str, Any], conflicts: list[Conflict], choice: str,
            taken: dict[str, set[str]]) -> Resolution:
    """Turn the conflicts and the user's choice into renames or drops (see module doc)."""
    res = Resolution()
    if choice == "rename":
        for c in conflicts:
            if c.reason in ("different", "absent"):
                pool = taken[c.kind]
                new = _new_ref(c.ref, pool)
                pool.add(new.casefold())
                res.renamed[(c.kind, c.ref)] = new
        return res
    res.dropped = {(c.kind, c.ref) for c in conflicts}
    if res.dropped & {("client", payload["client"]["ref"]), ("matter", payload["matter"]["ref"])}:
        res.dropped |= {(k, r) for k, r in refs_in(payload)}
        return res
    changed = True
    while changed:  # what depends on a dropped document goes too
        before = len(res.dropped)
        for t in payload["translations"]:
            if not all(res.keeps("document", t.get(k)) for k in ("original_ref", "translation_ref",
                                                                  "declaration_ref")):
                res.dropped.add(("translation", t["translation_ref"]))
        for letter in payload["letters"]:
            if not res.keeps("document", letter.get("document_ref")):
                res.dropped.add(("letter", letter["ref"]))
        for bundle in payload["bundles"]:
            if not all(res.keeps("document", d) for d in bundle_refs(bundle)):
                res.dropped.add(("bundle", bundle["ref"]))
        changed = len(res.dropped) != before
    return res


def refs_in(payload: dict[str, Any]) -> list[tuple[str, str]]:
    out = [("client", payload["client"]["ref"]), ("matter", payload["matter"]["ref"])]
    out += [("document", d["meta"]["ref"]) for d in payload["documents"]]
    out += [("letter", x["ref"]) for x in payload["letters"]]
    out += [("bundle", b["ref"]) for b in payload["bundles"]]
    out += [("translation", t["translation_ref"]) for t in payload["translations"]]
    return out


def bundle_doc_refs(spec: dict[str, Any]) -> list[str]:
    """Document refs a saved bundle project uses (none if the saved spec does not parse)."""
    try:
        return BundleSpec.from_dict(spec).document_ids()
    except BundleSpecError:
        return []


def bundle_refs(bundle: dict[str, Any]) -> set[str]:
    """Every document ref a bundle of the file names: its project, and what its service log froze."""
    refs = set(bundle_doc_refs(bundle["spec"]))
    for entry in bundle.get("served", []):
        snapshot = entry.get("snapshot") if isinstance(entry, dict) else None
        if isinstance(snapshot, dict):
            refs |= set(bundle_doc_refs(snapshot.get("spec") or {})) | set(sources_of(snapshot))
    return refs


def rename_in_spec(spec: dict[str, Any], res: Resolution) -> BundleSpec:
    """The bundle project with renamed document refs."""
    return rename_parts(BundleSpec.from_dict(spec), res.renames("document"))
