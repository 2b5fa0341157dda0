"""Parsing case manifests: every entity, cross-references, and errors that name
the item and field while importing nothing."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from clinic_app.domain.client import ContactKind
from clinic_app.domain.document import DocumentCategory
from clinic_app.domain.letter import LetterStatus, TranslationStatus
from clinic_app.domain.matter import MatterType, ProceedingLanguage
from clinic_app.domain.translation import TranslationLink
from clinic_app.errors import ValidationError
from clinic_app.services import manifest_schema
from clinic_app.services.manifest import (
    ExistingRefs,
    Manifest,
    ManifestInvalid,
    TabKind,
    load_manifest,
    parse_manifest_data,
    parse_manifest_text,
)

HEAD = """
clients: [{ref: c-1, name: Elena Ejemplo}]
matters: [{ref: m-1, client: c-1, type: hc, title: H&C}]
"""


def parse(text: str, base: Path, **kwargs: object) -> Manifest:
    return parse_manifest_text(text, base_dir=base, **kwargs)  # type: ignore[arg-type]


def invalid(text: str, base: Path, **kwargs: object) -> ManifestInvalid:
    with pytest.raises(ManifestInvalid) as err:
        parse(text, base, **kwargs)
    return err.value


# --- whole manifests -------------------------------------------------------------------


def test_yaml_fixture_parses_every_entity(fixture_copy: Callable[[str], Path]) -> None:
    path = fixture_copy("small.yaml")
    m = load_manifest(path)
    client = m.clients[0]
    assert (client.ref, client.legal_name, client.aliases) == ("c-1", "Elena Ejemplo Paz", ("Lena Paz",))
    assert client.birth_date == date(1990, 5, 6) and client.uci == "1234-5678"
    assert [c.kind for c in client.contacts] == [ContactKind.PHONE, ContactKind.ADDRESS]
    assert client.contacts[0].safe_to_contact and client.contacts[1].do_not_contact
    assert client.relatives[0].in_country_of_origin and not client.relatives[0].include_in_outputs
    matter = m.matters[0]
    assert matter.type is MatterType.RPD_CLAIM and matter.language is ProceedingLanguage.FR
    assert matter.file_numbers.irb == "TB3-03646"
    assert matter.dates.hearing == date(2024, 6, 3)
    assert [p.name for p in matter.adverse_parties] == ["Los Ficticios", "Sgt. Nadie"]
    docs = {d.ref: d for d in m.documents}
    assert docs["d-1"].file == (path.parent / "files" / "id.pdf").resolve()
    assert docs["d-1"].meta.category is DocumentCategory.IDENTITY
    assert docs["d-2"].meta.category is DocumentCategory.TRANSLATION
    assert docs["d-3"].meta.category is DocumentCategory.DECLARATION
    assert m.translations == (TranslationLink("d-1", "d-2", "d-3"),)
    letter = m.letters[0]
    assert letter.letter.status is LetterStatus.RECEIVED
    assert letter.letter.translation_status is TranslationStatus.NEEDED  # Spanish, not given: derived
    assert letter.file == (path.parent / "files" / "letter.pdf").resolve()
    bundle = m.bundles[0]
    assert [t.kind for t in bundle.tabs] == [TabKind.SECTION, TabKind.DOCUMENT, TabKind.DOCUMENT,
                                             TabKind.SECTION, TabKind.REFERENCE]
    assert bundle.tabs[2].pages == ((1, 1),)
    assert bundle.tabs[4].tab_date == date(2025, 3, 31)
    assert dict(bundle.settings) == {"tab_sheets": False, "first_page": 1}
    assert m.all_refs() == {"c-1", "m-1", "d-1", "d-2", "d-3", "l-1", "b-1"}


def test_json_and_yaml_fixtures_give_the_same_records(fixture_copy: Callable[[str], Path]) -> None:
    from_yaml = load_manifest(fixture_copy("small.yaml"))
    from_json = load_manifest(fixture_copy("small.json"))
    assert from_json.clients == from_yaml.clients
    assert from_json.matters == from_yaml.matters
    assert [d.meta for d in from_json.documents] == [d.meta for d in from_yaml.documents]
    assert [e.letter for e in from_json.letters] == [e.letter for e in from_yaml.letters]
    assert from_json.bundles == from_yaml.bundles
    assert from_json.translations == from_yaml.translations


def test_reimport_yields_the_same_refs(fixture_copy: Callable[[str], Path]) -> None:
    path = fixture_copy("small.yaml")
    assert load_manifest(path).all_refs() == load_manifest(path).all_refs()
    # Refs already in the vault are updates, not errors.
    existing = ExistingRefs(clients=frozenset({"c-1"}), matters=frozenset({"m-1"}), documents=frozenset({"d-1"}))
    assert load_manifest(path, existing=existing).all_refs() == load_manifest(path).all_refs()


def test_empty_lists_and_version_only(tmp_path: Path) -> None:
    m = parse("version: 1\nclients: []\n", tmp_path)
    assert m.clients == () and m.all_refs() == frozenset()


# --- errors name the item and the field; nothing partial -------------------------------


def test_error_in_the_last_item_names_it_and_returns_nothing(case_dir: Path) -> None:
    text = HEAD + """
