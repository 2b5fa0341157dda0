"""The rules files: valid against the JSON Schema, and clear errors for broken ones."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml

from clinic_app.errors import ValidationError
from clinic_app.paths import resources_dir
from clinic_app.services.deadline_rules import load_rules

RULES = resources_dir() / "rules"
SCHEMA = json.loads((RULES / "rules.schema.json").read_text(encoding="utf-8"))
FILES = sorted(RULES.glob("*.yaml"))

GOOD_RULE = """\
forum: TEST
rules:
  - id: t.one
    name: {en: One, fr: Un}
    applies_to: [rpd_claim]
    kind: due
    trigger: {date: referral}
    offset_days: 15
    roll: forward
    citation: "Test r. 1"
    sources: [T]
    last_checked: 2026-11-23
    unconfirmed: false
"""


def as_json(text: str) -> object:
    return json.loads(json.dumps(yaml.safe_load(text), default=str))


def schema_errors(text: str) -> list[str]:
    return [e.message for e in jsonschema.Draft202012Validator(SCHEMA).iter_errors(as_json(text))]


def load_single(tmp_path: Path, text: str, name: str = "test.yaml") -> None:
    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    load_rules(folder)


def test_there_are_rules_files_for_each_forum() -> None:
    assert {p.name for p in FILES} >= {"rpd.yaml", "rad.yaml", "fc.yaml", "ircc.yaml", "cbsa.yaml", "stca.yaml",
                                       "iad.yaml"}


def test_schema_is_itself_valid() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_rules_file_validates_against_the_schema(path: Path) -> None:
    assert schema_errors(path.read_text(encoding="utf-8")) == []


def test_good_minimal_file_loads_and_passes_the_schema(tmp_path: Path) -> None:
    assert schema_errors(GOOD_RULE) == []
    load_single(tmp_path, GOOD_RULE)


BROKEN = [
    # (what to replace, with what, field named in the error, schema also rejects)
    ("offset_days: 15", "offset_days: fifteen", "offset_days", True),
    ("offset_days: 15", "offest_days: 15\n    offset_days: 15", "offest_days", True),
    ("offset_days: 15", "offset_days: -15", "roll", True),
    ("{date: referral}", "{date: refferal}", "trigger.date", True),
    ("    unconfirmed: false\n", "", "unconfirmed", True),
    ("applies_to: [rpd_claim]", "applies_to: [rpd]", "applies_to", True),
    ("kind: due", "kind: soon", "kind", True),
    ("name: {en: One, fr: Un}", "name: {en: One}", "name", True),
    ("last_checked: 2026-11-23", "last_checked: yesterday", "last_checked", True),
    ("roll: forward", "roll: sideways", "roll", True),
    ("{date: referral}", "{date: referral, rule: t.two}", "trigger", True),
    ("unconfirmed: false\n", "unconfirmed: false\n    variants: [{default: a}]\n", "variants", True),
    ("unconfirmed: false\n", "unconfirmed: false\n    variants: {default: b, options: {a: {label: {en: A, fr: A}}}}\n",
     "variants.default", False),
]


@pytest.mark.parametrize("old, new, field, schema_too", BROKEN, ids=[b[2] + ":" + b[1][:20] for b in BROKEN])
def test_broken_rule_names_file_rule_and_field(tmp_path: Path, old: str, new: str, field: str,
                                               schema_too: bool) -> None:
    text = GOOD_RULE.replace(old, new)
    assert text != GOOD_RULE
    with pytest.raises(ValidationError) as err:
        load_single(tmp_path, text)
    message = str(err.value)
    assert "test.yaml" in message and "t.one" in message and field in message, message
    assert (err.value.item, err.value.field) == ("t.one", field)
    if schema_too:
        assert schema_errors(text), "the JSON Schema should reject this too"


def test_not_before_rule_may_not_roll_backward(tmp_path: Path) -> None:
    text = GOOD_RULE.replace("kind: due", "kind: not_before").replace("roll: forward", "roll: backward")
    with pytest.raises(ValidationError, match="never move earlier"):
        load_single(tmp_path, text)
    assert schema_errors(text)


def test_variant_that_would_pull_a_before_deadline_closer_is_refused(tmp_path: Path) -> None:
    text = GOOD_RULE.replace("offset_days: 15", "offset_days: -10").replace("roll: forward", "roll: backward")
    text += "    variants:\n      default: a\n      options:\n        a:\n          label: {en: A, fr: A}\n" \
            "          roll: forward\n"
    with pytest.raises(ValidationError) as err:
        load_single(tmp_path, text)
    assert err.value.field == "variants.options.a.roll"


def test_duplicate_key_is_refused_with_its_line(tmp_path: Path) -> None:
    text = GOOD_RULE.replace("    roll: forward\n", "    roll: forward\n    offset_days: 20\n")
    with pytest.raises(ValidationError) as err:
        load_single(tmp_path, text)
    assert "test.yaml" in str(err.value) and "duplicate key 'offset_days'" in str(err.value)
    assert "near line 10" in str(err.value) and "first on line 8" in str(err.value)


def test_invalid_yaml_names_the_file_and_line(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as err:
        load_single(tmp_path, GOOD_RULE.replace("kind: due", "kind: [due"))
    assert "test.yaml" in str(err.value) and "line" in str(err.value)


def test_same_id_in_two_files_names_both(tmp_path: Path) -> None:
    load_single(tmp_path, GOOD_RULE, "a.yaml")
    with pytest.raises(ValidationError) as err:
        load_single(tmp_path, GOOD_RULE, "b.yaml")
    assert "a.yaml" in str(err.value) and "b.yaml" in str(err.value) and "t.one" in str(err.value)


def test_chain_to_a_missing_rule_and_loops_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="t.missing"):
        load_single(tmp_path, GOOD_RULE.replace("{date: referral}", "{rule: t.missing}"))
    loop = GOOD_RULE.replace("{date: referral}", "{rule: t.two}") + GOOD_RULE.split("rules:\n")[1].replace(
        "t.one", "t.two").replace("{date: referral}", "{rule: t.one}")
    fresh = tmp_path / "loop"
    fresh.mkdir()
    with pytest.raises(ValidationError, match="loop"):
        load_single(fresh, loop)


def test_override_folder_replaces_a_bundled_file(tmp_path: Path) -> None:
    override = tmp_path / "clinic-rules"
    override.mkdir()
    text = (RULES / "rad.yaml").read_text(encoding="utf-8")
    edited = text.replace("offset_days: 15", "offset_days: 16", 1)
    assert edited != text
    (override / "rad.yaml").write_text(edited, encoding="utf-8")
    (override / "notes.txt").write_text("ignored", encoding="utf-8")
    loaded = load_rules(override_dir=override)
    assert loaded.by_id()["rad.notice"].timing.offset_days == 16
    files = {f.name: f for f in loaded.files}
    assert files["rad.yaml"].overridden and not files["rpd.yaml"].overridden
    assert load_rules(override_dir=tmp_path / "absent").by_id()["rad.notice"].timing.offset_days == 15


def test_broken_override_is_reported_with_its_path(tmp_path: Path) -> None:
    override = tmp_path / "clinic-rules"
    override.mkdir()
    shutil.copy(RULES / "rad.yaml", override / "rad.yaml")
    broken = (override / "rad.yaml").read_text(encoding="utf-8").replace("roll: forward", "roll: later", 1)
    (override / "rad.yaml").write_text(broken, encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        load_rules(override_dir=override)
    assert str(override / "rad.yaml") in str(err.value) and "rad.notice" in str(err.value)


def test_unconfirmed_rules_are_listed(loaded) -> None:
    ids = {r.id for r in loaded.unconfirmed()}
    assert {"rad.record", "fc.stay_motion_record", "stca.fourteen_days"} <= ids
    assert "rpd.boc" not in ids


@pytest.mark.parametrize("value, kind, words", [
    ("leave_filled", "due", "must be one of"),
    ("decision", "due", "must be one of"),  # a key date is not a step taken
    ("leave_filed", "not_before", "never done"),
])
def test_done_by_names_a_step_date_and_not_on_an_earliest_date(value: str, kind: str, words: str) -> None:
    from clinic_app.domain.deadlines import parse_rules_document

    rule = {"id": "fc.x", "name": {"en": "X", "fr": "X"}, "applies_to": ["fc_jr"], "kind": kind,
            "trigger": {"date": "decision"}, "offset_days": 5, "roll": "none", "citation": "c", "sources": ["S"],
            "last_checked": "2026-11-23", "unconfirmed": False, "done_by": value}
    with pytest.raises(ValidationError) as err:
        parse_rules_document({"forum": "fc", "rules": [rule]}, "fc.yaml")
    assert "done_by" in str(err.value) and words in str(err.value)
