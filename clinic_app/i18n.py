"""Translation of user-visible strings, without Qt.

Catalogs are plain gettext `.po` files under `resources/locale/<lang>/LC_MESSAGES/`
(English is the source language). They are parsed at start-up, so translators edit
one text file and no compiled `.mo` has to be kept in step. Use `_()` for strings
shown now, `N_()` to mark constants translated later, and named placeholders only
(`{name}`), which `tests/test_i18n.py` checks every catalog keeps.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path

DOMAIN = "clinic_app"
SUPPORTED = ("en", "fr")

_catalog: dict[str, str] = {}
_plural_catalog: dict[str, list[str]] = {}
_language = "en"


def locale_dir() -> Path:
    from clinic_app.paths import resources_dir

    return resources_dir() / "locale"


def _unquote(chunk: str) -> str:
    return ast.literal_eval(chunk) if chunk.startswith('"') else ""


def parse_po(text: str) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Parse a .po file into singular and plural maps (fuzzy entries are skipped)."""
    singular: dict[str, str] = {}
    plural: dict[str, list[str]] = {}
    entries: list[dict[str, str]] = []
    entry: dict[str, str] = {}
    key = ""
    fuzzy = False
    for raw in text.splitlines() + [""]:
        line = raw.strip()
        if not line:
            if entry:
                entry["_fuzzy"] = "1" if fuzzy else ""
                entries.append(entry)
            entry, key, fuzzy = {}, "", False
            continue
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            entry[key] = entry.get(key, "") + _unquote(line)
            continue
        key, _sep, rest = line.partition(" ")
        entry[key] = _unquote(rest.strip())
    for e in entries:
        msgid = e.get("msgid", "")
        if not msgid or e.get("_fuzzy"):
            continue
        if "msgid_plural" in e:
            forms = [e[k] for k in sorted(k for k in e if k.startswith("msgstr["))]
            if all(forms):
                plural[msgid] = forms
        elif e.get("msgstr"):
            singular[msgid] = e["msgstr"]
    return singular, plural


def detect_language() -> str:
    """The UI language: HAVEN_LANG, else the usual locale variables, else English."""
    for var in ("HAVEN_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        code = value.split("_")[0].split(".")[0].lower()
        if code in SUPPORTED:
            return code
    return "en"


def set_language(lang: str) -> None:
    """Switch every later `_()` call to `lang` ("en" or "fr")."""
    global _catalog, _plural_catalog, _language
    lang = lang if lang in SUPPORTED else "en"
    _language = lang
    _catalog, _plural_catalog = {}, {}
    if lang == "en":
        return
    po = locale_dir() / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if po.is_file():
        _catalog, _plural_catalog = parse_po(po.read_text(encoding="utf-8"))


def current_language() -> str:
    return _language


def _(message: str) -> str:
    """Translate `message` into the current language."""
    return _catalog.get(message, message)


def N_(message: str) -> str:
    """Mark `message` for translation without translating it yet."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    forms = _plural_catalog.get(singular)
    if forms:
        # French and English: form 0 for n <= 1 (French) or n == 1 (English).
        index = 0 if (n <= 1 if _language == "fr" else n == 1) else 1
        return forms[min(index, len(forms) - 1)]
    return singular if n == 1 else plural


def translate_for(lang: str, message: str) -> str:
    """Translate one message into `lang` without changing the UI language.

    Generated documents follow the matter's language, not the user's.
    """
    if lang == _language:
        return _(message)
    if lang == "en":
        return message
    po = locale_dir() / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.is_file():
        return message
    table = _other_catalogs.get(lang)
    if table is None:
        table = parse_po(po.read_text(encoding="utf-8"))[0]
        _other_catalogs[lang] = table
    return table.get(message, message)


_other_catalogs: dict[str, dict[str, str]] = {}

set_language(detect_language())
