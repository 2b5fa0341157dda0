"""Index dates on one line: "7 December 2026" broken over two lines reads as two entries
(issue 17). Read back from the built file's text with pdfium."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from clinic_app.domain.bundle import BundleSpec, DocumentPart, Section, Tab

from .conftest import Doc, P, make_pdf

DATES = [dt.date(2026, 12, 7), dt.date(2026, 9, 28), dt.date(2026, 9, 1), dt.date(2026, 2, 28)]


def _spec(lang: str) -> BundleSpec:
    return BundleSpec(title="Record", language=lang, sections=[Section("Evidence", [
        Tab(f"Exhibit {n}", when, [DocumentPart("a")]) for n, when in enumerate(DATES)])])


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_index_date_stays_on_one_line(lang: str, build, french_catalog: None) -> None:  # type: ignore[no-untyped-def]
    from clinic_app.pdf import vocab

    _result, rb = build(_spec(lang), {"a": make_pdf(Doc("a", [P()]))})
    lines = [" ".join(line.split()) for line in re.split(r"[\r\n]+", rb.text(1))]
    for when in DATES:
        shown = vocab.format_date(when, lang)
        assert any(shown in line for line in lines), (shown, lines)  # the whole date on one line of the index
