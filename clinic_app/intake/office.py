"""Word-processing documents (DOCX, ODT, DOC, RTF) converted to PDF by LibreOffice.

LibreOffice only converts files on disk, so this is the one place where intake
writes the client's document out of memory. To keep that plaintext off the disk:
- the folder is private (mkdtemp: mode 0700) and lives on /dev/shm, which is RAM,
  when the system has it (Linux); elsewhere it falls back to the user's temp folder;
- it holds a throw-away LibreOffice profile too, so a LibreOffice the user has open
  is neither disturbed nor able to see the file;
- it is deleted in a `finally`, whether the conversion worked or failed; if the job
  times out, the parent kills the child's whole process group (LibreOffice too) and
  deletes the folder itself, since it chose the folder's name (`scratch_path`).
LibreOffice runs headless, without macros (its default security level). The PDF it
makes is then handled like any other PDF.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path

from clinic_app.intake.errors import OfficeConversionFailed, OfficeToolMissing, Refusal
from clinic_app.intake.limits import MB, Limits

RAM_DIR = Path("/dev/shm")
EXTENSION_FOR = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/msword": ".doc",
    "application/rtf": ".rtf",
}


def soffice_path() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    mac = Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")
    return str(mac) if mac.is_file() else None


def scratch_path() -> Path:
    """A new, not yet created folder name on a RAM-backed file system when there is one.

    Chosen by the parent, created (0700) by the child only when a conversion needs it.
    """
    parent = (
        RAM_DIR if RAM_DIR.is_dir() and os.access(RAM_DIR, os.W_OK) else Path(tempfile.gettempdir())
    )
    return parent / f"haven-{secrets.token_hex(8)}"


def remove_scratch(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def _allow_tool_resources(limits: Limits) -> None:
    """Runs in the LibreOffice process before exec: lift the write cap, keep a memory cap."""
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    office = limits.office_memory_mb * MB
    resource.setrlimit(
        resource.RLIMIT_AS, (office if hard == resource.RLIM_INFINITY else min(office, hard), hard)
    )


def convert_to_pdf(data: bytes, media_type: str, limits: Limits, scratch: Path) -> bytes:
    """Convert the document bytes to PDF bytes with LibreOffice, or raise a Refusal.

    No timeout of its own: the parent's wall-clock timeout kills the child's process
    group, LibreOffice included, and removes `scratch`.
    """
    exe = soffice_path()
    if exe is None:
        raise Refusal(OfficeToolMissing.key)
    os.mkdir(scratch, 0o700)
    try:
        source = scratch / ("document" + EXTENSION_FOR.get(media_type, ".docx"))
        _write_private(source, data)
        command = [
            exe,
            f"-env:UserInstallation={(scratch / 'profile').as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            "--convert-to",
            "pdf",
            "--outdir",
            str(scratch / "out"),
            str(source),
        ]
        home = str(scratch)
        env = dict(os.environ, HOME=home, TMPDIR=home, TMP=home, TEMP=home)
        subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
            env=env,
            preexec_fn=(lambda: _allow_tool_resources(limits)) if os.name == "posix" else None,
        )
        result = scratch / "out" / "document.pdf"
        if not result.is_file():
            raise Refusal(OfficeConversionFailed.key)
        return result.read_bytes()
    finally:
        remove_scratch(scratch)


def _write_private(path: Path, data: bytes) -> None:
    """Write with mode 0600 under the child's 0-byte write cap, lifted just for this file."""
    try:
        import resource

        old = resource.getrlimit(resource.RLIMIT_FSIZE)
        resource.setrlimit(resource.RLIMIT_FSIZE, (old[1], old[1]))
    except (ImportError, ValueError, OSError):
        old = None
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    finally:
        if old is not None:
            import resource

            resource.setrlimit(resource.RLIMIT_FSIZE, old)
