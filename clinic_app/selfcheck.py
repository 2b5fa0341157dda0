"""`clinic-app --self-check`: does this copy of Haven work on this computer?

Meant for the built (frozen) application, where a forgotten data file, native
library or Qt plugin only shows up when a user first needs it. Without a screen
and without touching the user's folders, it walks the main paths once: creates a
vault in a temporary folder (fast key derivation), imports a small generated PDF
through the intake sandbox (a "spawn" child process, the part that breaks first
in frozen builds), builds a bundle from it, checks the vault's integrity, renders a
page, computes a holiday, and opens Qt on the offscreen platform. It prints one
line per check and exits 0 when all pass, 1 otherwise.

Nothing is left behind: the vault, Haven's state and config folders, and the
caches Qt and fontconfig might write all point into one temporary folder,
removed at the end. This is a composition-root module like `app.py`: it may use
every layer, including the window's `make_app()`.
"""

from __future__ import annotations

import importlib
import os
import secrets
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

MATTER = "m-self-check"
ADMIN = "selfcheck"


@dataclass
class Context:
    root: Path
    passphrase: str = field(default_factory=lambda: "haven self check " + secrets.token_hex(8))
    session: Any = None
    document_ref: str = ""
    bundle_pdf: Path | None = None


def check_resources(ctx: Context) -> str:
    from clinic_app.paths import resources_dir

    base = resources_dir()
    needed = [base / "fonts" / "DejaVuSans.ttf", base / "fonts" / "DroidSansFallback.ttf",
              base / "fonts" / "NotoSansArabic-Regular.ttf", base / "fonts" / "LICENSE-Noto-OFL-1.1.txt",
              base / "fonts" / "LICENSE-DejaVu.txt", base / "rules" / "rules.schema.json"]
    missing = [str(p.relative_to(base)) for p in needed if not p.is_file()]
    for folder, pattern in (("rules", "*.yaml"), ("locale", "*"), ("icons", "*.png")):
        if not any(p.is_file() for p in (base / folder).rglob(pattern)):
            missing.append(f"{folder}/{pattern}")
    if missing:
        raise RuntimeError(f"missing under {base}: {', '.join(missing)}")
    from clinic_app.paths import docs_dir

    guide = docs_dir() / "guide"
    if not (guide / "README.md").is_file() or not any((docs_dir() / "screenshots").glob("*.png")):
        raise RuntimeError(f"the user guide (Help menu) is missing from {guide}")
    from clinic_app import i18n

    catalog = i18n.compiled_path("fr")
    if not catalog.is_file() and not i18n.catalog_path("fr").is_file():
        raise RuntimeError(f"the French catalog {catalog} is missing")
    probes = ("Cancel", "Recovery key", "Federal Court")
    french = sum(1 for text in probes if i18n.translate_for("fr", text) != text)  # through gettext
    if french < len(probes):
        raise RuntimeError(f"the French catalog {catalog} has no translations")
    return f"{sum(1 for p in base.rglob('*') if p.is_file())} files, French catalog {catalog.name} read by gettext"


def check_vault(ctx: Context) -> str:
    """Create, lock and unlock: zxcvbn, Argon2id, X25519 key slots and SQLCipher."""
    from clinic_app.services.session import create_vault, unlock

    folder = ctx.root / "vault"
    session, recovery = create_vault(folder, admin=ADMIN, passphrase=ctx.passphrase, kdf_profile="fast")
    session.lock()
    if len(recovery.split("-")) != 8:
        raise RuntimeError("the recovery key does not have 8 groups")
    ctx.session = unlock(folder, user=ADMIN, passphrase=ctx.passphrase)
    return "created, locked and unlocked (fast key derivation)"


