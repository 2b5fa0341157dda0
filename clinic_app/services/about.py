"""What Haven is made of, for Help → About and `clinic-app about`: version, licence, components.

Haven is Apache-2.0 and may only ship components under licences that allow that
(MIT, BSD, Apache, MPL, LGPL and their permissive kin; never GPL or AGPL). The table
below is the licence each runtime dependency was checked under; the version and the
licence the package itself declares are read from the installed metadata, so the
About window shows what is really installed. tests/services/test_about.py keeps the
table in step with pyproject.toml and with what the packages declare.
"""

from __future__ import annotations

import importlib.metadata as md
from dataclasses import dataclass

from clinic_app import __version__
from clinic_app.i18n import N_

HAVEN_LICENCE = "Apache-2.0"

# distribution name -> (licence as checked (SPDX), why it is there)
RUNTIME: dict[str, tuple[str, str]] = {
    "PySide6-Essentials": ("LGPL-3.0-only", N_("Qt for Python: the window (used under the LGPL option)")),
    "shiboken6": ("LGPL-3.0-only", N_("PySide6's bindings runtime (used under the LGPL option)")),
    "sqlcipher3": ("Zlib", N_("the encrypted database (bundles SQLCipher, BSD-style, and OpenSSL, Apache-2.0)")),
    "reportlab": ("BSD-3-Clause", N_("drawing covers, indexes and stamps")),
    "rl_accel": ("BSD-3-Clause", N_("ReportLab's C helpers")),
    "pypdf": ("BSD-3-Clause", N_("reading and writing PDF structure")),
    "platformdirs": ("MIT", N_("where Haven keeps its folders")),
    "argon2-cffi": ("MIT", N_("passphrase key derivation (Argon2id)")),
    "argon2-cffi-bindings": ("MIT", N_("Argon2's C library binding")),
    "cffi": ("MIT-0", N_("C bindings used by Argon2")),
    "pycparser": ("BSD-3-Clause", N_("used by cffi")),
    "cryptography": ("Apache-2.0 OR BSD-3-Clause", N_("key slots and case-file encryption")),
    "PyYAML": ("MIT", N_("manifests and deadline rules")),
    "Pillow": ("MIT-CMU", N_("images turned into PDF pages")),
    "holidays": ("MIT", N_("public holidays for deadlines")),
    "python-dateutil": ("Apache-2.0 AND BSD-3-Clause", N_("used by holidays")),
    "six": ("MIT", N_("used by python-dateutil")),
    "zxcvbn": ("MIT", N_("passphrase strength estimate")),
    "pypdfium2": ("Apache-2.0 OR BSD-3-Clause", N_("page previews and text (bundles PDFium, BSD-3-Clause)")),
    "pikepdf": ("MPL-2.0", N_("PDF repair and checks (bundles qpdf, Apache-2.0)")),
    "lxml": ("BSD-3-Clause", N_("used by pikepdf")),
    "packaging": ("Apache-2.0 OR BSD-2-Clause", N_("used by pikepdf")),
    "charset-normalizer": ("MIT", N_("used by ReportLab")),
    "babel": ("BSD-3-Clause", N_("translation catalogs (compiled from the translators' files)")),
    "uharfbuzz": ("Apache-2.0", N_("joined Arabic and Indic letters in PDFs (bundles HarfBuzz, MIT)")),
    "python-bidi": ("LGPL-3.0-or-later", N_("right-to-left text in PDFs (the Unicode Bidirectional Algorithm)")),
    "psycopg": ("LGPL-3.0-only", N_("sharing between laptops (PostgreSQL client)")),
    "psycopg-binary": ("LGPL-3.0-only", N_("psycopg's compiled part (bundles libpq, PostgreSQL licence)")),
    "typing_extensions": ("PSF-2.0", N_("used by psycopg")),
}

# Bundled files that are not Python packages.
FONTS: tuple[tuple[str, str, str], ...] = (
    ("DejaVu Sans 2.37", "Bitstream-Vera", "resources/fonts/LICENSE-DejaVu.txt"),
    ("Droid Sans Fallback 6.0.1r16", "Apache-2.0", "resources/fonts/LICENSE-DroidSansFallback-Apache-2.0.txt"),
    ("Noto Sans Arabic, Hebrew, Devanagari, Bengali, Tamil, Ethiopic 2.000", "OFL-1.1",
     "resources/fonts/LICENSE-Noto-OFL-1.1.txt"),
)

@dataclass(frozen=True)
class Component:
    name: str
    version: str  # "" when not installed (a frozen build drops some metadata)
    licence: str  # as checked (SPDX expression)
    declared: str  # what the package's own metadata says, for comparison
    purpose: str  # an N_() string: translate when shown


def declared_licence(dist: md.Distribution) -> str:
    meta = dist.metadata
    expression = meta.get("License-Expression") or ""
    if expression:
        return expression.strip()
    text = (meta.get("License") or "").strip()
    if text and "\n" not in text and len(text) < 80:
        return text
    classifiers = [c.split("::")[-1].strip() for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    return ", ".join(classifiers)


def components() -> list[Component]:
    found = []
    for name, (licence, purpose) in RUNTIME.items():
        try:
            dist = md.distribution(name)
        except md.PackageNotFoundError:
            found.append(Component(name, "", licence, "", purpose))
            continue
        found.append(Component(name, dist.version, licence, declared_licence(dist), purpose))
    return found


def version() -> str:
    return __version__
