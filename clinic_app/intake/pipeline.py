"""One file in, one description and working copy out: the child's whole job.

Sniff the bytes, turn whatever they are into a PDF working copy (sanitised PDF,
image pages, text pages, LibreOffice output), OCR pages without text, then derive
the suggestions. The result is a plain JSON-able dict plus the PDF bytes, because
the parent never unpickles anything a hostile file could have influenced.
"""

from __future__ import annotations

import hashlib
import io
import os
import time
from datetime import date
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from clinic_app.intake import images, ocr, office, pdf_parse, pdf_sanitize, text
from clinic_app.intake.errors import EmptyFile, FileTooLarge, FileUnreadable, IntakeError, Refusal
from clinic_app.intake.files import open_regular
from clinic_app.intake.language import guess_language
from clinic_app.intake.limits import MB, OCR_SHARE_OF_TIMEOUT, Limits, peak_rss_mb
from clinic_app.intake.sniff import sniff
from clinic_app.intake.suggest import suggest_date, suggest_title

Warnings = list[tuple[str, dict[str, int]]]


def text_fingerprint(content: str) -> str:
    """sha256 of the case-folded text with all whitespace collapsed; '' when no text."""
    normalised = " ".join(content.casefold().split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest() if normalised else ""


def read_input(path: Path, limits: Limits) -> bytes:
    """The file's bytes, opened as every evidence file is (no link, no pipe, no device)."""
    try:
        with open_regular(path) as handle:
            if os.fstat(handle.fileno()).st_size > limits.max_file_mb * MB:
                raise Refusal(FileTooLarge.key, limit_mb=limits.max_file_mb)
            data = handle.read(limits.max_file_mb * MB + 1)
    except IntakeError as exc:
        raise Refusal(exc.key) from exc
    except OSError as exc:
        raise Refusal(FileUnreadable.key) from exc
    if len(data) > limits.max_file_mb * MB:
        raise Refusal(FileTooLarge.key, limit_mb=limits.max_file_mb)
    if not data:
        raise Refusal(EmptyFile.key)
    return data


def parse_document(
    data: bytes, extension: str, password: str | None, limits: Limits, started: float, scratch: Path,
    *, split_ocr: bool = False,
) -> tuple[dict[str, Any], bytes]:
    """Describe `data` and build its working copy; raises Refusal for files we refuse.

    With `split_ocr`, a file with several pages to recognise stops before OCR and answers
    {"stage": "ocr", "state"} with the working copy: the parent spreads the pages over its
    workers (`ocr_part`) and one of them finishes the file (`finish_ocr`)."""
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
        # Pages and sizes only: the searchable text is the file's own (extracting it again
        # from the copy we drew cost 37 ms for a 6-page note)
        facts = pdf_parse.read_facts(PdfReader(io.BytesIO(working)), False, limits, with_text=False)
        page_texts = [decoded.replace("\f", "\n")]  # one text: its page breaks are ours
        for page in facts.pages:
            page.has_text = True  # the searchable text is the file's own
    pages = [[p.number, p.width_pt, p.height_pt, p.rotation, p.has_text] for p in facts.pages]
    todo = [p.number - 1 for p in facts.pages if not p.has_text and not p.blank]
    state = {"kind": found.kind, "media_type": found.media_type, "pages": pages, "page_texts": page_texts,
             "warnings": [[code, params] for code, params in warnings],
             "meta": [meta_title, meta_date.isoformat() if meta_date else None],
             "flags": [was_encrypted, has_xfa, has_signature], "removed": removed, "todo": todo}
    if split_ocr and len(todo) > 1 and ocr.can_run():
        return {"stage": "ocr", "state": state}, working  # the pages go to several workers
    ocr_done: list[int] = []
    ocr_warnings: Warnings = []
    if todo:
        working, ocr_done, ocr_warnings = _run_ocr(working, todo, page_texts, limits, started)
    return finish_document(state, working, ocr_done, ocr_warnings, started)


def ocr_part(working: bytes, indexes: list[int], limits: Limits, started: float,
             until: float | None = None) -> tuple[dict[str, Any], bytes]:
    """Recognise some pages of a working copy (one job of a file's OCR spread over workers):
    their Tesseract pages, concatenated, with each one's length (-1: failed; absent: no time).
    `until` (time.monotonic(), the same clock in every process here) is when the whole file's
    OCR must stop: each part used to get a fresh 30 s, so a small file of many empty-looking
    pages kept every worker busy for hours."""
    deadline = started + limits.timeout_s * OCR_SHARE_OF_TIMEOUT
    if until is not None:
        deadline = min(deadline, until)
    if deadline <= time.monotonic():
        return {"found": [], "elapsed_s": round(time.monotonic() - started, 3)}, b""
    try:
        found = ocr.recognise(working, indexes, deadline)
    except Exception:  # incl. MemoryError: OCR is a bonus, these pages stay without text
        found = {}
    lengths = [[index, -1 if pdf is None else len(pdf)] for index, pdf in found.items()]
    header = {"found": lengths, "elapsed_s": round(time.monotonic() - started, 3)}
    return header, b"".join(pdf for pdf in found.values() if pdf is not None)


def finish_ocr(
    state: dict[str, Any], working: bytes, found: dict[int, bytes | None], started: float
) -> tuple[dict[str, Any], bytes]:
    """The last job of a file whose OCR was spread: lay the pages over, as `_run_ocr` does."""
    todo = [int(i) for i in state["todo"]]
    try:
        outcome = ocr.apply_pages(working, todo, found)
    except Exception:  # as for OCR in one job: the import stands without it
        return finish_document(state, working, [], [("ocr_incomplete", {"done": 0, "total": len(todo)})],
                               started)
    working, done, warnings = _outcome(outcome, state["page_texts"])
    return finish_document(state, working, done, warnings, started)


def finish_document(
    state: dict[str, Any], working: bytes, ocr_done: list[int], ocr_warnings: Warnings, started: float
) -> tuple[dict[str, Any], bytes]:
    """The answer for a file, from what `parse_document` found and what OCR added."""
    pages, page_texts = state["pages"], state["page_texts"]
    for index in ocr_done:
        pages[index][4] = True
    was_encrypted, has_xfa, has_signature = state["flags"]
    meta_title, meta_day = state["meta"]
    meta_date = date.fromisoformat(meta_day) if meta_day else None
    warnings = [(code, params) for code, params in state["warnings"]] + ocr_warnings
    warnings += _content_warnings(was_encrypted, has_xfa, has_signature, state["removed"])
    full_text = "\f".join(page_texts)
    first_page = page_texts[0] if page_texts else ""
    header = {
        "kind": state["kind"],
        "media_type": state["media_type"],
        "page_count": len(pages),
        "pages": pages,
        "text": full_text,
        "pages_without_text": [p[0] for p in pages if not p[4]],
        "ocr_pages": [i + 1 for i in ocr_done],
        "title": suggest_title(meta_title, first_page),
        "date": suggest_date(first_page, meta_date),
        "language": guess_language(full_text),
        "was_encrypted": was_encrypted,
        "removed": state["removed"],
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
    return _outcome(outcome, page_texts)


def _outcome(outcome: ocr.OcrOutcome, page_texts: list[str]) -> tuple[bytes, list[int], Warnings]:
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
