"""Keeping translations complete: extract every translatable string, update catalogs.

`python -m clinic_app.i18n_tools check` lists strings missing from a catalog (and entries
whose placeholders differ from the English, or that appear twice), exiting 1 if any;
`python -m clinic_app.i18n_tools update` writes `resources/locale/clinic_app.pot` and merges
it into each language's `clinic_app.po`: existing translations, translator comments and the
catalog's opening comment are kept, new strings are added untranslated, every entry appears
once, in the order of the .pot (by source file, then line), and strings no longer used are
kept at the end as obsolete (`#~`) entries, revived if the string comes back. Translators
only ever edit one text file per language.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from clinic_app.i18n import SUPPORTED, locale_dir, parse_po

PACKAGE = Path(__file__).resolve().parent
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
POSITIONAL = re.compile(r"\{\}|\{\d+\}|%(?:\(\w+\))?[-#0+]*\d*(?:\.\d+)?[sdifrx]")
_STRFTIME = re.compile(r"%[YymBbAaHIMSpjeU]")  # a date format such as %Y-%m-%d: its %d is a day


def positional(text: str) -> bool:
    """Whether `text` uses a positional "{}" / "{0}" or a printf "%s" placeholder (named only here)."""
    if _STRFTIME.search(text):
        text = re.sub(r"%[a-zA-Z%]", "", text)
    return bool(POSITIONAL.search(text))
_SINGLE = {"_": 0, "N_": 0, "translate_for": 1}
PLURAL_FORMS = {"fr": "nplurals=2; plural=(n > 1);"}
LANGUAGE_NAMES = {"fr": "French"}


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def extract_file(path: Path) -> Iterator[tuple[str, str | None, int]]:
    """(msgid, msgid_plural or None, line) for every translatable literal in one file, by line."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, int, str, str | None]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name in _SINGLE and len(node.args) > _SINGLE[name]:
            text = _literal(node.args[_SINGLE[name]])
            if text:
                found.append((node.lineno, node.col_offset, text, None))
        elif name == "ngettext" and len(node.args) >= 2:
            one, many = _literal(node.args[0]), _literal(node.args[1])
            if one and many:
                found.append((node.lineno, node.col_offset, one, many))
    for line, _col, text, plural in sorted(found, key=lambda f: (f[0], f[1])):
        yield text, plural, line


def extract(package: Path | None = None) -> dict[str, tuple[str | None, list[str]]]:
    """msgid -> (plural, source locations), over the whole package, ordered by file then line."""
    package = package or PACKAGE
    found: dict[str, tuple[str | None, list[str]]] = {}
    for path in sorted(package.rglob("*.py"), key=lambda p: p.relative_to(package.parent).as_posix()):
        rel = path.relative_to(package.parent).as_posix()
        for msgid, plural, line in extract_file(path):
            entry = found.setdefault(msgid, (plural, []))
            if plural and not entry[0]:  # used both as _() and ngettext(): keep the plural form
                found[msgid] = entry = (plural, entry[1])
            entry[1].append(f"{rel}:{line}")
    return found


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def catalog_path(lang: str) -> Path:
    return locale_dir() / lang / "LC_MESSAGES" / "clinic_app.po"


# --- reading and writing .po files ------------------------------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def po_unquote(chunk: str) -> str:
    """The text of one quoted PO string ("..."), with its escapes resolved."""
    chunk = chunk.strip()
    if len(chunk) < 2 or not (chunk.startswith('"') and chunk.endswith('"')):
        raise ValueError(f"not a quoted PO string: {chunk!r}")
    body, out, i = chunk[1:-1], [], 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
                i += 2
                continue
            octal = re.match(r"[0-7]{1,3}", body[i + 1:])
            if octal:
                out.append(chr(int(octal.group(0), 8)))
                i += 1 + len(octal.group(0))
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def _po_quote(text: str) -> str:
    return '"' + (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
                  .replace("\t", "\\t").replace("\r", "\\r")) + '"'


def _po_field(keyword: str, text: str) -> list[str]:
    """`keyword "text"`, split after each newline the way msgmerge does for multi-line strings."""
    if "\n" not in text[:-1]:
        return [f"{keyword} {_po_quote(text)}"]
    pieces = text.splitlines(keepends=True)
    return [f'{keyword} ""'] + [_po_quote(p) for p in pieces]


