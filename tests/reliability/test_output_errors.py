"""A file the person chose cannot be written there: a clear error naming that place, and
nothing left behind or changed.

Each case is a real failure of a real file system: a folder that does not exist, a file
where the folder should be, a folder where the file should be, a name longer than the disk
allows, a read-only mount (a tmpfs mounted for the test; skipped, saying why, where
mounting is not allowed), a file over the size limit (RLIMIT_FSIZE, in a child process),
and an I/O error from the drive (strace fault injection; skipped when strace is missing).
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from clinic_app.errors import DiskFull, OutputNotWritten
from clinic_app.fsutil import TEMP_PREFIX
from clinic_app.output_files import VAULT_FILES, output_write_bytes, output_writer
from clinic_app.vault.store import DB_NAME, SLOTS_NAME

from rel_support import BASE_ENV, STRACE, haven, haven_cmd, sha256_file, soundness, strace_prefix, vault_args
from support import ADMIN_PASS

DATA = b"%PDF-1.7 a bundle's bytes\n" * 1000
UNCLEAR = ("Internal error", "Traceback", "stopped unexpectedly")


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX)) if folder.is_dir() else []


@pytest.fixture(params=["unnamed", "named"])
def temp_kind(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways Haven writes: an unnamed O_TMPFILE file, and the named temp file elsewhere."""
    if request.param == "named":
        monkeypatch.setenv("HAVEN_NAMED_TEMP", "1")
    return str(request.param)


def test_a_folder_that_does_not_exist_is_named(tmp_path: Path, temp_kind: str) -> None:
    target = tmp_path / "moved away" / "bundle.pdf"
    with pytest.raises(OutputNotWritten) as caught:
        output_write_bytes(target, DATA)
    assert "does not exist" in str(caught.value) and str(target.parent) in str(caught.value)
    assert not target.parent.exists()


def test_a_file_where_the_folder_should_be(tmp_path: Path, temp_kind: str) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_bytes(b"kept")
    with pytest.raises(OutputNotWritten) as caught:
        output_write_bytes(blocker / "bundle.pdf", DATA)
    assert "is not a folder" in str(caught.value) and str(blocker) in str(caught.value)
    assert blocker.read_bytes() == b"kept"


def test_a_folder_where_the_file_should_be_is_left_as_it_was(tmp_path: Path, temp_kind: str) -> None:
    target = tmp_path / "bundle.pdf"
    target.mkdir()
    (target / "inside.txt").write_bytes(b"kept")
    with pytest.raises(OutputNotWritten) as caught:
        output_write_bytes(target, DATA)
    assert "bundle.pdf in" in str(caught.value) and "is a folder, not a file" in str(caught.value)
    assert (target / "inside.txt").read_bytes() == b"kept"
    assert _leftovers(tmp_path) == []


def test_only_an_ordinary_file_is_ever_replaced(tmp_path: Path, temp_kind: str) -> None:
    """The rename replaces whatever has the name: before, `--out /dev/null` as root left a
    regular file where the device was. A pipe stands in for any special file here."""
    pipe = tmp_path / "pipe.pdf"
    os.mkfifo(pipe)
    with pytest.raises(OutputNotWritten, match="is not an ordinary file"):
        output_write_bytes(pipe, DATA)
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode) and _leftovers(tmp_path) == []
    link = tmp_path / "link.pdf"  # a symbolic link is replaced itself, never written through
    (tmp_path / "elsewhere.pdf").write_bytes(b"kept")
    link.symlink_to(tmp_path / "elsewhere.pdf")
    output_write_bytes(link, DATA)
    assert not link.is_symlink() and link.read_bytes() == DATA
    assert (tmp_path / "elsewhere.pdf").read_bytes() == b"kept"


