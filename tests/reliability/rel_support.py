"""Helpers for the reliability tests: running the CLI, killing it, judging a vault afterwards."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from support import ADMIN, ADMIN_PASS

HERE = Path(__file__).resolve().parent
SHIM = HERE / "haven_cli.py"
BASE_ENV = {"HAVEN_GUI": "0", "PYTHONDONTWRITEBYTECODE": "1"}


def _working_strace() -> str | None:
    """strace's path when it can trace a child here (a container may forbid ptrace)."""
    found = shutil.which("strace")
    if found is None:
        return None
    try:
        probe = subprocess.run([found, "-f", "-o", os.devnull, "true"], capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return found if probe.returncode == 0 else None


STRACE = _working_strace()


def haven_cmd(*args: str) -> list[str]:
    return [sys.executable, str(SHIM), *args]


def haven(*args: str, stdin: str = "", env: dict[str, str] | None = None,
          timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """Run the CLI (with the reliability commands) as a real process."""
    return subprocess.run(haven_cmd(*args), input=stdin, capture_output=True, text=True,
                          env={**os.environ, **BASE_ENV, **(env or {})}, timeout=timeout)


def vault_args(folder: Path) -> tuple[str, ...]:
    return ("--vault", str(folder), "--passphrase-stdin")


# --- killing a command ----------------------------------------------------------------


@dataclass
class Run:
    killed: bool
    returncode: int
    seconds: float
    stderr: str = ""


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def run_and_kill(cmd: list[str], *, stdin: str, env: dict[str, str] | None = None,
                 delay: float | None = None, timeout: float = 300) -> Run:
    """Start `cmd` in its own process group; SIGKILL the group after `delay` seconds."""
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, **BASE_ENV, **(env or {})}, start_new_session=True)
    assert proc.stdin is not None
    proc.stdin.write(stdin.encode())
    proc.stdin.close()
    killed = False
    try:
        proc.wait(timeout=delay if delay is not None else timeout)
    except subprocess.TimeoutExpired:
        killed = delay is not None
        _kill_group(proc)
        proc.wait(timeout=30)
    _kill_group(proc)  # stray children (the intake sandbox) of a finished or killed run
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    return Run(killed, proc.returncode, time.monotonic() - started, err)


def strace_prefix(inject: str, out: Path | None = None) -> list[str]:
    """strace arguments that inject a fault (e.g. "pwrite64:signal=KILL:when=7") and log nothing."""
    assert STRACE
    syscall = inject.split(":", 1)[0]  # strace injects only into syscalls it traces
    return [STRACE, "-f", "-qq", "-o", str(out or os.devnull), "-e", f"trace={syscall}", "-e", f"inject={inject}"]


def count_syscalls(cmd: list[str], *, stdin: str, syscalls: tuple[str, ...], workdir: Path,
                   env: dict[str, str] | None = None) -> dict[str, int]:
    """How often the main process of `cmd` makes each syscall on a file (one traced run).

    Writes to pipes and terminals (the command's own output) are not counted: a
    failure there says nothing about the vault.
    """
    assert STRACE
    log = workdir / f"strace-{random.randrange(1 << 30)}.log"
    subprocess.run([STRACE, "-y", "-o", str(log), "-qq", "-e", f"trace={','.join(syscalls)}", *cmd],
                   input=stdin, capture_output=True, text=True, env={**os.environ, **BASE_ENV, **(env or {})},
                   timeout=300, check=False)
    counts = dict.fromkeys(syscalls, 0)
    for line in log.read_text(errors="replace").splitlines():
        name, _sep, rest = line.partition("(")
        if name.strip() in counts and not rest.split(",")[0].endswith(("]>", "/dev/null>")) \
                and "<pipe:" not in rest.split(",")[0] and "<socket:" not in rest.split(",")[0]:
            counts[name.strip()] += 1
    log.unlink()
    return counts


# --- files ------------------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def flip_byte(path: Path, position: int, mask: int = 0x01) -> None:
    with open(path, "r+b") as fh:
        fh.seek(position)
        byte = fh.read(1)
        fh.seek(position)
        fh.write(bytes([byte[0] ^ mask]))


def text_files(folder: Path, prefix: str, count: int, size: int, marker: str = "") -> dict[str, str]:
    """`count` text files of about `size` bytes; returns {file name: sha256}."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for i in range(count):
        body = f"Statement {prefix} {i} {marker}\n" + os.urandom(max(size // 2, 16)).hex()
        path = folder / f"{prefix}-{i}.txt"
        path.write_text(body, encoding="utf-8")
        out[path.name] = sha256_file(path)
    return out


_NAMES = ("Amaru Quispe Mamani", "Birgit Lindqvist", "Chiamaka Okonkwo", "Dmitri Volkonsky", "Esperanza Ruiz",
          "Farida Haidari", "Goran Petrovic", "Hoang Thi Lan")


def manifest(folder: Path, name: str, *, client: str, matter: str, files: dict[str, str],
             client_name: str | None = None) -> tuple[Path, dict[str, str]]:
    """A manifest importing every file into one matter; returns (path, {doc ref: sha256}).
    Each client ref gets a name unlike the others' (the import's conflict check stays quiet)."""
    if client_name is None:
        client_name = _NAMES[int(hashlib.sha256(client.encode()).hexdigest(), 16) % len(_NAMES)]
    docs = [{"ref": f"d-{matter}-{i}", "matter": matter, "file": fname, "title": f"Statement {i}"}
            for i, fname in enumerate(sorted(files))]
    data = {"clients": [{"ref": client, "name": client_name}],
            "matters": [{"ref": matter, "client": client, "type": "hc", "title": "Application"}],
            "documents": docs}
    path = folder / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path, {d["ref"]: files[d["file"]] for d in docs}


# --- judging a vault --------------------------------------------------------------------


@dataclass
class Soundness:
    problems: list[str] = field(default_factory=list)
    documents: dict[str, str] = field(default_factory=dict)  # ref -> sha256 of the bytes read back
    counts: dict[str, int] = field(default_factory=dict)


def soundness(folder: Path, *, user: str = ADMIN, passphrase: str = ADMIN_PASS) -> Soundness:
    """Open the vault and check everything a crash could have broken."""
    from clinic_app.services.session import unlock
    from clinic_app.vault import audit, blobs, connection, records

    result = Soundness()
    with unlock(folder, user=user, passphrase=passphrase) as session:
        conn = session.vault.conn
        result.problems += connection.integrity_problems(conn)
        result.problems += audit.verify(conn, session.vault.vault_id)
        pending = conn.execute("SELECT count(*) FROM blobs WHERE sha256 LIKE 'pending-%'").fetchone()[0]
        if pending:
            result.problems.append(f"{pending} half-written blobs")
        for blob_id, chunks in conn.execute("SELECT id, chunks FROM blobs").fetchall():
            have = conn.execute("SELECT count(*) FROM blob_chunks WHERE blob_id = ?", (blob_id,)).fetchone()[0]
            if have != chunks:
                result.problems.append(f"blob {blob_id}: {have} of {chunks} chunks")
        for ref, blob_id in records.document_blob_ids(conn):
            data = blobs.read_all(conn, blob_id)
            result.documents[ref] = hashlib.sha256(data).hexdigest()
            if not blobs.verify(conn, blob_id):
                result.problems.append(f"document {ref} does not match its hash")
        for table in ("clients", "matters", "documents", "letters", "bundles", "blobs"):
            result.counts[table] = records.count(conn, table)
    return result
