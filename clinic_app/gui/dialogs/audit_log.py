"""Vault > Audit log: who did what, when, and whether the log is intact.

The same service calls as `clinic-app audit [--verify]`; rows carry ids and counts, never
client text, by design. Pages load on the vault thread (gui/operations/audit.py), newest
first; "Verify the log" checks the hash chain there too and, on a vault connected to the
clinic's server, first asks on the network thread whether the server answers, so a server
that does not answer never holds the vault.
"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLineEdit, QPushButton,
    QTableWidget, QTableWidgetItem, QWidget,
)

from clinic_app.gui.dialogs.sync_connect import wrapped
from clinic_app.gui.operations import audit as audit_ops
from clinic_app.gui.operations import sync as sync_ops
from clinic_app.gui.presenter import describe
from clinic_app.gui.tasks import TaskRunner
from clinic_app.gui.widgets.dialog_parts import stack
from clinic_app.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from clinic_app.gui.sync_status import SyncController

COLUMNS = (N_("#"), N_("When (UTC)"), N_("Who"), N_("Action"), N_("Target"), N_("Details"))


def detail_text(detail: dict[str, Any]) -> str:
    """{"rule": "rad.notice", "events": 3} -> "rule: rad.notice; events: 3" (ids and counts only)."""
    return "; ".join(f"{key}: {value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)}"
                     for key, value in detail.items())


def break_text(b: Any) -> str:
    """One break of this laptop's chain (vault.audit.ChainBreak), in words."""
    if b.kind == "missing":
        return _("Entry {seq} is missing: it was removed (the next entry is {next}).").format(
            seq=b.seq, next=b.next_seq)
    if b.kind == "order":
        return _("Entry {seq} does not follow the entry before it: entries were removed or reordered.").format(
            seq=b.seq)
    return _("Entry {seq} was changed after it was written.").format(seq=b.seq)


def report_text(report: Any, note: str = "") -> str:
    """services.audit_log.AuditCheck in words: intact or not, and which entries are wrong."""
    lines: list[str] = []
    if report.ok:
        lines.append(ngettext("The audit log is intact: its {count} entry is as it was written.",
                              "The audit log is intact: its {count} entries are as they were written.",
                              report.rows).format(count=report.rows))
        if report.server_checked:
            lines.append(_("The audit logs of every laptop on the clinic's server are intact too."))
    else:
        lines.append(_("The audit log has been altered. Someone changed the vault outside Haven: "
                       "tell the clinic's administrator, and keep this laptop as it is."))
        lines += [break_text(b) for b in report.breaks]
        lines += list(report.shared_problems)
    note = note or report.server_note
    if note:
        lines.append(_("The clinic's server could not be reached ({detail}); only this laptop's audit log "
                       "was checked.").format(detail=note))
    return "\n".join(lines)