documents:
  - {ref: d-1, matter: m-1, file: scans/a.pdf, title: A}
letters:
  - {ref: l-0, matter: m-1, writer: A}
  - {ref: l-1, matter: m-1, writer: B, date: 2024-02-01}
  - {ref: l-7, matter: m-1, writer: C, date: "32/13/2024"}
"""
    result: Manifest | None = None
    with pytest.raises(ManifestInvalid) as caught:
        result = parse(text, case_dir)
    err = caught.value
    assert result is None
    assert len(err.errors) == 1
    assert (err.item, err.field) == ("letters[2] (ref l-7)", "date")
    assert 'letters[2] (ref l-7) date: not a date: "32/13/2024"' in str(err)
    assert "nothing was imported" in str(err)


def test_all_problems_are_reported_together(tmp_path: Path) -> None:
    err = invalid("""
clients:
  - {ref: c-1, name: A, birthdate: 1990-01-01}
  - {ref: c-2, name: B, uci: "12"}
matters:
  - {ref: m-1, client: c-1, type: h_c, title: T}
""", tmp_path)
    assert [(e.item, e.field) for e in err.errors] == [
        ("clients[0] (ref c-1)", "birthdate"),
        ("clients[1] (ref c-2)", "uci"),
        ("matters[0] (ref m-1)", "type"),
    ]


def test_unknown_key_suggests_the_right_one(tmp_path: Path) -> None:
    err = invalid("clients: [{ref: c-1, name: A, birthdate: 1990-01-01}]", tmp_path)
    assert err.field == "birthdate"
    assert "birth_date" in str(err)


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("client: []", "client"),
        (HEAD.replace("title: H&C", "title: H&C, file_numbers: {irbb: TB1-12345}"), "file_numbers.irbb"),
        (HEAD.replace("title: H&C", "title: H&C, dates: {hearing_date: 2024-01-01}"), "dates.hearing_date"),
        ("clients: [{ref: c-1, name: A, contacts: [{kind: phone, value: '514 555 0100', safe: true}]}]",
         "contacts[0].safe"),
    ],
)
def test_unknown_keys_anywhere_are_errors(tmp_path: Path, text: str, field: str) -> None:
    with pytest.raises(ValidationError) as err:
        parse(text, tmp_path)
    assert err.value.field == field


def test_duplicate_refs_across_lists_ignoring_case(case_dir: Path) -> None:
    err = invalid(HEAD + "documents: [{ref: C-1, matter: m-1, file: scans/a.pdf, title: A}]", case_dir)
    assert (err.item, err.field) == ("documents[0] (ref C-1)", "ref")
    assert "clients[0] (ref c-1)" in str(err)


@pytest.mark.parametrize(
    ("extra", "item", "field"),
    [
        ("matters: [{ref: m-2, client: c-9, type: hc, title: T}]", "matters[0] (ref m-2)", "client"),
        ("letters: [{ref: l-1, matter: m-9, writer: W}]", "letters[0] (ref l-1)", "matter"),
        ("letters: [{ref: l-1, matter: m-1, writer: W, document: d-9}]", "letters[0] (ref l-1)", "document"),
        ("documents: [{ref: d-1, matters: [m-1, m-9], file: scans/a.pdf, title: A}]", "documents[0] (ref d-1)",
         "matters[1]"),
        ("documents: [{ref: d-1, matter: m-1, file: scans/a.pdf, title: A, translation_of: d-9}]",
         "documents[0] (ref d-1)", "translation_of"),
        ("bundles: [{ref: b-1, matter: m-1, title: B, tabs: [d-9]}]", "bundles[0] (ref b-1)", "tabs[0]"),
    ],
)
def test_unknown_cross_references(case_dir: Path, extra: str, item: str, field: str) -> None:
    text = "clients: [{ref: c-1, name: A}]\n" if extra.startswith("matters") else HEAD
    err = invalid(text + extra, case_dir)
    assert (err.item, err.field) == (item, field)
    assert "c-9" in str(err) or "m-9" in str(err) or "d-9" in str(err)


def test_cross_references_may_point_into_the_vault(case_dir: Path) -> None:
    text = "letters: [{ref: l-1, matter: m-old, writer: W, document: d-old}]"
    existing = ExistingRefs(matters=frozenset({"m-old"}), documents=frozenset({"d-old"}))
    m = parse(text, case_dir, existing=existing)
    assert m.letters[0].letter.matter_ref == "m-old"
    with pytest.raises(ManifestInvalid):
        parse(text, case_dir)  # without the vault's refs the same text is refused


def test_a_broken_item_does_not_cascade_into_unknown_reference_errors(tmp_path: Path) -> None:
    err = invalid("""
