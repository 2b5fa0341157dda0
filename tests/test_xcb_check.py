"""A Linux desktop without a library Qt's X11 plugin needs: Haven names it and exits 1."""

from __future__ import annotations

import subprocess
import sys

from clinic_app.gui import xcb_check

ABSENT = ("libhaven-test-absent.so.0", "libhaven-test-absent0", "haven-test-absent")


def test_only_an_x11_window_needs_them() -> None:
    assert xcb_check.will_use_xcb({"DISPLAY": ":0"}, "linux")
    assert xcb_check.will_use_xcb({"QT_QPA_PLATFORM": "xcb"}, "linux")
    assert not xcb_check.will_use_xcb({"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"}, "linux")
    assert not xcb_check.will_use_xcb({"QT_QPA_PLATFORM": "wayland;xcb", "DISPLAY": ":0"}, "linux")
    assert not xcb_check.will_use_xcb({"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland",
                                       "DISPLAY": ":0"}, "linux")
    assert not xcb_check.will_use_xcb({}, "linux")
    assert not xcb_check.will_use_xcb({"DISPLAY": ":0"}, "win32")


def test_the_loader_is_asked_and_the_message_names_the_packages() -> None:
    present = ("libc.so.6", "libc6", "glibc")
    assert xcb_check.missing((present, ABSENT)) == [ABSENT]
    cursor = next(e for e in xcb_check.LIBRARIES if e[0] == "libxcb-cursor.so.0")
    text = xcb_check.explain([cursor, ABSENT])
    assert "sudo apt install libxcb-cursor0 libhaven-test-absent0" in text
    assert "xcb-util-cursor, haven-test-absent" in text and "libxcb-cursor.so.0" in text


def test_it_exits_1_with_the_explanation_and_no_core_dump() -> None:
    code = ("from clinic_app.gui import xcb_check\n"
            f"xcb_check.LIBRARIES = xcb_check.LIBRARIES + ({ABSENT!r},)\n"
            "xcb_check.require()\n"
            "print('not reached')\n")
    env = {"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":99", "HAVEN_LANG": "fr", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 1
    assert "not reached" not in done.stdout
    apt = next(line for line in done.stderr.splitlines() if "sudo apt install" in line)
    assert apt.split()[-1] == "libhaven-test-absent0"  # after any this machine really lacks
    assert "Sous Debian ou Ubuntu" in done.stderr  # in the user's language
