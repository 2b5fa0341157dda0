"""Translation of user-visible strings, without Qt: gettext catalogs kept with Babel.

Translators edit one text file per language, `resources/locale/<lang>/LC_MESSAGES/
clinic_app.po` (English is the source language; `python -m clinic_app.i18n_tools` keeps
it in step with the code through Babel). Haven reads the compiled `clinic_app.mo` beside
it with the standard library's `gettext`, plural rules included. The `.mo` is a build
product, never committed: the packaging scripts compile it (`i18n_tools compile`), and
when it is missing or older than the `.po` (a fresh checkout, a translator's edit) the
first process to need it compiles it with Babel and writes it beside the `.po` if that
folder is writable, else uses it from memory. So `pip install -e .` needs no build step
and a hand-edited `.po` shows at the next start.

Use `_()` for strings shown now, `N_()` to mark constants translated later, `ngettext()`
for counts, and named placeholders only (`{name}`), which `tests/test_i18n.py` checks
every catalog keeps.
"""

from __future__ import annotations

import gettext
import io
import os
import sys
import tempfile
from pathlib import Path

DOMAIN = "clinic_app"
SUPPORTED = ("en", "fr")

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"
_others: dict[str, gettext.NullTranslations] = {}


def locale_dir() -> Path:
    from clinic_app.paths import resources_dir

    return resources_dir() / "locale"


def catalog_path(lang: str) -> Path:
    """The `.po` file translators edit."""
    return locale_dir() / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def compiled_path(lang: str) -> Path:
    """The `.mo` file gettext reads."""
    return catalog_path(lang).with_suffix(".mo")


def compile_catalog(lang: str) -> bytes:
    """The `.mo` bytes of `lang`'s `.po`, by Babel (fuzzy entries left out)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with catalog_path(lang).open("rb") as po:
        catalog = read_po(po, locale=lang, domain=DOMAIN)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def write_compiled(lang: str, data: bytes) -> Path:
    """Put `data` in place as `lang`'s `.mo`, whole or not at all (raises OSError)."""
    target = compiled_path(lang)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".mo-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def _load(lang: str) -> gettext.NullTranslations:
    """`lang`'s translations: the `.mo` when it is up to date, else compiled now."""
    if lang == "en":
        return gettext.NullTranslations()
    po, mo = catalog_path(lang), compiled_path(lang)
    try:
        if getattr(sys, "frozen", False):  # a packaged build: compiled when it was made
            fresh = mo.is_file()
        else:
            fresh = mo.stat().st_mtime >= po.stat().st_mtime if po.is_file() else mo.is_file()
    except OSError:
        fresh = False
    if fresh:
        with mo.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    if not po.is_file():
        return gettext.NullTranslations()
    try:
        data = compile_catalog(lang)
    except ImportError:  # no Babel (a packaged build without its .mo): English
        return gettext.NullTranslations()
    try:
        write_compiled(lang, data)
    except OSError:
        pass  # a read-only install: use it from memory
    return gettext.GNUTranslations(io.BytesIO(data))


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
    global _translations, _language
    lang = lang if lang in SUPPORTED else "en"
    _language = lang
    _translations = _catalog_for(lang)


def _catalog_for(lang: str) -> gettext.NullTranslations:
    found = _others.get(lang)
    if found is None:
        found = _others[lang] = _load(lang)
    return found


def reload() -> None:
    """Read the catalogs again (after `i18n_tools update` or a translator's edit)."""
    _others.clear()
    set_language(_language)


def current_language() -> str:
    return _language


def _(message: str) -> str:
    """Translate `message` into the current language."""
    return _translations.gettext(message)


def N_(message: str) -> str:
    """Mark `message` for translation without translating it yet."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a count's message for `n`, by the language's plural rule."""
    return _translations.ngettext(singular, plural, n)


def translate_for(lang: str, message: str) -> str:
    """Translate one message into `lang` without changing the UI language.

    Generated documents follow the matter's language, not the user's.
    """
    if lang not in SUPPORTED or lang == "en":
        return message
    return _catalog_for(lang).gettext(message)


set_language(detect_language())