@pytest.mark.parametrize("given", ["", ".", "..", "/"])
def test_a_name_that_is_no_file_is_refused(tmp_path: Path, given: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(OutputNotWritten, match="names a folder, not a file"):
        output_write_bytes(Path(given), DATA)
    assert list(tmp_path.iterdir()) == []


def test_a_name_too_long_for_the_disk(tmp_path: Path, temp_kind: str) -> None:
    target = tmp_path / ("r" * 300 + ".pdf")
    with pytest.raises(OutputNotWritten) as caught:
        output_write_bytes(target, DATA)
    assert "too long" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_an_existing_file_survives_a_failed_write(tmp_path: Path, temp_kind: str) -> None:
    """The failure happens while writing: the file already there is untouched, no temp stays."""
    target = tmp_path / "bundle.pdf"
    target.write_bytes(b"the bundle served last week")
    with pytest.raises(OutputNotWritten), output_writer(target) as fh:
        fh.write(DATA)
        raise OSError(errno.EIO, "Input/output error")  # as a failing drive's write() reports it
    assert target.read_bytes() == b"the bundle served last week"
    assert _leftovers(tmp_path) == []


def test_an_error_reading_something_else_is_not_blamed_on_the_output(tmp_path: Path) -> None:
    target = tmp_path / "bundle.pdf"
    with pytest.raises(FileNotFoundError), output_writer(target) as fh:
        fh.write(DATA)
        (tmp_path / "a source that vanished.pdf").read_bytes()
    assert not target.exists() and _leftovers(tmp_path) == []


def test_a_read_only_drive(small_disk, temp_kind: str) -> None:  # type: ignore[no-untyped-def]
    disk = small_disk(1024)
    (disk / "old.pdf").write_bytes(b"kept")
    done = subprocess.run(["mount", "-o", "remount,ro", str(disk)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip("cannot remount the test's tmpfs read-only here: " + done.stderr.strip())
    with pytest.raises(OutputNotWritten) as caught:
        output_write_bytes(disk / "old.pdf", DATA)
    assert "may not write in" in str(caught.value) and str(disk) in str(caught.value)
    assert (disk / "old.pdf").read_bytes() == b"kept"


def test_a_full_drive_is_named_as_the_chosen_place(small_disk) -> None:  # type: ignore[no-untyped-def]
    disk = small_disk(64)
    with pytest.raises(DiskFull) as caught:
        output_write_bytes(disk / "bundle.pdf", DATA * 200)
    assert str(disk) in str(caught.value)
    assert list(disk.iterdir()) == []


def test_a_file_over_the_size_limit(tmp_path: Path) -> None:
    """FAT32 refuses files over 4 GB with EFBIG; RLIMIT_FSIZE makes the kernel do the same."""
    target = tmp_path / "bundle.pdf"
    code = (
        "import resource, signal, sys; from pathlib import Path\n"
        "from clinic_app.errors import OutputNotWritten\n"
        "from clinic_app.output_files import output_write_bytes\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (10000, 10000))\n"
        f"try:\n    output_write_bytes(Path({str(target)!r}), b'x' * 50000)\n"
        "except OutputNotWritten as exc:\n    print(exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert "too large for the disk" in done.stdout and "FAT32" in done.stdout, done.stdout + done.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(STRACE is None, reason="strace is missing or may not trace here (apt-get install strace)")
def test_a_drive_that_fails_while_the_file_is_made_durable(tmp_path: Path) -> None:
    """The first fsync of this process is the output's: the drive fails it with EIO."""
    target = tmp_path / "bundle.pdf"
    code = (
        "from pathlib import Path\n"
        "from clinic_app.errors import OutputNotWritten\n"
        "from clinic_app.output_files import output_write_bytes\n"
        f"try:\n    output_write_bytes(Path({str(target)!r}), b'x' * 50000)\n"
        "except OutputNotWritten as exc:\n    print(exc)\n"
    )
    done = subprocess.run([*strace_prefix("fsync:error=EIO:when=1"), sys.executable, "-c", code],
                          capture_output=True, text=True, check=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert "reported an error while Haven wrote bundle.pdf" in done.stdout, done.stdout + done.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_command_line_names_the_place_the_person_chose(seeded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Before: "Internal error (FileNotFoundError)", or a disk error blamed on the vault's folder."""
    folder, docs = seeded()
    doc = sorted(docs)[0]
    missing = tmp_path / "USB stick" / "exports"
    run = haven(*vault_args(folder), "export-document", doc, "--out", str(missing / "copy.pdf"),
                stdin=ADMIN_PASS + "\n")
    assert run.returncode == 1, run.stderr
    assert not any(u in run.stderr for u in UNCLEAR), run.stderr
    assert f"The folder {missing} does not exist" in run.stderr
    assert str(folder) not in run.stderr  # the vault's folder is not the problem
    run = haven(*vault_args(folder), "export-document", doc, "--out", str(tmp_path / "copy.pdf"),
                stdin=ADMIN_PASS + "\n")
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "copy.pdf").read_bytes() == docs[doc]


def test_nothing_is_written_into_a_vaults_folder(seeded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Before: `export-document DOC --out VAULT/keyslots.json` replaced the key slots, and a bundle
    built to VAULT/vault.db replaced the database: every record lost."""
    assert VAULT_FILES == (DB_NAME, SLOTS_NAME)
    folder, docs = seeded()
    slots = sha256_file(folder / SLOTS_NAME)
    doc = sorted(docs)[0]
    for name in (*VAULT_FILES, "notes.pdf"):  # its own files, and plaintext beside them
        run = haven(*vault_args(folder), "export-document", doc, "--out", str(folder / name),
                    stdin=ADMIN_PASS + "\n")
        assert run.returncode == 1 and "holds a Haven vault" in run.stderr, run.stderr
    assert not (folder / "notes.pdf").exists()
    assert sha256_file(folder / SLOTS_NAME) == slots  # vault.db changes as each unlock is recorded
    assert not (folder / DB_NAME).read_bytes().startswith(b"%PDF")
    found = soundness(folder)
    assert found.problems == [] and set(found.documents) == set(docs)
    other = tmp_path / "another vault"  # any vault's folder, not only the one open
    shutil.copytree(folder, other)
    with pytest.raises(OutputNotWritten, match="holds a Haven vault"):
        output_write_bytes(other / "bundle.pdf", DATA)
    assert not (other / "bundle.pdf").exists()


def test_nothing_is_written_into_havens_own_folders(seeded) -> None:  # type: ignore[no-untyped-def]
    """A copy saved over the vault's history mark (in Haven's state folder) used to replace the
    record that notices an older copy of the vault; its settings folder was as open."""
    from clinic_app import paths

    folder, docs = seeded()
    marks = sorted((paths.state_dir() / "history").glob("*.json"))
    assert marks, "opening the vault leaves a history mark"
    paths.config_dir().mkdir(parents=True, exist_ok=True)
    for target in (marks[0], paths.config_dir() / "copy.pdf"):
        run = haven(*vault_args(folder), "export-document", sorted(docs)[0], "--out", str(target),
                    stdin=ADMIN_PASS + "\n")
        assert run.returncode == 1 and "one of Haven's own folders" in run.stderr, run.stderr
    assert "seq" in json.loads(marks[0].read_text())  # still the mark (each unlock moves it on)
    assert not (paths.config_dir() / "copy.pdf").exists()
    assert haven(*vault_args(folder), "check", stdin=ADMIN_PASS + "\n").returncode == 0


def test_a_split_bundle_given_no_file_name_is_refused_before_the_work(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Volumes are named after the file given (`out-vol1.pdf`): "." used to fail as
    "Internal error (ValueError)"."""
    from clinic_app.domain.bundle import BundleSettings, BundleSpec, DocumentPart, Section, Tab
    from clinic_app.pdf.demo_pages import fictional_pdf
    from clinic_app.pdf.engine import build_bundle

    source = fictional_pdf("Report", ["fictional"], pages=3)
    spec = BundleSpec("Split", sections=[Section("A", [Tab(f"T{n}", parts=[DocumentPart("d")]) for n in range(4)])],
                      settings=BundleSettings(max_pages=6))
    asked: list[str] = []
    monkeypatch.chdir(tmp_path)
    with pytest.raises(OutputNotWritten, match="names a folder, not a file"):
        build_bundle(spec, lambda d: asked.append(d) or source, Path("."))
    assert asked == [] and list(tmp_path.iterdir()) == []  # refused before any source was read
    result = build_bundle(spec, lambda d: source, tmp_path / "split.pdf")
    assert len(result.volumes) > 1 and all(v.path.parent == tmp_path for v in result.volumes)


def test_a_path_ending_in_a_slash_is_refused_before_the_vault_is_opened(seeded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`--out exports/` used to write a file named "exports" (Path drops the slash)."""
    folder, docs = seeded()
    doc = sorted(docs)[0]
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    run = haven(*vault_args(folder), "export-document", doc, "--out", f"{outputs}/exports/",
                stdin=ADMIN_PASS + "\n")
    assert run.returncode == 2, run.stderr
    assert "argument --out" in run.stderr and "names a folder, not a file" in run.stderr
    assert list(outputs.iterdir()) == []


def test_a_dash_is_refused_rather_than_written_as_a_file_named_dash(seeded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Most tools read `--out -` as standard output; Haven wrote a file named "-" instead."""
    folder, docs = seeded()
    work = tmp_path / "work"
    work.mkdir()
    run = subprocess.run(haven_cmd(*vault_args(folder), "export-document", sorted(docs)[0], "--out", "-"),
                         input=ADMIN_PASS + "\n", capture_output=True, text=True, cwd=work,
                         env={**os.environ, **BASE_ENV})
    assert run.returncode == 2, run.stderr
    assert "argument --out" in run.stderr and "standard output" in run.stderr
    assert run.stdout == "" and list(work.iterdir()) == []