@dataclass
class Entry:
    msgid: str
    msgstr: str = ""
    plural: str | None = None
    forms: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)  # translator ("# ") and extracted ("#.") comments
    flags: list[str] = field(default_factory=list)
    context: str | None = None
    obsolete: bool = False

    @property
    def translated(self) -> bool:
        if "fuzzy" in self.flags:
            return False
        return bool(self.forms) and all(self.forms) if self.plural else bool(self.msgstr)

    def texts(self) -> list[str]:
        return list(self.forms) if self.plural else [self.msgstr]

    def render(self, nplurals: int = 2) -> str:
        lines = list(self.comments)
        if self.locations and not self.obsolete:
            lines.append(f"#: {' '.join(self.locations)}")
        if self.flags:
            lines.append("#, " + ", ".join(self.flags))
        body: list[str] = []
        if self.context is not None:
            body += _po_field("msgctxt", self.context)
        body += _po_field("msgid", self.msgid)
        if self.plural is not None:
            body += _po_field("msgid_plural", self.plural)
            forms = self.forms + [""] * (nplurals - len(self.forms))
            for i, form in enumerate(forms):
                body += _po_field(f"msgstr[{i}]", form)
        else:
            body += _po_field("msgstr", self.msgstr)
        lines += [("#~ " + b) if self.obsolete else b for b in body]
        return "\n".join(lines) + "\n"


@dataclass
class Catalog:
    preamble: list[str] = field(default_factory=list)  # comment lines before the header entry
    header: dict[str, str] = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)

    def plural_count(self) -> int:
        found = re.search(r"nplurals\s*=\s*(\d+)", self.header.get("Plural-Forms", ""))
        return int(found.group(1)) if found else 2

    def render(self) -> str:
        out = "\n".join(self.preamble) + "\n" if self.preamble else ""
        out += 'msgid ""\nmsgstr ""\n' + "".join(_po_quote(f"{k}: {v}\n") + "\n" for k, v in self.header.items())
        n = self.plural_count()
        return out + "".join("\n" + e.render(n) for e in self.entries)


def read_catalog(text: str) -> Catalog:
    """Parse a .po/.pot file, keeping comments, flags, references and obsolete entries."""
    catalog = Catalog()
    blocks: list[list[str]] = [[]]
    for raw in text.splitlines():
        if raw.strip():
            blocks[-1].append(raw.strip())
        elif blocks[-1]:
            blocks.append([])
    seen_header = False
    for block in blocks:
        if not block:
            continue
        entry = Entry(msgid="")
        fields: dict[str, str] = {}
        key = ""
        has_msgid = False
        for line in block:
            obsolete = line.startswith("#~")
            if obsolete:
                entry.obsolete = True
                line = line[2:].strip()
                if line.startswith("|") or not line:
                    continue
            if line.startswith("#:"):
                entry.locations += line[2:].split()
            elif line.startswith("#,"):
                entry.flags += [f.strip() for f in line[2:].split(",") if f.strip()]
            elif line.startswith("#|"):
                continue  # previous msgid: msgmerge's hint, not kept
            elif line.startswith("#"):
                entry.comments.append(line)
            elif line.startswith('"'):
                fields[key] = fields.get(key, "") + po_unquote(line)
            else:
                key, _sep, rest = line.partition(" ")
                fields[key] = po_unquote(rest) if rest.strip() else ""
                has_msgid = has_msgid or key == "msgid"
        if not has_msgid:  # a block of comments only: the catalog's opening comment
            if not seen_header and not catalog.entries:
                catalog.preamble += block
            continue
        entry.msgid = fields.get("msgid", "")
        entry.context = fields.get("msgctxt")
        if entry.msgid == "" and entry.context is None and not seen_header and not entry.obsolete:
            seen_header = True
            catalog.preamble += entry.comments
            for row in fields.get("msgstr", "").split("\n"):
                name, sep, value = row.partition(":")
                if sep:
                    catalog.header[name.strip()] = value.strip()
            continue
        if "msgid_plural" in fields:
            entry.plural = fields["msgid_plural"]
            entry.forms = [fields[k] for k in sorted((k for k in fields if k.startswith("msgstr[")),
                                                     key=lambda k: int(k[7:-1]))]
        else:
            entry.msgstr = fields.get("msgstr", "")
        catalog.entries.append(entry)
    return catalog


def _header(lang: str | None) -> dict[str, str]:
    header = {"Project-Id-Version": "Haven"}
    if lang:
        header["Language-Team"] = LANGUAGE_NAMES.get(lang, lang)
        header["Language"] = lang
    header.update({"MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8",
                   "Content-Transfer-Encoding": "8bit",
                   "Plural-Forms": PLURAL_FORMS.get(lang or "", "nplurals=INTEGER; plural=EXPRESSION;")})
    return header


def _flags(msgid: str, plural: str | None) -> list[str]:
    return ["python-brace-format"] if placeholders(msgid) or (plural and placeholders(plural)) else []


