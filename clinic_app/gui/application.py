"""The QApplication, translators (Haven's gettext catalogs and Qt's own qtbase), and start-up."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QObject, Qt, QTimer, QTranslator, Signal
from PySide6.QtGui import QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from clinic_app.gui.qtcompat import emit
from clinic_app.i18n import detect_language, set_language

_translators: list[QTranslator] = []


def make_app() -> QApplication:
    app = QApplication.instance()
    if app is None:
        from clinic_app.gui.xcb_check import require

        require()  # a missing X11 library: say which and exit 1, before Qt aborts the process
        app = QApplication(sys.argv[:1])
    app.setApplicationName("Haven")
    app.setWindowIcon(app_icon())
    register_fonts()
    return app  # type: ignore[return-value]


_registered_fonts: list[str] = []


def register_fonts() -> list[str]:
    """Give Qt the fonts Haven ships for its bundles (resources/fonts: Droid Sans Fallback
    for Chinese and Japanese, a Noto face for each other script clients write), so that the
    window's font fallback finds them: on a computer with only DejaVu, a Chinese name showed
    as empty boxes. Once per process; the families added."""
    if not _registered_fonts:
        from clinic_app.paths import resources_dir

        for font in sorted((resources_dir() / "fonts").glob("*.ttf")):
            font_id = QFontDatabase.addApplicationFont(str(font))
            if font_id >= 0:
                _registered_fonts.extend(QFontDatabase.applicationFontFamilies(font_id))
    return _registered_fonts


def settle_heap() -> None:
    """Move everything loaded at start-up (modules, Qt bindings: ~100,000 objects) out of
    the garbage collector's sight: a full collection over them on the window's thread
    stalled the event loop by ~20 ms during imports (benchmarks/gui_startup.py). Call it on
    the GUI thread: a collection elsewhere may free Qt objects there (gui/collector.py)."""
    import gc

    gc.collect()
    gc.freeze()


class _HeapSettler(QObject):
    """Settles the heap on the GUI thread when the warm-up thread says it has finished."""

    ready = Signal()

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.ready.connect(self._settle, Qt.ConnectionType.QueuedConnection)

    def _settle(self) -> None:
        settle_heap()

    def announce(self) -> None:
        """Called on the warm-up thread; a window closed meanwhile has nothing left to settle."""
        try:
            emit(self.ready)
        except RuntimeError:  # the window, and this object with it, are gone
            pass


def app_icon() -> QIcon:
    """Haven's icon at every size packaged in resources/icons (sharp on high-DPI screens)."""
    from clinic_app.paths import resources_dir

    icon = QIcon()
    for png in sorted((resources_dir() / "icons").glob("haven-*.png")):
        icon.addFile(str(png))
    return icon


def apply_language(lang: str) -> str:
    """Switch `_()` and Qt's standard buttons and dialogs to `lang` ("" = the computer's)."""
    lang = lang or detect_language()
    set_language(lang)
    app = QApplication.instance()
    for old in _translators:
        app.removeTranslator(old)
    _translators.clear()
    if lang != "en":
        translator = QTranslator()
        if translator.load(QLocale(lang), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(translator)
            _translators.append(translator)
            fallback = AcceleratorFallback(translator)
            app.installTranslator(fallback)  # asked first: the last installed is asked first
            _translators.append(fallback)
    return lang


class AcceleratorFallback(QTranslator):
    """Qt's translation of a label whose shortcut letter ("&") its catalog does not know.

    Qt 6's file dialog asks for "&Look in:" and "Files of &type:", but qtbase_fr.qm was
    translated when those labels had no "&", so they stayed in English in a French
    window. This asks `base` for the label without its "&" and puts one back in front.
    """

    def __init__(self, base: QTranslator) -> None:
        super().__init__()
        self._base = base

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str | None:
        """None (Qt's null string) lets the next translator answer."""
        if "&" not in source or self._base.translate(context, source, disambiguation, n):
            return None
        plain = source.replace("&&", "\0").replace("&", "").replace("\0", "&&")
        found = self._base.translate(context, plain, disambiguation, n)
        return f"&{found}" if found else None

    def isEmpty(self) -> bool:  # noqa: N802 (Qt's name)
        return False


def run_gui(folder: Path | None = None, *, user: str = "", demo_hint: str = "", demo_passphrase: str = "",
            kdf_profile: str = "standard", started: float | None = None) -> int:
    """Open the window on `folder` (default: the last vault, else the default vault folder)."""
    from clinic_app.gui.main_window import MainWindow
    from clinic_app.gui.settings import Settings
    from clinic_app.paths import default_vault_dir

    app = make_app()
    settings = Settings()
    apply_language(settings.language)
    target = Path(folder) if folder else Path(settings.last_vault or default_vault_dir())
    window = MainWindow(folder=target, settings=settings, kdf_profile=kdf_profile, preferred_user=user,
                        hint=demo_hint, prefill_passphrase=demo_passphrase)
    window.show()
    from clinic_app.gui import warmup

    warmup.start(then=_HeapSettler(window).announce)  # off the start-up path: the unlock page shows first
    if os.environ.get("HAVEN_QUIT_WHEN_SHOWN") == "1":  # used by benchmarks/gui_startup.py
        def report() -> None:
            elapsed = time.perf_counter() - started if started is not None else -1.0
            print(f"haven-window-shown {elapsed:.3f} {window.windowTitle()}", flush=True)
            window.close()

        QTimer.singleShot(0, report)
    return int(app.exec())