def _tiny_pdf() -> bytes:
    import io

    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1)
    pdf.setTitle("Haven self-check evidence")
    pdf.drawString(72, 720, "Haven self-check: a fictional one-page exhibit.")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def check_intake(ctx: Context) -> str:
    """Import through the sandboxed child process (multiprocessing "spawn")."""
    from clinic_app.domain.client import Client
    from clinic_app.domain.matter import Matter, MatterType
    from clinic_app.services import case_record
    from clinic_app.services.import_files import IMPORTED, import_files

    s = ctx.session
    case_record.save_client(s, Client(ref="c-self-check", legal_name="Self Check", public_initials="S.C."))
    case_record.save_matter(s, Matter(ref=MATTER, client_ref="c-self-check", type=MatterType.RPD_CLAIM,
                                      title="Self-check"))
    source = ctx.root / "exhibit.pdf"
    source.write_bytes(_tiny_pdf())
    report = import_files(s, MATTER, [source])
    outcome = report.files[0]
    if outcome.outcome != IMPORTED or not outcome.document_ref:
        raise RuntimeError(f"{outcome.outcome}: {outcome.message or outcome.reason}")
    ctx.document_ref = outcome.document_ref
    return "1 PDF parsed in the sandbox's child process and stored"


def check_bundle(ctx: Context) -> str:
    """Cover, index, stamps and bookmarks through the engine (reportlab, pypdf, pikepdf)."""
    import pikepdf

    from clinic_app.domain.bundle import BundleSpec, Section, Tab
    from clinic_app.services import bundles
    from clinic_app.services.bundle_specs import tab_for_document

    s = ctx.session
    if not ctx.document_ref:
        raise RuntimeError("no imported document (the intake check failed)")
    spec = BundleSpec(title="Self-check bundle", sections=[Section("A. Evidence", [
        tab_for_document(s.vault.conn, ctx.document_ref), Tab(title="NDP", reference="NDP item 1.1")])])
    bundles.save_project(s, "b-self-check", MATTER, spec)
    out = ctx.root / "out" / "bundle.pdf"
    out.parent.mkdir()
    result = bundles.build(s, "b-self-check", out, today=date(2030, 1, 2))
    with pikepdf.open(out) as pdf:
        pages = len(pdf.pages)
    if pages != result.total_pages or pages < 2:
        raise RuntimeError(f"the bundle has {pages} pages, the engine reported {result.total_pages}")
    ctx.bundle_pdf = out
    return f"{pages} pages"


def check_render(ctx: Context) -> str:
    """pypdfium2's native library draws the bundle's first page."""
    import pypdfium2

    if ctx.bundle_pdf is None:
        raise RuntimeError("no bundle to render (the bundle check failed)")
    pdf = pypdfium2.PdfDocument(str(ctx.bundle_pdf))
    try:
        bitmap = pdf[0].render(scale=0.5)
        image = bitmap.to_pil()
        width, height = image.size
    finally:
        pdf.close()
    if width < 100 or height < 100:
        raise RuntimeError(f"rendered only {width}x{height} pixels")
    return f"page 1 rendered at {width}x{height}"


def check_integrity(ctx: Context) -> str:
    from clinic_app.services import vault_check

    report = vault_check.check(ctx.session)
    if not report.ok:
        problems = (report.database_problems + report.audit_problems + report.document_problems
                    + report.user_problems)
        raise RuntimeError("; ".join(problems) or f"damaged pages {report.damaged_pages}")
    ctx.session.lock()
    ctx.session = None
    return f"database, pages, documents and audit chain intact (schema {report.schema_version})"


def check_deadlines(ctx: Context) -> str:
    """The rules files load and the `holidays` package knows Canada Day."""
    from clinic_app.services.deadline_rules import calendar_for, load_rules

    rules = load_rules()
    calendar = calendar_for("ON")
    if calendar.holiday(date(2030, 7, 1)) is None:
        raise RuntimeError("Canada Day 2030 is not a holiday in the calendar")
    return f"{len(rules.rules)} rules from {len(rules.files)} files; holidays known"