clients: [{ref: c-1, name: A}]
matters: [{ref: m-1, client: c-1, type: nope, title: T}]
letters: [{ref: l-1, matter: m-1, writer: W}, {ref: l-2, matter: m-1, writer: X}]
""", tmp_path)
    assert [(e.item, e.field) for e in err.errors] == [("matters[0] (ref m-1)", "type")]


def test_matter_uci_must_agree_with_the_clients(tmp_path: Path) -> None:
    text = """
clients: [{ref: c-1, name: A, uci: "1234-5678"}]
matters: [{ref: m-1, client: c-1, type: prra, title: T, file_numbers: {uci: "1111-2222"}}]
"""
    err = invalid(text, tmp_path)
    assert (err.item, err.field) == ("matters[0] (ref m-1)", "file_numbers.uci")
    assert parse(text.replace("1111-2222", "12345678"), tmp_path).matters[0].file_numbers.uci == "1234-5678"


@pytest.mark.parametrize(
    ("field_text", "field", "fragment"),
    [
        ("file_numbers: {irb: TB1-1234}", "file_numbers.irb", "TB1-12345"),
        ("file_numbers: {fc: IMM-05360-23}", "file_numbers.fc", "zeros"),
        ("dates: {decision: 2024-02-01, reasons_received: 2024-01-01}", "dates.reasons_received", "before"),
        ("language: no", "language", "quotes"),
        ("adverse_parties: [{name: ''}]", "adverse_parties[0].name", "required"),
    ],
)
def test_matter_field_errors(tmp_path: Path, field_text: str, field: str, fragment: str) -> None:
    text = HEAD.replace("title: H&C", f"title: H&C, {field_text}")
    err = invalid(text, tmp_path)
    assert (err.item, err.field) == ("matters[0] (ref m-1)", field)
    assert fragment in str(err)


def test_contact_flags_conflict_names_the_contact(tmp_path: Path) -> None:
    err = invalid("""
clients:
  - ref: c-1
    name: A
    contacts:
      - {kind: email, value: a@example.org}
      - {kind: phone, value: "514 555 0100", safe_to_contact: true, do_not_contact: true}
