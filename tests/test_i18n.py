"""The French catalog is complete and safe to use, language switching works, and the catalog
tools (`python -m clinic_app.i18n_tools check|update`) keep it that way."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from clinic_app import i18n
from clinic_app import i18n_tools as tools
from clinic_app.i18n import _, current_language, ngettext, parse_po, set_language, translate_for

REPO = Path(__file__).resolve().parent.parent
CATALOG = REPO / "resources" / "locale" / "fr" / "LC_MESSAGES" / "clinic_app.po"
NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    """Whatever a test switches to, every other test starts (and ends) in English."""
    set_language("en")
    try:
        yield
    finally:
        set_language("en")


@pytest.fixture(scope="module")
def strings() -> dict[str, tuple[str | None, list[str]]]:
    return tools.extract()


@pytest.fixture(scope="module")
def catalog() -> tools.Catalog:
    return tools.read_catalog(CATALOG.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def french() -> tuple[dict[str, str], dict[str, list[str]]]:
    return parse_po(CATALOG.read_text(encoding="utf-8"))


def _where(strings: dict[str, tuple[str | None, list[str]]], msgid: str) -> str:
    return f"{strings[msgid][1][0]}: {msgid!r}"


# --- (a) completeness ------------------------------------------------------------------------------

def test_the_extractor_finds_the_strings(strings) -> None:
    assert len(strings) > 1000
    assert "Cancel" in strings and strings["{count} day left"][0] == "{count} days left"


def test_every_extracted_string_has_a_french_translation(strings, french) -> None:
    singular, plural = french
    missing = [_where(strings, m) for m, (pl, _locs) in strings.items()
               if not (all(x.strip() for x in plural.get(m, [])) and len(plural.get(m, [])) == 2
                       if pl else singular.get(m, "").strip())]
    assert missing == []
    assert tools.missing("fr") == []


def test_plural_entries_carry_both_french_forms(strings, catalog) -> None:
    by_id = {e.msgid: e for e in catalog.entries if not e.obsolete}
    for msgid, (plural, _locs) in strings.items():
        entry = by_id[msgid]
        if plural:
            assert entry.plural == plural, msgid
            assert len(entry.forms) == 2 and all(entry.forms), msgid
        else:
            assert entry.plural is None, msgid


def test_the_catalog_has_no_fuzzy_or_stale_entry(strings, catalog) -> None:
    assert [e.msgid for e in catalog.entries if "fuzzy" in e.flags] == []
    assert [e.msgid for e in catalog.entries if not e.obsolete and e.msgid not in strings] == []


# --- (b) placeholders and shape --------------------------------------------------------------------

def test_placeholders_are_kept_in_every_form(catalog) -> None:
    broken = []
    for entry in catalog.entries:
        wanted = tools.placeholders(entry.msgid) | tools.placeholders(entry.plural or "")
        for text in entry.texts():
            if tools.placeholders(text) != wanted:
                broken.append((entry.msgid, text))
    assert broken == []
    assert tools.problems("fr") == []


def test_braces_are_balanced_and_format_cleanly(catalog) -> None:
    """A stray "{" or a typo like "{nmae}" would raise at .format() time in front of the user."""
    for entry in catalog.entries:
        names = tools.placeholders(entry.msgid) | tools.placeholders(entry.plural or "")
        for text in entry.texts():
            assert text.format(**{n: "x" for n in names}), entry.msgid


def test_leading_and_trailing_whitespace_and_newlines_match(catalog) -> None:
    for entry in catalog.entries:
        for text in entry.texts():
            source = entry.msgid
            assert len(source) - len(source.lstrip()) == len(text) - len(text.lstrip()), source
            assert len(source) - len(source.rstrip()) == len(text) - len(text.rstrip()), source
            assert source.count("\n") == text.count("\n"), source
            assert source.rstrip().endswith(":") == text.rstrip().endswith(":"), source
            assert source.rstrip().endswith("…") == text.rstrip().endswith("…"), source


def test_accelerators_keep_one_ampersand(catalog) -> None:
    for entry in catalog.entries:
        if re.match(r"&\w", entry.msgid) or re.search(r"\w&\w", entry.msgid.replace("H&C", "")):
            for text in entry.texts():
                assert text.replace("&&", "").count("&") == 1, entry.msgid


def test_options_commands_and_codes_are_not_translated(catalog) -> None:
    for entry in catalog.entries:
        for text in entry.texts():
            for token in re.findall(r"--[a-z][a-z-]+|clinic-app|\b[a-z]+_[a-z_]+\b|%[A-Za-z]", entry.msgid):
                assert token in text, (entry.msgid, token)


def test_french_typography_is_consistent(catalog) -> None:
    """Translation Bureau style: no-break space before ":" and inside « »; none before ; ? !"""
    literal = {"separate names with ;", "separate languages with ;"}  # the ";" is what the user types
    for entry in catalog.entries:
        if entry.msgid in literal:
            continue
        for text in entry.texts():
            assert not re.search(r"[ \u202f]:(\s|$)", text), text
            assert not re.search(r"[ \u00a0\u202f][;?!]", text), text
            assert "« " not in text and " »" not in text, text
            assert text.count("«") == text.count("»"), text


# --- (c) the file itself ---------------------------------------------------------------------------

def test_the_catalog_parses_without_duplicates(strings, catalog, french) -> None:
    singular, plural = french
    active = [e.msgid for e in catalog.entries if not e.obsolete]
    assert len(active) == len(set(active))
    assert len(singular) + len(plural) == len(active)
    # a raw count too, independent of either parser
    raw = re.findall(r'^msgid (".*")$', CATALOG.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert len(raw) == len(set(raw)) == len(active) + 1  # + the header


def test_the_header_declares_utf8_and_french_plurals(catalog) -> None:
    assert catalog.header["Plural-Forms"] == "nplurals=2; plural=(n > 1);"
    assert "charset=UTF-8" in catalog.header["Content-Type"]
    assert catalog.header["Language"] == "fr"
    assert any("cahier de documents" in line for line in catalog.preamble)  # the terminology note


def test_the_catalog_follows_the_source_files_in_order(strings, catalog) -> None:
    """Like the .pot: grouped by the first file that uses each string, files in sorted order."""
    files = [e.locations[0].rsplit(":", 1)[0] for e in catalog.entries if not e.obsolete]
    assert files == sorted(files)
    assert {e.msgid for e in catalog.entries if not e.obsolete} == set(strings)


def test_update_would_change_nothing_but_line_numbers(strings, catalog) -> None:
    """`update` must not reorder or rewrite translations: translators' edits and diffs stay small.
    (Line numbers drift as the code changes; `update` refreshes them.)"""
    merged, added = tools.merge(catalog, strings, "fr")
    assert added == 0

    def without_lines(text: str) -> str:
        return re.sub(r"^#: .*$", "#:", text, flags=re.MULTILINE)

    assert without_lines(merged.render()) == without_lines(CATALOG.read_text(encoding="utf-8"))


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
    bad = [_where(strings, m) for m, (pl, _locs) in strings.items()
           if tools.positional(m) or (pl and tools.positional(pl))]
    assert bad == []


def test_singular_and_plural_msgids_name_the_same_placeholders(strings) -> None:
    for msgid, (plural, _locs) in strings.items():
        if plural:
            assert tools.placeholders(msgid) == tools.placeholders(plural), msgid


def test_the_positional_pattern_catches_what_it_should() -> None:
    for text in ("{} left", "{0} of {1}", "%s files", "%d pages", "%(name)s", "%.1f MB"):
        assert tools.positional(text), text
    for text in ("{count} left", "100% sure", "%Y-%m-%d", "50 % d'avance"):
        assert not tools.positional(text), text


# --- the tools ---------------------------------------------------------------------------------------

def test_check_reports_nothing_to_do(capsys: pytest.CaptureFixture[str]) -> None:
    assert tools.main(["check"]) == 0
    assert "fr: " in capsys.readouterr().out


def test_po_strings_round_trip_escapes_and_multiline_text() -> None:
    text = 'He said "hi"\\there\n\tand left.\nSecond line'
    entry = tools.Entry(msgid=text, msgstr=text.upper(), locations=["clinic_app/x.py:1"])
    rendered = entry.render()
    assert rendered.count("\n") > 3  # split after each newline
    back = tools.read_catalog('msgid ""\nmsgstr ""\n"Language: fr\\n"\n\n' + rendered).entries[0]
    assert (back.msgid, back.msgstr) == (text, text.upper())
    assert parse_po(rendered) == ({text: text.upper()}, {})  # the runtime parser agrees


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A package of two modules and an empty locale folder, for `update`."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "a.py").write_text(
        'from clinic_app.i18n import _, ngettext\n'
        '_("Hello {name}")\n'
        'ngettext("{count} file", "{count} files", 2)\n'
        '_("Line one\\nline \\"two\\"")\n', encoding="utf-8")
    (package / "b.py").write_text('_("Goodbye")\n_("Hello {name}")\n', encoding="utf-8")
    locale = tmp_path / "locale"
    (locale / "fr" / "LC_MESSAGES").mkdir(parents=True)
    monkeypatch.setattr(tools, "locale_dir", lambda: locale)
    monkeypatch.setattr(tools, "PACKAGE", package)
    return locale


def test_update_creates_merges_and_never_duplicates(sandbox: Path) -> None:
    po = sandbox / "fr" / "LC_MESSAGES" / "clinic_app.po"
    tools.update()
    first = tools.read_catalog(po.read_text(encoding="utf-8"))
    assert first.header["Plural-Forms"] == "nplurals=2; plural=(n > 1);"
    assert [e.msgid for e in first.entries] == ["Hello {name}", "{count} file", 'Line one\nline "two"', "Goodbye"]
    assert first.entries[0].locations == ["pkg/a.py:2", "pkg/b.py:2"]
    assert first.entries[1].forms == ["", ""]
    assert (sandbox / "clinic_app.pot").is_file()

    # a translator fills some in and adds a comment; running update again keeps all of it, once
    text = po.read_text(encoding="utf-8")
    text = text.replace('msgid "Hello {name}"\nmsgstr ""', '# greeting\nmsgid "Hello {name}"\nmsgstr "Bonjour {name}"')
    text = text.replace('msgstr[0] ""\nmsgstr[1] ""', 'msgstr[0] "{count} fichier"\nmsgstr[1] "{count} fichiers"')
    po.write_text("# Opening comment\n" + text + '\nmsgid "Goodbye"\nmsgstr "Au revoir"\n', encoding="utf-8")
    tools.update()
    tools.update()
    again = po.read_text(encoding="utf-8")
    assert again.startswith("# Opening comment\n")
    assert again.count('msgid "Goodbye"') == 1 and again.count('msgid "Hello {name}"') == 1
    single, plural = parse_po(again)
    assert single == {"Hello {name}": "Bonjour {name}", "Goodbye": "Au revoir"}
    assert plural == {"{count} file": ["{count} fichier", "{count} fichiers"]}
    assert "# greeting\n" in again
    assert tools.missing("fr") == ['Line one\nline "two"']


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
    assert '#~ msgid "Goodbye"' in text and "Goodbye" not in parse_po(text)[0]
    b.write_text(original, encoding="utf-8")
    tools.update()
    text = po.read_text(encoding="utf-8")
    assert "#~" not in text and parse_po(text)[0]["Goodbye"] == "Au revoir"


def test_a_string_that_changes_kind_is_kept_as_fuzzy() -> None:
    old = tools.Catalog(entries=[tools.Entry(msgid="{count} file", msgstr="{count} fichier")])
    merged, added = tools.merge(old, {"{count} file": ("{count} files", ["x.py:1"])}, "fr")
    assert added == 0
    entry = merged.entries[0]
    assert "fuzzy" in entry.flags and entry.forms == ["{count} fichier", "{count} fichier"]
    assert parse_po(merged.render()) == ({}, {})  # fuzzy: not used until a translator checks it


def test_runtime_module_state_is_english_after_these_tests() -> None:
    assert i18n.current_language() == "en"
