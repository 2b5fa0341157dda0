"""Keeping translations complete, with Babel: extract, update, check, compile.

    python -m clinic_app.i18n_tools update    # extract the strings, merge them into each .po
    python -m clinic_app.i18n_tools check     # every string translated, placeholders intact
    python -m clinic_app.i18n_tools compile   # the .mo files (packaging does this)

Thin wrappers over Babel's API, configured by `babel.cfg` (which files) and `KEYWORDS`
(which calls), the same as these `pybabel` commands:

    pybabel extract -F babel.cfg --no-default-keywords -k _ -k N_ -k ngettext:1,2 \\
        -k translate_for:2 --sort-by-file --no-wrap -o resources/locale/clinic_app.pot .
    pybabel update -i resources/locale/clinic_app.pot -d resources/locale -D clinic_app \\
        -l fr --no-fuzzy-matching --no-wrap --ignore-pot-creation-date
    pybabel compile -d resources/locale -D clinic_app

`update` writes `resources/locale/clinic_app.pot` and merges it into each language's
`clinic_app.po`: translations and translator comments are kept, new strings are added
untranslated, entries follow the source files in order, and strings no longer used stay
at the end as obsolete (`#~`) entries, revived with their translation if the string
comes back. Translators only ever edit the `.po` file.
"""

from __future__ import annotations

import re
import string
import sys
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from clinic_app import __version__
from clinic_app.i18n import DOMAIN, SUPPORTED, catalog_path, compile_catalog, locale_dir, write_compiled

PACKAGE = Path(__file__).resolve().parent
MAPPING = PACKAGE.parent / "babel.cfg"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "translate_for": (2,)}
# gettext's usual French rule (one form for 0 and 1): Haven counts documents, not millions,
# so CLDR's third French form (for 1,000,000) is not used.
PLURAL_FORMS = {"fr": "nplurals=2; plural=(n > 1);"}
POSITIONAL = re.compile(r"\{\}|\{\d+\}|%(?:\(\w+\))?[-#0+]*\d*(?:\.\d+)?[sdifrx]")
_STRFTIME = re.compile(r"%[YymBbAaHIMSpjeU]")  # a date format such as %Y-%m-%d: its %d is a day


def positional(text: str) -> bool:
    """Whether `text` uses a positional "{}" / "{0}" or a printf "%s" placeholder (named only here)."""
    if _STRFTIME.search(text):
        text = re.sub(r"%[a-zA-Z%]", "", text)
    return bool(POSITIONAL.search(text))


def placeholders(text: str) -> set[str]:
    """The `{name}` fields of a format string (by the standard library's own parser)."""
    try:
        return {field for _lit, field, _spec, _conv in string.Formatter().parse(text) if field}
    except ValueError:
        return {"<unbalanced braces>"}


def extract() -> Catalog:
    """Every translatable string of the package, as Babel's template catalog."""
    with MAPPING.open(encoding="utf-8") as mapping:
        method_map, options_map = parse_mapping_cfg(mapping)
    template = Catalog(project="Haven", version=__version__, domain=DOMAIN, charset="utf-8", fuzzy=False)
    for filename, line, message, comments, context in extract_from_dir(
        str(PACKAGE.parent), method_map, options_map, keywords=KEYWORDS, comment_tags=(),
        strip_comment_tags=True,
    ):
        template.add(message, None, [(Path(filename).as_posix(), line)], auto_comments=comments,
                     context=context)
    for message in template:
        message.locations = sorted(set(message.locations))
    return template


def read_catalog(lang: str) -> Catalog:
    """`lang`'s catalog as Babel reads it (an empty one with its plural rule if absent)."""
    path = catalog_path(lang)
    if path.is_file():
        with path.open("rb") as handle:
            return read_po(handle, locale=lang, domain=DOMAIN)
    catalog = Catalog(locale=lang, domain=DOMAIN, project="Haven", version=__version__, charset="utf-8",
                      fuzzy=False)
    if lang in PLURAL_FORMS:
        catalog.mime_headers = [("Plural-Forms", PLURAL_FORMS[lang])]
    return catalog


def _write(path: Path, catalog: Catalog) -> None:
    with path.open("wb") as out:
        write_po(out, catalog, width=0, sort_by_file=True, include_previous=False)


