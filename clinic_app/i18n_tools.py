"""Keeping translations complete: extract every translatable string, update catalogs.

`python -m clinic_app.i18n_tools check` lists strings missing from a catalog;
`python -m clinic_app.i18n_tools update` writes `resources/locale/clinic_app.pot`
and appends untranslated entries to each language's `clinic_app.po`, so
translators only ever edit one text file per language.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from clinic_app.i18n import SUPPORTED, locale_dir, parse_po

PACKAGE = Path(__file__).resolve().parent
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_SINGLE = {"_": 0, "N_": 0, "translate_for": 1}


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def extract_file(path: Path) -> Iterator[tuple[str, str | None, int]]:
    """(msgid, msgid_plural or None, line) for every translatable literal in one file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name in _SINGLE and len(node.args) > _SINGLE[name]:
            text = _literal(node.args[_SINGLE[name]])
            if text:
                yield text, None, node.lineno
        elif name == "ngettext" and len(node.args) >= 2:
            one, many = _literal(node.args[0]), _literal(node.args[1])
            if one and many:
                yield one, many, node.lineno


def extract(package: Path = PACKAGE) -> dict[str, tuple[str | None, list[str]]]:
    """msgid -> (plural, source locations), over the whole package."""
    found: dict[str, tuple[str | None, list[str]]] = {}
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package.parent).as_posix()
        for msgid, plural, line in extract_file(path):
            entry = found.setdefault(msgid, (plural, []))
            entry[1].append(f"{rel}:{line}")
    return found


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def catalog_path(lang: str) -> Path:
    return locale_dir() / lang / "LC_MESSAGES" / "clinic_app.po"


def missing(lang: str) -> list[str]:
    singular, plural = parse_po(catalog_path(lang).read_text(encoding="utf-8")) if catalog_path(lang).is_file() \
        else ({}, {})
    return [m for m, (pl, _locs) in extract().items() if (m not in plural if pl else m not in singular)]


def _po_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _entry(msgid: str, plural: str | None, locations: list[str], msgstr: str = "") -> str:
    lines = [f"#: {' '.join(locations[:3])}", f"msgid {_po_quote(msgid)}"]
    if plural:
        lines += [f"msgid_plural {_po_quote(plural)}", 'msgstr[0] ""', 'msgstr[1] ""']
    else:
        lines.append(f"msgstr {_po_quote(msgstr)}")
    return "\n".join(lines) + "\n"


def update() -> None:
    strings = extract()
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    pot = locale_dir() / "clinic_app.pot"
    pot.write_text(header + "\n".join(_entry(m, pl, locs) for m, (pl, locs) in strings.items()), encoding="utf-8")
    for lang in SUPPORTED:
        if lang == "en":
            continue
        path = catalog_path(lang)
        todo = missing(lang)
        if todo:
            with path.open("a", encoding="utf-8") as fh:
                for msgid in todo:
                    plural, locs = strings[msgid]
                    fh.write("\n" + _entry(msgid, plural, locs))
        print(f"{lang}: {len(todo)} new untranslated entries appended to {path}")


def main(argv: list[str]) -> int:
    if argv[:1] == ["update"]:
        update()
        return 0
    bad = 0
    for lang in SUPPORTED:
        if lang != "en":
            todo = missing(lang)
            bad += len(todo)
            print(f"{lang}: {len(todo)} untranslated")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
