"""Atomic writes (clinic_app/fsutil.py) and the journal of named temp files (temp_journal.py),
on real files: no name while writing on Linux, a recorded name elsewhere, and a sweep
that removes only what a dead Haven process left."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from clinic_app import temp_journal
from clinic_app.fsutil import NAMED_TEMP_ENV, TEMP_PREFIX, atomic_writer, atomic_write_bytes, named_temp

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="O_TMPFILE is Linux only")
MODES = ["unnamed", "named"] if sys.platform.startswith("linux") else ["named"]


def _journal() -> Path:
    return Path(os.environ["HAVEN_STATE_DIR"]) / temp_journal.FOLDER


def _records() -> list[str]:
    return sorted(os.listdir(_journal())) if _journal().is_dir() else []


def _dead_pid() -> int:
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    return int(proc.stdout)


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "named":
        monkeypatch.setenv(NAMED_TEMP_ENV, "1")
    return str(request.param)


@linux_only
def test_on_linux_the_file_has_no_name_until_it_is_finished(tmp_path: Path) -> None:
    target = tmp_path / "bundle.pdf"
    with atomic_writer(target) as fh:
        fh.write(b"%PDF-1.7 plaintext " * 50_000)
        fh.flush()
        assert os.listdir(tmp_path) == []  # a kill now leaves nothing
        assert os.readlink(f"/proc/self/fd/{fh.fileno()}").endswith("(deleted)")
        assert _records() == []  # nothing to record: there is no name to sweep
    assert os.listdir(tmp_path) == ["bundle.pdf"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_bytes() == b"%PDF-1.7 plaintext " * 50_000


def test_an_existing_file_is_replaced_whole(tmp_path: Path, mode: str) -> None:
    target = tmp_path / "keyslots.json"
    target.write_bytes(b"old")
    with atomic_writer(target) as fh:
        fh.write(b"new contents")
        fh.flush()
        assert target.read_bytes() == b"old"
        others = [name for name in os.listdir(tmp_path) if name != "keyslots.json"]
        assert others == [] if mode == "unnamed" else [n[:len(TEMP_PREFIX)] for n in others] == [TEMP_PREFIX]
    assert os.listdir(tmp_path) == ["keyslots.json"] and target.read_bytes() == b"new contents"
    atomic_write_bytes(target, b"again")
    assert os.listdir(tmp_path) == ["keyslots.json"] and target.read_bytes() == b"again"
    assert _records() == []


def test_an_error_leaves_the_old_file_and_nothing_else(tmp_path: Path, mode: str) -> None:
    target = tmp_path / "out.pdf"
    target.write_bytes(b"previous")
    with pytest.raises(RuntimeError), atomic_writer(target) as fh:
        fh.write(b"half")
        raise RuntimeError("stop")
    assert os.listdir(tmp_path) == ["out.pdf"] and target.read_bytes() == b"previous"
    assert _records() == []


def test_a_named_temp_file_is_recorded_by_folder_and_random_name_only(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(NAMED_TEMP_ENV, "1")
    target = tmp_path / "Client Name statement.pdf"
    with atomic_writer(target) as fh:
        fh.write(b"%PDF plaintext")
        (temp,) = os.listdir(tmp_path)
        token = temp[len(TEMP_PREFIX):]
        assert temp.startswith(f"{TEMP_PREFIX}{os.getpid()}-") and _records() == [token]
        record = _journal() / token
        assert record.read_bytes() == os.fsencode(str(tmp_path))  # the folder, not the file name
        assert stat.S_IMODE(record.stat().st_mode) == 0o600
        assert stat.S_IMODE(_journal().stat().st_mode) == 0o700
    assert os.listdir(tmp_path) == [target.name] and _records() == []


def test_the_sweep_removes_only_what_a_dead_haven_process_left(tmp_path: Path) -> None:
    dead = _dead_pid()
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    left = {
        f"{dead}-{'a' * 16}": "file",      # killed mid-write: removed, with its SQLite journal
        f"{os.getpid()}-{'b' * 16}": "file",  # a write in progress in a live process: kept
        f"{dead}-{'c' * 16}": "link",      # a planted link: never followed
    }
    for token, kind in left.items():
        path = out / f"{TEMP_PREFIX}{token}"
        if kind == "link":
            path.symlink_to(victim)
        else:
            path.write_bytes(b"%PDF plaintext")
        (_journal()).mkdir(parents=True, exist_ok=True)
        (_journal() / token).write_bytes(os.fsencode(str(out)))
    (out / f"{TEMP_PREFIX}{dead}-{'a' * 16}-journal").write_bytes(b"sqlite journal")
    os.mkfifo(_journal() / f"{dead}-{'d' * 16}")  # would block a plain open()
    (_journal() / f"{dead}-{'e' * 16}").write_bytes(b"relative/folder")
    (_journal() / "not-a-record").write_bytes(os.fsencode(str(tmp_path)))
    assert temp_journal.sweep() == 2
    assert sorted(os.listdir(out)) == sorted([f"{TEMP_PREFIX}{os.getpid()}-{'b' * 16}",  # pids of any length
                                              f"{TEMP_PREFIX}{dead}-{'c' * 16}"])
    assert victim.read_text() == "keep me"
    assert _records() == sorted([f"{os.getpid()}-{'b' * 16}", "not-a-record"])


def test_the_folder_sweep_removes_dead_processes_temp_files(tmp_path: Path) -> None:
    dead = _dead_pid()
    names = [f"{TEMP_PREFIX}{dead}-{'a' * 16}", f"{TEMP_PREFIX}{dead}-{'a' * 16}-journal",
             f"{TEMP_PREFIX}{os.getpid()}-{'b' * 16}", f"{TEMP_PREFIX}{'c' * 16}", "report.pdf"]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    atomic_write_bytes(tmp_path / "new.pdf", b"y")  # every write sweeps its folder first
    assert sorted(os.listdir(tmp_path)) == sorted(names[2:] + ["new.pdf"])


def test_named_temp_removes_what_is_left_and_forgets_its_record(tmp_path: Path) -> None:
    with named_temp(tmp_path) as (tmp, fd):
        os.close(fd)
        Path(f"{tmp}-journal").write_bytes(b"sqlite journal")
        assert _records() == [tmp.name[len(TEMP_PREFIX):]]
    assert os.listdir(tmp_path) == [] and _records() == []
