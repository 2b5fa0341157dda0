"""A Haven process killed (SIGKILL) while it writes a file: on Linux nothing is left; with
named temp files (macOS, Windows, file systems without O_TMPFILE; forced here with
HAVEN_NAMED_TEMP=1) the temp file is left only until the next start of any Haven
process: the command line, the window (same `app.main`) or a build child."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from clinic_app.fsutil import NAMED_TEMP_ENV, TEMP_PREFIX
from clinic_app.temp_journal import FOLDER

from rel_support import BASE_ENV, STRACE, haven, strace_prefix

PLAINTEXT = b"%PDF-1.7 statement of a client " * 4096
WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from clinic_app.fsutil import atomic_write_bytes, atomic_writer

    target = Path(sys.argv[1])
    if sys.argv[2] == "pause":
        with atomic_writer(target) as fh:
            fh.write(sys.stdin.buffer.read())
            fh.flush()
            print("writing", flush=True)
            time.sleep(120)
    else:
        atomic_write_bytes(target, sys.stdin.buffer.read())
""")

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="O_TMPFILE is Linux only")


def _records() -> list[str]:
    folder = Path(os.environ["HAVEN_STATE_DIR"]) / FOLDER
    return sorted(os.listdir(folder)) if folder.is_dir() else []


def _kill_while_writing(target: Path, env: dict[str, str]) -> None:
    """Start a writer, SIGKILL it once it is half-way through its file."""
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(target), "pause"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, env={**os.environ, **BASE_ENV, **env}, start_new_session=True)
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(PLAINTEXT)
    proc.stdin.close()
    try:
        assert proc.stdout.readline() == b"writing\n"
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)


def _start_build_child() -> None:
    """Start the bundle build child as the window does, and let it exit (no job comes)."""
    from clinic_app.services.build_process import _child_main

    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    parent_end, child_end = context.Pipe(duplex=True)
    process = context.Process(target=_child_main, args=(child_end, stop), daemon=True)
    process.start()
    child_end.close()
    parent_end.close()
    process.join(timeout=60)
    assert process.exitcode == 0


@linux_only
def test_a_writer_killed_mid_write_leaves_nothing_on_linux(tmp_path: Path) -> None:
    _kill_while_writing(tmp_path / "bundle.pdf", {})
    assert os.listdir(tmp_path) == [] and _records() == []


@pytest.mark.parametrize("next_start", ["command line", "build child"])
def test_a_named_temp_file_left_by_a_kill_is_removed_at_the_next_start(tmp_path: Path, next_start: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    _kill_while_writing(out / "bundle.pdf", {NAMED_TEMP_ENV: "1"})
    (temp,) = out.iterdir()  # the kill left the plaintext under a temp name...
    assert temp.name.startswith(TEMP_PREFIX) and temp.read_bytes() == PLAINTEXT
    assert _records() == [temp.name[len(TEMP_PREFIX):]]  # ...and its record
    (out / "unrelated.pdf").write_bytes(b"a file of the user's")
    if next_start == "command line":
        started = haven("--version")
        assert started.returncode == 0, started.stderr
    else:
        _start_build_child()
    assert os.listdir(out) == ["unrelated.pdf"] and _records() == []


@linux_only
@pytest.mark.skipif(STRACE is None, reason="strace is missing or may not trace here (apt-get install strace)")
def test_a_kill_between_link_and_rename_leaves_the_finished_file_until_the_next_start(tmp_path: Path) -> None:
    """Over an existing file the unnamed file is linked to a temp name and renamed at once;
    a kill exactly at the rename leaves the whole new file there, recorded, until the next start."""
    target = tmp_path / "b.pdf"
    target.write_bytes(b"previous output")
    cmd = [sys.executable, "-c", WRITER, str(target), "once"]
    proc = subprocess.run([*strace_prefix("renameat,renameat2:signal=KILL:when=1"), *cmd], input=PLAINTEXT,
                          capture_output=True, env={**os.environ, **BASE_ENV}, timeout=120, check=False)
    assert proc.returncode != 0, proc.stderr  # killed at the rename
    temps = [p for p in tmp_path.iterdir() if p != target]
    assert target.read_bytes() == b"previous output"
    assert [p.read_bytes() for p in temps] == [PLAINTEXT]  # whole, never partial
    assert _records() == [temps[0].name[len(TEMP_PREFIX):]]
    started = haven("--version")
    assert started.returncode == 0, started.stderr
    assert os.listdir(tmp_path) == ["b.pdf"] and target.read_bytes() == b"previous output" and _records() == []
