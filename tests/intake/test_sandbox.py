"""The sandbox itself: timeouts, crashes, cancellation, no temp files, clean errors."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from clinic_app.domain.progress import CancelToken
from clinic_app.errors import BadInput, Cancelled
from clinic_app.intake import IntakeError, IntakeSandbox, parse_file, tools_available
from clinic_app.intake.errors import error_from_child
from clinic_app.intake.limits import Limits
from clinic_app.intake.notices import render_warnings


def test_hanging_worker_is_killed_at_timeout_and_next_parse_works(corpus_folder: Path) -> None:
    with IntakeSandbox(timeout_s=2.0, _allow_test_ops=True) as sandbox:
        first = sandbox.parse(corpus_folder / "qpdf_inherited-rotate.pdf")
        started = time.monotonic()
        with pytest.raises(IntakeError) as hung:
            sandbox._test_op("test_hang")
        elapsed = time.monotonic() - started
        assert 1.9 <= elapsed < 5.0
        assert hung.value.reason == "timeout" and "2 seconds" in str(hung.value)
        again = sandbox.parse(corpus_folder / "qpdf_inherited-rotate.pdf")
        assert again.page_count == first.page_count == 1


def test_crashing_worker_is_replaced(corpus_folder: Path) -> None:
    with IntakeSandbox(_allow_test_ops=True) as sandbox:
        with pytest.raises(IntakeError) as crashed:
            sandbox._test_op("test_crash")
        assert crashed.value.reason == "damaged" and "stopped unexpectedly" in str(crashed.value)
        assert sandbox.parse(corpus_folder / "qpdf_inherited-rotate.pdf").page_count == 1


def test_test_ops_are_refused_by_an_ordinary_sandbox(sandbox: IntakeSandbox) -> None:
    started = time.monotonic()
    with pytest.raises(IntakeError) as refused:
        sandbox._test_op("test_hang")
    assert refused.value.reason == "unsupported" and time.monotonic() - started < 5


def test_cancel_kills_the_job(corpus_folder: Path) -> None:
    token = CancelToken()
    with IntakeSandbox(_allow_test_ops=True) as sandbox:
        sandbox.parse(corpus_folder / "qpdf_inherited-rotate.pdf")  # worker is up
        threading.Timer(0.5, token.cancel).start()
        started = time.monotonic()
        with pytest.raises(Cancelled):
            sandbox._call({"op": "test_hang"}, "x", token, Path("/nonexistent-haven-scratch"))
        assert time.monotonic() - started < 3
        assert sandbox.parse(corpus_folder / "qpdf_inherited-rotate.pdf").page_count == 1


def test_parsing_creates_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make: object
) -> None:
    watched = tmp_path / "tmp"
    watched.mkdir()
    for var in ("TMPDIR", "TEMP", "TMP"):
        monkeypatch.setenv(var, str(watched))
    monkeypatch.setattr("tempfile.tempdir", None)  # forget the cached temp folder
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "note.txt").write_text("Déclaration: je suis arrivé le 3 mai 2021.", encoding="utf-8")
    (inputs / "scan.png").write_bytes(_png_bytes(make))
    (inputs / "doc.pdf").write_bytes(make.reportlab_pdf(["Hello", "World"]))  # type: ignore[attr-defined]
    shm_before = _shm_entries()
    with IntakeSandbox() as sandbox:
        for path in sorted(inputs.iterdir()):
            assert sandbox.parse(path).page_count >= 1
    assert list(watched.iterdir()) == []
    assert _shm_entries() - shm_before == set()


def _png_bytes(make: object) -> bytes:
    import io

    image = make.text_image(["Scanned page"], size=(600, 800))  # type: ignore[attr-defined]
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _shm_entries() -> set[str]:
    shm = Path("/dev/shm")
    return {p.name for p in shm.iterdir() if p.name.startswith("haven-")} if shm.is_dir() else set()


def test_missing_file_and_empty_file(tmp_path: Path, sandbox: IntakeSandbox) -> None:
    with pytest.raises(IntakeError) as missing:
        sandbox.parse(tmp_path / "gone.pdf")
    assert missing.value.reason == "unreadable" and "gone.pdf" in str(missing.value)
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(IntakeError) as refused:
        sandbox.parse(empty, display_name="Pièce 7.pdf")
    assert refused.value.reason == "damaged" and "Pièce 7.pdf" in str(refused.value)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("photo.heic", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "unsupported"),
        ("archive.zip", b"PK\x03\x04" + bytes(60), "unsupported"),
        ("program.exe", b"MZ\x90\x00" + bytes(200), "unsupported"),
        ("photo.jpg", b"this is not a photo at all", "damaged"),
        ("sheet.xlsx", b"PK\x03\x04" + bytes(60), "unsupported"),
        ("broken.docx", b"PK\x03\x04" + bytes(60), "damaged"),
    ],
)
def test_unsupported_and_mislabelled_files(
    tmp_path: Path, sandbox: IntakeSandbox, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(IntakeError) as refused:
        sandbox.parse(path)
    assert refused.value.reason == reason and name in str(refused.value)
    if name.endswith(".heic"):
        assert "JPEG" in str(refused.value)


def test_content_wins_over_the_name(tmp_path: Path, sandbox: IntakeSandbox, make: object) -> None:
    disguised = tmp_path / "letter.jpg"
    disguised.write_bytes(make.reportlab_pdf(["Disguised PDF"]))  # type: ignore[attr-defined]
    result = sandbox.parse(disguised)
    assert result.kind == "pdf" and "Disguised PDF" in result.text
    assert any("does not match" in w for w in result.warnings)


def test_errors_from_the_child_are_rebuilt_safely() -> None:
    error = error_from_child(
        "too_many_pages", {"pages": 20000, "limit": 10000, "evil": "x"}, "a.pdf"
    )
    assert isinstance(error, BadInput) and error.reason == "too_large"
    assert "20000" in str(error) and "a.pdf" in str(error)
    unknown = error_from_child({"not": "a key"}, "junk", "b.pdf")
    assert unknown.reason == "damaged" and "b.pdf" in str(unknown)
    assert error_from_child("image_too_large", {"width": "1e9"}, "c.png").reason == "too_large"


def test_warnings_from_the_child_are_filtered() -> None:
    sentences = render_warnings(
        [
            ["ocr_applied", {"count": 2}],
            ["made_up", {}],
            ["page_text_unreadable", {"page": "<b>"}],
            "junk",
        ],
        "scan.pdf",
    )
    assert len(sentences) == 1 and "2 scanned pages of scan.pdf" in sentences[0]


def test_pages_left_unrecognised_say_why(monkeypatch: pytest.MonkeyPatch) -> None:
    """With OCR switched off on purpose (HAVEN_OCR=off), the warning told people to install
    Tesseract, which was installed; it now says recognition is off."""
    raw = [["ocr_unavailable", {"count": 3}]]
    monkeypatch.setenv("HAVEN_OCR", "off")
    (off,) = render_warnings(raw, "scan.pdf")
    assert "3 pages of scan.pdf" in off and "HAVEN_OCR=off" in off and "Install Tesseract" not in off
    monkeypatch.delenv("HAVEN_OCR")
    (missing,) = render_warnings(raw, "scan.pdf")
    assert "Install Tesseract" in missing and "HAVEN_OCR" not in missing


def test_limits_round_trip_and_tools_report() -> None:
    limits = Limits(timeout_s=5, memory_mb=256)
    assert Limits.from_dict({**limits.to_dict(), "unknown": 1}) == limits
    tools = tools_available()
    assert set(tools) == {"tesseract", "soffice", "pdf_renderer"} and all(
        isinstance(v, bool) for v in tools.values()
    )


def test_one_shot_parse_file(corpus_folder: Path) -> None:
    result = parse_file(corpus_folder / "qpdf_mixed-sizes-big-small.pdf")
    assert result.page_count == 2 and result.kind == "pdf"


def test_worker_is_its_own_process_group(sandbox: IntakeSandbox, corpus_folder: Path) -> None:
    sandbox.parse(corpus_folder / "qpdf_inherited-rotate.pdf")
    pid = sandbox._pool.workers[0]._process.pid
    assert os.getpgid(pid) == pid != os.getpgid(0)


def test_sniffing_rules() -> None:
    from clinic_app.intake.errors import Refusal
    from clinic_app.intake.sniff import sniff

    assert sniff(b"junk\n%PDF-1.4\n", ".pdf").kind == "pdf"
    assert sniff(b"A note about the %PDF- header", ".txt").kind == "text"
    assert sniff(b"\xff\xd8\xff\xe0 %PDF- in a comment", ".jpg").media_type == "image/jpeg"
    assert sniff(b"%PDF-1.7", ".png").name_mismatch
    with pytest.raises(Refusal):
        sniff(b"GIF89a....", ".gif")


def test_a_pool_keeps_each_workers_limits_and_one_failure_stays_its_own(corpus_folder: Path) -> None:
    """Two workers: one runs out of memory (its cap holds, its job is refused, it is replaced)
    while the other parses a file; then both run a hung job and one cancel stops both."""
    from clinic_app.intake.spread import answer

    with IntakeSandbox(workers=2, _allow_test_ops=True) as sandbox:
        hog = sandbox._pool.run((0, 0, 0), {"op": "test_allocate"})
        good = sandbox.submit(corpus_folder / "qpdf_inherited-rotate.pdf")
        with pytest.raises(IntakeError) as refused:
            answer(hog, "test", sandbox.limits)
        assert refused.value.reason == "memory"
        assert good.result().page_count == 1
        assert len(sandbox._pool.workers) == 2
        token = CancelToken()
        hung = [sandbox._pool.run((9, 0, n), {"op": "test_hang"}, cancel=token) for n in range(2)]
        time.sleep(0.5)
        assert all(f.running() for f in hung)  # one on each worker
        started = time.monotonic()
        token.cancel()
        for future in hung:
            with pytest.raises(Cancelled):
                future.result(timeout=5)
        assert time.monotonic() - started < 3
        assert sandbox.parse(corpus_folder / "qpdf_inherited-rotate.pdf").page_count == 1
