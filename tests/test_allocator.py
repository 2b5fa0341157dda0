"""One malloc arena per Haven process (glibc): checked by counting the arenas glibc reports."""

from __future__ import annotations

import ctypes
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

COUNT_ARENAS = textwrap.dedent("""
    import ctypes, sys, threading
    sys.path.insert(0, sys.argv[1])
    from clinic_app.allocator import use_one_arena
    if sys.argv[2] == "one":
        assert use_one_arena()
    def churn():
        for _ in range(2000):
            blocks = [bytearray(4096) for _ in range(16)]
    threads = [threading.Thread(target=churn) for _ in range(4)]
    for t in threads: t.start()
    for t in threads: t.join()
    libc = ctypes.CDLL(None)
    libc.fopen.restype = ctypes.c_void_p
    libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
    libc.fclose.argtypes = [ctypes.c_void_p]
    f = libc.fopen(sys.argv[3].encode(), b"w")
    libc.malloc_info(0, f)
    libc.fclose(f)
""")


def _glibc() -> bool:
    return sys.platform.startswith("linux") and hasattr(ctypes.CDLL(None), "gnu_get_libc_version")


@pytest.mark.skipif(not _glibc(), reason="arenas are glibc's; elsewhere use_one_arena does nothing")
def test_threads_share_one_arena_only_when_asked(tmp_path: Path) -> None:
    heaps = {}
    for mode in ("default", "one"):
        report = tmp_path / f"{mode}.xml"
        subprocess.run([sys.executable, "-c", COUNT_ARENAS, str(REPO), mode, str(report)], check=True, timeout=60)
        heaps[mode] = report.read_text().count("<heap nr=")
    assert heaps["one"] == 1
    assert heaps["default"] > 1  # the threads had arenas of their own


def test_haven_processes_ask_for_one_arena_at_start() -> None:
    """The app's entry point and the build child both call it, before any thread starts."""
    for module in ("clinic_app/app.py", "clinic_app/services/build_process.py"):
        text = (REPO / module).read_text()
        assert "harden_process()\n    use_one_arena()" in text, module
