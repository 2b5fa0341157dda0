"""Public entry point of intake: parse an untrusted evidence file in the sandbox.

    with IntakeSandbox() as sandbox:
        for path in paths:
            try:
                parsed = sandbox.parse(path)
            except IntakeError as err:   # err.reason: "encrypted", "damaged", ...
                show(str(err))

Every refusal is an `IntakeError` (a `BadInput`) naming the file by its display
name; nothing a parser raises, prints or returns reaches the caller unchecked.
The original file is only read; store its bytes yourself, and use `working_pdf`
for bundles. Frozen builds must call `multiprocessing.freeze_support()` early in
`main`, as with any use of the "spawn" start method.
"""

from __future__ import annotations

import importlib.util
import itertools
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clinic_app.domain.display import display_name as shown_name
from clinic_app.domain.progress import CancelToken
from clinic_app.intake import ocr, office
from clinic_app.intake.errors import ReaderCrashed
from clinic_app.intake.files import check_regular
from clinic_app.intake.limits import Limits
from clinic_app.intake.notices import render_warnings
from clinic_app.intake.pool import Pool
from clinic_app.intake.sandbox import WorkerDied
from clinic_app.intake.spread import FileParse, answer, error_for_death

KINDS = ("pdf", "image", "text", "office")


@dataclass(frozen=True)
class PageInfo:
    """One page of the working copy. Width and height are of the visible box (CropBox
    within MediaBox) before `rotation` is applied; a viewer shows them swapped at 90/270."""

    number: int  # 1-based
    width_pt: float
    height_pt: float
    rotation: int  # 0, 90, 180 or 270, clockwise
    has_text: bool  # searchable text, from the file or from OCR


@dataclass(frozen=True)
class ParsedFile:
    kind: str  # "pdf" | "image" | "text" | "office"
    media_type: str  # of the original, from its content
    page_count: int
    pages: tuple[PageInfo, ...]
    # Pages separated by "\f" (a text file's text is kept whole); capped at 5 million characters.
    text: str = field(repr=False)
    pages_without_text: tuple[int, ...]  # 1-based, still not searchable (after any OCR)
    title_suggestion: str | None = field(repr=False)
    date_suggestion: str | None = field(repr=False)  # ISO yyyy-mm-dd
    language_guess: str | None  # ISO 639-1
    was_encrypted: bool
    removed_active_content: tuple[str, ...]  # e.g. "javascript", "launch", "embedded_files", "xfa"
    has_xfa: bool
    has_signature: bool
    text_fingerprint: str  # sha256 hex of case-folded, whitespace-collapsed text; "" if none
    ocr_applied: bool
    warnings: tuple[str, ...] = field(repr=False)  # translated sentences naming the file
    working_pdf: bytes = field(repr=False)
    ocr_pages: tuple[int, ...] = ()  # 1-based pages whose text came from OCR
    worker_peak_rss_mb: float = 0.0  # the child's peak resident memory so far
    elapsed_s: float = 0.0  # time the child spent on this file
    source_sha256: str = ""  # of the bytes the child read (the caller checks it stores the same)


