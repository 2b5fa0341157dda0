"""Runtime hook of the frozen build: give child programs the user's own environment.

On Linux the PyInstaller bootloader may point LD_LIBRARY_PATH at the bundled
libraries and keep the user's value in LD_LIBRARY_PATH_ORIG. Haven's own
libraries are already loaded by then (the loader read the variable at start-up),
but programs Haven starts later, Tesseract and LibreOffice, must not load our
copies of libstdc++ or OpenSSL instead of their own. Restore the original value
(or remove the variable) for them. The intake child is this same executable, and
its bootloader sets the variable again for itself.
"""

import os
import sys

if sys.platform.startswith("linux") or sys.platform.startswith("freebsd"):
    for _name in ("LD_LIBRARY_PATH",):
        _orig = os.environ.pop(_name + "_ORIG", None)
        if _orig is not None:
            os.environ[_name] = _orig
        elif os.environ.get(_name, "").startswith(getattr(sys, "_MEIPASS", "\0")):
            del os.environ[_name]
