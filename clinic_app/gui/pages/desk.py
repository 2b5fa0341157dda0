"""What an unlocked user works in: the home page and one tab per open matter.

Volunteers get a single "Support letters" page over every letter they may see,
and nothing of clients or matters. The desk is built at unlock and destroyed at
lock, so no widget that ever held client text outlives the session.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabWidget, QWidget

from clinic_app.domain.roles import Permission
from clinic_app.gui import unsaved
from clinic_app.gui.context import Context
from clinic_app.gui.pages.home import HomePage
from clinic_app.gui.pages.letters import LettersTab
from clinic_app.gui.pages.matter import MatterWorkspace
from clinic_app.i18n import _


class Desk(QTabWidget):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setTabsClosable(True)
        self.tabCloseRequested.connect(self.close_tab)
        self.home: HomePage | None = None
        self.letters: LettersTab | None = None
        if ctx.can(Permission.READ_RECORDS):
            self.home = HomePage(ctx)
            self.addTab(self.home, _("Home"))
        else:
            self.letters = LettersTab(ctx, None)
            self.addTab(self.letters, _("Support letters"))
        self.tabBar().setTabButton(0, self.tabBar().ButtonPosition.RightSide, None)
        self.tabBar().setTabButton(0, self.tabBar().ButtonPosition.LeftSide, None)

    def workspaces(self) -> list[MatterWorkspace]:
        return [w for i in range(self.count()) if isinstance(w := self.widget(i), MatterWorkspace)]

    def open_matter(self, ref: str) -> MatterWorkspace | None:
        if not ref:
            return None
        if self.letters is not None:  # volunteers: show that matter's letters
            self.letters.filter.setText(ref)
            return None
        for ws in self.workspaces():
            if ws.ref == ref:
                self.setCurrentWidget(ws)
                return ws
        ws = MatterWorkspace(self.ctx, ref)
        ws.loaded.connect(self._loaded)
        self.addTab(ws, ref)
        self.setCurrentWidget(ws)
        return ws

    def current_workspace(self) -> MatterWorkspace | None:
        w = self.currentWidget()
        return w if isinstance(w, MatterWorkspace) else None

    def _loaded(self, ref: str, title: str) -> None:
        for ws in self.workspaces():
            if ws.ref == ref:
                index = self.indexOf(ws)
                self.setTabText(index, ref)
                self.setTabToolTip(index, title)
        if self.home is not None:
            self.home.add_recent(ref, title)

    def close_tab(self, index: int) -> None:
        """Close a matter's tab (Ctrl+F4, its ×), asking first when a letter or a bundle in it
        has changes not saved: Discard or Cancel, as the lock asks. Saving is not offered here:
        each tab saves its own work, and a save still running when its tab is gone could
        fail with nobody to tell."""
        w = self.widget(index)
        if not isinstance(w, MatterWorkspace):
            return
        if w.has_unsaved():
            self.setCurrentWidget(w)
            if not unsaved.may_discard(self, _("Close matter {ref}").format(ref=w.ref), _(
                    "Matter {ref} has changes that are not saved. Discard them and close the matter?").format(
                    ref=w.ref)):
                return
        self._close(w)

    def _close(self, w: MatterWorkspace) -> None:
        self.ctx.runner.changed.disconnect(w.on_changed)  # a closed tab never reloads
        self.removeTab(self.indexOf(w))
        w.clear()
        w.deleteLater()

    def close_matters(self, refs: Iterable[str]) -> None:
        """Close the tabs of matters about to be deleted and drop them from the
        recent list, so no widget keeps their text or tries to reload them."""
        gone = set(refs)
        for ws in self.workspaces():
            if ws.ref in gone:
                self._close(ws)  # nothing of a deleted matter can be saved: no question
        if self.home is not None:
            for i in reversed(range(self.home.recent.count())):
                if self.home.recent.item(i).data(Qt.ItemDataRole.UserRole) in gone:
                    self.home.recent.takeItem(i)

    def focus_search(self) -> None:
        if self.home is not None:
            self.setCurrentWidget(self.home)
            self.home.search.setFocus()
            self.home.search.selectAll()
        elif self.letters is not None:
            self.letters.filter.setFocus()

    def show_notice(self, text: str) -> None:
        """Something the person who just unlocked must see (failed unlock attempts)."""
        if self.home is not None:
            self.home.show_notice(text)
        elif self.letters is not None:
            self.letters.message.setText(text)

    def has_unsaved(self) -> bool:
        parts = [*self.workspaces(), *([self.letters] if self.letters else [])]
        return any(p.has_unsaved() for p in parts)

    def clear(self) -> None:
        """Empty every model and field (the lock then deletes the widgets themselves)."""
        for ws in self.workspaces():
            ws.clear()
        for part in (self.home, self.letters):
            if part is not None:
                part.clear()
