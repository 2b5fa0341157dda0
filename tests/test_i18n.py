"""The French catalog is complete and safe to use, language switching works, and the catalog
tools (`python -m clinic_app.i18n_tools check|update|compile`, thin wrappers over Babel) keep
it that way. Every check reads the catalog through Babel's own objects."""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from clinic_app import i18n
from clinic_app import i18n_tools as tools
from clinic_app.i18n import _, current_language, ngettext, set_language, translate_for

REPO = Path(__file__).resolve().parent.parent
CATALOG = REPO / "resources" / "locale" / "fr" / "LC_MESSAGES" / "clinic_app.po"


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    """Whatever a test switches to, every other test starts (and ends) in English."""
    set_language("en")
    try:
        yield
    finally:
        set_language("en")


@pytest.fixture(scope="module")
def strings() -> Catalog:
    return tools.extract()


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    with CATALOG.open("rb") as handle:
        return read_po(handle, locale="fr")


def entries(catalog: Catalog) -> list[Message]:
    return [m for m in catalog if m.id]


def first(message: Message) -> str:
    return tools.ids(message)[0]


def _where(message: Message) -> str:
    file, line = message.locations[0]
    return f"{file}:{line}: {first(message)!r}"


# --- (a) completeness ------------------------------------------------------------------------------

def test_the_extractor_finds_the_strings(strings) -> None:
    assert len(strings) > 1000
    assert "Cancel" in strings
    assert strings["{count} day left"].id == ("{count} day left", "{count} days left")
    assert strings["Cancel"].locations[0][0].startswith("clinic_app/")


def test_every_extracted_string_has_a_french_translation(strings, catalog) -> None:
    missing = [_where(m) for m in entries(strings) if not tools.translated(catalog.get(first(m)))]
    assert missing == []
    assert tools.missing("fr", strings) == []


def test_plural_entries_carry_both_french_forms(strings, catalog) -> None:
    for message in entries(strings):
        entry = catalog.get(first(message))
        assert entry is not None, first(message)
        assert entry.pluralizable == message.pluralizable, first(message)
        if message.pluralizable:
            assert entry.id == message.id, first(message)
            assert len(entry.string) == catalog.num_plurals == 2 and all(entry.string), first(message)


def test_the_catalog_has_no_fuzzy_or_stale_entry(strings, catalog) -> None:
    assert [first(m) for m in entries(catalog) if m.fuzzy] == []
    assert [first(m) for m in entries(catalog) if first(m) not in strings] == []


def test_every_call_is_visible_to_babel() -> None:
    """Babel reads Python 3.11's f-strings as plain strings: a `_("...")` inside one would never
    be extracted, so never be translated. Compute the text first, then format it in."""
    hidden = []
    for path in sorted((REPO / "clinic_app").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                for call in (n for n in ast.walk(node) if isinstance(n, ast.Call)):
                    name = getattr(call.func, "id", getattr(call.func, "attr", ""))
                    if name in tools.KEYWORDS and any(isinstance(a, ast.Constant) for a in call.args):
                        hidden.append(f"{path.relative_to(REPO)}:{call.lineno}")
    assert hidden == []


# --- (b) placeholders and shape --------------------------------------------------------------------

def test_placeholders_are_kept_in_every_form(catalog) -> None:
    broken = []
    for message in entries(catalog):
        wanted = set().union(*(tools.placeholders(t) for t in tools.ids(message)))
        broken += [(first(message), t) for t in tools.texts(message) if t and tools.placeholders(t) != wanted]
    assert broken == []
    assert tools.problems("fr") == []


def test_a_changed_placeholder_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    po = tmp_path / "fr" / "LC_MESSAGES" / "clinic_app.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Language: fr\\n"\n\nmsgid "Hello {name}"\nmsgstr "Bonjour {nom}"\n',
                  encoding="utf-8")
    monkeypatch.setattr(i18n, "locale_dir", lambda: tmp_path)
    assert tools.problems("fr") == ["placeholders differ: 'Hello {name}' -> 'Bonjour {nom}'"]


def test_braces_are_balanced_and_format_cleanly(catalog) -> None:
    """A stray "{" or a typo like "{nmae}" would raise at .format() time in front of the user."""
    for message in entries(catalog):
        names = set().union(*(tools.placeholders(t) for t in tools.ids(message)))
        for text in filter(None, tools.texts(message)):  # untranslated: see the completeness tests
            assert text.format(**{n: "x" for n in names}), first(message)


