"""Every field a check in the domain or a service can name has the window's word for it,
in French too: a person never reads "translation_of:" or "status: ne peut pas…".

The field names are read from the code (every `field=` given to an error and every field
argument of the shared checks), so a new check without a label fails here. Manifest checks
are left out on purpose: a manifest's errors name the keys written in the manifest file.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from clinic_app.errors import ValidationError
from clinic_app.gui.field_labels import field_label, shown_error

ROOT = Path(__file__).resolve().parents[2] / "clinic_app"
CHECKS = {"clean_line": 1, "clean_text": 1, "clean_names": 1, "validate_ref": 1, "language_code": 1,
          "parse_enum": 2, "parse_date": 1, "normalise_uci": 1, "normalise_irb_file": 1, "normalise_fc_docket": 1,
          "normalise_ircc_application": 1}
DEFAULTS = {"validate_ref": "ref", "language_code": "language"}


def _fields() -> dict[str, str]:
    """field name -> one place that raises it, from domain/ and services/ (manifests aside)."""
    found: dict[str, str] = {}
    files = [*(ROOT / "domain").rglob("*.py"), *(ROOT / "services").glob("*.py")]
    for path in files:
        if path.name.startswith("manifest"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            values = [kw.value for kw in node.keywords if kw.arg == "field"]
            if name in CHECKS:
                if len(node.args) > CHECKS[name]:
                    values.append(node.args[CHECKS[name]])
                elif not values and name in DEFAULTS:
                    found.setdefault(DEFAULTS[name], f"{path.name}:{node.lineno}")
            for value in values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    found.setdefault(value.value, f"{path.name}:{node.lineno}")
    return found


def test_the_scan_finds_the_checks() -> None:
    fields = _fields()
    assert {"translation_of", "status", "birth_date", "writer", "title", "declaration_for"} <= set(fields)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_field_a_person_can_hit_has_a_label(lang: str) -> None:
    from clinic_app import i18n

    i18n.set_language(lang)
    try:
        missing = {name: where for name, where in _fields().items() if not field_label(name)}
        assert missing == {}
        if lang == "fr":
            same = [n for n in _fields() if field_label(n) == n and "_" in n]
            assert same == []  # translated, not the code name
    finally:
        i18n.set_language("en")


def test_an_error_reads_with_the_label_in_french() -> None:
    from clinic_app import i18n

    i18n.set_language("fr")
    try:
        assert shown_error(ValidationError("x", field="translation_of")) == "Original\u00a0: x"
        assert shown_error(ValidationError("x", field="contacts[2].value")) == "Adresse, téléphone ou courriel\u00a0: x"
        assert shown_error(ValidationError("x", field="hearing")) == "Audience\u00a0: x"
        assert shown_error(ValidationError("x", field="name"), {"name": "Nom légal"}) == "Nom légal\u00a0: x"
        assert shown_error(ValidationError("x", field="never_a_field")) == "x"  # a code name is never shown
        assert shown_error(ValidationError("x", field="12-x")) == "12-x\u00a0: x"  # words typed by the person stay
    finally:
        i18n.set_language("en")
