"""Every import path goes through intake: the sandboxed parse becomes an `Analysis`.

One sandbox (a pool of long-lived child processes, one per core) serves a whole
batch; the caller gets an analyzer and the children are stopped when the batch ends.
"""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from pathlib import Path

from clinic_app.domain.progress import CancelToken
from clinic_app.errors import BadInput
from clinic_app.intake import IntakeError, IntakeSandbox, ParsedFile
from clinic_app.intake.pool import default_workers
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
        source_sha256=parsed.source_sha256,
    )


@contextlib.contextmanager
def sandbox(*, timeout_s: float = 30.0, memory_mb: int = 512, workers: int | None = None) -> Iterator[IntakeSandbox]:
    """A sandbox for a batch: one child per core (`pool.default_workers`) unless `workers` says."""
    box = IntakeSandbox(timeout_s=timeout_s, memory_mb=memory_mb, workers=workers or default_workers(memory_mb))
    try:
        yield box
    finally:
        box.close()


class BatchAnalyzer:
    """The manifest import's analyzer: `analyzer(path, password, label)` -> Analysis. `ahead`
    queues every file of the manifest on the pool at once, so they are parsed on every core
    while each answer is still taken (and any refusal raised) in the manifest's order."""

    def __init__(self, box: IntakeSandbox, cancel: CancelToken | None) -> None:
        self._box, self._cancel = box, cancel
        self._queued: dict[tuple[Path, str | None], deque[Future[ParsedFile]]] = {}

    def ahead(self, files: Iterable[tuple[Path, str | None]]) -> None:
        for path, password in files:
            try:
                future = self._box.submit(path, password=password, cancel=self._cancel)
            except IntakeError:
                continue  # refused before parsing: refused again, with its label, when asked for
            self._queued.setdefault((Path(path), password), deque()).append(future)

    def __call__(self, path: Path, password: str | None, label: str) -> Analysis:
        queued = self._queued.get((Path(path), password))
        try:
            parsed = queued.popleft().result() if queued else self._box.parse(path, password=password,
                                                                                cancel=self._cancel)
        except IntakeError as exc:
            raise BadInput(f"{label} file: {exc}") from exc
        return to_analysis(parsed)


@contextlib.contextmanager
def analyzer(cancel: CancelToken | None = None) -> Iterator[Analyzer]:
    """An analyzer for manifest imports: refusals name the manifest item and the file."""
    with sandbox() as box:
        yield BatchAnalyzer(box, cancel)
