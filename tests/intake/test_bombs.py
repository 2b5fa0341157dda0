"""Decompression bombs are refused quickly, inside the memory cap (reliability item 15)."""

from __future__ import annotations

import resource
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from clinic_app.intake import IntakeError, IntakeSandbox

MAX_SECONDS = 10.0


def _refused(sandbox: IntakeSandbox, path: Path) -> tuple[IntakeError, float]:
    started = time.monotonic()
    with pytest.raises(IntakeError) as refused:
        sandbox.parse(path)
    return refused.value, time.monotonic() - started


@pytest.fixture(scope="module")
def bomb_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("bombs")


@pytest.mark.parametrize("layers", [1, 3])
def test_flate_bomb_is_refused(
    sandbox: IntakeSandbox, make: SimpleNamespace, bomb_dir: Path, layers: int
) -> None:
    bomb = bomb_dir / f"flate-{layers}.pdf"
    bomb.write_bytes(make.flate_bomb_pdf(layers=layers, gigabytes=1))
    assert bomb.stat().st_size < 2_000_000  # 1 GB of zeros behind it
    error, seconds = _refused(sandbox, bomb)
    assert seconds < MAX_SECONDS
    assert error.reason == "too_large" and bomb.name in str(error)


@pytest.mark.parametrize(
    ("name", "maker", "size"),
    [("huge.png", "png_claiming", 50_000), ("huge.jpg", "jpeg_claiming", 65_000)],
)
def test_image_header_bombs_are_refused_before_decoding(
    sandbox: IntakeSandbox, make: SimpleNamespace, bomb_dir: Path, name: str, maker: str, size: int
) -> None:
    bomb = bomb_dir / name
    bomb.write_bytes(getattr(make, maker)(size, size))
    error, seconds = _refused(sandbox, bomb)
    assert seconds < MAX_SECONDS
    assert error.reason == "too_large" and "megapixels" in str(error)


def test_png_text_chunk_bomb_is_refused(
    sandbox: IntakeSandbox, make: SimpleNamespace, bomb_dir: Path
) -> None:
    bomb = bomb_dir / "ztxt.png"
    bomb.write_bytes(make.png_ztxt_bomb())
    started = time.monotonic()
    try:
        result = sandbox.parse(bomb)
    except IntakeError as error:
        assert error.reason in ("too_large", "damaged")
    else:  # Pillow may skip the oversized chunk: then the 8x8 image itself is fine
        assert result.page_count == 1 and result.worker_peak_rss_mb < 512
    assert time.monotonic() - started < MAX_SECONDS


def test_child_memory_cap_holds_and_parent_is_unaffected(
    sandbox: IntakeSandbox, corpus_folder: Path
) -> None:
    parent_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with IntakeSandbox(_allow_test_ops=True) as hog:
        with pytest.raises(IntakeError) as refused:
            hog._test_op("test_allocate")  # asks for 8 GB
        assert refused.value.reason == "memory"
        ok = hog.parse(corpus_folder / "qpdf_rotated-20-pages.pdf")
        assert ok.page_count == 20
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - parent_before < 100 * 1024


def test_stream_cap_is_lowered_below_pypdf_default(
    sandbox: IntakeSandbox, make: SimpleNamespace, bomb_dir: Path
) -> None:
    """60 MB passes pypdf's own 75 MB default; the child's 50 MB cap must refuse it."""
    import zlib

    content = zlib.compress(b"0 0 m\n" * (60_000_000 // 6), 9)
    doc = bomb_dir / "sixty.pdf"
    doc.write_bytes(
        make.build_pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
                make.stream(content, b"/Filter /FlateDecode"),
            ]
        )
    )
    error, seconds = _refused(sandbox, doc)
    assert error.reason == "too_large" and "50 MB" in str(error) and seconds < MAX_SECONDS
