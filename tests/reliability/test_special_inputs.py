"""A named pipe or a device given where Haven expects a backup or a case file is refused at once.

A plain open() of a FIFO blocks until someone writes to it, with the vault unlocked; the
command must instead finish promptly with a clear refusal naming the file.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from rel_support import BASE_ENV, haven, haven_cmd, manifest, vault_args
from support import ADMIN, ADMIN_PASS


@pytest.mark.parametrize("command", ["restore", "import-matter"])
def test_a_pipe_instead_of_the_file_is_refused_promptly(command: str, vault_folder: Path, tmp_path: Path) -> None:
    pipe = tmp_path / "case.fifo"
    os.mkfifo(pipe)
    folder = tmp_path / "restored" if command == "restore" else vault_folder
    stdin = f"{ADMIN_PASS}\nany case file passphrase\n"
    run = haven(*vault_args(folder), "--user", ADMIN, command, str(pipe), stdin=stdin, timeout=60)
    assert run.returncode in (4, 5), (run.returncode, run.stdout, run.stderr)
    assert "case.fifo" in run.stderr and "not a regular file" in run.stderr
    assert "Internal error" not in run.stderr


def _haven_bytes(*args: str, stdin: str) -> tuple[int, str]:
    """Run the CLI; its output may repeat a name that is not UTF-8, so it is read leniently."""
    done = subprocess.run(haven_cmd(*args), input=stdin.encode(), capture_output=True, timeout=180,
                          env={**os.environ, **BASE_ENV, "HAVEN_OCR": "off"})
    return done.returncode, (done.stdout + done.stderr).decode("utf-8", "replace")


@pytest.mark.skipif(os.name != "posix", reason="only POSIX file names may hold bytes that are not UTF-8")
def test_a_vault_folder_whose_name_is_not_utf8_works(tmp_path: Path) -> None:
    """A Latin-1 folder name (a USB drive from an older computer) is a name like any other."""
    folder = Path(os.fsdecode(os.fsencode(tmp_path) + b"/cl\xednica"))
    code, err = _haven_bytes(*vault_args(folder), "init", "--user", ADMIN, stdin=f"{ADMIN_PASS}\n{ADMIN_PASS}\n")
    assert code == 0, err
    for command in (("list", "clients"), ("check",), ("user", "list"), ("backup", str(tmp_path / "b.havenbak"))):
        code, err = _haven_bytes(*vault_args(folder), "--user", ADMIN, *command, stdin=f"{ADMIN_PASS}\n")
        assert code == 0, (command, err)
        assert "Internal error" not in err
    evidence = Path(os.fsdecode(os.fsencode(tmp_path) + b"/pi\xe8ces"))
    evidence.mkdir()
    (evidence / os.fsdecode(b"d\xe9claration.txt")).write_text("Statement of the client\n", encoding="utf-8")
    listing, _docs = manifest(tmp_path, "m.json", client="c-1", matter="m-1", files={})
    code, err = _haven_bytes(*vault_args(folder), "--user", ADMIN, "import", str(listing), stdin=f"{ADMIN_PASS}\n")
    assert code == 0, err
    code, err = _haven_bytes(*vault_args(folder), "--user", ADMIN, "import-files", "m-1", str(evidence),
                             stdin=f"{ADMIN_PASS}\n")
    assert code == 0 and "1 imported" in err, err