def update() -> None:
    template = extract()
    pot = locale_dir() / f"{DOMAIN}.pot"
    pot.parent.mkdir(parents=True, exist_ok=True)
    try:  # keep the template's date: it would change nothing but the diff
        with pot.open("rb") as handle:
            template.creation_date = read_po(handle).creation_date
    except (OSError, ValueError):
        pass
    _write(pot, template)
    for lang in SUPPORTED:
        if lang == "en":
            continue
        catalog = read_catalog(lang)
        for message in template:  # a string that came back takes its old translation back
            old = catalog.obsolete.pop(message.id, None)
            if old is not None and message.id not in catalog:
                catalog[message.id] = old
        catalog.project, catalog.version = template.project, template.version
        before = {m.id for m in catalog if m.id}
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False,
                       update_creation_date=False)
        for msgid, old in list(catalog.obsolete.items()):
            if not _has_text(old):  # nothing translated: not worth keeping
                del catalog.obsolete[msgid]
        path = catalog_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        _write(path, catalog)
        added = sum(1 for m in catalog if m.id and m.id not in before)
        untranslated = sum(1 for m in catalog if m.id and not translated(m))
        print(f"{lang}: {added} new entries, {untranslated} untranslated in {path}")


def compile_all() -> list[Path]:
    """Write every language's `.mo` (what the packaging scripts ship)."""
    return [write_compiled(lang, compile_catalog(lang)) for lang in SUPPORTED
            if lang != "en" and catalog_path(lang).is_file()]


# --- checking ----------------------------------------------------------------------------------------

def texts(message: Message) -> list[str]:
    """The translation's forms (one for a singular entry), empty strings where missing."""
    forms = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return [f or "" for f in forms]


def _has_text(message: Message) -> bool:
    return any(texts(message))


def translated(message: Message | None) -> bool:
    """Usable at run time: present, not fuzzy, every form filled in."""
    return message is not None and not message.fuzzy and all(t.strip() for t in texts(message))


def ids(message: Message) -> list[str]:
    return list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]


def missing(lang: str, template: Catalog | None = None) -> list[Message]:
    """Extracted strings with no usable translation in `lang` (absent, empty, fuzzy, or of
    the wrong kind: singular where the code counts, or the reverse)."""
    catalog = read_catalog(lang)
    out = []
    for message in template or extract():
        if not message.id:
            continue
        found = catalog.get(message.id if isinstance(message.id, str) else message.id[0])
        if not translated(found) or message.pluralizable != found.pluralizable:
            out.append(message)
    return out


def problems(lang: str) -> list[str]:
    """Translated entries that would misbehave: placeholders not the same as the English's."""
    found: list[str] = []
    for message in read_catalog(lang):
        if not message.id:
            continue
        wanted = set().union(*(placeholders(t) for t in ids(message)))
        for text in texts(message):
            if text and placeholders(text) != wanted:
                found.append(f"placeholders differ: {ids(message)[0]!r} -> {text!r}")
    return found


def _where(message: Message) -> str:
    return f"{message.locations[0][0]}:{message.locations[0][1]}" if message.locations else "?"


def main(argv: list[str]) -> int:
    if argv[:1] == ["update"]:
        update()
        return 0
    if argv[:1] == ["compile"]:
        for path in compile_all():
            print(f"compiled {path}")
        return 0
    if argv[:1] not in ([], ["check"]):
        print("usage: python -m clinic_app.i18n_tools [check|update|compile]", file=sys.stderr)
        return 2
    bad = 0
    template = extract()
    for lang in SUPPORTED:
        if lang == "en":
            continue
        todo = missing(lang, template)
        trouble = problems(lang)
        bad += len(todo) + len(trouble)
        print(f"{lang}: {len(template)} strings, {len(todo)} untranslated, {len(trouble)} problems")
        for message in todo:
            print(f"  untranslated: {_where(message)} {ids(message)[0]!r}")
        for line in trouble:
            print(f"  {line}")
    flagged = [m for m in template if any(positional(t) for t in ids(m))]
    for message in flagged:
        print(f"positional placeholder (use {{name}}): {_where(message)} {ids(message)[0]!r}")
    return 1 if bad or flagged else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
