"""Affidavits with exhibits, as the bundle engine builds them for every forum: exhibits follow
their affidavit, each exhibit's first page carries its mark and the commissioner's block
inside the page (the content shrunk below it, never covered), the index lists them under
the affidavit with their pages, and the numbers agree with the stamps. Read back with pdfium,
pypdf and pdftotext; sources draw in Helvetica, stamps are in Haven's fonts."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import landscape, letter
from stamp_readback import overlaps, pdfium_pages, pypdf_runs

from clinic_app.domain.bundle import (
    BundleSettings,
    BundleSpec,
    BundleSpecError,
    DocumentPart,
    Section,
    Tab,
    plan_bundle,
    validate_spec,
)
from clinic_app.pdf.engine import build_bundle

from .conftest import Doc, P, make_pdf

SWORN = date(2026, 12, 1)
SOURCES = {
    "aff": make_pdf(Doc("aff", [P(), P()])),
    "e1": make_pdf(Doc("e1", [P(rotate=90)])),  # a scan turned on its side
    "e2": make_pdf(Doc("e2", [P(size=landscape(letter)), P()])),
    "e2t": make_pdf(Doc("e2t", [P()])),
}


def spec(lang: str = "en", marks: str = "letters") -> BundleSpec:
    parts = [DocumentPart("aff"),
             DocumentPart("e1", label="Refused deferral", role="exhibit", date=date(2026, 11, 20)),
             DocumentPart("e2", label="Removal direction", role="exhibit", date=date(2026, 11, 2)),
             DocumentPart("e2t", label="Translation", role="translation")]
    return BundleSpec(title="Record", language=lang, file_number="IMM-1-26",
                      settings=BundleSettings(front_matter_numbering="arabic", index_heading="contents",
                                              exhibit_marks=marks),
                      sections=[Section("Affidavits", [Tab("Affidavit of J. Doe", SWORN, parts, deponent="Jane Doe",
                                                           sworn=SWORN)])])


def build(tmp_path: Path, lang: str = "en", marks: str = "letters") -> Path:
    out = tmp_path / f"exhibits-{lang}-{marks}.pdf"
    build_bundle(spec(lang, marks), lambda d: SOURCES[d], out, today=date(2026, 12, 7))
    return out


def _pdftotext(path: Path, page: int) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


def test_each_exhibit_first_page_carries_its_stamp_inside_the_page(tmp_path: Path) -> None:
    path = build(tmp_path)
    pages = pdfium_pages(path)
    texts = ["".join(c for c, _b in p.content) for p in pages]
    first_e1 = next(i for i, t in enumerate(texts) if "MARK-e1-p1" in t)
    first_e2 = next(i for i, t in enumerate(texts) if "MARK-e2-p1" in t)
    aff_last = next(i for i, t in enumerate(texts) if "MARK-aff-p2" in t)
    assert aff_last < first_e1 < first_e2  # the exhibits follow their affidavit, in order
    for index, mark in ((first_e1, "A"), (first_e2, "B")):
        stamps = "".join(c for c, _b in pages[index].stamps)
        assert f"Exhibit“{mark}”" in stamps and "Commissioner" in stamps, stamps
        assert "JaneDoe" in stamps and "1December2026" in stamps
        for _c, box in pages[index].stamps:  # no stamp covers the page's own text
            assert not any(overlaps(box, other) for _o, other in pages[index].content)
        page_text = _pdftotext(path, index + 1)  # a second reader, poppler
        assert f"This is Exhibit “{mark}” referred to in the affidavit of Jane Doe" in page_text
    for index in (aff_last, first_e2 + 1):  # other pages: no exhibit stamp
        assert "Exhibit" not in "".join(c for c, _b in pages[index].stamps)
    runs = pypdf_runs(path)  # a third reader: the stamp is drawn upright, above the content
    for index in (first_e1, first_e2):
        _w, h, page_runs = runs[index]
        stamp = next(r for r in page_runs if r.haven and r.text.startswith("Exhibit"))
        content = next(r for r in page_runs if not r.haven and "MARK" in r.text)
        assert stamp.y > h / 2 and abs(stamp.size - 8.0) < 0.3
        assert stamp.y > content.y or index == first_e1  # the rotated scan's marker runs sideways


def test_the_index_lists_exhibits_under_the_affidavit_with_the_stamped_pages(tmp_path: Path) -> None:
    path = build(tmp_path)
    contents = _pdftotext(path, 2)
    assert "Table of contents" in contents
    lines = [line for line in contents.splitlines() if line.strip()]
    affidavit = next(n for n, line in enumerate(lines) if "Affidavit of J. Doe" in line)
    exhibit_a = next(n for n, line in enumerate(lines) if "Exhibit “A” – Refused deferral" in line)
    exhibit_b = next(n for n, line in enumerate(lines) if "Exhibit “B” – Removal direction" in line)
    translation = next(n for n, line in enumerate(lines) if "Exhibit “B”, translation" in line)
    assert affidavit < exhibit_a < exhibit_b < translation
    assert "20 November 2026" in lines[exhibit_a]
    pages = pdfium_pages(path)
    for row, marker in ((lines[exhibit_a], "MARK-e1-p1"), (lines[exhibit_b], "MARK-e2-p1"),
                        (lines[translation], "MARK-e2t-p1")):
        listed = int(row.split()[-1].split("–")[0])  # the first page the row gives
        index = next(i for i, p in enumerate(pages) if marker in "".join(c for c, _b in p.content))
        stamped = "".join(c for c, b in sorted(pages[index].stamps, key=lambda t: t[1][0]) if b[1] < 40)
        assert stamped.endswith(str(listed)), (row, stamped)


def test_french_block_and_numbered_marks(tmp_path: Path) -> None:
    path = build(tmp_path, "fr", "numbers")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    assert "Table des matières" in text
    assert "Pièce « 1 » – Refused deferral" in text and "Pièce « 2 »" in text
    assert "Ceci est la pièce « 1 » mentionnée dans l'affidavit de Jane Doe" in " ".join(text.split())
    assert "Commissaire à l'assermentation" in text or "Commissaire" in text


def test_front_matter_counts_from_one_in_a_record(tmp_path: Path) -> None:
    plan = plan_bundle(spec(), {"aff": 2, "e1": 1, "e2": 2, "e2t": 1}, front_pages=2)
    cover, contents = plan.volumes[0].pages[:2]
    assert (cover.number, cover.stamp, contents.number, contents.stamp) == (1, "", 2, "2")
    assert plan.tabs[0].first_number == 4  # 3 is the tab's separator page
    marks = [(p.exhibit, p.starts_exhibit) for p in plan.tabs[0].parts]
    assert marks == [("", False), ("A", True), ("B", True), ("B", False)]


def test_exhibits_are_checked_and_saved_specs_round_trip() -> None:
    saved = spec().to_dict()
    again = BundleSpec.from_dict(saved)
    assert again.to_dict() == saved and again.sections[0].tabs[0].sworn == SWORN
    old = spec().to_dict()  # a spec saved before exhibits existed still opens
    for key in ("exhibit_marks", "index_heading"):
        del old["settings"][key]
    tab = old["sections"][0]["tabs"][0]
    del tab["deponent"], tab["sworn"]
    for part in tab["parts"]:
        del part["date"]
    tab["parts"] = [p for p in tab["parts"] if p["role"] != "exhibit"][:1]
    assert BundleSpec.from_dict(old).settings.exhibit_marks == "letters"
    nameless = spec()
    nameless.sections[0].tabs[0].deponent = " "
    with pytest.raises(BundleSpecError) as err:
        validate_spec(nameless)
    assert err.value.field == "deponent"
    first = spec()
    first.sections[0].tabs[0].parts = first.sections[0].tabs[0].parts[1:]
    with pytest.raises(BundleSpecError, match="affidavit first"):
        validate_spec(first)