def check_qt(ctx: Context) -> str:
    """A QApplication and a widget on the offscreen platform, and Qt's French strings."""
    from clinic_app.gui.application import make_app

    # Qt is imported by name: this module sits beside app.py, above every layer.
    qt_core = importlib.import_module("PySide6.QtCore")
    qt_widgets = importlib.import_module("PySide6.QtWidgets")
    app = make_app()
    if app.platformName() != "offscreen":
        raise RuntimeError(f"platform {app.platformName()!r} instead of 'offscreen'")
    widget = qt_widgets.QWidget()
    layout = qt_widgets.QVBoxLayout(widget)
    layout.addWidget(qt_widgets.QLabel("Haven self-check: Reyes, Petrov (Петров), Li (李伟)"))
    widget.resize(320, 120)
    picture = widget.grab()  # draws the widget (styles, fonts) without showing a window
    widget.close()
    widget.deleteLater()
    app.processEvents()
    if picture.isNull():
        raise RuntimeError("the widget could not be drawn")
    folder = qt_core.QLibraryInfo.path(qt_core.QLibraryInfo.LibraryPath.TranslationsPath)
    translator = qt_core.QTranslator()
    if not translator.load(qt_core.QLocale("fr"), "qtbase", "_", folder):
        raise RuntimeError(f"Qt's French translation (qtbase_fr.qm) is missing from {folder}")
    return f"Qt {qt_core.qVersion()}, widget drawn offscreen, qtbase_fr loaded"


CHECKS: list[tuple[str, Callable[[Context], str]]] = [
    ("resources", check_resources),
    ("vault", check_vault),
    ("intake", check_intake),
    ("bundle", check_bundle),
    ("render", check_render),
    ("integrity", check_integrity),
    ("deadlines", check_deadlines),
    ("qt", check_qt),
]


@contextmanager
def _private_environment(root: Path) -> Iterator[None]:
    """Point every folder Haven, Qt or fontconfig might write to into `root`, then restore."""
    runtime = root / "runtime"
    runtime.mkdir(mode=0o700)
    values = {
        "HAVEN_STATE_DIR": root / "state", "HAVEN_CONFIG_DIR": root / "config",
        "HAVEN_VAULT": root / "default-vault", "XDG_CACHE_HOME": root / "cache",
        "XDG_CONFIG_HOME": root / "config-home", "XDG_DATA_HOME": root / "data-home",
        "XDG_STATE_HOME": root / "state-home", "XDG_RUNTIME_DIR": runtime, "QT_QPA_PLATFORM": "offscreen",
        "HAVEN_TEST_WEAK_KDF": "1",  # a throwaway vault: the fast profile is enough
    }
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update({name: str(value) for name, value in values.items()})
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run(out: Callable[[str], None] = print, *, debug: bool = False) -> int:
    """Run every check; 0 when all pass, 1 otherwise."""
    failures: list[str] = []
    # ignore_cleanup_errors: a scanner holding a file open (Windows) must not hide the report
    with tempfile.TemporaryDirectory(prefix="haven-self-check-", ignore_cleanup_errors=True) as tmp:
        ctx = Context(Path(tmp))
        with _private_environment(ctx.root):
            try:
                for name, check in CHECKS:
                    started = time.monotonic()
                    try:
                        detail = check(ctx)
                    except Exception as exc:  # noqa: BLE001 - every failure is reported, none stops the rest
                        failures.append(name)
                        out(f"FAILED {name}: {type(exc).__name__}: {exc}")
                        if debug:
                            traceback.print_exc()
                    else:
                        out(f"ok     {name}: {detail} ({time.monotonic() - started:.1f} s)")
            finally:
                if ctx.session is not None:
                    ctx.session.lock()
    if Path(tmp).exists():
        failures.append("cleanup")
        out(f"FAILED cleanup: could not remove {tmp}; delete it by hand")
    if failures:
        out(f"self-check: {len(failures)} of {len(CHECKS)} checks failed: {', '.join(failures)}")
        return 1
    out(f"self-check: all {len(CHECKS)} checks passed")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    return run(debug="--debug" in args)
