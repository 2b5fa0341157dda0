"""One file in, one description and working copy out: the child's whole job.

Sniff the bytes, turn whatever they are into a PDF working copy (sanitised PDF,
image pages, text pages, LibreOffice output), OCR pages without text, then derive
the suggestions. The result is a plain JSON-able dict plus the PDF bytes, because
the parent never unpickles anything a hostile file could have influenced.
"""

from __future__ import annotations

import hashlib
import io
import time
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from clinic_app.intake import images, ocr, office, pdf_parse, pdf_sanitize, text
from clinic_app.intake.errors import EmptyFile, FileTooLarge, FileUnreadable, Refusal
from clinic_app.intake.language import guess_language
from clinic_app.intake.limits import MB, Limits, peak_rss_mb
from clinic_app.intake.sniff import sniff
from clinic_app.intake.suggest import suggest_date, suggest_title

Warnings = list[tuple[str, dict[str, int]]]
OCR_SHARE_OF_TIMEOUT = 0.75  # OCR stops here, leaving time to build the answer


def text_fingerprint(content: str) -> str:
    """sha256 of the case-folded text with all whitespace collapsed; '' when no text."""
    normalised = " ".join(content.casefold().split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest() if normalised else ""


def read_input(path: Path, limits: Limits) -> bytes:
    try:
        size = path.stat().st_size
        if size > limits.max_file_mb * MB:
            raise Refusal(FileTooLarge.key, limit_mb=limits.max_file_mb)
        with path.open("rb") as handle:
            data = handle.read(limits.max_file_mb * MB + 1)
    except OSError as exc:
        raise Refusal(FileUnreadable.key) from exc
    if len(data) > limits.max_file_mb * MB:
        raise Refusal(FileTooLarge.key, limit_mb=limits.max_file_mb)
    if not data:
        raise Refusal(EmptyFile.key)
    return data


def parse_document(
    data: bytes, extension: str, password: str | None, limits: Limits, started: float, scratch: Path
) -> tuple[dict[str, Any], bytes]:
    """Describe `data` and build its working copy; raises Refusal for files we refuse."""
    found = sniff(data, extension)
    warnings: Warnings = [("name_mismatch", {})] if found.name_mismatch else []
    meta_title = meta_date = None
    was_encrypted = has_xfa = has_signature = False
    removed: list[str] = []
    if found.kind in ("pdf", "office"):
        if found.kind == "office":
            data = office.convert_to_pdf(data, found.media_type, limits, scratch)
            password = None
        reader, was_encrypted = pdf_parse.open_pdf(data, password)
        facts = pdf_parse.read_facts(reader, was_encrypted, limits)
        working, removed, rebuilt = pdf_sanitize.build_working_copy(reader)
        warnings += facts.warnings + rebuilt
        meta_title, meta_date = facts.meta_title, facts.meta_date
        has_xfa, has_signature = facts.has_xfa, facts.has_signature
        page_texts = [t.replace("\f", "\n") for t in facts.page_texts]  # "\f" separates pages
    elif found.kind == "image":
        working = images.images_to_pdf(data, found.media_type, limits).pdf
        facts = pdf_parse.read_facts(PdfReader(io.BytesIO(working)), False, limits)
        page_texts = ["" for _ in facts.pages]
    else:
        decoded, encoding = text.decode_text(data)
        if len(decoded) > limits.max_text_chars:
            raise Refusal(FileTooLarge.key, limit_mb=limits.max_text_chars // 1_000_000)
        if encoding in ("cp1252", "latin-1"):
            warnings.append(("text_not_utf8", {}))
        working = text.render_text_pdf(decoded)
        facts = pdf_parse.read_facts(PdfReader(io.BytesIO(working)), False, limits)
        page_texts = [decoded.replace("\f", "\n")]  # one text: its page breaks are ours
        for page in facts.pages:
            page.has_text = True  # the searchable text is the file's own
    pages = facts.pages
    without_text = [p.number - 1 for p in pages if not p.has_text and not p.blank]
    ocr_done: list[int] = []
    if without_text:
        working, ocr_done, ocr_warnings = _run_ocr(
            working, without_text, page_texts, limits, started
        )
        warnings += ocr_warnings
        for index in ocr_done:
            pages[index].has_text = True
    warnings += _content_warnings(was_encrypted, has_xfa, has_signature, removed)
    full_text = "\f".join(page_texts)
    first_page = page_texts[0] if page_texts else ""
    header = {
        "kind": found.kind,
        "media_type": found.media_type,
        "page_count": len(pages),
        "pages": [[p.number, p.width_pt, p.height_pt, p.rotation, p.has_text] for p in pages],
        "text": full_text,
        "pages_without_text": [p.number for p in pages if not p.has_text],
        "ocr_pages": [i + 1 for i in ocr_done],
        "title": suggest_title(meta_title, first_page),
        "date": suggest_date(first_page, meta_date),
        "language": guess_language(full_text),
        "was_encrypted": was_encrypted,
        "removed": removed,
        "has_xfa": has_xfa,
        "has_signature": has_signature,
        "fingerprint": text_fingerprint(full_text),
        "ocr_applied": bool(ocr_done),
        "warnings": [[code, params] for code, params in warnings],
        "peak_rss_mb": peak_rss_mb(),
        "elapsed_s": round(time.monotonic() - started, 3),
    }
    return header, working


def _run_ocr(
    working: bytes, indexes: list[int], page_texts: list[str], limits: Limits, started: float
) -> tuple[bytes, list[int], Warnings]:
    if ocr.tesseract_path() is None:
        return working, [], [("ocr_unavailable", {"count": len(indexes)})]
    deadline = started + limits.timeout_s * OCR_SHARE_OF_TIMEOUT
    try:
        outcome = ocr.ocr_pages(working, indexes, deadline)
    except Exception:  # incl. MemoryError: OCR is a bonus, the import stands
        return working, [], [("ocr_incomplete", {"done": 0, "total": len(indexes)})]
    for index, recognised in outcome.texts.items():
        page_texts[index] = recognised
    warnings = list(outcome.warnings)
    done = sorted(outcome.texts)
    if done:
        warnings.append(("ocr_applied", {"count": len(done)}))
    return outcome.pdf, done, warnings


def _content_warnings(encrypted: bool, xfa: bool, signed: bool, removed: list[str]) -> Warnings:
    warnings: Warnings = []
    if encrypted:
        warnings.append(("encrypted_opened", {}))
    if xfa:
        warnings.append(("xfa", {}))
    if signed:
        warnings.append(("signature", {}))
    if "embedded_files" in removed:
        warnings.append(("embedded_files", {}))
    if set(removed) - {"embedded_files", "xfa"}:
        warnings.append(("active_content_removed", {}))
    return warnings
