"""Write THIRD-PARTY-NOTICES.txt for a built Haven folder: the licences of everything bundled.

    <build venv>/bin/python packaging/third_party_notices.py dist/clinic-app

Run by packaging/build with the build venv's Python, so the distributions it sees are
exactly those PyInstaller bundled from. It writes, for Python itself and each bundled
distribution: name, version, declared licence, and the full text of every licence file
the distribution ships. On Debian-based build machines it adds the copyright files of
the system libraries PyInstaller copied in (found with dpkg). Qt's LGPL requires that
users can get Qt's source and replace its libraries: the one-folder build keeps every Qt
library a separate file, and the notice says where Qt's source is.
"""

from __future__ import annotations

import importlib.metadata as md
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

BUILD_ONLY = {"pip", "setuptools", "wheel", "pyinstaller", "pyinstaller-hooks-contrib", "altgraph", "packaging",
              "macholib", "pefile", "pywin32-ctypes"}
QT_NOTE = """PySide6, shiboken6 and Qt are used under the GNU Lesser General Public License v3.
Qt's libraries are separate files in this folder (PySide6/Qt/lib) and may be replaced by
compatible builds. Source code: https://download.qt.io/official_releases/QtForPython/ and
https://code.qt.io/ (the version is given above).
"""
RULE = "=" * 78


def _norm(name: str) -> str:
    return name.lower().replace("_", "-")


def _licence_files(dist: md.Distribution) -> list[tuple[str, str]]:
    found = []
    for file in dist.files or []:
        parts = [p.lower() for p in file.parts]
        name = parts[-1]
        in_meta = parts[0].endswith(".dist-info")
        if in_meta and (("licenses" in parts) or name.startswith(("license", "licence", "copying", "notice"))):
            try:
                found.append((str(file), Path(str(dist.locate_file(file))).read_text(encoding="utf-8", errors="replace")))
            except (OSError, ValueError):
                continue
    return found


def _python_section() -> str:
    text = ""
    for candidate in (Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt", Path(sys.base_prefix) / "LICENSE.txt"):
        if candidate.is_file():
            text = candidate.read_text(encoding="utf-8", errors="replace")
            break
    return f"Python {sys.version.split()[0]}\nLicence: PSF-2.0\n\n{text or 'https://docs.python.org/3/license.html'}"


def _debian_copyrights(folder: Path) -> list[str]:
    if not shutil.which("dpkg"):
        return []
    libs = sorted({p.name for p in (folder / "_internal").glob("*.so*") if not p.is_symlink()})
    if not libs:
        return []
    done = subprocess.run(["dpkg", "-S", *(f"*/{lib}" for lib in libs)], capture_output=True, text=True,
                          check=False)
    owner: dict[str, str] = {}
    for line in done.stdout.splitlines():  # "libfoo1:amd64: /usr/lib/x86_64-linux-gnu/libfoo.so.1"
        package, _sep, path = line.partition(": ")
        owner.setdefault(Path(path.strip()).name, package.split(":")[0].split(",")[0].strip())
    packages: dict[str, list[str]] = {}
    for lib in libs:
        if lib in owner and not lib.startswith("libpython"):  # ours comes from the build's Python
            packages.setdefault(owner[lib], []).append(lib)
    sections = []
    for package, libs in sorted(packages.items()):
        copyright_file = Path("/usr/share/doc") / package / "copyright"
        if copyright_file.is_file():
            body = copyright_file.read_text(encoding="utf-8", errors="replace")
            sections.append(f"{package} (system library: {', '.join(libs)})\n\n{body}")
    return sections


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else Path("dist/clinic-app")
    intro = ("Haven bundles the following software. Their licences follow.\n\n"
             "PyInstaller (GPL-2.0-or-later with the bootloader exception) built this folder; "
             "its bootloader's licence allows distributing the result under any terms.")
    sections = [intro, _python_section()]
    for dist in sorted(md.distributions(), key=lambda d: _norm(d.metadata["Name"] or "")):
        name = dist.metadata["Name"] or "?"
        if _norm(name) in BUILD_ONLY or _norm(name) == "clinic-app":
            continue
        licence = dist.metadata.get("License-Expression") or dist.metadata.get("License") or ""
        classifiers = [c.split("::")[-1].strip() for c in dist.metadata.get_all("Classifier") or []
                       if c.startswith("License ::")]
        head = f"{name} {dist.version}\nLicence: {licence.strip()[:300] or ', '.join(classifiers) or 'see below'}"
        if _norm(name) in ("pyside6-essentials", "shiboken6"):
            head += "\n\n" + QT_NOTE
        texts = "\n\n".join(f"--- {path}\n{text.strip()}" for path, text in _licence_files(dist))
        sections.append(f"{head}\n\n{texts}".rstrip())
    sections += _debian_copyrights(folder)
    out = folder / "THIRD-PARTY-NOTICES.txt"
    out.write_text(("\n\n" + RULE + "\n\n").join(sections) + "\n", encoding="utf-8")
    print(f"wrote {out} ({len(sections)} sections)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
