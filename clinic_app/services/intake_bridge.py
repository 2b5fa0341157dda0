"""Every import path goes through intake: the sandboxed parse becomes an `Analysis`.

One sandbox (one long-lived child process) serves a whole batch; the caller gets
an analyzer function and the child is stopped when the batch ends.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from clinic_app.domain.progress import CancelToken
from clinic_app.errors import BadInput
from clinic_app.intake import IntakeError, IntakeSandbox, ParsedFile
from clinic_app.services.evidence import Analysis
from clinic_app.services.manifest_import import Analyzer


def to_analysis(parsed: ParsedFile) -> Analysis:
    return Analysis(
        working_pdf=parsed.working_pdf,
        text=parsed.text,
        text_fingerprint=parsed.text_fingerprint,
        page_count=parsed.page_count,
        pages_without_text=parsed.pages_without_text,
        was_encrypted=parsed.was_encrypted,
        language_guess=parsed.language_guess or "",
        media_type=parsed.media_type,
    )


@contextlib.contextmanager
def sandbox(*, timeout_s: float = 30.0, memory_mb: int = 512) -> Iterator[IntakeSandbox]:
    box = IntakeSandbox(timeout_s=timeout_s, memory_mb=memory_mb)
    try:
        yield box
    finally:
        box.close()


@contextlib.contextmanager
def analyzer(cancel: CancelToken | None = None) -> Iterator[Analyzer]:
    """An analyzer for manifest imports: refusals name the manifest item and the file."""
    with sandbox() as box:

        def analyze(path: Path, password: str | None, label: str) -> Analysis:
            try:
                return to_analysis(box.parse(path, password=password, cancel=cancel))
            except IntakeError as exc:
                raise BadInput(f"{label} file: {exc}") from exc

        yield analyze