""", tmp_path)
    assert (err.item, err.field) == ("clients[0] (ref c-1)", "contacts[1].do_not_contact")


def test_wrong_types_ask_for_quotes_or_booleans(tmp_path: Path) -> None:
    err = invalid("clients: [{ref: c-1, name: 12345}]", tmp_path)
    assert err.field == "name" and "quotes" in str(err)
    err = invalid("clients: [{ref: c-1, name: A, relatives: [{name: B, include_in_outputs: 'yes'}]}]", tmp_path)
    assert err.field == "relatives[0].include_in_outputs"


@pytest.mark.parametrize("value", ["'2024-02-30'", "'01/02/2024'", "2024-01-01 10:00:00", "20240101", "'2024-1-5'"])
def test_bad_dates_are_refused(tmp_path: Path, value: str) -> None:
    err = invalid(f"clients: [{{ref: c-1, name: A, birth_date: {value}}}]", tmp_path)
    assert (err.item, err.field) == ("clients[0] (ref c-1)", "birth_date")


def test_dates_as_yaml_dates_or_iso_text(tmp_path: Path) -> None:
    m = parse("clients: [{ref: c-1, name: A, birth_date: 1990-01-31}, {ref: c-2, name: B, birth_date: '1990-01-31'}]",
              tmp_path)
    assert m.clients[0].birth_date == m.clients[1].birth_date == date(1990, 1, 31)


def test_item_without_a_usable_ref_is_named_by_position(tmp_path: Path) -> None:
    err = invalid("clients: [{ref: c-1, name: A}, {name: B}]", tmp_path)
    assert (err.item, err.field) == ("clients[1]", "ref")


def test_items_must_be_maps_and_lists_must_be_lists(tmp_path: Path) -> None:
    assert invalid("clients: [just text]", tmp_path).item == "clients[0]"
    assert invalid("clients: {ref: c-1}", tmp_path).field == "clients"


# --- files ------------------------------------------------------------------------------


def doc_text(path: str) -> str:
    return HEAD + f"documents: [{{ref: d-1, matter: m-1, file: {json.dumps(path)}, title: A}}]"


def test_missing_file_is_an_error(case_dir: Path) -> None:
    err = invalid(doc_text("scans/zz.pdf"), case_dir)
    assert (err.item, err.field) == ("documents[0] (ref d-1)", "file")
    assert "not found" in str(err)


@pytest.mark.parametrize("path", ["../outside.pdf", "scans/../../outside.pdf", "..\\outside.pdf"])
def test_path_leaving_the_manifest_folder_is_refused(case_dir: Path, path: str) -> None:
    (case_dir.parent / "outside.pdf").write_bytes(b"%PDF-1.4\n")  # exists, but outside
    err = invalid(doc_text(path), case_dir)
    assert err.field == "file"
    assert "outside" in str(err)


@pytest.mark.parametrize("path", ["/etc/passwd", "C:/Windows/win.ini", "c:\\secret.pdf"])
def test_absolute_paths_are_refused(case_dir: Path, path: str) -> None:
    err = invalid(doc_text(path), case_dir)
    assert err.field == "file"
    assert "relative" in str(err)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_symbolic_link_pointing_outside_is_refused(case_dir: Path) -> None:
    secret = case_dir.parent / "secret.pdf"
    secret.write_bytes(b"%PDF-1.4\n")
    try:
        (case_dir / "scans" / "link.pdf").symlink_to(secret)
    except OSError:
        pytest.skip("cannot create symbolic links here")
    err = invalid(doc_text("scans/link.pdf"), case_dir)
    assert "outside" in str(err)


def test_inner_dotdot_and_backslashes_inside_the_folder_are_fine(case_dir: Path) -> None:
    m = parse(doc_text("scans/../scans\\b.pdf"), case_dir)
    assert m.documents[0].file == (case_dir / "scans" / "b.pdf").resolve()
    assert m.documents[0].meta.original_filename == "b.pdf"


def test_a_folder_is_not_a_regular_file(case_dir: Path) -> None:
    err = invalid(doc_text("scans"), case_dir)
    assert "regular file" in str(err)


def test_password_is_kept_but_not_shown(case_dir: Path) -> None:
    m = parse(doc_text("scans/a.pdf").replace("title: A}", "title: A, password: s3cret}"), case_dir)
    assert m.documents[0].password == "s3cret"
    assert "s3cret" not in repr(m)


# --- documents, letters, bundles -------------------------------------------------------


def test_document_needs_matter_or_matters_but_not_both(case_dir: Path) -> None:
    err = invalid(HEAD + "documents: [{ref: d-1, file: scans/a.pdf, title: A}]", case_dir)
    assert err.field == "matter"
    err = invalid(HEAD + "documents: [{ref: d-1, matter: m-1, matters: [m-1], file: scans/a.pdf, title: A}]", case_dir)
    assert err.field == "matters"


def test_declaration_must_be_for_a_translation(case_dir: Path) -> None:
    err = invalid(HEAD + """
