"""OCR with Tesseract when installed; a clear install hint when it is not."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from types import SimpleNamespace

import pypdfium2
import pytest
from PIL import Image

from clinic_app.intake import IntakeSandbox, ParsedFile

needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="tesseract is not installed"
)
LINES = ["Refugee protection hearing", "Montreal, 12 March 2023"]


def _word_box_fraction(result: ParsedFile, word: str) -> tuple[float, float]:
    """Centre of `word` as fractions of the page as displayed (rotation applied)."""
    document = pypdfium2.PdfDocument(result.working_pdf)
    page = document[0]
    text = page.get_textpage()
    found = text.search(word, match_case=False).get_next()
    assert found is not None, f"{word!r} not in the text layer"
    index, count = found
    boxes = [text.get_charbox(i) for i in range(index, index + count)]
    x = (min(b[0] for b in boxes) + max(b[2] for b in boxes)) / 2
    y = (min(b[1] for b in boxes) + max(b[3] for b in boxes)) / 2
    info = result.pages[0]
    left, bottom, *_ = page.get_cropbox()
    w, h = info.width_pt, info.height_pt
    dx, dy = x - left, y - bottom
    u, v, shown_w, shown_h = {
        0: (dx, dy, w, h),
        90: (dy, w - dx, h, w),
        180: (w - dx, h - dy, w, h),
        270: (h - dy, dx, h, w),
    }[info.rotation]
    document.close()
    return u / shown_w, v / shown_h


@needs_tesseract
def test_scanned_page_gets_an_invisible_text_layer(
    tmp_path: Path, sandbox: IntakeSandbox, make: SimpleNamespace
) -> None:
    scan = tmp_path / "scan.png"
    make.text_image(LINES).save(scan, dpi=(200, 200))
    result = sandbox.parse(scan)
    assert result.ocr_applied and result.ocr_pages == (1,) and result.pages_without_text == ()
    assert "refugee protection hearing" in result.text.lower()
    assert result.pages[0].has_text and result.date_suggestion == "2023-03-12"
    assert any("recognised automatically" in w for w in result.warnings)
    u, v = _word_box_fraction(result, "hearing")
    assert 0.2 < u < 0.9 and v > 0.8  # top of the page, where it was drawn


@needs_tesseract
@pytest.mark.parametrize("orientation", [6, 3, 8])
def test_ocr_text_sits_on_the_pixels_of_rotated_pages(
    tmp_path: Path, sandbox: IntakeSandbox, make: SimpleNamespace, orientation: int
) -> None:
    upright = make.text_image(LINES)
    plain = tmp_path / "plain.jpg"
    upright.save(plain, quality=90)
    turn = {
        6: Image.Transpose.ROTATE_90,
        3: Image.Transpose.ROTATE_180,
        8: Image.Transpose.ROTATE_270,
    }
    exif = Image.Exif()
    exif[0x0112] = orientation
    rotated = tmp_path / f"rotated-{orientation}.jpg"
    upright.transpose(turn[orientation]).save(rotated, quality=90, exif=exif)
    reference, result = sandbox.parse(plain), sandbox.parse(rotated)
    assert result.pages[0].rotation == {6: 90, 3: 180, 8: 270}[orientation]
    assert result.ocr_applied and "hearing" in result.text.lower()
    expected = _word_box_fraction(reference, "hearing")
    actual = _word_box_fraction(result, "hearing")
    assert actual == pytest.approx(expected, abs=0.03)


@needs_tesseract
def test_ocr_of_scanned_pdf_pages(sandbox: IntakeSandbox, corpus_folder: Path) -> None:
    result = sandbox.parse(corpus_folder / "qpdf_fax-scans-mixed-sizes.pdf")
    assert result.ocr_applied and result.ocr_pages
    assert set(result.ocr_pages).isdisjoint(result.pages_without_text)


def test_without_tesseract_pages_are_flagged_with_an_install_hint(
    tmp_path: Path, no_tools_path: None, make: SimpleNamespace
) -> None:
    scan = tmp_path / "scan.png"
    make.text_image(LINES).save(scan)
    with IntakeSandbox() as sandbox:  # started after PATH lost tesseract
        result = sandbox.parse(scan, display_name="Exhibit C.png")
    assert (
        not result.ocr_applied and result.pages_without_text == (1,) and result.text.strip() == ""
    )
    [hint] = [w for w in result.warnings if "Tesseract" in w]
    assert "Exhibit C.png" in hint and "apt install tesseract-ocr" in hint


def test_text_pdf_pages_need_no_ocr(
    sandbox: IntakeSandbox, make: SimpleNamespace, tmp_path: Path
) -> None:
    doc = tmp_path / "typed.pdf"
    doc.write_bytes(make.reportlab_pdf(["Typed page one", "Typed page two"], rotations=[0, 90]))
    result = sandbox.parse(doc)
    assert not result.ocr_applied and result.pages_without_text == ()
    assert [p.rotation for p in result.pages] == [0, 90]
    assert [t.strip() for t in result.text.split("\f")] == ["Typed page one", "Typed page two"]
    assert io.BytesIO(result.working_pdf).read(5) == b"%PDF-"


@needs_tesseract
def test_ocr_spread_over_workers_gives_the_bytes_of_ocr_in_one_job(make: SimpleNamespace) -> None:
    """The pipeline run in this process, both ways: pages recognised in parts then laid over
    (as several workers do) against all pages in one job (as before): same answer, same bytes."""
    import time

    from clinic_app.intake.limits import Limits
    from clinic_app.intake.pipeline import finish_ocr, ocr_part, parse_document
    from clinic_app.intake.worker import _split_found

    pages = [make.text_image([f"Declaration page {n}", "Montreal, 12 March 2023"], size=(1200, 900))
             for n in (1, 2, 3)]
    out = io.BytesIO()
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=200)
    data, limits = out.getvalue(), Limits()
    one_header, one_pdf = parse_document(data, ".pdf", None, limits, time.monotonic(), Path("/nonexistent"))
    stage, working = parse_document(data, ".pdf", None, limits, time.monotonic(), Path("/nonexistent"),
                                    split_ocr=True)
    assert stage["stage"] == "ocr" and stage["state"]["todo"] == [0, 1, 2]
    found = {}
    for part in ([0, 1], [2]):  # two workers' jobs
        header, recognised = ocr_part(working, part, limits, time.monotonic())
        found.update(_split_found(header["found"], recognised))
    spread_header, spread_pdf = finish_ocr(stage["state"], working, found, time.monotonic())
    assert spread_pdf == one_pdf
    for key in ("elapsed_s", "peak_rss_mb"):
        one_header.pop(key), spread_header.pop(key)
    assert spread_header == one_header and one_header["ocr_pages"] == [1, 2, 3]
    assert "declaration page 3" in one_header["text"].lower()


@needs_tesseract
def test_a_files_spread_ocr_stops_at_the_files_deadline_not_each_parts(make: SimpleNamespace, tmp_path: Path) -> None:
    """Each part of a spread file got a fresh 30 s: a 400 KB TIFF of 3,000 tiny frames kept both
    workers busy for over 11 minutes. Now every part carries the file's deadline; a part that
    starts after it recognises nothing, and the import goes on with the usual warning."""
    import time

    from clinic_app.intake.limits import Limits
    from clinic_app.intake.pipeline import finish_ocr, ocr_part, parse_document

    pages = [make.text_image([f"Declaration page {n}"], size=(1200, 900)) for n in (1, 2, 3)]
    out = io.BytesIO()
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=200)
    limits = Limits()
    stage, working = parse_document(out.getvalue(), ".pdf", None, limits, time.monotonic(), Path("/nonexistent"),
                                    split_ocr=True)
    now = time.monotonic()
    header, recognised = ocr_part(working, [0, 1, 2], limits, now, until=now - 0.001)
    assert header["found"] == [] and recognised == b""  # no page was even started
    done_header, _pdf = finish_ocr(stage["state"], working, {}, time.monotonic())
    assert done_header["ocr_pages"] == [] and "ocr_incomplete" in {w[0] for w in done_header["warnings"]}
    header, recognised = ocr_part(working, [0], limits, now, until=now + 60)  # within it: recognised
    assert [index for index, length in header["found"] if length > 0] == [0] and recognised


def test_every_part_of_a_spread_file_carries_the_same_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    """The parent cuts a file's OCR into parts; the deadline it gives each is the file's."""
    from concurrent.futures import Future

    from clinic_app.intake import spread
    from clinic_app.intake.limits import OCR_SHARE_OF_TIMEOUT, Limits

    sent: list[dict] = []

    class Pool:
        size, limits = 2, Limits()

        def run(self, key, job, **_kw):  # type: ignore[no-untyped-def]
            sent.append(job)
            return Future()

    parse = spread.FileParse(Pool(), 0, "scan.pdf", None, lambda *a: a)  # type: ignore[arg-type]
    parse._started = 1000.0
    parse._spread({"todo": list(range(40))}, b"%PDF")
    assert len(sent) > 2 and {job["until"] for job in sent} == {1000.0 + Limits().timeout_s * OCR_SHARE_OF_TIMEOUT}
