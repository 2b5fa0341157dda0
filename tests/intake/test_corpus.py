"""The 58 hostile PDFs of shared/corpus: each imported or cleanly refused, fast, small.

Reliability test plan item 14. Results are computed once per module (one pass over
the corpus through the shared worker) and each test checks one property of them.
pikepdf (qpdf) is the independent reader the working copies are checked with.
"""

from __future__ import annotations

import io
import json
import time
from pathlib import Path
from types import SimpleNamespace

import pikepdf
import pytest

from clinic_app.errors import BadInput
from clinic_app.intake import IntakeError, IntakeSandbox, ParsedFile
from clinic_app.intake.errors import REASONS

MAX_SECONDS = 30.0
MAX_RSS_MB = 512.0

Outcome = tuple[ParsedFile | IntakeError, float]


@pytest.fixture(scope="module")
def passwords(corpus_folder: Path) -> dict[str, str]:
    """Passwords of the encrypted samples, from the corpus manifest."""
    manifest = json.loads((corpus_folder.parent / "manifest.json").read_text(encoding="utf-8"))
    found = {entry["file"]: entry["password"] for entry in manifest if entry.get("password")}
    assert len(found) == 5
    return found


@pytest.fixture(scope="module")
def outcomes(
    corpus_folder: Path, sandbox: IntakeSandbox, passwords: dict[str, str]
) -> dict[str, Outcome]:
    results: dict[str, Outcome] = {}
    for path in sorted(corpus_folder.glob("*.pdf")):
        started = time.monotonic()
        try:
            result: ParsedFile | IntakeError = sandbox.parse(
                path, password=passwords.get(path.name)
            )
        except IntakeError as err:
            result = err
        results[path.name] = (result, time.monotonic() - started)
    return results


def parsed(outcomes: dict[str, Outcome], name: str) -> ParsedFile:
    result = outcomes[name][0]
    assert isinstance(result, ParsedFile), f"{name} was refused: {result}"
    return result


def test_every_file_is_imported_or_refused_clearly(outcomes: dict[str, Outcome]) -> None:
    assert len(outcomes) == 58
    for name, (result, seconds) in outcomes.items():
        assert seconds < MAX_SECONDS, name
        if isinstance(result, IntakeError):
            message = str(result)
            assert isinstance(result, BadInput)
            assert result.reason in REASONS
            assert name in message
            assert "Traceback" not in message and "Error" not in message and 'File "' not in message
        else:
            assert result.page_count == len(result.pages) >= 1
            assert result.working_pdf.startswith(b"%PDF-")


def test_known_broken_files_are_refused_as_damaged(outcomes: dict[str, Outcome]) -> None:
    for name in (
        "qpdf_garbage-5-bytes.pdf",
        "pdfium_truncated-82-bytes.pdf",
        "qpdffuzz_oss-fuzz-16953.pdf",
        "pdfium_trailer-as-hexstring.pdf",
        "qpdf_page-tree-loop.pdf",
        "qpdf_page-tree-too-deep.pdf",
    ):
        result = outcomes[name][0]
        assert isinstance(result, IntakeError) and result.reason == "damaged", name


def test_most_of_the_corpus_imports(outcomes: dict[str, Outcome]) -> None:
    imported = [n for n, (r, _s) in outcomes.items() if isinstance(r, ParsedFile)]
    assert len(imported) >= 48  # 49 open in pypdf's baseline; 1 needs a password nobody has


def test_worker_memory_stays_under_the_cap(outcomes: dict[str, Outcome]) -> None:
    peaks = [r.worker_peak_rss_mb for r, _s in outcomes.values() if isinstance(r, ParsedFile)]
    assert peaks and all(0 < peak < MAX_RSS_MB for peak in peaks)


def test_page_counts_agree_with_pikepdf(
    corpus_folder: Path, outcomes: dict[str, Outcome], passwords: dict[str, str]
) -> None:
    compared = 0
    for name, (result, _s) in outcomes.items():
        if not isinstance(result, ParsedFile):
            continue
        try:
            with pikepdf.open(corpus_folder / name, password=passwords.get(name, "")) as pdf:
                expected = len(pdf.pages)
        except Exception:
            continue
        with pikepdf.open(io.BytesIO(result.working_pdf)) as copy:
            assert len(copy.pages) == result.page_count, name
        if name != "pdfium_page-tree-missing-count.pdf":  # readers disagree on this one (README)
            assert result.page_count == expected, name
        compared += 1
    assert compared >= 40


def test_passwords_open_encrypted_files(
    outcomes: dict[str, Outcome], passwords: dict[str, str]
) -> None:
    for name in passwords:
        result = parsed(outcomes, name)
        assert result.was_encrypted, name
        with pikepdf.open(io.BytesIO(result.working_pdf)) as copy:
            assert not copy.is_encrypted, name
    empty = parsed(outcomes, "qpdf_enc-aes128-V4_empty-user-password.pdf")
    assert empty.was_encrypted and empty.page_count == 30