documents:
  - {ref: d-1, matter: m-1, file: scans/a.pdf, title: Original, language: es}
  - {ref: d-2, matter: m-1, file: scans/b.pdf, title: Declaration, declaration_for: d-1}
""", case_dir)
    assert (err.item, err.field) == ("documents[1] (ref d-2)", "declaration_for")


def test_translation_chains_and_foreign_translations_are_refused(case_dir: Path) -> None:
    err = invalid(HEAD + """
documents:
  - {ref: d-1, matter: m-1, file: scans/a.pdf, title: Original, language: ru}
  - {ref: d-2, matter: m-1, file: scans/b.pdf, title: Translation, language: en, translation_of: d-1}
  - {ref: d-3, matter: m-1, file: scans/c.pdf, title: Translation of translation, language: fr, translation_of: d-2}
  - {ref: d-4, matter: m-1, file: scans/d.pdf, title: Into Spanish, language: es, translation_of: d-1}
""", case_dir)
    assert {(e.item, e.field) for e in err.errors} == {
        ("documents[2] (ref d-3)", "translation_of"),
        ("documents[3] (ref d-4)", "language"),
    }


def test_two_declarations_for_one_translation(case_dir: Path) -> None:
    err = invalid(HEAD + """
documents:
  - {ref: d-1, matter: m-1, file: scans/a.pdf, title: Original, language: ru}
  - {ref: d-2, matter: m-1, file: scans/b.pdf, title: Translation, translation_of: d-1}
  - {ref: d-3, matter: m-1, file: scans/c.pdf, title: Declaration 1, declaration_for: d-2}
  - {ref: d-4, matter: m-1, file: scans/d.pdf, title: Declaration 2, declaration_for: d-2}
""", case_dir)
    assert {e.item for e in err.errors} == {"documents[2] (ref d-3)", "documents[3] (ref d-4)"}


def test_letter_defaults_and_rules(case_dir: Path) -> None:
    m = parse(HEAD + "letters: [{ref: l-1, matter: m-1, writer: W}, {ref: l-2, matter: m-1, writer: X, language: ru}]",
              case_dir)
    first, second = (e.letter for e in m.letters)
    assert first.status is LetterStatus.REQUESTED and first.translation_status is TranslationStatus.NOT_NEEDED
    assert second.translation_status is TranslationStatus.NEEDED
    err = invalid(HEAD + "letters: [{ref: l-1, matter: m-1, writer: W, language: es, status: ready_to_file}]", case_dir)
    assert err.field == "status"
    err = invalid(HEAD + "letters: [{ref: l-1, matter: m-1, writer: W, file: scans/a.pdf, document: d-1}]", case_dir)
    assert err.field == "document"


def test_letter_fields_map_to_the_record(case_dir: Path) -> None:
    m = parse(HEAD + """
