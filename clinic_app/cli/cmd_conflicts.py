"""conflicts NAME...: who in the vault has a name like these (exit 1 when anyone does)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from typing import TextIO

from clinic_app.cli.context import CliContext
from clinic_app.cli.output import emit_json
from clinic_app.domain.display import display_name
from clinic_app.errors import ExitCode
from clinic_app.i18n import _
from clinic_app.services import conflict_check
from clinic_app.services.conflict_check import ConflictsFound, NameConflict


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("conflicts", parents=[common],
                       help=_("conflict check: clients, aliases, relatives and adverse parties whose names "
                              "resemble these (exit code 1 when there are any)"))
    p.add_argument("names", nargs="+", metavar="NAME", help=_("a person's or an organisation's name"))
    p.add_argument("--json", action="store_true", help=_("print as JSON"))
    p.set_defaults(func=cmd_conflicts)


def conflict_rows(found: Iterable[NameConflict]) -> list[dict[str, object]]:
    return [{"name": c.name, "record": c.record_ref, "similar": m.person.name, "kind": m.person.kind.value,
             "client": m.person.client_ref, "matter": m.person.matter_ref, "score": m.score,
             "reason": m.reason.value} for c in found for m in c.matches]


def print_conflicts(found: Iterable[NameConflict], out: TextIO | None = None) -> None:
    """One block per checked name: each similar name, whose it is, and why it matched."""
    for c in found:
        name = display_name(c.name)
        head = _("{name} (on {record})").format(name=name, record=c.record_ref) if c.record_ref else name
        print(_("Names like {name}:").format(name=head) if c.matches else
              _("No names like {name}.").format(name=head), file=out)
        for m in c.matches:
            print(f"  {display_name(m.person.name)}  —  {m.whose()}; {m.reason.label} ({m.score:.2f})", file=out)


def refused_import(exc: ConflictsFound, as_json: bool, key: str = "conflicts") -> int:
    """An import the conflict check stopped: the matches (or JSON under `key`), why nothing
    was written and how to import anyway. Exit code 1."""
    if as_json:
        emit_json({"imported": False, key: conflict_rows(exc.conflicts)})
    else:
        print_conflicts(exc.conflicts)
    print(f"clinic-app: {exc}", file=sys.stderr)
    print(_("Check each match; to import anyway, run the same command with --accept-conflicts."), file=sys.stderr)
    return ExitCode.FAILED


def cmd_conflicts(ctx: CliContext) -> int:
    with ctx.unlock() as session:
        found = conflict_check.search(session, ctx.args.names)
    if ctx.args.json:
        emit_json({"matches": conflict_rows(found)})
    else:
        print_conflicts(found)
    return ExitCode.FAILED if any(c.matches for c in found) else ExitCode.OK
