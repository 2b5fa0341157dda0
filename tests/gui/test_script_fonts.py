"""Names in Chinese, Arabic, Tigrinya, Tamil... show as letters, not as empty boxes, on a
computer whose only fonts are DejaVu: Haven gives Qt the fonts it ships (resources/fonts)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics, QTextLayout
from PySide6.QtWidgets import QLabel

NAMES = {
    "Chinese": "李伟明：安全第三国协议",
    "Arabic": "سمير عبد الكريم الحداد",
    "Hebrew": "דוד לוי",
    "Tigrinya": "ትግርኛ ኣማን",
    "Tamil": "தமிழ் செல்வி",
    "Bengali": "রহিম উদ্দিন",
    "Devanagari": "राम प्रसाद",
}


def _glyphs(label: QLabel) -> list[list[int]]:
    """The glyphs Qt lays the label's text out with, run by run after its font fallback
    (glyph 0 is a font's "missing glyph" box)."""
    layout = QTextLayout(label.text(), label.font())
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    return [list(run.glyphIndexes()) for run in layout.glyphRuns()]


def _uncovered(text: str) -> list[str]:
    """The letters of `text` that no font Qt can fall back on has: those it draws as boxes.
    (A run in Qt's last resort, a font of boxes, has glyphs but no font to ask about.)"""
    fonts = [QFontMetrics(QFont(family)) for family in QFontDatabase.families()]
    return [c for c in text if not c.isspace()
            and not any(m.inFontUcs4(ord(c)) for m in fonts)]


@pytest.mark.parametrize("script", sorted(NAMES))
def test_a_window_label_draws_every_script_haven_ships_a_font_for(qtbot, script: str) -> None:
    from clinic_app.gui.application import make_app

    make_app()  # what `clinic-app` does at start
    label = QLabel(NAMES[script])
    qtbot.addWidget(label)
    label.show()
    runs = _glyphs(label)
    assert runs and not any(0 in glyphs for glyphs in runs), f"{script}: missing-glyph boxes in {runs}"
    assert not _uncovered(NAMES[script]), f"{script}: no font has {_uncovered(NAMES[script])}"
    assert not label.grab().toImage().isNull()


def test_the_shipped_fonts_are_registered_once(qtbot) -> None:
    from clinic_app.gui.application import make_app, register_fonts

    make_app()
    families = set(register_fonts())
    assert {"Droid Sans Fallback", "Noto Sans Arabic", "Noto Sans Ethiopic"} <= families
    assert register_fonts() == register_fonts()
