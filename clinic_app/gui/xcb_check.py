"""Before the window opens on X11: are the libraries Qt's xcb plugin needs installed?

Without them (a fresh Ubuntu lacks `libxcb-cursor0`) Qt prints "could not load the Qt
platform plugin xcb" and aborts the process with a core dump. Haven looks first, with the
system's own loader, and names what to install: the Debian/Ubuntu `apt install` line
and each library's upstream name for other distributions. Imports no Qt.
"""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path

from clinic_app.i18n import _

# What libQt6XcbQpa (the xcb plugin) links to beyond Qt and libc, from `readelf -d`:
# (soname, Debian/Ubuntu package, upstream project, the name most distributions use).
LIBRARIES: tuple[tuple[str, str, str], ...] = (
    ("libxcb-cursor.so.0", "libxcb-cursor0", "xcb-util-cursor"),
    ("libxcb-icccm.so.4", "libxcb-icccm4", "xcb-util-wm"),
    ("libxcb-util.so.1", "libxcb-util1", "xcb-util"),
    ("libxcb-image.so.0", "libxcb-image0", "xcb-util-image"),
    ("libxcb-keysyms.so.1", "libxcb-keysyms1", "xcb-util-keysyms"),
    ("libxcb-render-util.so.0", "libxcb-render-util0", "xcb-util-renderutil"),
    ("libxcb-randr.so.0", "libxcb-randr0", "libxcb"),
    ("libxcb-render.so.0", "libxcb-render0", "libxcb"),
    ("libxcb-shape.so.0", "libxcb-shape0", "libxcb"),
    ("libxcb-shm.so.0", "libxcb-shm0", "libxcb"),
    ("libxcb-sync.so.1", "libxcb-sync1", "libxcb"),
    ("libxcb-xfixes.so.0", "libxcb-xfixes0", "libxcb"),
    ("libxcb-xkb.so.1", "libxcb-xkb1", "libxcb"),
    ("libxcb.so.1", "libxcb1", "libxcb"),
    ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0", "libxkbcommon-x11"),
    ("libxkbcommon.so.0", "libxkbcommon0", "libxkbcommon"),
    ("libX11-xcb.so.1", "libx11-xcb1", "libX11"),
    ("libX11.so.6", "libx11-6", "libX11"),
    ("libGL.so.1", "libgl1", "libglvnd"),
)


def will_use_xcb(environ: dict[str, str] | None = None, platform: str = sys.platform) -> bool:
    """Whether Qt will pick its xcb (X11) plugin for the window."""
    env = os.environ if environ is None else environ
    if not platform.startswith("linux"):
        return False
    forced = env.get("QT_QPA_PLATFORM", "")
    if forced:
        return forced.split(";")[0].split(":")[0].strip() == "xcb"
    if env.get("WAYLAND_DISPLAY") and env.get("XDG_SESSION_TYPE", "").lower() == "wayland":
        return False  # Qt opens a Wayland session's windows with its wayland plugin
    return bool(env.get("DISPLAY"))


def _loads(soname: str) -> bool:
    bundled = getattr(sys, "_MEIPASS", None)  # a packaged build ships some of them itself
    if bundled and (Path(bundled) / soname).is_file():
        return True
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def missing(libraries: tuple[tuple[str, str, str], ...] | None = None) -> list[tuple[str, str, str]]:
    """The libraries (by default, `LIBRARIES`) the system's loader cannot find."""
    return [entry for entry in (LIBRARIES if libraries is None else libraries) if not _loads(entry[0])]


def explain(absent: list[tuple[str, str, str]]) -> str:
    """What to tell a person whose system lacks `absent`."""
    packages = " ".join(dict.fromkeys(debian for _so, debian, _up in absent))
    upstream = ", ".join(dict.fromkeys(up for _so, _debian, up in absent))
    files = ", ".join(so for so, _debian, _up in absent)
    return "\n".join([
        _("Haven cannot open its window: this computer lacks libraries that Qt needs to draw on "
          "an X11 desktop ({files}).").format(files=files),
        _("On Debian or Ubuntu, install them with:"),
        f"    sudo apt install {packages}",
        _("On other distributions, install the packages named: {names}.").format(names=upstream),
        _("Commands still work without a window: clinic-app --help"),
    ])


def require() -> None:
    """Exit with status 1 and an explanation when the xcb plugin could not load."""
    if not will_use_xcb():
        return
    absent = missing()
    if absent:
        print(explain(absent), file=sys.stderr)
        raise SystemExit(1)