def test_leading_and_trailing_whitespace_and_newlines_match(catalog) -> None:
    for message in entries(catalog):
        source = first(message)
        for text in filter(None, tools.texts(message)):
            assert len(source) - len(source.lstrip()) == len(text) - len(text.lstrip()), source
            assert len(source) - len(source.rstrip()) == len(text) - len(text.rstrip()), source
            assert source.count("\n") == text.count("\n"), source
            assert source.rstrip().endswith(":") == text.rstrip().endswith(":"), source
            assert source.rstrip().endswith("…") == text.rstrip().endswith("…"), source


def test_accelerators_keep_one_ampersand(catalog) -> None:
    for message in entries(catalog):
        source = first(message)
        if re.match(r"&\w", source) or re.search(r"\w&\w", source.replace("H&C", "")):
            for text in filter(None, tools.texts(message)):
                assert text.replace("&&", "").count("&") == 1, source


def test_options_commands_and_codes_are_not_translated(catalog) -> None:
    for message in entries(catalog):
        for text in filter(None, tools.texts(message)):
            for token in re.findall(r"--[a-z][a-z-]+|clinic-app|\b[a-z]+_[a-z_]+\b|%[A-Za-z]", first(message)):
                assert token in text, (first(message), token)


def test_french_typography_is_consistent(catalog) -> None:
    """Translation Bureau style: no-break space before ":" and inside « »; none before ; ? !"""
    literal = {"separate names with ;", "separate languages with ;"}  # the ";" is what the user types
    for message in entries(catalog):
        if first(message) in literal:
            continue
        for text in filter(None, tools.texts(message)):
            assert not re.search(r"[ \u202f]:(\s|$)", text), text
            assert not re.search(r"[ \u00a0\u202f][;?!]", text), text
            assert "« " not in text and " »" not in text, text
            assert text.count("«") == text.count("»"), text


# --- (c) the file itself ---------------------------------------------------------------------------

def test_the_catalog_lists_each_string_once(catalog) -> None:
    """Babel keeps the last of two entries for one string: count the file's own entries too."""
    raw = re.findall(r"^msgid ", CATALOG.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert len(raw) == len(entries(catalog)) + 1  # + the header


def test_the_header_declares_utf8_and_french_plurals(catalog) -> None:
    assert catalog.plural_forms == "nplurals=2; plural=(n > 1);"
    assert catalog.charset.lower() == "utf-8"
    assert str(catalog.locale) == "fr"
    assert "cahier de documents" in catalog.header_comment  # the terminology note


def test_the_catalog_follows_the_source_files_in_order(strings, catalog) -> None:
    """Like the .pot: by the first file that uses each string, files in sorted order."""
    files = [m.locations[0][0] for m in entries(catalog)]
    assert files == sorted(files)
    assert {first(m) for m in entries(catalog)} == {first(m) for m in entries(strings)}


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A package of two modules, its Babel mapping and an empty locale folder."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "a.py").write_text(
        'from clinic_app.i18n import _, ngettext\n'
        '_("Hello {name}")\n'
        'ngettext("{count} file", "{count} files", 2)\n'
        '_("Line one\\nline \\"two\\"")\n', encoding="utf-8")
    (package / "b.py").write_text('_("Goodbye")\n_("Hello {name}")\n', encoding="utf-8")
    (tmp_path / "babel.cfg").write_text("[python: pkg/**.py]\n", encoding="utf-8")
    locale = tmp_path / "locale"
    (locale / "fr" / "LC_MESSAGES").mkdir(parents=True)
    monkeypatch.setattr(i18n, "locale_dir", lambda: locale)
    monkeypatch.setattr(i18n, "_others", {})  # the sandbox's catalogs never reach other tests
    monkeypatch.setattr(tools, "locale_dir", lambda: locale)
    monkeypatch.setattr(tools, "PACKAGE", package)
    monkeypatch.setattr(tools, "MAPPING", tmp_path / "babel.cfg")
    return locale


def _read(po: Path) -> Catalog:
    with po.open("rb") as handle:
        return read_po(handle, locale="fr")


