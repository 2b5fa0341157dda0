"""Composition root: decides between the window and the command line.

`clinic-app` with no command opens the window (on `--vault DIR` if given),
`clinic-app demo` creates the demo vault as the command line does and then opens
the window on it; every other command goes to the command line unchanged. The
window is only chosen when a display can show it (HAVEN_GUI=1 forces it,
HAVEN_GUI=0 forbids it), so scripts and servers keep the old behaviour.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass

_STARTED = time.perf_counter()


@dataclass(frozen=True)
class GuiRequest:
    vault: str | None
    user: str
    demo: bool
    argv: list[str]


def _display_available() -> bool:
    forced = os.environ.get("HAVEN_GUI")
    if forced in ("0", "1"):
        return forced == "1"
    if sys.platform in ("win32", "darwin"):
        return True
    if os.environ.get("QT_QPA_PLATFORM", "") in ("offscreen", "minimal"):
        return False
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def gui_request(argv: list[str]) -> GuiRequest | None:
    """The window's arguments when `argv` asks for it, else None (the command line handles it)."""
    vault: str | None = None
    user = ""
    rest: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in ("--vault", "--user") and i + 1 < len(argv):
            vault, user = (argv[i + 1], user) if arg == "--vault" else (vault, argv[i + 1])
            i += 2
            continue
        if arg.startswith(("--vault=", "--user=")):
            key, value = arg.split("=", 1)
            vault, user = (value, user) if key == "--vault" else (vault, value)
        elif arg != "--debug":
            rest.append(arg)
        i += 1
    if rest not in ([], ["demo"]) or not _display_available():
        return None
    return GuiRequest(vault, user, rest == ["demo"], argv)


def _run_demo_then_window(request: GuiRequest) -> int:
    """Create the demo vault through the command line (same output), then open it."""
    from pathlib import Path

    from clinic_app.cli.main import run
    from clinic_app.paths import demo_vault_dir
    from clinic_app.services.demo import DEMO_ADMIN, DEMO_PASSPHRASE, DEMO_USERS

    folder = str(Path(request.vault).expanduser()) if request.vault else str(demo_vault_dir())
    code = run(list(request.argv))
    if code != 0:
        return code
    from clinic_app.gui.application import run_gui
    from clinic_app.i18n import _

    users = ", ".join([f"{DEMO_ADMIN} / {DEMO_PASSPHRASE}"] + [f"{n} / {p}" for n, (_r, p) in DEMO_USERS.items()])
    hint = _("Demo vault of fictional people. Users and passphrases: {users}").format(users=users)
    return run_gui(Path(folder), user=DEMO_ADMIN, demo_hint=hint, demo_passphrase=DEMO_PASSPHRASE,
                   started=_STARTED)


def main(argv: list[str] | None = None) -> int:
    if getattr(sys, "frozen", False):  # a PyInstaller build: the intake sandbox's spawn child starts here
        import multiprocessing

        multiprocessing.freeze_support()
    from clinic_app.allocator import use_one_arena
    from clinic_app.hardening import harden_process

    harden_process()
    use_one_arena()
    from clinic_app.temp_journal import sweep

    sweep()  # temp files of Haven processes killed mid-write (clinic_app/temp_journal.py)
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--self-check"]:  # headless check of an installed copy: clinic_app/selfcheck.py
        from clinic_app.selfcheck import main as self_check

        return self_check(args[1:])
    request = gui_request(args)
    if request is not None:
        if request.demo:
            return _run_demo_then_window(request)
        from pathlib import Path

        from clinic_app.gui.application import run_gui

        return run_gui(Path(request.vault).expanduser() if request.vault else None, user=request.user,
                       started=_STARTED)
    from clinic_app.cli.main import run

    return run(args)
