"""kill -9 during `import-files` of a folder, whose files are parsed on several workers at once.

Parsing runs ahead of storing, on one sandboxed child per core (two on the 2-core CI
machine), but each file is stored in its own transaction in the order given. Killed at
any moment (a random delay, or a vault write or fsync chosen with strace), the vault
must be sound, hold exactly the first N files of the folder for some N, each one
byte-identical with its working copy and its text (nothing half-imported, nothing out
of order), and running the same import again must finish the job: the stored files
are found as duplicates, the rest imported once. 3 runs by default; 20 with `-m slow`.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from rel_support import haven, haven_cmd, soundness, text_files, vault_args
from support import ADMIN, ADMIN_PASS
from test_crash import MARKER, _calibrate, _kill, _plans

FILES = 8


@pytest.fixture(scope="module")
def folder_import(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from clinic_app.domain.client import Client
    from clinic_app.domain.matter import Matter
    from clinic_app.services import case_record
    from clinic_app.services.session import create_vault

    base = tmp_path_factory.mktemp("crash-parallel-import")
    src = base / "statements"
    files = text_files(src, "s", FILES, 8_000, MARKER)  # {name: sha256}, imported in name order
    template = base / "template"
    session, _recovery = create_vault(template, admin=ADMIN, passphrase=ADMIN_PASS, kdf_profile="fast")
    with session as s:
        case_record.save_client(s, Client(ref="c-1", legal_name="Test Person"))
        case_record.save_matter(s, Matter(ref="m-1", client_ref="c-1", type="hc", title="H&C"))
    return template, src, [files[name] for name in sorted(files)]


def _stored(folder: Path) -> list[tuple[str, str, str]]:
    """(original sha256, working copy sha256, text) of each document, in the order stored."""
    from clinic_app.services.session import unlock
    from clinic_app.vault import blobs, records

    with unlock(folder, user=ADMIN, passphrase=ADMIN_PASS) as session:
        conn = session.vault.conn
        rows = conn.execute("SELECT d.id, b.sha256, d.working_blob_id FROM documents d "
                            "JOIN blobs b ON b.id = d.blob_id ORDER BY d.id").fetchall()
        return [(sha, hashlib.sha256(blobs.read_all(conn, working)).hexdigest() if working else "",
                 records.document_text(conn, doc_id)) for doc_id, sha, working in rows]


def _check(folder: Path, expected: list[str]) -> int:
    found = soundness(folder)
    assert found.problems == []
    stored = _stored(folder)
    assert [sha for sha, _w, _t in stored] == expected[:len(stored)]  # a prefix, in the order given
    for _sha, working, text in stored:
        assert working and MARKER in text  # each with its working copy and its text
    return len(stored)


def _runs(folder_import, work: Path, runs: int, seed: int) -> list[int]:  # type: ignore[no-untyped-def]
    template, src, expected = folder_import

    def cmd(folder: Path) -> list[str]:
        return haven_cmd(*vault_args(folder), "import-files", "m-1", str(src))

    seconds, counts = _calibrate(template, work, cmd, ADMIN_PASS + "\n", ("pwrite64", "fsync", "fdatasync"))
    landed = []
    for i, plan in enumerate(_plans(runs, seconds, counts, seed)):
        folder = work / f"run{i}"
        shutil.copytree(template, folder)
        rc = _kill(cmd(folder), plan, ADMIN_PASS + "\n")
        landed.append(_check(folder, expected))
        if landed[-1] < len(expected):  # the same import again finishes the job, storing nothing twice
            again = haven(*vault_args(folder), "import-files", "m-1", str(src), stdin=ADMIN_PASS + "\n")
            assert again.returncode == 0, again.stderr
            assert again.stdout.count(": duplicate") == landed[-1]
            assert _check(folder, expected) == len(expected)
        print(f"parallel import run {i}: {plan} rc={rc} stored before the kill={landed[-1]} of {len(expected)}")
        shutil.rmtree(folder)
    return landed


def test_kill_during_parallel_import(folder_import, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _runs(folder_import, tmp_path, runs=3, seed=41)


@pytest.mark.slow
def test_kill_during_parallel_import_20_runs(folder_import, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    landed = _runs(folder_import, tmp_path, runs=20, seed=42)
    assert len(landed) == 20 and any(0 < n < FILES for n in landed)  # some kills landed mid-batch
