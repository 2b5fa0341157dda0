"""Alt+letter reaches one thing at a time: on every screen a person can see (the menu bar,
the matter's tab bar and the buttons, labels and group boxes of the visible tab), no
mnemonic letter is used twice, in English and in French. (French once had Alt+R open the
"Coff&re" menu instead of the "Co&rrespondance" tab on every matter tab.)"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
from gui_helpers import unlock, wait_idle
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QTabBar, QWidget


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo vault: matters with deadlines, letters, bundles and correspondence, so every
    tab shows its buttons."""
    from clinic_app.services.demo import create_demo

    return create_demo(tmp_path_factory.mktemp("demo") / "vault", kdf_profile="fast").folder


def _letter(text: str) -> str | None:
    found = re.search(r"&([^&\s])", text.replace("&&", ""))
    return found.group(1).lower() if found else None


def _clashes(window) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    used: dict[str, list[str]] = defaultdict(list)

    def add(text: str) -> None:
        if (key := _letter(text)) is not None:
            used[key].append(text)

    for action in window.menuBar().actions():
        add(action.text())
    for w in window.findChildren(QWidget):
        if not w.isVisible() or not w.isEnabled():
            continue
        if isinstance(w, QAbstractButton):
            add(w.text())
        elif isinstance(w, QLabel) and w.buddy() is not None:
            add(w.text())
        elif isinstance(w, QGroupBox):
            add(w.title())
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                add(w.tabText(i))
    return {key: texts for key, texts in used.items() if len(texts) > 1}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_alt_letter_is_used_twice_on_any_matter_tab(qtbot, make_window, demo_folder: Path, lang: str) -> None:
    from clinic_app.gui.application import apply_language
    from clinic_app.services.demo import DEMO_ADMIN, DEMO_PASSPHRASE

    apply_language(lang)
    try:
        window = make_window(demo_folder)
        unlock(qtbot, window, DEMO_ADMIN, DEMO_PASSPHRASE)
        found = {"home": _clashes(window)}
        window.open_matter("m-reyes-hc")
        wait_idle(qtbot, window)
        ws = window.desk.current_workspace()
        for i in range(ws.count()):
            ws.setCurrentIndex(i)
            wait_idle(qtbot, window)
            found[ws.tabText(i)] = _clashes(window)
        assert ws.count() >= 8 and not any(found.values()), {tab: c for tab, c in found.items() if c}
        bundles = ws.bundles
        ws.setCurrentWidget(bundles)
        wait_idle(qtbot, window)
        shown = [b.text() for b in bundles.findChildren(QAbstractButton) if b.isVisible() and _letter(b.text())]
        assert len(shown) >= 6, shown
    finally:
        apply_language("en")
