"""Turning intake's sandboxed parse into the vault's `Analysis`, for every import path.

Until the sandbox is available this stores files without analysis.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from clinic_app.services.evidence import Analysis
from clinic_app.services.manifest_import import Analyzer


@contextlib.contextmanager
def analyzer() -> Iterator[Analyzer]:
    def analyze(path: Path, password: str | None, label: str) -> Analysis:
        return Analysis()

    yield analyze