class AuditLogDialog(QDialog):
    def __init__(self, runner: TaskRunner, sharing: SyncController | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner, self.sharing = runner, sharing
        self.generation = 0  # a page of an older filter arriving late is dropped
        self.oldest: int | None = None
        self.filters: dict[str, Any] = {}
        self.setWindowTitle(_("Audit log"))
        intro = wrapped(_("Every change, export and sign-in is written here, with who did it and when. "
                          "Entries hold ids and counts, never client names or text. Newest first."))
        self.who = QComboBox()
        self.who.setAccessibleName(_("Who"))
        self.action = QComboBox()
        self.action.setAccessibleName(_("Action"))
        self._fill_choices((), ())
        self.since = QLineEdit()
        self.until = QLineEdit()
        for edit, name in ((self.since, _("From")), (self.until, _("To"))):
            edit.setPlaceholderText(_("YYYY-MM-DD"))
            edit.setAccessibleName(name)
        self.show_button = QPushButton(_("S&how"))
        self.show_button.setDefault(True)  # Enter in a filter shows its rows, it does not close the dialog
        self.show_button.clicked.connect(self.reload)
        form = QFormLayout()
        form.addRow(_("&Who:"), self.who)
        form.addRow(_("&Action:"), self.action)
        dates = QHBoxLayout()
        dates.addWidget(self.since)
        dates.addWidget(wrapped(_("to")))
        dates.addWidget(self.until)
        dates.addWidget(self.show_button)
        form.addRow(_("&From (UTC day):"), dates)
        for label, buddy in ((form.labelForField(self.who), self.who), (form.labelForField(self.action), self.action),
                             (form.labelForField(dates), self.since)):
            label.setBuddy(buddy)  # type: ignore[union-attr]
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setAccessibleName(_("Audit log entries"))
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for the buttons
        self.table.horizontalHeader().setStretchLastSection(True)
        self.message = wrapped(name=_("Audit log message"))
        self.older = QPushButton(_("Show &older entries"))
        self.older.setAutoDefault(False)
        self.older.setEnabled(False)
        self.older.clicked.connect(self.load_older)
        self.verify_button = QPushButton(_("&Verify the log"))
        self.verify_button.setAutoDefault(False)
        self.verify_button.clicked.connect(self.verify)
        self.result = wrapped(name=_("Verification result"))
        row = QHBoxLayout()
        row.addWidget(self.older)
        row.addStretch(1)
        row.addWidget(self.verify_button)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)
        stack(self, intro, form, self.table, self.message, row, self.result, self.buttons)
        self.resize(980, 560)
        self.finished.connect(self._closed)
        self.who.currentIndexChanged.connect(lambda _i: self.reload())
        self.action.currentIndexChanged.connect(lambda _i: self.reload())
        self.loaded = False
        self.reload()

    # --- loading ------------------------------------------------------------------
    def _fill_choices(self, users: tuple[str, ...], actions: tuple[str, ...]) -> None:
        for combo, everything, values in ((self.who, _("Everyone"), users), (self.action, _("Every action"), actions)):
            keep = combo.currentData() or ""
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, "")
            for value in sorted(set(values) | ({keep} if keep else set())):
                combo.addItem(value, value)
            combo.setCurrentIndex(max(0, combo.findData(keep)))
            combo.blockSignals(False)

    def _day(self, edit: QLineEdit, label: str) -> date | None:
        text = edit.text().strip()
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(_("{field}: not a date (use YYYY-MM-DD): {value}").format(field=label, value=text))

    def reload(self) -> None:
        try:
            since, until = self._day(self.since, _("From")), self._day(self.until, _("To"))
            if since and until and until < since:
                raise ValueError(_("To: the day is before the From day."))
        except ValueError as exc:
            self.message.setText(str(exc))
            return
        self.filters = {"actor": self.who.currentData() or "", "action": self.action.currentData() or "",
                        "since": since, "until": until}
        self._load(None)

    def load_older(self) -> None:
        if self.oldest is not None:
            self._load(self.oldest)

    def _load(self, below_seq: int | None) -> None:
        self.generation += 1
        generation = self.generation
        self.older.setEnabled(False)
        self.message.setText(_("Loading…"))
        audit_ops.load(self.runner, below_seq=below_seq, **self.filters).success(
            lambda page: self._show(generation, below_seq, page)).failure(
            lambda exc: self._failed(generation, exc)).run()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self.generation and self.isVisible():
            self.message.setText(describe(exc))

    def _show(self, generation: int, below_seq: int | None, page: audit_ops.AuditPage) -> None:
        if generation != self.generation or not self.isVisible():
            return
        self._fill_choices(page.users, page.actions)
        if below_seq is None:
            self.table.setRowCount(0)
        start = self.table.rowCount()
        self.table.setRowCount(start + len(page.rows))
        for r, e in enumerate(page.rows, start):
            texts = (str(e.seq), e.at[:19].replace("T", " "), e.actor, e.action, e.target, detail_text(e.detail))
            for c, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                item.setData(Qt.ItemDataRole.UserRole, e.seq)
                self.table.setItem(r, c, item)
        if page.rows:
            self.oldest = page.rows[-1].seq
        if below_seq is None:
            self.table.resizeColumnsToContents()
        self.older.setEnabled(page.more)
        shown = self.table.rowCount()
        filtered = any(self.filters.values())
        if not shown:
            self.message.setText(_("No entry matches these filters.") if filtered else _("The audit log is empty."))
        elif page.more:
            self.message.setText(ngettext("Showing the newest {count} entry; older ones follow with "
                                          "\"Show older entries\".",
                                          "Showing the newest {count} entries; older ones follow with "
                                          "\"Show older entries\".", shown).format(count=shown))
        else:
            self.message.setText(ngettext("{count} entry.", "{count} entries.", shown).format(count=shown))
        self.loaded = True

    # --- verifying ----------------------------------------------------------------
    def verify(self) -> None:
        self.verify_button.setEnabled(False)
        self.result.setText(_("Verifying the audit log…"))
        status = self.sharing.status if self.sharing is not None else None
        if status is None or not status.connected or not status.url:
            self._verify(server=False)
            return
        sync_ops.check_server(self.runner, url=status.url).success(lambda _none: self._verify(server=True)).failure(
            lambda exc: self._verify(server=False, note=describe(exc))).run()

    def _verify(self, *, server: bool, note: str = "") -> None:
        if not self.isVisible():
            return
        audit_ops.verify(self.runner, server=server).success(lambda report: self._verified(report, note)).failure(
            self._verify_failed).run()

    def _verified(self, report: Any, note: str) -> None:
        if not self.isVisible():
            return
        self.verify_button.setEnabled(True)
        self.result.setText(report_text(report, note))
        self._mark({b.seq for b in report.breaks})

    def _verify_failed(self, exc: BaseException) -> None:
        if self.isVisible():
            self.verify_button.setEnabled(True)
            self.result.setText(describe(exc))

    def _mark(self, wrong: set[int]) -> None:
        """Wrong entries shown in the table are marked, and the first of them selected."""
        first = None
        for r in range(self.table.rowCount()):
            item = self.table.item(r, 0)
            bad = item is not None and item.data(Qt.ItemDataRole.UserRole) in wrong
            for c in range(self.table.columnCount()):
                cell = self.table.item(r, c)
                if cell is not None:
                    font = cell.font()
                    font.setBold(bad)
                    cell.setFont(font)
            if item is not None and bad:
                item.setText(_("{seq} (altered)").format(seq=item.data(Qt.ItemDataRole.UserRole)))
                first = r if first is None else first
        if first is not None:
            self.table.selectRow(first)

    def _closed(self, _result: int) -> None:
        self.generation += 1  # a page still loading is not shown
        self.table.setRowCount(0)
        self.message.clear()
        self.result.clear()
