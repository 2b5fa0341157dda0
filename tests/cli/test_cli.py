"""The command line as a script would use it: real processes, real vaults."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from clinic_app.cli.main import build_parser

from support import ADMIN, ADMIN_PASS, folder_digest, run_cli


def _commands(parser, prefix=()):  # type: ignore[no-untyped-def]
    for action in parser._actions:
        if action.__class__.__name__ == "_SubParsersAction":
            for name, sub in action.choices.items():
                yield prefix + (name,)
                yield from _commands(sub, prefix + (name,))


def test_help_on_every_command() -> None:
    """Every command's help renders (in this process: one interpreter start per command would
    cost a second each); the installed entry point is run once, as a person would."""
    import contextlib
    import io

    from clinic_app.cli.main import run

    commands = list(_commands(build_parser()))
    assert ("user", "add") in commands and ("init",) in commands and ("sync", "join") in commands
    done = run_cli("--help")
    assert done.returncode == 0 and "usage: clinic-app" in done.stdout, done.stderr
    for cmd in commands:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = run([*cmd, "--help"])
        assert code == 0, cmd
        assert "usage: clinic-app " + " ".join(cmd) in out.getvalue(), (cmd, out.getvalue()[:200])


def test_init_prints_the_recovery_key_once_and_makes_a_working_vault(tmp_path: Path) -> None:
    folder = tmp_path / "v"
    done = run_cli("--vault", str(folder), "init", "--user", ADMIN, "--passphrase-stdin", "--kdf-profile", "fast",
                   stdin=ADMIN_PASS + "\n")
    assert done.returncode == 0, done.stderr
    key_lines = [ln.strip() for ln in done.stdout.splitlines() if ln.strip().count("-") == 7]
    assert len(key_lines) == 1 and len(key_lines[0]) == 39
    assert sorted(p.name for p in folder.iterdir()) == ["haven.lock", "keyslots.json", "vault.db"]
    listed = run_cli("--vault", str(folder), "--passphrase-stdin", "user", "list", "--json", stdin=ADMIN_PASS + "\n")
    assert json.loads(listed.stdout) == [{"name": ADMIN, "role": "admin", "created_at": json.loads(listed.stdout)[0]["created_at"]}]


def test_init_says_what_is_in_the_way(tmp_path: Path) -> None:
    """A file given as the vault's folder was reported as "already holds a Haven vault or other
    files", sending the person to look for a vault that is not there."""
    afile = tmp_path / "notes.txt"
    afile.write_text("mine")
    crowded = tmp_path / "crowded"
    crowded.mkdir()
    (crowded / "x").write_text("mine")
    said = {}
    for place in (afile, crowded):
        done = run_cli("--vault", str(place), "init", "--user", ADMIN, "--passphrase-stdin", "--kdf-profile", "fast",
                       stdin=ADMIN_PASS + "\n")
        assert done.returncode == 4 and "Traceback" not in done.stderr, done.stderr
        said[place] = done.stderr
    assert "is a file, not a folder" in said[afile] and "already holds" not in said[afile]
    assert "already holds a Haven vault or other files" in said[crowded]
    assert afile.read_text() == "mine" and [p.name for p in crowded.iterdir()] == ["x"]


def test_exit_codes(vault_folder: Path, tmp_path: Path) -> None:
    v = ("--vault", str(vault_folder), "--passphrase-stdin")
    assert run_cli("no-such-command").returncode == 2
    assert run_cli(*v, "list", "clients", stdin="wrong passphrase\n").returncode == 3
    assert run_cli("--vault", str(tmp_path / "missing"), "--passphrase-stdin", "--user", ADMIN, "check",
                   stdin=ADMIN_PASS + "\n").returncode == 4
    assert run_cli(*v, "user", "add", "x", "--role", "wizard", stdin=ADMIN_PASS + "\n").returncode == 2
    add = run_cli(*v, "user", "add", "vol", "--role", "volunteer",
                  stdin=ADMIN_PASS + "\nvolunteers type letters quickly\n")
    assert add.returncode == 0, add.stderr
    assert run_cli(*v, "--user", "vol", "list", "clients", stdin="volunteers type letters quickly\n").returncode == 6
    ok = run_cli(*v, "--user", "vol", "list", "letters", "--json", stdin="volunteers type letters quickly\n")
    assert ok.returncode == 0 and json.loads(ok.stdout) == []
    assert run_cli(*v, "--user", ADMIN, "check", stdin=ADMIN_PASS + "\n").returncode == 0
    weak = run_cli(*v, "--user", ADMIN, "user", "add", "w", "--role", "staff", stdin=ADMIN_PASS + "\nweak\n")
    assert weak.returncode == 4 and "Traceback" not in weak.stderr


def test_wrong_passphrase_via_cli_changes_no_file(vault_folder: Path) -> None:
    before = folder_digest(vault_folder)
    done = run_cli("--vault", str(vault_folder), "--passphrase-stdin", "check", stdin="not the passphrase\n")
    assert done.returncode == 3
    assert "Wrong user name or passphrase" in done.stderr
    assert folder_digest(vault_folder) == before


def test_passwd_and_remove_via_cli(vault_folder: Path) -> None:
    v = ("--vault", str(vault_folder), "--passphrase-stdin")
    assert run_cli(*v, "user", "add", "bob", "--role", "lawyer", stdin=ADMIN_PASS + "\nbob argues cases well\n").returncode == 0
    changed = run_cli(*v, "--user", "bob", "user", "passwd", stdin="bob argues cases well\nbob now argues even better\n")
    assert changed.returncode == 0, changed.stderr
    assert run_cli(*v, "--user", "bob", "check", stdin="bob argues cases well\n").returncode == 3
    assert run_cli(*v, "--user", "bob", "check", stdin="bob now argues even better\n").returncode == 0
    removed = run_cli(*v, "--user", ADMIN, "user", "remove", "bob", stdin=ADMIN_PASS + "\n")
    assert removed.returncode == 0, removed.stderr
    assert run_cli(*v, "--user", "bob", "check", stdin="bob now argues even better\n").returncode == 3


def test_a_second_process_is_refused(vault_folder: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; from clinic_app.services.session import unlock;"
         f"s = unlock(Path({str(vault_folder)!r}), user={ADMIN!r}, passphrase={ADMIN_PASS!r});"
         "print('open', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        done = run_cli("--vault", str(vault_folder), "--passphrase-stdin", "check", stdin=ADMIN_PASS + "\n")
        assert done.returncode == 3
        assert "already open" in done.stderr
    finally:
        holder.kill()
        holder.wait()
    time.sleep(0.1)
    assert run_cli("--vault", str(vault_folder), "--passphrase-stdin", "check", stdin=ADMIN_PASS + "\n").returncode == 0


def test_no_passphrase_source_is_a_clear_usage_error(vault_folder: Path) -> None:
    done = run_cli("--vault", str(vault_folder), "check")
    assert done.returncode == 2
    assert "--passphrase-stdin" in done.stderr


@pytest.mark.parametrize("entry", [["-m", "clinic_app"], ["-c", "from clinic_app.app import main; raise SystemExit(main())"]])
def test_version(entry: list[str]) -> None:
    done = subprocess.run([sys.executable, *entry, "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("Haven ")
