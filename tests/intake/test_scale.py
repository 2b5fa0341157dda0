"""Scale (reliability item 18): a generated 5,000-page PDF, and the page-count cap."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest

from clinic_app.intake import IntakeError, IntakeSandbox
from clinic_app.intake.limits import Limits


def _many_pages(count: int) -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, invariant=1)
    for number in range(1, count + 1):
        pdf.drawString(72, 720, f"Exhibit page {number}")
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def test_five_thousand_pages_import_within_a_minute(tmp_path: Path) -> None:
    big = tmp_path / "big.pdf"
    big.write_bytes(_many_pages(5000))
    started = time.monotonic()
    with IntakeSandbox(timeout_s=60, memory_mb=1024) as sandbox:
        result = sandbox.parse(big)
    assert time.monotonic() - started < 60
    assert result.page_count == 5000 and result.pages_without_text == ()
    assert "Exhibit page 5000" in result.text and result.worker_peak_rss_mb < 1024


def test_page_count_cap_refuses_clearly(tmp_path: Path) -> None:
    doc = tmp_path / "long.pdf"
    doc.write_bytes(_many_pages(30))
    with (
        IntakeSandbox(limits=Limits(max_pages=20)) as sandbox,
        pytest.raises(IntakeError) as refused,
    ):
        sandbox.parse(doc)
    assert refused.value.reason == "too_large"
    assert "30 pages" in str(refused.value) and "20" in str(refused.value)