@pytest.mark.parametrize(
    "name",
    [
        "qpdf_enc-aes256-R6_user-view_owner-master.pdf",
        "pdfium_enc-aes256-R6_nonascii-passwords.pdf",
    ],
)
def test_missing_and_wrong_passwords_are_refused_clearly(
    corpus_folder: Path, sandbox: IntakeSandbox, name: str
) -> None:
    with pytest.raises(IntakeError) as missing:
        sandbox.parse(corpus_folder / name, display_name="statement.pdf")
    assert missing.value.reason == "encrypted" and "statement.pdf" in str(missing.value)
    with pytest.raises(IntakeError) as wrong:
        sandbox.parse(corpus_folder / name, password="hotel", display_name="statement.pdf")
    assert wrong.value.reason == "wrong_password" and "statement.pdf" in str(wrong.value)


def test_owner_password_also_opens(corpus_folder: Path, sandbox: IntakeSandbox) -> None:
    result = sandbox.parse(
        corpus_folder / "qpdf_enc-rc4-40-R2_user-view_owner-master.pdf", password="master"
    )
    assert result.was_encrypted and result.page_count == 30


def test_working_copies_hold_no_active_content(
    outcomes: dict[str, Outcome], make: SimpleNamespace
) -> None:
    for name, (result, _s) in outcomes.items():
        if isinstance(result, ParsedFile):
            with pikepdf.open(io.BytesIO(result.working_pdf)) as copy:
                assert make.active_content(copy) == [], name


def test_active_content_is_reported(
    corpus_folder: Path, outcomes: dict[str, Outcome], make: SimpleNamespace
) -> None:
    for name in ("pdfium_document-javascript.pdf", "pdfium_launch-action.pdf"):
        with pikepdf.open(corpus_folder / name) as original:  # the check above can fail
            assert {"/JS", "/Launch"} & set(make.active_content(original)), name
    assert "javascript" in parsed(outcomes, "pdfium_document-javascript.pdf").removed_active_content
    assert "launch" in parsed(outcomes, "pdfium_launch-action.pdf").removed_active_content
    attachments = parsed(outcomes, "pdfium_embedded-attachments.pdf")
    assert {"embedded_files", "javascript"} <= set(attachments.removed_active_content)
    assert any("attached" in w for w in attachments.warnings)


def test_forms_and_signatures_are_flagged(outcomes: dict[str, Outcome]) -> None:
    for name in ("pdfium_xfa-simple.pdf", "pdfium_xfa-with-javascript.pdf"):
        result = parsed(outcomes, name)
        assert result.has_xfa and "xfa" in result.removed_active_content, name
    signed = parsed(outcomes, "qpdf_digitally-signed.pdf")
    assert signed.has_signature and not signed.has_xfa
    assert not parsed(outcomes, "pysf_acroform-libreoffice.pdf").has_signature
    with pikepdf.open(
        io.BytesIO(parsed(outcomes, "pysf_acroform-libreoffice.pdf").working_pdf)
    ) as copy:
        assert "/AcroForm" in copy.Root  # forms are kept, only their scripts go


def _effective_rotation(page: pikepdf.Dictionary) -> int:
    node = page
    for _ in range(64):
        if "/Rotate" in node:
            return int(node.Rotate) % 360
        if "/Parent" not in node:
            return 0
        node = node.Parent
    return 0


@pytest.mark.parametrize(
    "name",
    ["qpdf_rotated-20-pages.pdf", "qpdf_inherited-rotate.pdf", "pysf_arabic-rotated-cid.pdf"],
)
def test_rotation_is_kept_on_every_page(
    corpus_folder: Path, outcomes: dict[str, Outcome], name: str
) -> None:
    result = parsed(outcomes, name)
    with (
        pikepdf.open(corpus_folder / name) as original,
        pikepdf.open(io.BytesIO(result.working_pdf)) as copy,
    ):
        expected = [_effective_rotation(p.obj) for p in original.pages]
        assert [p.rotation for p in result.pages] == expected
        assert [int(p.obj.get("/Rotate", -1)) for p in copy.pages] == expected  # set on each page
        boxes = [[round(float(v), 3) for v in p.obj.MediaBox] for p in copy.pages]
        assert boxes == [[round(float(v), 3) for v in p.mediabox] for p in original.pages]
    assert any(expected), "the file must actually exercise rotation"


def test_page_sizes_follow_the_visible_box(outcomes: dict[str, Outcome]) -> None:
    mixed = parsed(outcomes, "qpdf_mixed-sizes-big-small.pdf")
    assert [(p.width_pt, p.height_pt) for p in mixed.pages] == [(612.0, 792.0), (306.0, 396.0)]
    fax = parsed(outcomes, "qpdf_fax-scans-mixed-sizes.pdf")
    assert len({(p.width_pt, p.height_pt) for p in fax.pages}) >= 5


def test_text_suggestions_and_fingerprints(outcomes: dict[str, Outcome]) -> None:
    crazy = parsed(outcomes, "pysf_font-type1c-cff-pdfa.pdf")
    assert crazy.title_suggestion and "Crazy" in crazy.title_suggestion
    assert crazy.language_guess == "en"
    assert len(crazy.text_fingerprint) == 64
    lecture = parsed(outcomes, "pysf_117-pages-linearized.pdf")
    assert lecture.page_count == 117 and lecture.text.count("\f") == 116
    assert lecture.text_fingerprint != crazy.text_fingerprint


def test_a_password_typed_for_a_file_that_needs_none_is_harmless(
    corpus_folder: Path, sandbox: IntakeSandbox
) -> None:
    path = corpus_folder / "qpdf_enc-aes128-V4_empty-user-password.pdf"
    result = sandbox.parse(path, password="not-needed")
    assert result.was_encrypted and result.page_count == 30
