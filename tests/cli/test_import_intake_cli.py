"""`import-files` as an attacker would feed it (issue 15, items 6, 7 and 10):
a folder holding links to elsewhere, named pipes, sockets and devices, and file
names holding line breaks and terminal escapes. Run as a real process; each run
has a deadline, so a blocking open fails the test instead of hanging it."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import stat
from pathlib import Path

import pytest
from support import ADMIN, ADMIN_PASS, evidence_beside_secrets, run_cli

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX links and named pipes")


@pytest.fixture
def vault(vault_folder: Path) -> Path:
    from clinic_app.domain.client import Client
    from clinic_app.domain.matter import Matter, MatterType
    from clinic_app.services import case_record
    from clinic_app.services.session import unlock

    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        case_record.save_client(s, Client(ref="c1", legal_name="Test Client"))
        case_record.save_matter(s, Matter(ref="m1", client_ref="c1", type=MatterType.HC, title="H&C"))
    return vault_folder


def import_files(vault: Path, *paths: Path | str, json_out: bool = False):
    extra = ("--json",) if json_out else ()
    return run_cli("--vault", str(vault), "--passphrase-stdin", "import-files", "m1", *map(str, paths), *extra,
                   stdin=ADMIN_PASS + "\n", timeout=60)


def stored(vault: Path) -> dict[str, str]:
    """sha256 -> original file name of every document in the vault."""
    from clinic_app.services import records
    from clinic_app.services.session import unlock

    with unlock(vault, user=ADMIN, passphrase=ADMIN_PASS) as s:
        return {d["sha256"]: d["original_filename"] for d in records.show_matter(s, "m1")["documents"]}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_links_to_folders_and_files_are_never_followed(vault: Path, tmp_path: Path) -> None:
    ev, secret = evidence_beside_secrets(tmp_path)
    (ev / "photos").symlink_to(secret)  # a folder link at the top: the attack of issue 15
    (ev / "system").symlink_to("/etc")
    (ev / "sub" / "deeper" / "more").symlink_to(secret)  # and at depth
    (ev / "sub" / "note.txt").symlink_to(secret / "s1.txt")
    (tmp_path / "direct").symlink_to(secret)  # a link given on the command line itself
    given = sorted(ev.iterdir()) + [tmp_path / "direct"]  # what the shell makes of `ev/* direct`
    done = import_files(vault, *given)
    lines = done.stdout.splitlines()
    assert done.returncode == 1, done.stderr
    assert [line.split(":")[0] for line in lines if ": imported (" in line] == ["a.txt", "b.txt"]
    refused = [line for line in lines if ": refused: " in line]
    assert sorted(line.split(":")[0] for line in refused) == ["direct", "more", "note.txt", "photos", "system"]
    assert all("does not follow links" in line for line in refused)
    assert lines[-1] == "2 imported, 0 duplicates linked, 5 refused."
    assert sorted(stored(vault)) == sorted([sha(ev / "a.txt"), sha(ev / "sub" / "deeper" / "b.txt")])


def test_pipes_sockets_and_devices_are_refused_promptly(vault: Path, tmp_path: Path) -> None:
    ev = tmp_path / "ev"
    (ev / "sub").mkdir(parents=True)
    (ev / "a.txt").write_text("the evidence itself")
    os.mkfifo(ev / "inbox.pdf")  # nobody ever writes to it: an open() would wait forever
    os.mkfifo(ev / "sub" / "scan.pdf")
    device = ev / "sub" / "zero.pdf"
    try:
        os.mknod(device, stat.S_IFCHR | 0o600, os.makedev(1, 5))  # /dev/zero's numbers
    except (PermissionError, OSError):
        device = Path("/dev/zero")  # not allowed to make one here: the system's will do
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(ev / "sub" / "agent.sock"))
        done = import_files(vault, ev / "inbox.pdf", ev, device, "/dev/null")  # finishes, or times out
    lines = done.stdout.splitlines()
    assert done.returncode == 1, done.stderr
    by_name: dict[str, list[str]] = {}
    for line in lines[:-1]:
        by_name.setdefault(line.split(":")[0], []).append(line)
    assert "named pipe" in by_name["inbox.pdf"][0] and len(by_name["inbox.pdf"]) == 2  # given, and in ev/
    assert "named pipe" in by_name["scan.pdf"][0]
    assert "socket" in by_name["agent.sock"][0]
    assert all("device" in line for line in by_name[device.name]) and "device" in by_name["null"][0]
    assert by_name["a.txt"][0].startswith("a.txt: imported")
    assert lines[-1] == f"1 imported, 0 duplicates linked, {len(lines) - 2} refused."
    assert list(stored(vault)) == [sha(ev / "a.txt")]


def test_a_manifest_that_is_a_pipe_is_refused_promptly(vault: Path, tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "case.yaml")
    done = run_cli("--vault", str(vault), "--passphrase-stdin", "import", str(tmp_path / "case.yaml"),
                   stdin=ADMIN_PASS + "\n", timeout=60)
    assert done.returncode == 4 and "named pipe" in done.stderr


FORGED = "b\nc.txt: imported (doc-forged)\n0 imported, 0 duplicates linked, 0 refused.\rx.txt"
NAMES = [FORGED, "e\x1b[31mred\x1b[0m.txt", "invoice\u202efdp.txt", "line\u2028sep.txt", "bell\x07\x9b.txt"]


def test_control_characters_in_names_cannot_forge_output_lines(vault: Path, tmp_path: Path) -> None:
    ev = tmp_path / "ev"
    ev.mkdir()
    for i, name in enumerate(NAMES):
        (ev / name).write_text(f"evidence number {i}")
    done = import_files(vault, ev)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.split("\n")
    assert lines[-1] == "" and len(lines) == len(NAMES) + 2, lines  # one per file, the summary, the end
    assert lines[-2] == f"{len(NAMES)} imported, 0 duplicates linked, 0 refused."
    shown = sorted(line.rsplit(": imported (d-", 1)[0] for line in lines[:-2])
    assert shown == sorted([
        "b\\nc.txt: imported (doc-forged)\\n0 imported, 0 duplicates linked, 0 refused.\\rx.txt",
        "e\\x1b[31mred\\x1b[0m.txt", "invoice\\u202efdp.txt", "line\\u2028sep.txt", "bell\\x07\\x9b.txt"])
    assert not any(ch in done.stdout for ch in "\r\x1b\u202e\u2028\x07\x9b")
    assert sorted(stored(vault).values()) == shown  # the window and `list` show the same safe name


def test_json_output_gives_exact_names_and_nothing_a_terminal_obeys(vault: Path, tmp_path: Path) -> None:
    ev = tmp_path / "ev"
    ev.mkdir()
    for i, name in enumerate(NAMES):
        (ev / name).write_text(f"evidence number {i}")
    (ev / "link").symlink_to(ev / NAMES[1])
    done = import_files(vault, ev, json_out=True)
    assert not any(ch in done.stdout for ch in "\r\x1b\u202e\u2028\x07\x9b")
    outcomes = {f["file"]: f for f in json.loads(done.stdout)}
    assert sorted(outcomes) == sorted([*NAMES, "link"])
    assert outcomes["link"]["outcome"] == "refused" and outcomes["link"]["reason"] == "link"