def test_update_would_change_nothing_but_line_numbers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`update` must not reorder or rewrite translations: translators' edits and diffs stay small.
    (Line numbers drift as the code changes; `update` refreshes them.)"""
    copy = tmp_path / "fr" / "LC_MESSAGES" / "clinic_app.po"
    copy.parent.mkdir(parents=True)
    copy.write_bytes(CATALOG.read_bytes())
    monkeypatch.setattr(i18n, "locale_dir", lambda: tmp_path)
    monkeypatch.setattr(tools, "locale_dir", lambda: tmp_path)
    tools.update()

    def without_lines(text: str) -> str:
        return re.sub(r"^#: .*\n", "", text, flags=re.MULTILINE)

    assert without_lines(copy.read_text(encoding="utf-8")) == without_lines(CATALOG.read_text(encoding="utf-8"))


def test_update_creates_merges_and_never_duplicates(sandbox: Path) -> None:
    po = sandbox / "fr" / "LC_MESSAGES" / "clinic_app.po"
    tools.update()
    made = _read(po)
    assert made.plural_forms == "nplurals=2; plural=(n > 1);"
    assert [first(m) for m in entries(made)] == ["Hello {name}", "{count} file", 'Line one\nline "two"', "Goodbye"]
    assert made["Hello {name}"].locations == [("pkg/a.py", 2), ("pkg/b.py", 2)]
    assert made["{count} file"].string == ("", "")
    assert (sandbox / "clinic_app.pot").is_file()

    # a translator fills some in and adds a comment; running update again keeps all of it, once
    text = po.read_text(encoding="utf-8")
    text = text.replace('msgid "Hello {name}"\nmsgstr ""', '# greeting\nmsgid "Hello {name}"\nmsgstr "Bonjour {name}"')
    text = text.replace('msgstr[0] ""\nmsgstr[1] ""', 'msgstr[0] "{count} fichier"\nmsgstr[1] "{count} fichiers"')
    text = text.replace('msgid "Goodbye"\nmsgstr ""', 'msgid "Goodbye"\nmsgstr "Au revoir"')
    po.write_text("# Opening comment\n" + text, encoding="utf-8")
    tools.update()
    tools.update()
    again = po.read_text(encoding="utf-8")
    assert again.startswith("# Opening comment\n")
    assert again.count('msgid "Goodbye"') == 1 and again.count('msgid "Hello {name}"') == 1
    merged = _read(po)
    assert merged["Hello {name}"].string == "Bonjour {name}" and merged["Goodbye"].string == "Au revoir"
    assert merged["{count} file"].string == ("{count} fichier", "{count} fichiers")
    assert "# greeting\n" in again
    assert [first(m) for m in tools.missing("fr")] == ['Line one\nline "two"']


def test_update_keeps_removed_strings_as_obsolete_and_revives_them(sandbox: Path) -> None:
    po = sandbox / "fr" / "LC_MESSAGES" / "clinic_app.po"
    tools.update()
    po.write_text(po.read_text(encoding="utf-8").replace('msgid "Goodbye"\nmsgstr ""',
                                                         'msgid "Goodbye"\nmsgstr "Au revoir"'), encoding="utf-8")
    b = tools.PACKAGE / "b.py"
    original = b.read_text(encoding="utf-8")
    b.write_text("", encoding="utf-8")
    tools.update()
    text = po.read_text(encoding="utf-8")
    assert '#~ msgid "Goodbye"' in text and "Goodbye" not in _read(po)
    b.write_text(original, encoding="utf-8")
    tools.update()
    assert "#~" not in po.read_text(encoding="utf-8") and _read(po)["Goodbye"].string == "Au revoir"


def test_a_string_that_becomes_plural_waits_for_the_translator(sandbox: Path) -> None:
    po = sandbox / "fr" / "LC_MESSAGES" / "clinic_app.po"
    (tools.PACKAGE / "a.py").write_text('_("{count} file")\n', encoding="utf-8")
    tools.update()
    po.write_text(po.read_text(encoding="utf-8").replace('msgid "{count} file"\nmsgstr ""',
                                                         'msgid "{count} file"\nmsgstr "{count} fichier"'),
                  encoding="utf-8")
    (tools.PACKAGE / "a.py").write_text('ngettext("{count} file", "{count} files", 2)\n', encoding="utf-8")
    tools.update()
    entry = _read(po)["{count} file"]
    assert entry.fuzzy and entry.string[0] == "{count} fichier"
    assert "{count} file" in [first(m) for m in tools.missing("fr")]  # fuzzy: not used until checked


def test_the_compiled_catalog_follows_the_po_file(sandbox: Path) -> None:
    """No build step: the .mo is compiled by Babel when missing, again when the .po is newer."""
    po = sandbox / "fr" / "LC_MESSAGES" / "clinic_app.po"
    mo = po.with_suffix(".mo")
    tools.update()
    po.write_text(po.read_text(encoding="utf-8").replace('msgid "Goodbye"\nmsgstr ""',
                                                         'msgid "Goodbye"\nmsgstr "Au revoir"'), encoding="utf-8")
    i18n.reload()
    assert not mo.exists() and translate_for("fr", "Goodbye") == "Au revoir"
    assert mo.is_file()
    po.write_text(po.read_text(encoding="utf-8").replace('"Au revoir"', '"Adieu"'), encoding="utf-8")
    later = mo.stat().st_mtime + 2
    os.utime(po, (later, later))
    i18n.reload()
    assert translate_for("fr", "Goodbye") == "Adieu"
    assert tools.compile_all() == [mo]


# --- (d) switching language ------------------------------------------------------------------------

def test_switching_to_french_and_back() -> None:
    assert current_language() == "en" and _("Cancel") == "Cancel"
    set_language("fr")
    assert current_language() == "fr"
    assert _("Cancel") == "Annuler"
    assert _("Recovery key") == "Clé de récupération"
    assert _("Refugee claimant") == "Demandeur d'asile"
    assert _("not a string anyone extracted") == "not a string anyone extracted"
    set_language("en")
    assert current_language() == "en" and _("Cancel") == "Cancel"


def test_an_unknown_language_falls_back_to_english() -> None:
    set_language("xx")
    assert current_language() == "en" and _("Cancel") == "Cancel"


@pytest.mark.parametrize(("n", "english", "french"), [
    (0, "0 days left", "0 jour restant"),
    (1, "1 day left", "1 jour restant"),
    (2, "2 days left", "2 jours restants"),
    (17, "17 days left", "17 jours restants"),
])
def test_ngettext_uses_each_languages_plural_rule(n: int, english: str, french: str) -> None:
    assert ngettext("{count} day left", "{count} days left", n).format(count=n) == english
    set_language("fr")
    assert ngettext("{count} day left", "{count} days left", n).format(count=n) == french


@pytest.mark.parametrize(("n", "english", "french"), [
    (1, "1 document, 1 support letter.", "1 document, 1 lettre d'appui."),
    (2, "2 documents, 2 support letters.", "2 documents, 2 lettres d'appui."),
])
def test_counts_on_screen_agree_with_their_number(n: int, english: str, french: str) -> None:
    """No more "1 documents": the matter overview's counts go through ngettext."""
    def line() -> str:
        return _("{documents}, {letters}.").format(
            documents=ngettext("{count} document", "{count} documents", n).format(count=n),
            letters=ngettext("{count} support letter", "{count} support letters", n).format(count=n))

    assert line() == english
    set_language("fr")
    assert line() == french