def merge(catalog: Catalog, strings: dict[str, tuple[str | None, list[str]]], lang: str) -> tuple[Catalog, int]:
    """`catalog` brought in line with the extracted `strings`; returns it and the count of new entries."""
    known: dict[str, Entry] = {}
    for entry in catalog.entries:
        if entry.context is not None:
            continue
        previous = known.get(entry.msgid)
        # never keep two entries for one msgid: prefer the active, translated one
        if previous is None or (previous.obsolete and not entry.obsolete) or \
                (not previous.translated and entry.translated and previous.obsolete == entry.obsolete):
            known[entry.msgid] = entry
    header = dict(catalog.header)
    for name, value in _header(lang).items():
        if name == "Plural-Forms" or name not in header:
            header[name] = value
    out = Catalog(preamble=list(catalog.preamble), header=header)
    nplurals = out.plural_count()
    added = 0
    for msgid, (plural, locations) in strings.items():
        old = known.pop(msgid, None)
        entry = Entry(msgid=msgid, plural=plural, locations=list(locations), flags=_flags(msgid, plural))
        if old is None:
            added += 1
            entry.forms = [""] * nplurals if plural else []
        else:
            entry.comments = [c for c in old.comments if not c.startswith("#.")]
            fuzzy = "fuzzy" in old.flags
            if plural and old.plural is None:  # became plural: keep the old text as a hint
                entry.forms, fuzzy = [old.msgstr] * nplurals, fuzzy or bool(old.msgstr)
            elif not plural and old.plural is not None:
                entry.msgstr, fuzzy = (old.forms[0] if old.forms else ""), fuzzy or any(old.forms)
            elif plural:
                entry.forms = (old.forms + [""] * nplurals)[:nplurals]
                fuzzy = fuzzy or (old.plural != plural and any(old.forms))
            else:
                entry.msgstr = old.msgstr
            if fuzzy:
                entry.flags = ["fuzzy"] + entry.flags
        out.entries.append(entry)
    for old in catalog.entries:  # no longer in the code: kept, obsolete, if worth keeping
        if old.context is None and known.get(old.msgid) is old and any(old.texts()):
            old.obsolete, old.locations = True, []
            out.entries.append(old)
        elif old.context is not None:
            out.entries.append(old)
    return out, added


def write_template(strings: dict[str, tuple[str | None, list[str]]]) -> Path:
    pot = Catalog(header=_header(None))
    pot.entries = [Entry(msgid=m, plural=pl, forms=["", ""] if pl else [], locations=list(locs),
                         flags=_flags(m, pl)) for m, (pl, locs) in strings.items()]
    path = locale_dir() / "clinic_app.pot"
    path.write_text(pot.render(), encoding="utf-8")
    return path


def update() -> None:
    strings = extract()
    write_template(strings)
    for lang in SUPPORTED:
        if lang == "en":
            continue
        path = catalog_path(lang)
        old = read_catalog(path.read_text(encoding="utf-8")) if path.is_file() else Catalog()
        new, added = merge(old, strings, lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(new.render(), encoding="utf-8")
        untranslated = sum(1 for e in new.entries if not e.obsolete and not e.translated)
        print(f"{lang}: {added} new entries, {untranslated} untranslated in {path}")


# --- checking ----------------------------------------------------------------------------------------

def missing(lang: str) -> list[str]:
    """Extracted msgids with no usable translation in `lang` (absent, empty or fuzzy)."""
    path = catalog_path(lang)
    singular, plural = parse_po(path.read_text(encoding="utf-8")) if path.is_file() else ({}, {})
    return [m for m, (pl, _locs) in extract().items() if (m not in plural if pl else m not in singular)]


def problems(lang: str) -> list[str]:
    """Translated entries that would misbehave: placeholders changed, or a msgid listed twice."""
    path = catalog_path(lang)
    if not path.is_file():
        return []
    found: list[str] = []
    seen: set[str] = set()
    for entry in read_catalog(path.read_text(encoding="utf-8")).entries:
        if entry.obsolete or entry.context is not None:
            continue
        if entry.msgid in seen:
            found.append(f"listed twice: {entry.msgid!r}")
        seen.add(entry.msgid)
        wanted = placeholders(entry.msgid) | (placeholders(entry.plural) if entry.plural else set())
        for text in entry.texts():
            if text and placeholders(text) != wanted:
                found.append(f"placeholders differ: {entry.msgid!r} -> {text!r}")
    return found


def main(argv: list[str]) -> int:
    if argv[:1] == ["update"]:
        update()
        return 0
    if argv[:1] not in ([], ["check"]):
        print("usage: python -m clinic_app.i18n_tools [check|update]", file=sys.stderr)
        return 2
    bad = 0
    strings = extract()
    for lang in SUPPORTED:
        if lang == "en":
            continue
        todo = missing(lang)
        trouble = problems(lang)
        bad += len(todo) + len(trouble)
        print(f"{lang}: {len(strings)} strings, {len(todo)} untranslated, {len(trouble)} problems")
        for msgid in todo:
            print(f"  untranslated: {strings[msgid][1][0]} {msgid!r}")
        for line in trouble:
            print(f"  {line}")
    flagged = [m for m, (pl, _locs) in strings.items() if positional(m) or (pl and positional(pl))]
    for msgid in flagged:
        print(f"positional placeholder (use {{name}}): {strings[msgid][1][0]} {msgid!r}")
    return 1 if bad or flagged else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
