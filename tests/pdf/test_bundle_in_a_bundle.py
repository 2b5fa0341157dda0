"""A record Haven built, filed again as evidence inside a new bundle, keeps its own text.

Haven's stamps name their fonts /HvnStamp0, /HvnStamp1... A page of an earlier Haven bundle
already uses those names for that bundle's own font subsets, and the new bundle's fonts used
to replace them: the earlier record's tab titles, headers and accented letters came out as
other glyphs ("Rapport de police ÉÀ" read back as "Rapport de police · "). Both readers
(pypdf and poppler's pdftotext) must read every line of the earlier record unchanged.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest

from clinic_app.domain.bundle import BundleSpec, DocumentPart, Section, Tab
from clinic_app.pdf.demo_pages import fictional_pdf
from clinic_app.pdf.engine import build_bundle

FIRST = BundleSpec("Dossier du tribunal ÉÀÇ", file_number="IMM-1111-25", sections=[
    Section("Preuves", [Tab("Rapport de police ÉÀ", parts=[DocumentPart("report")]),
                        Tab("Lettre d'appui — Ñandú", parts=[DocumentPart("letter")])])])
SECOND = BundleSpec("Second record", file_number="IMM-2222-26", sections=[
    Section("Earlier proceedings", [Tab("Certified tribunal record (qzx)", parts=[DocumentPart("record")])])])


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _pdftotext(path: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


def test_an_earlier_haven_bundle_keeps_its_text_inside_a_new_one(tmp_path: Path) -> None:
    sources = {"report": fictional_pdf("Police report", ["fictional"], pages=2),
               "letter": fictional_pdf("Support letter", ["fictional"], pages=1)}
    first = tmp_path / "first.pdf"
    build_bundle(FIRST, sources.__getitem__, first)
    second = tmp_path / "second.pdf"
    build_bundle(SECOND, lambda _d: first.read_bytes(), second)

    old, new = pypdf.PdfReader(first), pypdf.PdfReader(second)
    offset = 3  # the second bundle's cover, index and tab page come first
    assert len(new.pages) == len(old.pages) + offset
    for i, page in enumerate(old.pages):
        got = " ".join(_lines(new.pages[i + offset].extract_text()))
        for line in _lines(page.extract_text()):
            assert line in got, (i + 1, line, got)
    joined = " ".join(" ".join(_lines(p.extract_text())) for p in new.pages)
    for text in ("Rapport de police ÉÀ", "Lettre d'appui — Ñandú", "IMM-1111-25 · Tab 1", "IMM-2222-26 · Tab 1"):
        assert text in joined, text
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed: the second reader is missing")
    for i in range(len(old.pages)):
        got = " ".join(_lines(_pdftotext(second, i + offset + 1)))
        for line in _lines(_pdftotext(first, i + 1)):
            assert line in got, (i + 1, line, got)
