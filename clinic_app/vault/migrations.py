"""Schema upgrades tracked by `PRAGMA user_version`, one numbered step at a time.

Each step runs in its own transaction with the version bump, so a crash leaves
the vault at the old version or the new one. A vault newer than this program is
refused rather than guessed at.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from clinic_app.errors import BadInput
from clinic_app.i18n import _
from clinic_app.vault import steps
from clinic_app.vault.connection import Connection


def _load_steps() -> list[ModuleType]:
    found = []
    for info in pkgutil.iter_modules(steps.__path__):
        if info.name.startswith("m") and info.name[1:5].isdigit():
            found.append(importlib.import_module(f"{steps.__name__}.{info.name}"))
    found.sort(key=lambda m: m.VERSION)
    versions = [m.VERSION for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"schema steps are not numbered 1..n: {versions}")
    return found


STEPS = _load_steps()
LATEST = len(STEPS)


def current_version(conn: Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: Connection) -> list[int]:
    """Apply every missing step; return the versions applied."""
    version = current_version(conn)
    if version > LATEST:
        raise BadInput(
            _(
                "This vault was written by a newer version of Haven (schema {found}, this "
                "program knows {known}). Install the newer Haven to open it."
            ).format(found=version, known=LATEST)
        )
    applied = []
    for step in STEPS[version:]:
        conn.execute("BEGIN IMMEDIATE")
        try:
            if hasattr(step, "apply"):
                step.apply(conn)
            else:
                for statement in _split(step.SQL):
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {int(step.VERSION)}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(step.VERSION)
    return applied


def _split(sql: str) -> list[str]:
    """Split a step's script into statements, keeping trigger bodies whole."""
    from sqlcipher3 import dbapi2

    statements, buf = [], ""
    for line in sql.splitlines(keepends=True):
        buf += line
        if dbapi2.complete_statement(buf):
            if buf.strip():
                statements.append(buf.strip())
            buf = ""
    if buf.strip():
        statements.append(buf.strip())
    return statements