letters:
  - ref: l-1
    matter: m-1
    writer: Jean Example
    relationship: employer
    organisation: Example Bakery
    writer_status: permanent_resident
    contact: jean@example.com
    date: 2025-01-12
    language: en
    signed: true
    id_copy: true
    translation_status: not_needed
    themes: [employment, trusted]
    key_quote: Reliable.
    status: reviewed
    file: scans/a.pdf
""", case_dir)
    letter = m.letters[0].letter
    assert (letter.relationship, letter.organisation, letter.contact) == ("employer", "Example Bakery",
                                                                          "jean@example.com")
    assert letter.writer_status.value == "permanent_resident"
    assert letter.letter_date == date(2025, 1, 12) and letter.signed and letter.id_copy_attached
    assert letter.themes == ("employment", "trusted") and letter.key_quote == "Reliable."
    assert letter.status is LetterStatus.REVIEWED
    assert m.letters[0].file == (case_dir / "scans" / "a.pdf").resolve()


def bundle_text(tabs: str, extra: str = "") -> str:
    return HEAD + f"""
documents:
  - {{ref: d-1, matter: m-1, file: scans/a.pdf, title: A, language: es}}
  - {{ref: d-2, matter: m-1, file: scans/b.pdf, title: B, translation_of: d-1}}
bundles:
  - {{ref: b-1, matter: m-1, title: Record, tabs: {tabs}{extra}}}
"""


def test_bundle_tabs_in_every_form(case_dir: Path) -> None:
    tabs_text = (
        '[{section: "A. Identity"}, d-1, {doc: d-1, pages: "1-3, 7", title: Excerpt}, {doc: d-1, pages: 9}, '
        '{reference: "NDP Honduras, item 7.3", title: Gangs, date: 2025-04-30}]'
    )
    settings = ", settings: {section_prefixes: true, front_matter_numbering: roman, split_max_mb: 24.5}"
    m = parse(bundle_text(tabs_text, settings), case_dir)
    tabs = m.bundles[0].tabs
    assert tabs[0].kind is TabKind.SECTION and tabs[0].title == "A. Identity"
    assert tabs[1].doc_ref == "d-1" and tabs[1].pages == ()
    assert tabs[2].pages == ((1, 3), (7, 7)) and tabs[2].title == "Excerpt"
    assert tabs[3].pages == ((9, 9),)
    assert (tabs[4].kind, tabs[4].reference, tabs[4].tab_date) == (TabKind.REFERENCE, "NDP Honduras, item 7.3",
                                                                   date(2025, 4, 30))
    assert dict(m.bundles[0].settings) == {"section_prefixes": True, "front_matter_numbering": "roman",
                                           "split_max_mb": 24.5}


@pytest.mark.parametrize(
    ("tabs", "extra", "field", "fragment"),
    [
        ('[{doc: d-1, pages: "5-2"}]', "", "tabs[0].pages", "page range"),
        ('[{doc: d-1, pages: "1-5, 4-6"}]', "", "tabs[0].pages", "overlap"),
        ("[d-1, d-1]", "", "tabs[1]", "twice"),
        ("[d-2]", "", "tabs[0]", "original"),
        ("[{chapter: X}]", "", "tabs[0]", "document ref"),
        ("[d-1]", ", sections: []", "sections", "not both"),
        ("[d-1]", ", settings: {split_max_pages: 0}", "settings.split_max_pages", "greater than zero"),
        ("[d-1]", ", settings: {split_max_mb: .inf}", "settings.split_max_mb", "greater than zero"),
        ("[d-1]", ", settings: {first_page: 1.5}", "settings.first_page", "greater than zero"),
        ("[d-1]", ", settings: {front_matter_numbering: separate}", "settings.front_matter_numbering", "separate"),
        ("[d-1]", ", settings: {colour: red}", "settings.colour", "unknown key"),
    ],
)
def test_bundle_errors(case_dir: Path, tabs: str, extra: str, field: str, fragment: str) -> None:
    err = invalid(bundle_text(tabs, extra), case_dir)
    assert (err.item, err.field) == ("bundles[0] (ref b-1)", field)
    assert fragment in str(err)


def test_bundle_document_must_belong_to_the_bundles_matter(case_dir: Path) -> None:
    text = HEAD.replace("matters: [", "matters: [{ref: m-2, client: c-1, type: prra, title: P}, ") + """
