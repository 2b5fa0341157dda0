"""docs/manifest.md and docs/manifest.schema.json stay true: the example parses,
uses every field, and the schema accepts it, the fixtures, and nothing looser."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from clinic_app.domain.matter import KeyDate

from clinic_app.domain.client import ContactKind
from clinic_app.domain.document import DocumentCategory
from clinic_app.domain.letter import LetterStatus, TranslationStatus, WriterStatus
from clinic_app.domain.correspondence import Direction
from clinic_app.domain.matter import DecisionMaker, MatterStatus, MatterType, ProceedingLanguage
from clinic_app.services.manifest import load_manifest
from clinic_app.services.manifest_schema import BUNDLE_SETTINGS, KEYS, TOP_LEVEL_KEYS

DOCS = Path(__file__).resolve().parents[2] / "docs"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
Materialise = Callable[[str, Path, str], Path]


def doc_block(lang: str) -> str:
    text = (DOCS / "manifest.md").read_text(encoding="utf-8")
    blocks = re.findall(rf"```{lang}\n(.*?)```", text, re.S)
    assert blocks, f"no {lang} block in docs/manifest.md"
    return str(blocks[0])


def as_json(data: Any) -> Any:
    """YAML data as its JSON form: dates become YYYY-MM-DD text."""
    return json.loads(json.dumps(data, default=str))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads((DOCS / "manifest.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_docs_example_parses(tmp_path: Path, materialise: Materialise) -> None:
    manifest = load_manifest(materialise(doc_block("yaml"), tmp_path / "example", "case.yaml"))
    assert {c.ref for c in manifest.clients} == {"c-rivera", "c-volkov"}
    assert len(manifest.documents) == 8 and len(manifest.letters) == 3 and len(manifest.bundles) == 3
    assert [(x.affidavit_ref, x.exhibit_ref, x.position) for x in manifest.exhibits] == [
        ("d-rivera-affidavit", "d-deferral-refusal", 0)]
    assert manifest.matters[1].decision_maker == "cbsa"
    assert [(ref, [e.direction.value for e in items]) for ref, items in manifest.correspondence] == [
        ("m-rivera-stay", ["sent", "received"])]
    assert len(manifest.translations) == 1 and manifest.translations[0].declaration_ref == "d-military-decl"


def test_docs_json_example_parses(tmp_path: Path, materialise: Materialise) -> None:
    manifest = load_manifest(materialise(doc_block("json"), tmp_path / "json", "case.json"))
    assert manifest.matters[0].file_numbers.uci == "1234-5678"


def _keys_used(data: dict[str, Any]) -> dict[str, set[str]]:
    used: dict[str, set[str]] = {name: set() for name in KEYS}
    used["settings"] = set()
    used["top"] = set(data)
    for kind in ("clients", "matters", "documents", "letters", "bundles"):
        for item in data.get(kind, []):
            used[kind] |= set(item)
    for client in data["clients"]:
        for contact in client.get("contacts", []):
            used["contact"] |= set(contact)
        for relative in client.get("relatives", []):
            used["relative"] |= set(relative)
    for matter in data["matters"]:
        for entry in matter.get("correspondence", []):
            used["correspondence"] |= set(entry)
        used["file_numbers"] |= set(matter.get("file_numbers", {}))
        used["dates"] |= set(matter.get("dates", {}))
        for party in matter.get("adverse_parties", []):
            used["adverse_party"] |= set(party) if isinstance(party, dict) else set()
    for bundle in data["bundles"]:
        used["settings"] |= set(bundle.get("settings", {}))
        tabs = list(bundle.get("tabs", []))
        for section in bundle.get("sections", []):
            used["section"] |= set(section)
            tabs.extend(section.get("tabs", []))
        for tab in tabs:
            if isinstance(tab, dict):
                kind = "tab_doc" if "doc" in tab else "tab_section" if "section" in tab else "tab_reference"
                used[kind] |= set(tab)
    return used


def test_docs_example_uses_every_field() -> None:
    used = _keys_used(yaml.safe_load(doc_block("yaml")))
    # the steps' dates are listed in the table, not all in one example matter
    steps = {k.value for k in KeyDate if k.is_step}
    wanted = {name: keys - steps if name == "dates" else keys for name, keys in KEYS.items()}
    missing = {name: sorted(keys - used[name]) for name, keys in wanted.items() if keys - used[name]}
    assert missing == {}
    text = (Path(__file__).resolve().parents[2] / "docs" / "manifest.md").read_text(encoding="utf-8")
    assert {step for step in steps if f"`{step}`" not in text} == set()
    assert used["settings"] == set(BUNDLE_SETTINGS)
    assert used["top"] == TOP_LEVEL_KEYS - {"$schema"}


def test_schema_accepts_docs_examples_and_fixtures(validator: jsonschema.Draft202012Validator) -> None:
    samples = {
        "docs yaml": as_json(yaml.safe_load(doc_block("yaml"))),
        "docs json": json.loads(doc_block("json")),
        "fixture yaml": as_json(yaml.safe_load((FIXTURES / "small.yaml").read_text(encoding="utf-8"))),
        "fixture json": json.loads((FIXTURES / "small.json").read_text(encoding="utf-8")),
    }
    problems = {name: [e.message for e in validator.iter_errors(data)] for name, data in samples.items()}
    assert problems == {name: [] for name in samples}


def _break(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    broken = copy.deepcopy(data)
    target: Any = broken
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return broken


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("clients", 0, "birthdate"), "1990-01-01"),  # unknown key
        (("clients", 0, "ref"), KeyError),  # missing ref
        (("clients", 0, "ref"), "c 1"),  # bad ref
        (("clients", 0, "contacts", 0, "do_not_contact"), True),  # both flags
        (("matters", 0, "type"), "h_c"),
        (("matters", 0, "language"), "es"),
        (("matters", 0, "dates", "hearing"), "03/06/2024"),
        (("documents", 0, "matters"), ["m-1"]),  # matter and matters
        (("letters", 0, "status"), "filed"),
        (("bundles", 0, "tabs"), ["d-1"]),  # tabs and sections
        (("bundles", 0, "settings", "colour"), "red"),
        (("version",), 2),
    ],
)
def test_schema_rejects_what_the_parser_rejects(
    validator: jsonschema.Draft202012Validator, path: tuple[Any, ...], value: Any
) -> None:
    data = json.loads((FIXTURES / "small.json").read_text(encoding="utf-8"))
    assert list(validator.iter_errors(data)) == []
    assert list(validator.iter_errors(_break(data, path, value))) != []


SCHEMA_DEFS = {
    "clients": "client", "contact": "contact", "relative": "relative", "matters": "matter",
    "documents": "document", "letters": "letter", "bundles": "bundle", "tab_doc": "tabDoc",
    "tab_section": "tabSection", "tab_reference": "tabReference", "correspondence": "correspondence",
}


def _schema() -> dict[str, Any]:
    return json.loads((DOCS / "manifest.schema.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_schema_keys_match_the_parser() -> None:
    schema = _schema()
    defs = schema["$defs"]
    assert set(schema["properties"]) == TOP_LEVEL_KEYS
    for name, def_name in SCHEMA_DEFS.items():
        assert set(defs[def_name]["properties"]) == KEYS[name], name
    matter = defs["matter"]["properties"]
    assert set(matter["file_numbers"]["properties"]) == KEYS["file_numbers"]
    assert set(matter["dates"]["properties"]) == KEYS["dates"]
    assert set(defs["bundle"]["properties"]["settings"]["properties"]) == set(BUNDLE_SETTINGS)
    assert set(defs["adverseParty"]["anyOf"][1]["properties"]) == KEYS["adverse_party"]
    assert set(defs["bundle"]["properties"]["sections"]["items"]["properties"]) == KEYS["section"]


@pytest.mark.parametrize(
    ("def_name", "key", "enum"),
    [
        ("matter", "type", MatterType),
        ("matter", "decision_maker", DecisionMaker),
        ("correspondence", "direction", Direction),
        ("matter", "language", ProceedingLanguage),
        ("matter", "status", MatterStatus),
        ("contact", "kind", ContactKind),
        ("document", "category", DocumentCategory),
        ("letter", "writer_status", WriterStatus),
        ("letter", "translation_status", TranslationStatus),
        ("letter", "status", LetterStatus),
    ],
)
def test_schema_enums_match_the_domain(def_name: str, key: str, enum: type[StrEnum]) -> None:
    assert _schema()["$defs"][def_name]["properties"][key]["enum"] == [m.value for m in enum]
