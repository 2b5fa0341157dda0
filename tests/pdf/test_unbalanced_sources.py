"""A source whose content restores more graphics states than it saved, or leaves some saved,
still gets its page number and header, where they belong, in every renderer.

Broken writers leave stray `Q`s, and a hostile file can add them on purpose. With the stamps
drawn after the old content, one stray `Q` and a `cm` after it moved every stamp off the
page, and poppler also stops drawing a page at the first `Q` that has nothing to restore.
Each bundle page here must render pixel for pixel like the page of the same source with
balanced content, in poppler (pdftoppm) and in pdfium: two renderers that share no code.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from pikepdf import Array, Dictionary, Name

from clinic_app.domain.bundle import BundleSpec, DocumentPart, Section, Tab
from clinic_app.pdf.engine import build_bundle

DOC_PAGE = 4  # cover, index, tab page, then the document's page (1-based)
BODY = b"BT /F1 30 Tf 72 700 Td (SOURCETEXT) Tj ET 0 0 1 rg 72 300 200 100 re f"


def _source(content: bytes) -> bytes:
    pdf = pikepdf.new()
    font = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    pdf.pages.append(pikepdf.Page(Dictionary(
        Type=Name.Page, MediaBox=Array([0, 0, 612, 792]), Contents=pdf.make_stream(content),
        Resources=Dictionary(Font=Dictionary(F1=font)))))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _bundle(tmp_path: Path, content: bytes, name: str) -> Path:
    out = tmp_path / f"{name}.pdf"
    spec = BundleSpec("Record", file_number="IMM-3333-26", sections=[Section("A", [Tab("t", parts=[DocumentPart("d")])])])
    build_bundle(spec, lambda _d: _source(content), out)
    return out


def _poppler(path: Path, tmp_path: Path) -> str:
    stem = tmp_path / f"{path.stem}-poppler"
    subprocess.run(["pdftoppm", "-r", "40", "-gray", "-f", str(DOC_PAGE), "-l", str(DOC_PAGE), str(path), str(stem)],
                   check=True, capture_output=True)
    (image,) = tmp_path.glob(f"{stem.name}*.pgm")
    return hashlib.sha256(image.read_bytes()).hexdigest()


def _pdfium(path: Path) -> str:
    document = pdfium.PdfDocument(str(path))
    try:
        image = document[DOC_PAGE - 1].render(scale=40 / 72).to_pil().convert("L")
        return hashlib.sha256(image.tobytes()).hexdigest()
    finally:
        document.close()


@pytest.mark.parametrize("tail", [b"Q", b"Q Q Q Q Q Q", b"q q q", b"Q Q q"],
                         ids=["one stray Q", "six stray Qs", "three unclosed q", "mixed"])
def test_stamps_survive_content_that_unbalances_the_graphics_state(tmp_path: Path, tail: bytes) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils (pdftoppm) is not installed: the second renderer is missing")
    balanced = _bundle(tmp_path, BODY, "balanced")
    broken = _bundle(tmp_path, BODY + b" " + tail + b" 1 0 0 1 5000 5000 cm 0.5 g 0 0 612 792 re f", "broken")
    assert _poppler(broken, tmp_path) == _poppler(balanced, tmp_path)
    assert _pdfium(broken) == _pdfium(balanced)


def test_content_with_a_few_stray_qs_stays_inside_its_clip(tmp_path: Path) -> None:
    """Two stray `Q`s, then a fill of the whole page: it stays moved and clipped like the same
    fill in balanced content, and the margin, where the stamps are, stays clear."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils (pdftoppm) is not installed: the second renderer is missing")
    fill = b" 0.5 g 0 0 612 792 re f"
    balanced = _bundle(tmp_path, BODY + fill, "balanced")
    broken = _bundle(tmp_path, BODY + b" Q Q" + fill, "broken")
    assert _poppler(broken, tmp_path) == _poppler(balanced, tmp_path)
    assert _pdfium(broken) == _pdfium(balanced)
