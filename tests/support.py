"""Constants and small helpers shared by tests (importable: tests/ is on pythonpath)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ADMIN = "ana"
ADMIN_PASS = "correct horse battery staple"
PASSES = {
    "lawyer": "lawyers read every page twice",
    "staff": "staff keep the files in order",
    "volunteer": "volunteers type letters quickly",
}


def folder_digest(folder: Path) -> dict[str, str]:
    """SHA-256 of every file in a folder, by name."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def run_cli(*args: str, stdin: str = "", env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run `python -m clinic_app` as a real process, like a user or a script would."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "clinic_app", *args],
        input=stdin, capture_output=True, text=True, env=full_env, timeout=timeout,
    )


def evidence_beside_secrets(base: Path) -> tuple[Path, Path]:
    """`base/ev` (a file at the top and one two folders down) and `base/secret` beside it
    (a file at the top and one a folder down): where links planted in ev/ must not lead."""
    secret, ev = base / "secret", base / "ev"
    (secret / "inner").mkdir(parents=True)
    (secret / "s1.txt").write_text("a private note of another client")
    (secret / "inner" / "s2.txt").write_text("another private note")
    (ev / "sub" / "deeper").mkdir(parents=True)
    (ev / "a.txt").write_text("the evidence itself")
    (ev / "sub" / "deeper" / "b.txt").write_text("more evidence")
    return ev, secret


def open_original(session, ref: str):  # type: ignore[no-untyped-def]
    """A reader over a document's original bytes as stored, to compare with what went in
    (Haven itself reads working copies, and hands originals out only by an audited export)."""
    from clinic_app.vault import blobs, records

    conn = session.vault.conn
    blob_id, _working = records.document_blobs(conn, records.require_id(conn, "documents", ref))
    return blobs.open_reader(conn, blob_id)
