"""Active content hidden in every place a viewer would run it is removed from working copies."""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace

import pikepdf
import pytest

from clinic_app.intake import IntakeSandbox

JS = b"<< /S /JavaScript /JS (app.alert('x')) >>"
LAUNCH = b"<< /S /Launch /F (calc.exe) >>"


def _hostile_pdf(make: SimpleNamespace, open_action: bytes) -> bytes:
    return make.build_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /OpenAction " + open_action + b" /AA << /WC 5 0 R >>"
            b" /Outlines 9 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 /Rotate 270 >>",  # inherited rotation
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 500] /CropBox [10 10 390 490]"
            b" /Contents 4 0 R /Annots [6 0 R 7 0 R 8 0 R] /AA << /O 5 0 R >>"
            b" /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>",
            make.stream(b"BT /F1 12 Tf 50 400 Td (Hello) Tj ET"),
            JS,
            b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /URI /URI (https://x.test)"
            b" /Next [" + LAUNCH + b" << /S /GoTo /D [3 0 R /Fit] >>] >> >>",
            b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A " + LAUNCH + b" >>",
            b"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 10 10] /FS << /Type /Filespec"
            b" /F (x.exe) /EF << /F 10 0 R >> >> >>",
            b"<< /Type /Outlines /First 11 0 R /Last 11 0 R /Count 1 >>",
            make.stream(b"MZ pretend program"),
            b"<< /Title (Jump) /Parent 9 0 R /A " + JS + b" >>",
        ]
    )


def _attachment_bytes_present(pdf: pikepdf.Pdf) -> bool:
    return any(
        isinstance(obj, pikepdf.Stream) and b"pretend program" in obj.read_raw_bytes()
        for obj in pdf.objects
    )


@pytest.mark.parametrize(
    ("open_action", "reported"),
    [(JS, "javascript"), (b"[3 0 R /Fit]", None), (b"<< /S /GoTo /D [3 0 R /Fit] >>", None)],
)
def test_every_hiding_place_is_emptied(
    tmp_path: Path,
    sandbox: IntakeSandbox,
    make: SimpleNamespace,
    open_action: bytes,
    reported: str | None,
) -> None:
    path = tmp_path / "hostile.pdf"
    path.write_bytes(_hostile_pdf(make, open_action))
    with pikepdf.open(path) as original:
        assert len(make.active_content(original)) >= 8  # the test file really is hostile
        assert _attachment_bytes_present(original)
    result = sandbox.parse(path)
    with pikepdf.open(io.BytesIO(result.working_pdf)) as copy:
        assert make.active_content(copy) == []
        assert not _attachment_bytes_present(copy)
        page = copy.pages[0].obj
        assert int(page.Rotate) == 270 and [float(v) for v in page.CropBox] == [10, 10, 390, 490]
        links = [a for a in page.Annots if a.Subtype == "/Link"]
        assert len(links) == 2 and str(links[0].A.URI) == "https://x.test"  # links stay
        assert "/Outlines" in copy.Root  # bookmarks stay, without their script
    assert {"javascript", "launch", "embedded_files", "additional_actions"} <= set(
        result.removed_active_content
    )
    assert (reported in result.removed_active_content) if reported else True
    assert "open_action" not in result.removed_active_content
    page_info = result.pages[0]
    assert (page_info.width_pt, page_info.height_pt, page_info.rotation) == (380.0, 480.0, 270)
    assert "Hello" in result.text
