"""kill -9 during imports, passphrase changes and backups: nothing committed is ever lost.

Each run copies a template vault, starts the real command line in its own process
group and kills it with SIGKILL, either after a random delay or (when strace is
installed) at a random write/fsync/rename system call, which lands the kill inside
the short commit window that a delay rarely hits. Then the vault must open, pass
`integrity_check` and `cipher_integrity_check`, verify its audit chain, hold no
half-written blob, and read every committed document back byte-identical. After a
killed bundle build the output folder holds only whole outputs (byte-identical to a
finished build or to the previous one), and after the next start of a Haven process no
temp file at all. 3 runs each by default; 20 each with `-m slow`.
"""

from __future__ import annotations

import os
import random
import shutil
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path

import pytest

from clinic_app.errors import WrongPassphrase
from clinic_app.fsutil import NAMED_TEMP_ENV, TEMP_PREFIX
from clinic_app.temp_journal import FOLDER
from clinic_app.vault import backup as backup_file
from clinic_app.vault.kdf import KdfParams
from clinic_app.vault.store import Vault

from rel_support import (BASE_ENV, STRACE, count_syscalls, haven, haven_cmd, manifest, run_and_kill, sha256_file,
                         soundness, strace_prefix, text_files, vault_args)
from support import ADMIN, ADMIN_PASS

NEW_PASS = "a brand new passphrase for the clinic"
MARKER = "QXZCRASHMARKER"
SYSCALLS = ("pwrite64", "write", "fsync", "fdatasync", "rename")


@dataclass
class Plan:
    """How to kill one run: after `delay` seconds, or at call `n` of `syscall`."""

    delay: float | None = None
    syscall: str = ""
    n: int = 0


def _plans(runs: int, seconds: float, counts: dict[str, int] | None, seed: int) -> list[Plan]:
    rng = random.Random(seed)
    plans = []
    for i in range(runs):
        usable = {k: v for k, v in (counts or {}).items() if v}
        if usable and i % 3 != 0:
            name = rng.choice(sorted(usable))
            plans.append(Plan(syscall=name, n=rng.randint(1, usable[name])))
        else:
            plans.append(Plan(delay=rng.uniform(0.15, 1.0) * seconds))
    return plans


def _kill(cmd: list[str], plan: Plan, stdin: str) -> int:
    """Run and kill per `plan`; the return code (-9 when the kill landed before the end)."""
    if plan.syscall:
        run = run_and_kill(strace_prefix(f"{plan.syscall}:signal=KILL:when={plan.n}") + cmd, stdin=stdin)
    else:
        run = run_and_kill(cmd, stdin=stdin, delay=plan.delay)
    return run.returncode


def _calibrate(template: Path, work: Path, cmd_for, stdin: str,  # type: ignore[no-untyped-def]
               syscalls: tuple[str, ...] = SYSCALLS) -> tuple[float, dict[str, int] | None]:
    copy = work / "calibrate"
    shutil.copytree(template, copy)
    run = run_and_kill(cmd_for(copy), stdin=stdin)
    assert run.returncode == 0, run.stderr
    counts = None
    if STRACE:  # a second copy elsewhere: this computer remembers how far the first one got
        shutil.rmtree(copy)
        copy = work / "calibrate-count"
        shutil.copytree(template, copy)
        counts = count_syscalls(cmd_for(copy), stdin=stdin, syscalls=syscalls, workdir=work)
    shutil.rmtree(copy)
    return run.seconds, counts


# --- import -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def import_setup(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from clinic_app.services.intake_bridge import analyzer
    from clinic_app.services.manifest_import import import_manifest
    from clinic_app.services.session import create_vault

    base = tmp_path_factory.mktemp("crash-import")
    src = base / "src"
    first, first_docs = manifest(src, "a.json", client="c-a", matter="m-a",
                                 files=text_files(src, "a", 8, 6000, MARKER))
    second, second_docs = manifest(src, "b.json", client="c-b", matter="m-b",
                                   files=text_files(src, "b", 50, 12000, MARKER))
    template = base / "template"
    session, _recovery = create_vault(template, admin=ADMIN, passphrase=ADMIN_PASS, kdf_profile="fast")
    with session as s, analyzer() as analyze:
        import_manifest(s, first, analyze=analyze)
    return template, second, first_docs, second_docs


def _check_import(folder: Path, first: dict[str, str], second: dict[str, str]) -> bool:
    found = soundness(folder)
    assert found.problems == []
    for ref, sha in first.items():
        assert found.documents[ref] == sha  # earlier, committed data untouched
    landed = {ref: sha for ref, sha in found.documents.items() if ref in second}
    assert landed in ({}, second)  # all or nothing, byte-identical
    assert found.counts["clients"] == (2 if landed else 1) and found.counts["matters"] == found.counts["clients"]
    return bool(landed)


