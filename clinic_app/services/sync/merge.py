"""Merging a record field by field: the later clock stamp wins, the loser is kept for a person.

A record is `{"fields": {name: [value, stamp, author]}, "deleted": [stamp, author] | None}`.
Each field is a last-writer-wins register: of two versions of a field, the one with the
later stamp is the field. Three versions meet at a pull:

- the **base**: every field as this laptop has received or pushed it (the join of all of them);
- the **outbox**: this laptop's own edits not yet on the server, stamped when captured;
- the **remote** version just pulled.

The new base is the join of base and remote. A field edited here (in the outbox) whose
remote version is newer than the base's was edited elsewhere at the same time: the later
stamp wins on every laptop alike, and when the two values differ the losing one goes to
the conflicts list, so nothing is overwritten silently. A deletion wins over edits (a purge
must reach every laptop); the edits it discards are listed too. The join is commutative,
associative and idempotent, so every laptop ends identical whatever order rows arrive in,
and an old copy of a record (from another scope) never undoes a newer field.
Pure functions: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Record = dict[str, Any]
DELETED_FIELD = "*"  # the conflicts list's name for "the whole record was deleted"


def empty() -> Record:
    return {"fields": {}, "deleted": None}


def values(record: Record) -> dict[str, Any]:
    """The record's fields as the tables hold them (None values are absent fields)."""
    return {k: v[0] for k, v in record["fields"].items() if v[0] is not None}


def _later(a: list[Any] | None, b: list[Any] | None) -> list[Any] | None:
    if a is None:
        return b
    if b is None:
        return a
    return b if b[1] > a[1] else a


def _earliest_deletion(a: list[Any] | None, b: list[Any] | None) -> list[Any] | None:
    if a is None or b is None:
        return a or b
    return a if a[0] <= b[0] else b  # the same record deleted twice: one stamp everywhere


def join(a: Record, b: Record) -> Record:
    """Every field at its latest stamp; deleted if either side was deleted."""
    fields = dict(a["fields"])
    for name, value in b["fields"].items():
        fields[name] = _later(fields.get(name), value)
    deleted = _earliest_deletion(a["deleted"], b["deleted"])
    return {"fields": {} if deleted else fields, "deleted": deleted}


def combine(base: Record, outbox: Record) -> Record:
    """The record as this laptop now has it: the base with its own edits on top."""
    return join(base, {"fields": outbox["fields"], "deleted": outbox["deleted"]})


@dataclass(frozen=True)
class Conflict:
    field: str
    kept: list[Any]  # [value, stamp, author]
    other: list[Any]


@dataclass
class Merged:
    base: Record  # the new base: the join of the old one and the remote version
    table: dict[str, Any] | None  # what the tables must hold; None: delete the record
    outbox: Record  # local edits still to push (fields that won, or a deletion)
    conflicts: list[Conflict] = field(default_factory=list)
    changed: bool = False  # the remote version brought something newer than the base


def capture(base: Record, outbox: Record, current: dict[str, Any] | None, stamp: str, author: str) -> Record:
    """The outbox after comparing the tables (`current`, None when deleted) with base+outbox:
    every field that differs is stamped `stamp` as a new local edit."""
    known = combine(base, outbox)
    out = {"fields": dict(outbox["fields"]), "deleted": outbox["deleted"]}
    if current is None:
        if known["deleted"] is None and known["fields"]:
            out["deleted"] = [stamp, author]
        return out
    have = values(known)
    for name in sorted(set(have) | set(current)):
        if have.get(name) != current.get(name):
            out["fields"][name] = [current.get(name), stamp, author]
    return out


def merge(base: Record, outbox: Record, remote: Record) -> Merged:
    """Merge a pulled `remote` version into this laptop's (see the module docstring)."""
    new_base = join(base, remote)
    changed = new_base != base
    conflicts: list[Conflict] = []
    if new_base["deleted"] is not None:
        if base["deleted"] is None:
            for name, mine in sorted(outbox["fields"].items()):
                conflicts.append(Conflict(name, [None, *new_base["deleted"]], mine))
        return Merged(new_base, None, empty(), conflicts, changed)
    if outbox["deleted"] is not None:
        for name, theirs in sorted(remote["fields"].items()):
            before = base["fields"].get(name)
            if before is None or theirs[1] > before[1]:  # edited elsewhere while deleted here
                conflicts.append(Conflict(name, [None, *outbox["deleted"]], theirs))
        return Merged(new_base, None, outbox, conflicts, changed)
    kept: dict[str, Any] = {}
    for name, mine in sorted(outbox["fields"].items()):
        before, now = base["fields"].get(name), new_base["fields"].get(name)
        if now == before:  # nothing newer arrived for this field: only this laptop changed it
            kept[name] = mine
            continue
        assert now is not None
        if mine[1] > now[1]:
            kept[name] = mine
            if mine[0] != now[0]:
                conflicts.append(Conflict(name, mine, now))
        elif mine[0] != now[0]:
            conflicts.append(Conflict(name, now, mine))
    table = values(new_base)
    table.update({k: v[0] for k, v in kept.items() if v[0] is not None})
    for name, value in kept.items():
        if value[0] is None:
            table.pop(name, None)
    return Merged(new_base, table, {"fields": kept, "deleted": None}, conflicts, changed)
