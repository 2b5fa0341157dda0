"""The French catalog part covers every message of the package modules, keeps their
placeholders, repeats no message owned by another part, and carries no stale entry."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from clinic_app.i18n import parse_po

REPO = Path(__file__).resolve().parents[2]
LOCALE = REPO / "resources/locale/fr/LC_MESSAGES"
MODULES = sorted((REPO / "clinic_app/domain/packages").glob("*.py")) + sorted(
    (REPO / "clinic_app/pdf/generated").glob("*.py")) + [
    REPO / "clinic_app/services" / name for name in (
        "packages.py", "package_records.py", "package_build.py", "deadlines.py", "letters_workflow.py")] + [
    REPO / "clinic_app/cli/cmd_packages.py"]


def _used() -> set[str]:
    used: set[str] = set()
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                    node.func.id in {"_", "N_", "ngettext"} and node.args and isinstance(node.args[0], ast.Constant):
                used.add(node.args[0].value)
    return used


def _part(name: str) -> tuple[dict[str, str], dict[str, list[str]]]:
    return parse_po((LOCALE / name).read_text(encoding="utf-8"))


def test_every_message_has_a_french_translation_with_the_same_placeholders() -> None:
    used = _used()
    assert len(used) > 300
    known: set[str] = set()
    for path in LOCALE.glob("*.po.part"):
        single, plural = parse_po(path.read_text(encoding="utf-8"))
        known |= set(single) | set(plural)
    assert sorted(used - known) == []
    single, plural = _part("packages.po.part")
    for msgid, text in list(single.items()) + [(k, v) for k, forms in plural.items() for v in forms]:
        assert set(re.findall(r"\{(\w+)\}", msgid)) == set(re.findall(r"\{(\w+)\}", text)), msgid
        assert text != msgid or msgid in {"Photos", "Affidavits", "Introduction", "Conclusion", "Source", "Original",
                                          "Client"}, msgid


def test_the_part_merges_cleanly_and_has_no_stale_entry() -> None:
    """A message also in another part must read the same there, so merging is trivial."""
    single, plural = _part("packages.po.part")
    for other in LOCALE.glob("*.po.part"):
        if other.name != "packages.po.part":
            theirs = parse_po(other.read_text(encoding="utf-8"))[0]
            clashes = {m: (single[m], theirs[m]) for m in set(single) & set(theirs) if single[m] != theirs[m]}
            assert clashes == {}, other.name
    assert (set(single) | set(plural)) - _used() == set()
