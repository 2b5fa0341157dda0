"""The deadline domain stays pure, and its vocabularies match the matter model."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from clinic_app.domain.deadlines import DATE_KEYS, KEY_DATES, MATTER_TYPES, BusinessCalendar, compute_deadlines

DOMAIN = Path(__file__).resolve().parents[2] / "clinic_app" / "domain" / "deadlines"
ALLOWED_ROOTS = {"__future__", "calendar", "collections", "dataclasses", "datetime", "re", "typing", "holidays",
                 "clinic_app"}
ALLOWED_APP = ("clinic_app.domain", "clinic_app.errors", "clinic_app.i18n")


def test_domain_modules_import_nothing_impure() -> None:
    files = sorted(DOMAIN.glob("*.py"))
    assert len(files) >= 5
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            for name in names:
                assert name.split(".")[0] in ALLOWED_ROOTS, (path.name, name)
                if name.startswith("clinic_app"):
                    assert name.startswith(ALLOWED_APP), (path.name, name)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in {"open", "print", "input"}, (path.name, node.func.id)


def test_vocabularies_match_the_matter_model() -> None:
    matter = pytest.importorskip("clinic_app.domain.matter")
    assert set(MATTER_TYPES) == {m.value for m in matter.MatterType}
    assert set(KEY_DATES) == {k.value for k in matter.KeyDate if not k.is_step}
    assert set(DATE_KEYS) == {k.value for k in matter.KeyDate}  # every date a rule counts from


def test_a_matters_known_dates_can_be_passed_straight_in(loaded) -> None:
    matter = pytest.importorskip("clinic_app.domain.matter")
    dates = matter.KeyDates(referral=date(2027, 6, 16))
    got = compute_deadlines(matter.MatterType.RPD_CLAIM, dates.known(), loaded.rules, BusinessCalendar("ON"))
    assert [(d.rule_id, d.due) for d in got] == [
        ("rpd.contact_info", date(2027, 6, 26)), ("rpd.boc_extension", date(2027, 6, 28)), ("rpd.boc", date(2027, 7, 2))]
