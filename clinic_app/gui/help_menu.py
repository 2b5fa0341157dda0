"""The Help menu: user guide (F1), keyboard shortcuts, About. Available locked or not."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence

from clinic_app.gui.actions import Spec, shortcut_rows
from clinic_app.gui.operations import help as help_ops
from clinic_app.i18n import _

if TYPE_CHECKING:
    from clinic_app.gui.main_window import MainWindow


def specs(window: MainWindow, menu: str) -> list[Spec]:
    return [
        Spec("guide", menu, _("User &guide"), QKeySequence.StandardKey.HelpContents, lambda: open_guide(window),
             needs_unlock=False),
        Spec("shortcuts", menu, _("&Keyboard shortcuts"), "", lambda: show_shortcuts(window), needs_unlock=False),
        Spec("about", menu, _("&About Haven"), "", lambda: show_about(window), needs_unlock=False),
    ]


def _show(window: MainWindow, dialog: object) -> None:
    """One help window at a time (none holds client data, so locking leaves it open)."""
    old = getattr(window, "help_dialog", None)
    if old is not None:
        old.close()
        old.deleteLater()
    window.help_dialog = dialog
    dialog.show()  # type: ignore[attr-defined]


def open_guide(window: MainWindow, chapter: str = "README.md") -> None:
    from clinic_app.gui.dialogs.help import GuideWindow

    _show(window, GuideWindow(window, chapter))


def show_shortcuts(window: MainWindow) -> None:
    from clinic_app.gui.dialogs.help import ShortcutsDialog

    _show(window, ShortcutsDialog(shortcut_rows(window.action_map, window.specs), window))


def show_about(window: MainWindow) -> None:
    from clinic_app.gui.dialogs.help import AboutDialog

    help_ops.about_facts(window.runner).success(lambda facts: _show(window, AboutDialog(facts, window))).run()
