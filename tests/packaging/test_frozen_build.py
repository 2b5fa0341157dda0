"""The Linux build: `packaging/smoke-test` builds dist/clinic-app/ with PyInstaller (in a
build venv of its own, from PyPI) and runs the frozen program where no Python can be
found: --version, --self-check (vault, intake sandbox = multiprocessing spawn, bundle,
pdfium, holidays, Qt offscreen), a few commands on a demo vault, nothing left behind,
and the window under Xvfb when xvfb-run is installed. Slow: about a minute or two with
a warm build venv, longer the first time."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the smoke test drives the Linux build")
def test_frozen_build_runs_without_python() -> None:
    done = subprocess.run(["bash", str(REPO / "packaging" / "smoke-test")], cwd=REPO, capture_output=True,
                          text=True, timeout=3600, check=False)
    report = f"{done.stdout[-6000:]}\n{done.stderr[-4000:]}"
    assert done.returncode == 0, report
    assert "smoke test: all checks passed" in done.stdout, report
    assert "self-check: all" in done.stdout, report