documents: [{ref: d-1, matter: m-2, file: scans/a.pdf, title: A}]
bundles: [{ref: b-1, matter: m-1, title: Record, tabs: [d-1]}]
"""
    err = invalid(text, case_dir)
    assert (err.item, err.field) == ("bundles[0] (ref b-1)", "tabs[0]")
    assert "m-1" in str(err)


def test_section_needs_a_one_line_title(case_dir: Path) -> None:
    err = invalid(HEAD + "bundles: [{ref: b-1, matter: m-1, title: R, sections: [{title: \"A.\\nB\"}]}]", case_dir)
    assert (err.item, err.field) == ("bundles[0] (ref b-1)", "sections[0].title")


def test_section_markers_are_not_allowed_inside_sections(case_dir: Path) -> None:
    err = invalid(HEAD + """
documents: [{ref: d-1, matter: m-1, file: scans/a.pdf, title: A}]
bundles:
  - ref: b-1
    matter: m-1
    title: R
    sections: [{title: A, tabs: [{section: B}]}]
""", case_dir)
    assert err.field == "sections[0].tabs[0]"


# --- format-level problems ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fmt", "fragment"),
    [
        ("clients:\n  - ref: c-1\n    name: A\n    name: B\n", "yaml", "twice"),
        ('{"clients": [{"ref": "c-1", "name": "A", "name": "B"}]}', "json", "twice"),
        ("clients: [\n", "yaml", "YAML (line"),
        ('{"clients": [}', "json", "JSON (line"),
        ("", "yaml", "empty"),
        ("- a\n- b\n", "yaml", "map"),
        ("version: 2\n", "yaml", "version"),
        ("[" * 5000 + "]" * 5000, "json", "nested"),
    ],
)
def test_format_level_problems(tmp_path: Path, text: str, fmt: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as err:
        parse(text, tmp_path, fmt=fmt)
    assert fragment in str(err.value)


def test_yaml_is_loaded_safely(tmp_path: Path) -> None:
    # An unsafe loader would build the tuple (and then complain about its type).
    with pytest.raises(ValidationError) as err:
        parse("clients: !!python/tuple [1, 2]\n", tmp_path)
    assert "not valid YAML" in str(err.value)


def test_yaml_anchors_still_work_and_do_not_trip_the_duplicate_check(tmp_path: Path) -> None:
    m = parse("""
clients:
  - &c {ref: c-1, name: A, country: Honduras}
  - {<<: *c, ref: c-2, name: B}
""", tmp_path)
    assert [c.country for c in m.clients] == ["Honduras", "Honduras"]


def test_manifest_size_is_capped(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("clients: []\n" + "#" * 2000 + "\n", encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        load_manifest(path, max_bytes=1000)
    assert "MB" in str(err.value)
    assert load_manifest(path).clients == ()


def test_list_lengths_are_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(manifest_schema.LIST_LIMITS, "clients", 2)
    data = {"clients": [{"ref": f"c-{i}", "name": "A"} for i in range(3)]}
    with pytest.raises(ManifestInvalid) as err:
        parse_manifest_data(data, base_dir=tmp_path)
    assert err.value.field == "clients"
    assert len(parse_manifest_data({"clients": data["clients"][:2]}, base_dir=tmp_path).clients) == 2


def test_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_bytes("clients: [{ref: c-1, name: Mar\u00eda}]".encode("latin-1"))
    with pytest.raises(ValidationError) as err:
        load_manifest(path)
    assert "UTF-8" in str(err.value)


def test_utf8_with_bom_from_windows_editors_is_read(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_bytes('{"clients": [{"ref": "c-1", "name": "Mar\u00eda"}]}'.encode("utf-8-sig"))
    assert load_manifest(path).clients[0].legal_name == "Mar\u00eda"