def test_translate_for_does_not_switch_the_ui_language() -> None:
    assert translate_for("fr", "Federal Court") == "Cour fédérale"
    assert translate_for("fr", "January") == "janvier"
    assert translate_for("en", "Federal Court") == "Federal Court"
    assert current_language() == "en" and _("Federal Court") == "Federal Court"
    set_language("fr")
    assert translate_for("en", "Federal Court") == "Federal Court"
    assert translate_for("fr", "Federal Court") == "Cour fédérale"


def test_marked_constants_translate_later() -> None:
    from clinic_app.domain.matter import MATTER_TYPE_LABELS, MatterType

    label = MATTER_TYPE_LABELS[MatterType.PRRA]
    assert label == "Pre-removal risk assessment (PRRA)"
    set_language("fr")
    assert _(label) == "Examen des risques avant renvoi (ERAR)"


# --- (e) named placeholders only -------------------------------------------------------------------

def test_no_msgid_uses_positional_placeholders(strings) -> None:
    bad = [_where(m) for m in entries(strings) if any(tools.positional(t) for t in tools.ids(m))]
    assert bad == []


def test_singular_and_plural_msgids_name_the_same_placeholders(strings) -> None:
    for message in entries(strings):
        if message.pluralizable:
            one, many = message.id
            assert tools.placeholders(one) == tools.placeholders(many), one


def test_the_positional_pattern_catches_what_it_should() -> None:
    for text in ("{} left", "{0} of {1}", "%s files", "%d pages", "%(name)s", "%.1f MB"):
        assert tools.positional(text), text
    for text in ("{count} left", "100% sure", "%Y-%m-%d", "50 % d'avance"):
        assert not tools.positional(text), text


# --- the tools ---------------------------------------------------------------------------------------

def test_check_reports_nothing_to_do(capsys: pytest.CaptureFixture[str]) -> None:
    assert tools.main(["check"]) == 0
    assert "fr: " in capsys.readouterr().out


def test_runtime_module_state_is_english_after_these_tests() -> None:
    assert i18n.current_language() == "en"
