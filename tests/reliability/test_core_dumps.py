"""No core dumps: a hardened process that crashes leaves no core file and prints no secret.

A control child without hardening (core limit raised) shows that this machine would
write a core file into the working folder, so the absence in the hardened case means
something; where the kernel pipes cores elsewhere the control is skipped, not faked.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

MARKER = "QXZCOREMARKER"

CHILD = f"""
import ctypes, os, resource, sys
from clinic_app.hardening import harden_process
secret = "{MARKER}" * 20000  # in memory when the process dies
if sys.argv[1] == "harden":
    harden_process()
else:
    resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
libc = ctypes.CDLL(None)
print(resource.getrlimit(resource.RLIMIT_CORE)[0], libc.prctl(3, 0, 0, 0, 0), flush=True)  # PR_GET_DUMPABLE
if sys.argv[2] == "abort":
    os.abort()
ctypes.string_at(0)  # SIGSEGV
"""


def _crash(tmp_path: Path, mode: str, how: str) -> subprocess.CompletedProcess[str]:
    folder = tmp_path / f"{mode}-{how}"
    folder.mkdir()
    return subprocess.run([sys.executable, "-c", CHILD, mode, how], cwd=folder, capture_output=True, text=True,
                          timeout=60, env={**os.environ, "PYTHONFAULTHANDLER": "1"})


def _cores(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith("core")]


def _core_pattern() -> str:
    try:
        return Path("/proc/sys/kernel/core_pattern").read_text().strip()
    except OSError:
        return ""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="core-dump controls are checked on Linux")
@pytest.mark.parametrize("how,sig", [("abort", signal.SIGABRT), ("segv", signal.SIGSEGV)])
def test_hardened_crash_leaves_no_core_and_no_marker(tmp_path: Path, how: str, sig: int) -> None:
    done = _crash(tmp_path, "harden", how)
    assert done.returncode == -sig
    limit, dumpable = done.stdout.split()
    assert (int(limit), int(dumpable)) == (0, 0)
    assert _cores(tmp_path / f"harden-{how}") == []
    assert MARKER not in done.stderr and MARKER not in done.stdout


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="core-dump controls are checked on Linux")
def test_control_without_hardening_would_dump(tmp_path: Path) -> None:
    pattern = _core_pattern()
    if not pattern or pattern.startswith("|") or "/" in pattern:
        pytest.skip(f"cores are not written to the working folder here (core_pattern {pattern!r})")
    done = _crash(tmp_path, "plain", "abort")
    assert done.returncode == -signal.SIGABRT
    cores = _cores(tmp_path / "plain-abort")
    for name in cores:
        (tmp_path / "plain-abort" / name).unlink()  # large, and it holds the marker
    if not cores:
        pytest.skip("this machine writes no core file even without hardening (container limits)")
