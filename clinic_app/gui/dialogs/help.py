"""Help → User guide, Keyboard shortcuts and About: readable offline, no vault needed.

The guide is the Markdown of docs/guide/, shipped with Haven (paths.docs_dir) and shown
by QTextBrowser itself, so links between chapters, their #anchors and the screenshots
work as they do on the project's pages. Nothing here touches the vault or the network:
a link to a web page opens in the computer's browser only when the person clicks it.
"""

from __future__ import annotations

import re
import unicodedata

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QPushButton, QTableWidget, QTableWidgetItem, QTextBrowser,
    QVBoxLayout, QWidget,
)

from clinic_app.i18n import _, current_language
from clinic_app.paths import docs_dir


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading ("What refused means" -> "what-refused-means")."""
    text = unicodedata.normalize("NFC", heading).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


class GuideBrowser(QTextBrowser):
    """A QTextBrowser that gives Markdown headings their GitHub anchors (Qt gives none),
    so links such as `04-importing-evidence.md#what-refused-means` land on the heading."""

    def doSetSource(self, name: QUrl, kind: QTextDocument.ResourceType  # noqa: N802 - Qt override
                    = QTextDocument.ResourceType.UnknownResource) -> None:
        if name.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(name)
            return
        super().doSetSource(name, kind)
        self._name_headings()
        if name.fragment():
            self.scrollToAnchor(name.fragment())

    def _name_headings(self) -> None:
        block = self.document().begin()
        while block.isValid():
            if block.blockFormat().headingLevel() > 0 and block.text().strip():
                cursor = QTextCursor(block)
                cursor.select(QTextCursor.SelectionType.BlockUnderCursor)
                fmt = QTextCharFormat()
                fmt.setAnchor(True)
                fmt.setAnchorNames([slug(block.text())])
                cursor.mergeCharFormat(fmt)
            block = block.next()


class GuideWindow(QDialog):
    """The user guide in its own non-modal window, opened on the contents page."""

    def __init__(self, parent: QWidget | None = None, chapter: str = "README.md") -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Haven user guide"))
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.browser = GuideBrowser()
        self.browser.setAccessibleName(_("User guide"))
        self.browser.setOpenLinks(True)
        back = QPushButton(_("&Back"))
        back.clicked.connect(self.browser.backward)
        self.browser.backwardAvailable.connect(back.setEnabled)
        back.setEnabled(False)
        contents = QPushButton(_("&Contents"))
        contents.clicked.connect(lambda: self.show_chapter("README.md"))
        close = QPushButton(_("Close"))
        close.clicked.connect(self.close)
        row = QHBoxLayout()
        for b in (back, contents):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(close)
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.note)
        layout.addWidget(self.browser, 1)
        self.resize(900, 680)
        self.show_chapter(chapter)

    def show_chapter(self, chapter: str) -> None:
        path = docs_dir() / "guide" / chapter
        if not path.is_file():
            self.note.setText(_("The user guide is missing from this copy of Haven ({path}).").format(path=path))
            return
        if current_language() != "en":
            self.note.setText(_("The user guide is written in English."))
        self.browser.setSource(QUrl.fromLocalFile(str(path)), QTextDocument.ResourceType.MarkdownResource)


def _closing_buttons(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    return buttons


def _table(headers: list[str], rows: list[tuple[str, ...]], name: str) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers))
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))
    table.resizeColumnsToContents()
    table.horizontalHeader().setStretchLastSection(True)
    return table


def page_shortcuts() -> list[tuple[str, str]]:
    """Keys that work inside pages rather than from the menus."""
    return [
        (_("Save a support letter and start the next one"), _("Enter (or Ctrl+Enter) in the letter form")),
        (_("Open the selected search result"), _("Enter in the search results")),
        (_("Move between fields"), _("Tab and Shift+Tab")),
        (_("Close a dialog without saving"), _("Esc")),
    ]


class ShortcutsDialog(QDialog):
    def __init__(self, rows: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Keyboard shortcuts"))
        self.table = _table([_("Command"), _("Keys")], [*rows, *page_shortcuts()], _("Keyboard shortcuts"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(_closing_buttons(self))
        self.resize(560, 460)


class AboutDialog(QDialog):
    """Version, Haven's licence and the licence of every bundled component."""

    def __init__(self, facts: dict[str, object], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("About Haven"))
        head = QLabel(_("Haven {version}: an offline, encrypted case and evidence vault for legal clinics.\n"
                        "Licensed under the {licence} licence (the LICENSE file). It makes no network connections."
                        ).format(version=facts["version"], licence=facts["licence"]))
        head.setWordWrap(True)
        head.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        rows = [(str(name), str(version) or _("not installed"), str(licence), str(purpose))
                for name, version, licence, purpose in facts["components"]]  # type: ignore[attr-defined]
        self.table = _table([_("Component"), _("Version"), _("Licence"), _("Used for")], rows,
                            _("Bundled components and their licences"))
        note = QLabel(_("Every component's full licence text ships with Haven (THIRD-PARTY-NOTICES.txt in "
                        "the installed folder). Qt is used under the GNU LGPL 3.0: its libraries are separate "
                        "files you may replace."))
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        for part in (head, self.table, note, _closing_buttons(self)):
            layout.addWidget(part)
        self.resize(820, 560)