def _import_runs(import_setup, work: Path, runs: int, seed: int) -> list[bool]:  # type: ignore[no-untyped-def]
    template, manifest_b, first, second = import_setup

    def cmd(folder: Path) -> list[str]:
        return haven_cmd(*vault_args(folder), "import", str(manifest_b))

    # the vault's own writes: a kill at a `write` would mostly hit the intake worker's pipe
    seconds, counts = _calibrate(template, work, cmd, ADMIN_PASS + "\n", ("pwrite64", "fsync", "fdatasync"))
    outcomes = []
    for i, plan in enumerate(_plans(runs, seconds, counts, seed)):
        folder = work / f"run{i}"
        shutil.copytree(template, folder)
        rc = _kill(cmd(folder), plan, ADMIN_PASS + "\n")
        outcomes.append(_check_import(folder, first, second))
        print(f"import run {i}: {plan} rc={rc} committed={outcomes[-1]}")
        shutil.rmtree(folder)
    return outcomes


def test_kill_during_import(import_setup, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _import_runs(import_setup, tmp_path, runs=3, seed=11)


@pytest.mark.slow
def test_kill_during_import_20_runs(import_setup, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    outcomes = _import_runs(import_setup, tmp_path, runs=20, seed=12)
    assert len(outcomes) == 20


# --- passphrase change ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def passwd_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A vault whose KDF costs ~0.1 s, so a random delay can land inside the change."""
    folder = tmp_path_factory.mktemp("crash-passwd") / "template"
    vault, _recovery = Vault.create(folder, admin=ADMIN, passphrase=ADMIN_PASS,
                                    kdf=KdfParams(memory_kib=64 * 1024, iterations=2, parallelism=1))
    vault.close()
    return folder


def _opens(folder: Path, passphrase: str) -> bool:
    try:
        Vault.open(folder, user=ADMIN, passphrase=passphrase).close()
    except WrongPassphrase:
        return False
    return True


def _passwd_runs(template: Path, work: Path, runs: int, seed: int) -> list[str]:
    stdin = f"{ADMIN_PASS}\n{NEW_PASS}\n"

    def cmd(folder: Path) -> list[str]:
        return haven_cmd(*vault_args(folder), "user", "passwd")

    seconds, counts = _calibrate(template, work, cmd, stdin)
    outcomes = []
    for i, plan in enumerate(_plans(runs, seconds, counts, seed)):
        folder = work / f"run{i}"
        shutil.copytree(template, folder)
        rc = _kill(cmd(folder), plan, stdin)
        old, new = _opens(folder, ADMIN_PASS), _opens(folder, NEW_PASS)
        assert old != new, (plan, old, new)  # exactly one of them opens the vault
        assert soundness(folder, passphrase=ADMIN_PASS if old else NEW_PASS).problems == []
        outcomes.append("new" if new else "old")
        print(f"passwd run {i}: {plan} rc={rc} opens with {outcomes[-1]} passphrase")
        shutil.rmtree(folder)
    return outcomes


def test_kill_during_passphrase_change(passwd_template: Path, tmp_path: Path) -> None:
    _passwd_runs(passwd_template, tmp_path, runs=3, seed=21)


@pytest.mark.slow
def test_kill_during_passphrase_change_20_runs(passwd_template: Path, tmp_path: Path) -> None:
    outcomes = _passwd_runs(passwd_template, tmp_path, runs=20, seed=22)
    assert len(outcomes) == 20


# --- backup -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def backup_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    import hashlib
    import io
    import os

    from clinic_app.domain.client import Client
    from clinic_app.domain.document import DocumentMeta
    from clinic_app.domain.matter import Matter
    from clinic_app.services import case_record, evidence
    from clinic_app.services.session import create_vault

    folder = tmp_path_factory.mktemp("crash-backup") / "template"
    session, _recovery = create_vault(folder, admin=ADMIN, passphrase=ADMIN_PASS, kdf_profile="fast")
    docs = {}
    with session as s:
        case_record.save_client(s, Client(ref="c-1", legal_name=f"Client {MARKER}"))
        case_record.save_matter(s, Matter(ref="m-1", client_ref="c-1", type="hc", title="H&C"))
        for i in range(8):
            data = (MARKER + " ").encode() * 1000 + os.urandom(4_000_000)
            evidence.store_document(s, io.BytesIO(data), DocumentMeta(ref=f"d-{i}", title="Doc"), ["m-1"])
            docs[f"d-{i}"] = hashlib.sha256(data).hexdigest()
    return folder, docs


def _backup_runs(template: tuple[Path, dict[str, str]], work: Path, runs: int, seed: int) -> list[bool]:
    folder0, docs = template
    out_dir = work / "out"

    def cmd(folder: Path) -> list[str]:
        out_dir.mkdir(exist_ok=True)
        return haven_cmd(*vault_args(folder), "backup", str(out_dir / f"{folder.name}.havenbak"))

    seconds, counts = _calibrate(folder0, work, cmd, ADMIN_PASS + "\n")
    shutil.rmtree(out_dir)
    outcomes = []
    for i, plan in enumerate(_plans(runs, seconds, counts, seed)):
        folder = work / f"run{i}"
        shutil.copytree(folder0, folder)
        out_dir.mkdir()
        rc = _kill(cmd(folder), plan, ADMIN_PASS + "\n")
        found = soundness(folder)
        assert found.problems == [] and found.documents == docs
        target = out_dir / f"{folder.name}.havenbak"
        leftovers = [p for p in out_dir.iterdir() if p != target]
        assert all(p.name.startswith(".haven-tmp-") for p in leftovers), leftovers
        for path in leftovers:  # an interrupted backup leaves only ciphertext
            assert MARKER.encode() not in path.read_bytes()
        if target.exists():  # a backup file that exists is always whole and restorable
            header = backup_file.read_header(target)
            assert backup_file.verify_data(target, header)
            from clinic_app.services.restore import restore

            restore(target, work / f"restored{i}", user=ADMIN, passphrase=ADMIN_PASS)
            assert soundness(work / f"restored{i}").documents == docs
            shutil.rmtree(work / f"restored{i}")
        outcomes.append(target.exists())
        print(f"backup run {i}: {plan} rc={rc} backup={'whole' if target.exists() else 'absent'} "
              f"temp files left={len(leftovers)}")
        shutil.rmtree(folder)
        shutil.rmtree(out_dir)
    return outcomes


def test_kill_during_backup(backup_template, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _backup_runs(backup_template, tmp_path, runs=3, seed=31)


@pytest.mark.slow
def test_kill_during_backup_20_runs(backup_template, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    outcomes = _backup_runs(backup_template, tmp_path, runs=20, seed=32)
    assert len(outcomes) == 20


# --- bundle builds -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundle_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], int]:
    import hashlib
    import io

    from reportlab.pdfgen import canvas

    from clinic_app.domain.bundle import BundleSpec, Section
    from clinic_app.domain.client import Client
    from clinic_app.domain.document import DocumentMeta
    from clinic_app.domain.matter import Matter
    from clinic_app.services import bundles, case_record, evidence
    from clinic_app.services.bundle_specs import tab_for_document
    from clinic_app.services.evidence import Analysis
    from clinic_app.services.session import create_vault

    folder = tmp_path_factory.mktemp("crash-bundle") / "template"
    session, _recovery = create_vault(folder, admin=ADMIN, passphrase=ADMIN_PASS, kdf_profile="fast")
    docs, pages = {}, 0
    with session as s:
        case_record.save_client(s, Client(ref="c-1", legal_name=f"Client {MARKER}"))
        case_record.save_matter(s, Matter(ref="m-1", client_ref="c-1", type="hc", title="H&C"))
        for i in range(40):
            buf = io.BytesIO()
            pdf = canvas.Canvas(buf, invariant=1)
            for p in range(10):
                pdf.drawString(72, 700, f"{MARKER} document {i} page {p + 1} " + "x" * 60)
                pdf.showPage()
            pdf.save()
            data = buf.getvalue()
            evidence.store_document(s, io.BytesIO(data), DocumentMeta(ref=f"d-{i}", title=f"Doc {i}"), ["m-1"],
                                    analysis=Analysis(page_count=10))
            docs[f"d-{i}"] = hashlib.sha256(data).hexdigest()
            pages += 10
        conn = s.vault.conn
        bundles.save_project(s, "b-1", "m-1", BundleSpec(
            title="Record", sections=[Section("", [tab_for_document(conn, ref) for ref in docs])]))
    return folder, docs, pages


BUILD_SYSCALLS = (*SYSCALLS, "linkat", "renameat")  # the output is linked into place, then renamed over


def _previous_output() -> bytes:
    """A complete earlier bundle that a build may replace."""
    import io

    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, invariant=1)
    pdf.drawString(72, 700, f"{MARKER} the previous build of this bundle")
    pdf.save()
    return buf.getvalue()


def _in_flight() -> set[str]:
    folder = Path(os.environ["HAVEN_STATE_DIR"]) / FOLDER
    return set(os.listdir(folder)) if folder.is_dir() else set()


def _scan_output(out_dir: Path, whole: set[str], finished: str, replacing: bool) -> list[str]:
    """Every file in the output folder is a whole output, never part of one; the temp names left.

    The target holds the previous or the new output. Only when replacing a previous
    output may the new one also sit whole under a recorded temp name: a kill in the
    instant between its link and its rename (fsutil), removed at the next start.
    """
    temps = []
    for path in out_dir.iterdir():
        sha = sha256_file(path)
        if path.name == "b.pdf":
            assert sha in whole, "a partial output"
        else:
            assert replacing and path.name.startswith(TEMP_PREFIX) and sha == finished, path.name
            temps.append(path.name)
    assert {name[len(TEMP_PREFIX):] for name in temps} <= _in_flight()
    return temps


def _bundle_runs(template: tuple[Path, dict[str, str], int], work: Path, runs: int, seed: int) -> list[bool]:
    folder0, docs, _pages = template
    out_dir = work / "out"
    target = out_dir / "b.pdf"

    def cmd(folder: Path) -> list[str]:
        out_dir.mkdir(exist_ok=True)
        return haven_cmd(*vault_args(folder), "build", "m-1", "--bundle", "b-1", "--out", str(target))

    # the counting run replaces the first run's output: link, link under a temp name, rename
    seconds, counts = _calibrate(folder0, work, cmd, ADMIN_PASS + "\n", BUILD_SYSCALLS)
    finished = sha256_file(target)  # builds are reproducible: this is the only whole new output
    shutil.rmtree(out_dir)
    previous = _previous_output()
    outcomes = []
    for i, plan in enumerate(_plans(runs, seconds, counts, seed)):
        folder = work / f"run{i}"
        shutil.copytree(folder0, folder)
        out_dir.mkdir()
        replacing = i % 2 == 1
        if replacing:
            target.write_bytes(previous)
        whole = {finished, sha256(previous).hexdigest()} if replacing else {finished}
        rc = _kill(cmd(folder), plan, ADMIN_PASS + "\n")
        found = soundness(folder)  # the vault is untouched by a killed build
        assert found.problems == [] and found.documents == docs
        temps = _scan_output(out_dir, whole, finished, replacing)
        started = haven("--version")  # the next start of any Haven process sweeps recorded temps
        assert started.returncode == 0, started.stderr
        assert [p.name for p in out_dir.iterdir()] in ([], ["b.pdf"]) and _in_flight() == set()
        assert _scan_output(out_dir, whole, finished, replacing) == []
        outcomes.append(target.exists() and sha256_file(target) == finished)
        print(f"bundle run {i}: {plan} rc={rc} replacing={replacing} new output={outcomes[-1]} "
              f"whole temp left until the next start={len(temps)}")
        shutil.rmtree(folder)
        shutil.rmtree(out_dir)
    return outcomes


def test_kill_during_bundle_build(bundle_template, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _bundle_runs(bundle_template, tmp_path, runs=3, seed=41)


@pytest.mark.slow
def test_kill_during_bundle_build_20_runs(bundle_template, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    outcomes = _bundle_runs(bundle_template, tmp_path, runs=20, seed=42)
    assert len(outcomes) == 20


def test_killed_build_with_named_temp_files_is_swept_at_the_next_start(  # type: ignore[no-untyped-def]
        bundle_template, tmp_path: Path) -> None:
    """Where a file cannot be written without a name (forced here), a kill leaves the
    build's temp file, recorded; the next start of any Haven process removes it."""
    import signal
    import subprocess
    import time

    folder = tmp_path / "vault"
    shutil.copytree(bundle_template[0], folder)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    proc = subprocess.Popen(haven_cmd(*vault_args(folder), "build", "m-1", "--bundle", "b-1", "--out",
                                      str(out_dir / "b.pdf")),
                            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, **BASE_ENV, NAMED_TEMP_ENV: "1"}, start_new_session=True)
    assert proc.stdin is not None
    proc.stdin.write((ADMIN_PASS + "\n").encode())
    proc.stdin.close()
    deadline = time.monotonic() + 120
    try:
        while not any(p.name.startswith(TEMP_PREFIX) for p in out_dir.iterdir()):
            assert proc.poll() is None and time.monotonic() < deadline, "no temp file appeared"
            time.sleep(0.002)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    (temp,) = out_dir.iterdir()
    assert temp.name.startswith(TEMP_PREFIX) and _in_flight() == {temp.name[len(TEMP_PREFIX):]}
    started = haven("--version")
    assert started.returncode == 0, started.stderr
    assert list(out_dir.iterdir()) == [] and _in_flight() == set()
