"""A Haven process killed (SIGKILL) while `init` or `restore` builds a vault beside the target.

The staging folder (`.haven-new-…`, `.haven-restore-…`) is a whole vault that the
passphrase opens. A kill before it is renamed into place used to leave it for good; now it
is recorded in the in-flight journal and the next start of any Haven process removes it,
never while the process that made it is alive.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from clinic_app.temp_journal import FOLDER, NEW_VAULT_PREFIX, RESTORE_PREFIX

from rel_support import BASE_ENV, haven, vault_args
from support import ADMIN, ADMIN_PASS

PAUSED = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from clinic_app.services import restore, session
    from clinic_app.vault import store

    def pause(*args, **kwargs):
        print("staged", flush=True)
        time.sleep(120)

    what, target = sys.argv[1], Path(sys.argv[2])
    if what == "restore":
        restore._open_staged = pause  # the backup is unpacked: a whole vault beside the target
        restore.restore(Path(sys.argv[3]), target, user=sys.argv[4], passphrase=sys.argv[5])
    else:
        migrate = store.migrations.migrate
        store.migrations.migrate = lambda conn: (migrate(conn), pause())
        session.create_vault(target, admin=sys.argv[4], passphrase=sys.argv[5], kdf_profile="fast")
""")


def _records() -> list[str]:
    folder = Path(os.environ["HAVEN_STATE_DIR"]) / FOLDER
    return sorted(os.listdir(folder)) if folder.is_dir() else []


def _start_paused(*args: str) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, "-c", PAUSED, *args], stdout=subprocess.PIPE,
                            env={**os.environ, **BASE_ENV}, start_new_session=True)
    assert proc.stdout is not None
    if proc.stdout.readline() != b"staged\n":
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        pytest.fail("the paused command did not reach its staging folder")
    return proc


@pytest.mark.parametrize("command", ["init", "restore"])
def test_a_staging_folder_left_by_a_kill_is_removed_at_the_next_start(command: str, vault_folder: Path,
                                                                      tmp_path: Path) -> None:
    parent = tmp_path / "place"
    parent.mkdir()
    target = parent / "vault"
    args = [command, str(target), "", ADMIN, ADMIN_PASS]
    if command == "restore":
        backup = tmp_path / "b.havenbak"
        made = haven(*vault_args(vault_folder), "--user", ADMIN, "backup", str(backup), stdin=ADMIN_PASS + "\n")
        assert made.returncode == 0, made.stderr
        args[2] = str(backup)
    prefix = RESTORE_PREFIX if command == "restore" else NEW_VAULT_PREFIX
    proc = _start_paused(*args)
    try:
        (staging,) = parent.iterdir()
        assert staging.name.startswith(f"{prefix}{proc.pid}-") and (staging / "vault.db").is_file()
        assert _records() == [staging.name[len(prefix):]]
        started = haven("--version")  # another Haven starts while it works: its folder stays
        assert started.returncode == 0, started.stderr
        assert staging.is_dir()
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    (parent / "notes.txt").write_text("a file of the user's")
    started = haven("--version")
    assert started.returncode == 0, started.stderr
    assert sorted(p.name for p in parent.iterdir()) == ["notes.txt"] and _records() == []
    (parent / "notes.txt").unlink()
    again = haven(*vault_args(target), "--user", ADMIN, *(
        ("init",) if command == "init" else ("restore", args[2])),
        stdin=f"{ADMIN_PASS}\n{ADMIN_PASS}\n")
    assert again.returncode == 0, again.stderr
    assert [p.name for p in parent.iterdir()] == ["vault"] and _records() == []


def test_a_planted_record_removes_no_other_folder(tmp_path: Path) -> None:
    """A record leads only to a real folder with a staging prefix and its own token, of a dead process."""
    journal = Path(os.environ["HAVEN_STATE_DIR"]) / FOLDER
    journal.mkdir(parents=True)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    token = f"{int(dead.stdout)}-{'ab' * 8}"
    (journal / token).write_bytes(os.fsencode(tmp_path))
    keep = [tmp_path / token, tmp_path / f".haven-other-{token}", tmp_path / f"{RESTORE_PREFIX}{token}x"]
    for folder in keep:
        folder.mkdir()
        (folder / "vault.db").write_bytes(b"keep me")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / f"{NEW_VAULT_PREFIX}{token}").symlink_to(elsewhere, target_is_directory=True)
    (elsewhere / "vault.db").write_bytes(b"keep me too")
    assert haven("--version").returncode == 0
    assert all((folder / "vault.db").is_file() for folder in keep)
    assert (elsewhere / "vault.db").is_file()