class IntakeSandbox:
    """Parses files in sandboxed child processes. Use as a context manager.

    `workers` children at most (one by default; `pool.default_workers()` for a batch),
    each under the same limits. `submit` queues a file and returns a future; files
    submitted earlier are served first. `parse` is `submit(...).result()`. Thread-safe.
    """

    def __init__(
        self,
        *,
        timeout_s: float = 30.0,
        memory_mb: int = 512,
        limits: Limits | None = None,
        workers: int = 1,
        _allow_test_ops: bool = False,
    ) -> None:
        self.limits = limits or Limits(timeout_s=timeout_s, memory_mb=memory_mb)
        self.workers = max(1, workers)
        self._pool = Pool(self.limits, self.workers, allow_test_ops=_allow_test_ops)
        self._order = itertools.count()

    def __enter__(self) -> IntakeSandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the children; files not parsed yet end with Cancelled."""
        self._pool.close()

    def parse(
        self,
        path: Path | str,
        *,
        password: str | None = None,
        display_name: str | None = None,
        cancel: CancelToken | None = None,
    ) -> ParsedFile:
        """Parse one file; raises an IntakeError subclass (or Cancelled) when it cannot."""
        return self.submit(path, password=password, display_name=display_name, cancel=cancel).result()

    def submit(
        self,
        path: Path | str,
        *,
        password: str | None = None,
        display_name: str | None = None,
        cancel: CancelToken | None = None,
    ) -> Future[ParsedFile]:
        """Start parsing one file; the future gives the ParsedFile or raises as `parse` does.
        A link, pipe or device is refused here, before anything is queued."""
        path = Path(path)
        name = display_name or shown_name(path.name)
        check_regular(path, name)  # a link, pipe or device is refused here, never opened
        scratch = office.scratch_path()
        job = {
            "op": "parse",
            "path": str(path.absolute()),
            "password": password,
            "extension": path.suffix.lower(),
            "scratch": str(scratch),
            "split_ocr": True,
        }
        flow = FileParse(self._pool, next(self._order), name, cancel, _build)
        return flow.start(job, scratch)

    def _call(
        self, job: dict[str, Any], name: str, cancel: CancelToken | None, scratch: Path
    ) -> tuple[Any, bytes]:
        """One raw job, waited for: the child's (header, pdf); a dead child as an IntakeError."""
        future = self._pool.run((next(self._order), 0, 0), job, cancel=cancel, scratch=scratch)
        try:
            return future.result()
        except WorkerDied as died:
            raise error_for_death(died.kind, name, self.limits) from None

    def _test_op(self, op: str) -> None:
        """Tests only: make the child misbehave ("test_hang", "test_crash", "test_allocate").

        The child runs these only when this sandbox was built with `_allow_test_ops`.
        """
        future = self._pool.run((next(self._order), 0, 0), {"op": op})
        answer(future, "test", self.limits)


def _build(header: dict[str, Any], pdf: bytes, name: str) -> ParsedFile:
    try:
        return _parsed_from_header(header, pdf, name)
    except (KeyError, TypeError, ValueError) as exc:
        raise ReaderCrashed(name) from exc


def _ints(values: Any) -> tuple[int, ...]:
    return tuple(int(v) for v in values if isinstance(v, int) and not isinstance(v, bool))


def _optional_str(value: Any, limit: int) -> str | None:
    return value[:limit] if isinstance(value, str) and value else None


def _parsed_from_header(header: dict[str, Any], pdf: bytes, name: str) -> ParsedFile:
    """Build the result from the child's JSON, checking every type on the way in."""
    kind = header["kind"]
    if kind not in KINDS or not pdf.startswith(b"%PDF-"):
        raise ValueError("bad answer")
    pages = tuple(
        PageInfo(int(n), float(w), float(h), int(r), bool(t)) for n, w, h, r, t in header["pages"]
    )
    text = header["text"] if isinstance(header["text"], str) else ""
    return ParsedFile(
        kind=kind,
        media_type=str(header["media_type"])[:100],
        page_count=int(header["page_count"]),
        pages=pages,
        text=text,
        pages_without_text=_ints(header["pages_without_text"]),
        title_suggestion=_optional_str(header.get("title"), 200),
        date_suggestion=_optional_str(header.get("date"), 10),
        language_guess=_optional_str(header.get("language"), 8),
        was_encrypted=header["was_encrypted"] is True,
        removed_active_content=tuple(str(x)[:40] for x in header["removed"]),
        has_xfa=header["has_xfa"] is True,
        has_signature=header["has_signature"] is True,
        text_fingerprint=str(header["fingerprint"])[:64],
        ocr_applied=header["ocr_applied"] is True,
        warnings=render_warnings(header.get("warnings"), name),
        working_pdf=pdf,
        ocr_pages=_ints(header.get("ocr_pages", [])),
        worker_peak_rss_mb=float(header.get("peak_rss_mb", 0.0)),
        elapsed_s=float(header.get("elapsed_s", 0.0)),
        source_sha256=str(header.get("sha256", ""))[:64],
    )


def parse_file(
    path: Path | str, *, password: str | None = None, display_name: str | None = None
) -> ParsedFile:
    """One-shot convenience: a fresh sandbox for one file (slower for batches)."""
    with IntakeSandbox() as sandbox:
        return sandbox.parse(path, password=password, display_name=display_name)


def tools_available() -> dict[str, bool]:
    """Which optional helpers are installed: OCR needs Tesseract and pypdfium2."""
    return {
        "tesseract": ocr.tesseract_path() is not None,
        "soffice": office.soffice_path() is not None,
        "pdf_renderer": importlib.util.find_spec("pypdfium2") is not None,
    }
