"""What a French reader sees instead of English: citations of every package item and
deadline rule, letter themes, and countdowns of dates already passed (issue 17)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from clinic_app.domain.citations import cite

# Words that only an English citation has; "IMM 5280" (a form's number) is not one of them.
ENGLISH = re.compile(r"\b(Rules|Form|form|Act|IRPA|IRPR|FCR|STCA|FCA|RPD|RAD|IAD|v\.|practice|PRRA instructions|"
                     r"no rule|set by|Protocol|checklist|in force|extended|more days|port-of-entry|before day|"
                     r"holiday|recess|table of contents|at least|after|AG|FC)\b|\bs\. \d")


def _citations() -> set[str]:
    from clinic_app.domain.packages import PACKAGES
    from clinic_app.services.deadline_rules import load_rules

    found: set[str] = set()
    for package in PACKAGES.values() if isinstance(PACKAGES, dict) else PACKAGES:
        found.add(package.citation)
        for section in package.sections:
            found.add(section.citation)
            found.update(item.citation for item in section.items)
            found.update(item.form or "" for item in section.items)
    for rule in load_rules().rules:
        found.add(rule.citation)
        found.update(variant.citation for variant in rule.variants)
    return {c for c in found if c}


def test_every_citation_reads_in_french_with_its_numbers_unchanged() -> None:
    citations = _citations()
    assert len(citations) > 60  # packages and rules were both read
    english = [(c, cite(c, "fr")) for c in citations if ENGLISH.search(cite(c, "fr"))]
    assert english == []
    for citation in citations:
        assert re.findall(r"\d+", cite(citation, "fr")) == re.findall(r"\d+", citation), citation
        assert cite(citation, "en") == citation


def test_known_citations() -> None:
    assert cite("Form 359", "fr") == "formule 359"
    assert cite("RPD Rules r. 34(2)", "fr") == "Règles de la SPR, r. 34(2)"
    assert cite("IRPA s. 112-113; IRPR s. 160-161", "fr") == "LIPR, art. 112-113; RIPR, art. 160-161"
    assert cite("a clinic's own wording", "fr") == "a clinic's own wording"


@pytest.fixture
def french():  # type: ignore[no-untyped-def]
    from clinic_app import i18n

    i18n.set_language("fr")
    yield
    i18n.set_language("en")


def test_themes_typed_in_french_are_the_known_themes(french) -> None:  # type: ignore[no-untyped-def]
    from clinic_app.domain.letter import normalise_themes, theme_label

    assert normalise_themes(("Emploi", "famille", "Bénévolat", "entraide")) == (
        "employment", "family", "volunteering", "entraide")
    assert [theme_label(t) for t in ("employment", "hardship", "entraide")] == ["emploi", "difficultés", "entraide"]


@pytest.mark.parametrize(("kind", "days", "english"), [
    ("not_before", -34, "Allowed for 34 days now"), ("not_before", -1, "Allowed for 1 day now"),
    ("not_before", 0, "Allowed from today"), ("not_before", 5, "Allowed in 5 days"),
    ("watch", -3, "3 days ago"), ("watch", 1, "In 1 day"), ("due", -1, "1 day overdue"),
])
def test_countdowns_never_count_negative_days(kind: str, days: int, english: str) -> None:
    from clinic_app.domain.deadlines.agenda import AgendaItem, describe_days
    from clinic_app.domain.deadlines.model import Bilingual, Deadline

    due = date.today() + timedelta(days=days)
    deadline = Deadline("x", Bilingual("x", "x"), kind, due, due, None, "", False)
    text = describe_days(AgendaItem(deadline, days))
    assert text == english and "-" not in text
