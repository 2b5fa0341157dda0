"""A named pipe or a device given where Haven expects a backup or a case file is refused at once.

A plain open() of a FIFO blocks until someone writes to it, with the vault unlocked; the
command must instead finish promptly with a clear refusal naming the file.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rel_support import haven, vault_args
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
