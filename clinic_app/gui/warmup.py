"""Load, while the user types the passphrase, the modules that the first import, agenda
or bundle build would otherwise load on the vault thread.

Some of them hold the GIL for long stretches while they load (`holidays` reads its own
source code, pikepdf and reportlab initialise C libraries): loaded on the vault thread
during a user's first import they stalled the window by 50-200 ms
(benchmarks/gui_startup.py). On the unlock page nobody notices. Nothing here touches
the vault or client data.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable

MODULES = (
    "clinic_app.domain.deadlines.calendar",  # holidays
    "clinic_app.services.deadlines",
    "clinic_app.services.passphrase_policy",  # zxcvbn's dictionaries
    "clinic_app.services.import_files",
    "clinic_app.services.manifest",
    "clinic_app.services.bundles",
    "clinic_app.services.build_process",
    "clinic_app.services.packages",
    "clinic_app.pdf.assemble",  # pikepdf
    "clinic_app.typeset.markup",  # reportlab
    "clinic_app.gui.render",  # pypdfium2, for previews
    "clinic_app.services.sync.engine",  # psycopg, for a vault connected to the clinic's server
    "clinic_app.services.sync.status",
)


def preload() -> list[str]:
    """Import every module of MODULES; returns those that failed (never raises)."""
    failed = []
    for name in MODULES:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a missing optional part must not stop start-up
            failed.append(name)
    return failed


def start(then: Callable[[], None] | None = None) -> threading.Thread:
    """Preload on a background thread, then call `then` (on that thread)."""

    def run() -> None:
        preload()
        if then is not None:
            then()

    thread = threading.Thread(target=run, name="haven-warmup", daemon=True)
    thread.start()
    return thread
