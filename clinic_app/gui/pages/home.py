"""The home page: instant search over clients and matters, the agenda, recent matters."""

from __future__ import annotations

import dataclasses
from datetime import date

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
    QPushButton, QSplitter, QTableView, QVBoxLayout, QWidget,
)

from clinic_app.domain.changes import Changes
from clinic_app.domain.display import isolate
from clinic_app.domain.roles import Permission
from clinic_app.gui.context import Context
from clinic_app.gui.operations import adapters
from clinic_app.gui.operations import records as record_ops
from clinic_app.gui.pages.deadlines import DeadlineMarker, deadline_cell, deadline_details
from clinic_app.gui.presenter import describe
from clinic_app.gui.widgets.highlight import MatchDelegate
from clinic_app.gui.widgets.rows import Column, RowsModel, fit_columns, rows_table
from clinic_app.i18n import N_, _

KIND_LABELS = {"client": N_("Client"), "matter": N_("Matter"), "document": N_("Document"), "letter": N_("Letter")}


def agenda_rows(agenda: object) -> list[tuple[str, object]]:
    """(group key, AgendaItem) in display order, from a domain Agenda."""
    rows = []
    for key, items in agenda.groups():  # type: ignore[attr-defined]
        rows.extend((key, item) for item in items)
    return rows


class HomePage(QWidget):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._query_seq = 0
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search names, aliases, file numbers, document text… (Ctrl+F)"))
        self.search.setAccessibleName(_("Search"))
        self.search.setClearButtonEnabled(True)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self.open_current)
        self.model = RowsModel([
            Column(_("Kind"), lambda r: _(KIND_LABELS.get(r.kind, r.kind))),
            Column(_("Ref"), lambda r: r.ref),
            Column(_("Name or title"), lambda r: r.label),
            Column(_("Details"), lambda r: r.detail),
        ], self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Search results"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        fit_columns(self.table, 2)
        self.highlight = MatchDelegate(self._matches, self.table)  # matches in bold, not in [brackets]
        self.table.setItemDelegateForColumn(3, self.highlight)
        self.table.verticalHeader().hide()
        self.table.activated.connect(lambda index: self.open_row(index.row()))
        self.table.verticalScrollBar().valueChanged.connect(lambda _v: self.fill_snippets())
        self._snippet_query = ""  # the query the rows on show came from
        buttons = QHBoxLayout()
        self.new_client_button = QPushButton(_("New client…"))
        self.new_client_button.clicked.connect(self.new_client)
        self.new_matter_button = QPushButton(_("New matter…"))
        self.new_matter_button.clicked.connect(self.new_matter)
        open_button = QPushButton(_("Open"))
        open_button.clicked.connect(self.open_current)
        for b in (self.new_client_button, self.new_matter_button):
            b.setVisible(ctx.can(Permission.EDIT_RECORDS))
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(open_button)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.search)
        lv.addWidget(self.table, 1)
        lv.addLayout(buttons)
        # Titles are long ("Formulaire Fondement de la demande d'asile reçu par la SPR"): the
        # date and its countdown share one column on two lines, and titles wrap rather than
        # being cut to "Basis of…" in a narrow window.
        self.agenda_model = RowsModel([
            Column(_("Due"), lambda r: f"{r[1].deadline.due.isoformat()}\n{_describe_days(r[1])}"),
            Column(_("Matter"), lambda r: str(r[1].deadline.matter_ref or "")),
            Column(_("Deadline"), lambda r: deadline_cell(r[1].deadline),
                   tooltip=lambda r: deadline_details(r[1].deadline)),
        ], self, warn=lambda r: r[0] == "overdue")
        self.agenda = rows_table(self.agenda_model, name=_("Agenda of deadlines"), stretch=2, wrap=True)
        self.agenda.activated.connect(self._open_deadline)
        self.agenda_note = QLabel()
        self.agenda_note.setWordWrap(True)
        self.marker = DeadlineMarker(ctx, self, self._agenda_selection)
        agenda_buttons = QHBoxLayout()
        for b in self.marker.buttons():
            agenda_buttons.addWidget(b)
        agenda_buttons.addStretch(1)
        self.export_button = QPushButton(_("Export to calendar…"))
        self.export_button.setToolTip(_("Write the deadlines to a calendar file (.ics) for Outlook, Google "
                                        "Calendar, Apple Calendar or Thunderbird."))
        self.export_button.clicked.connect(self.export_calendar)
        self.export_button.setVisible(ctx.can(Permission.READ_RECORDS))
        agenda_buttons.addWidget(self.export_button)
        self.recent = QListWidget()
        self.recent.setAccessibleName(_("Recent matters"))
        self.recent.itemActivated.connect(lambda item: ctx.open_matter(item.data(Qt.ItemDataRole.UserRole)))
        agenda_box = QGroupBox(_("Agenda"))
        av = QVBoxLayout(agenda_box)
        av.addWidget(self.agenda_note)
        av.addWidget(self.agenda)
        av.addLayout(agenda_buttons)
        recent_box = QGroupBox(_("Recent matters (this session)"))
        QVBoxLayout(recent_box).addWidget(self.recent)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(agenda_box, 2)
        rv.addWidget(recent_box, 1)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setAccessibleName(_("Notice"))
        self.notice.setStyleSheet("background: #fff3cd; color: #5c3c00; padding: 6px;")
        self.notice.hide()
        page = QVBoxLayout(self)
        page.addWidget(self.notice)
        page.addWidget(split)
        ctx.runner.changed.connect(self.on_changed)
        self.refresh()
        self.refresh_agenda()

    def _matches(self, index: object) -> tuple[tuple[str, bool], ...]:
        row = self.model.row(index.row())  # type: ignore[attr-defined]
        return row.matches if row is not None else ()

    def refresh(self) -> None:
        self._query_seq += 1
        seq = self._query_seq
        query = self.search.text()
        record_ops.search(self.ctx.runner, query=query).success(lambda rows: self._show(seq, rows, query)).run()

    def _show(self, seq: int, rows: list[record_ops.Row], query: str) -> None:
        if seq == self._query_seq:  # a slower, older query never overwrites a newer one
            self._snippet_query = query
            self.model.set_rows(rows)
            if rows:
                self.table.selectRow(0)
            self.fill_snippets()

    def fill_snippets(self) -> None:
        """Snippets of the rows on screen (and the next screenful) that have none yet: a search
        makes only the first ones, so typing never waits for 200 snippets."""
        first = max(0, self.table.rowAt(0))
        last = self.table.rowAt(self.table.viewport().height() - 1)
        last = self.model.rowCount() - 1 if last < 0 else last
        wanted = {n: row for n in range(first, min(self.model.rowCount(), last + 1 + (last - first + 1)))
                  if (row := self.model.row(n)) is not None and row.pending}
        if not wanted:
            return
        seq, query = self._query_seq, self._snippet_query
        for n, row in wanted.items():  # asked once: not again while the answer is on its way
            self.model.update_rows({n: dataclasses.replace(row, pending=False)})

        def show(rows: list[record_ops.Row]) -> None:
            if seq == self._query_seq:
                self.model.update_rows(dict(zip(wanted, rows)))

        record_ops.snippets(self.ctx.runner, query=query, rows=list(wanted.values())).success(show).run()

    def refresh_agenda(self) -> None:
        if not adapters.available("deadlines"):
            self.agenda_note.setText(_("The deadline agenda is not available in this version of Haven yet."))
            self.agenda.hide()
            return
        record_ops.agenda(self.ctx.runner, today=date.today()).success(self._show_agenda).failure(
            self._agenda_failed).run()

    def _show_agenda(self, agenda: object) -> None:
        self.agenda_note.clear()
        self.agenda_model.set_rows(agenda_rows(agenda))

    def _agenda_failed(self, exc: BaseException) -> None:
        """Say why (a rules file the loader refused names its file, rule and field) and show
        no deadline rather than ones computed by rules no longer in force."""
        self.agenda_note.setText(describe(exc))
        self.agenda_model.clear()

    def on_changed(self, changes: Changes, initiator: object) -> None:
        if changes.clients or changes.matters or changes.documents or changes.letters or changes.links:
            self.refresh()
        if changes.matters:
            self.refresh_agenda()

    def open_current(self) -> None:
        index = self.table.currentIndex()
        self.open_row(index.row() if index.isValid() else 0)

    def open_row(self, row_number: int) -> None:
        row = self.model.row(row_number)
        if row is None:
            return
        if row.kind == "matter":
            self.ctx.open_matter(row.ref)
        elif row.kind == "letter":
            from clinic_app.gui.operations.letters import letter_by_ref

            letter_by_ref(self.ctx.runner, ref=row.ref).success(
                lambda letter: letter and self.ctx.open_matter(letter.matter_ref)).run()
        elif row.kind == "document":
            record_ops.matters_of_document(self.ctx.runner, ref=row.ref).success(
                lambda refs: refs and self.ctx.open_matter(refs[0])).run()
        elif row.kind == "client":
            self.edit_client(row.ref)

    def edit_client(self, ref: str) -> None:
        from clinic_app.gui.dialogs.client_form import ClientForm

        def show(client: object) -> None:
            ClientForm(self.ctx, client, self.window()).open()  # type: ignore[arg-type]

        record_ops.load_client(self.ctx.runner, ref=ref).success(show).run()

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def new_client(self) -> None:
        from clinic_app.gui.dialogs.client_form import ClientForm

        ClientForm(self.ctx, None, self.window()).open()

    def new_matter(self) -> None:
        from clinic_app.gui.dialogs.matter_form import MatterForm

        form = MatterForm(self.ctx, None, parent=self.window())
        form.accepted.connect(lambda: self.ctx.open_matter(form.saved_ref))
        form.open()

    def export_calendar(self) -> None:
        from clinic_app.gui.dialogs.calendar_export import CalendarExportDialog

        self.calendar_dialog = CalendarExportDialog(self.ctx, None, self.window())
        self.calendar_dialog.open()

    def _agenda_selection(self) -> tuple[str, object, None] | None:
        index = self.agenda.currentIndex()
        row = self.agenda_model.row(index.row()) if index.isValid() else None
        if row is None or not row[1].deadline.matter_ref:
            return None
        return str(row[1].deadline.matter_ref), row[1].deadline, None  # the agenda lists open deadlines only

    def _open_deadline(self, index: object) -> None:
        row = self.agenda_model.row(index.row())  # type: ignore[attr-defined]
        if row is not None and row[1].deadline.matter_ref:
            self.ctx.open_matter(str(row[1].deadline.matter_ref))

    def add_recent(self, ref: str, title: str) -> None:
        for i in range(self.recent.count()):
            if self.recent.item(i).data(Qt.ItemDataRole.UserRole) == ref:
                self.recent.takeItem(i)
                break
        item = QListWidgetItem(_("{title} ({ref})").format(title=isolate(title), ref=ref))
        item.setData(Qt.ItemDataRole.UserRole, ref)
        self.recent.insertItem(0, item)
        while self.recent.count() > 10:
            self.recent.takeItem(self.recent.count() - 1)

    def clear(self) -> None:
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.model.clear()
        self.agenda_model.clear()
        self.recent.clear()
        self.show_notice("")


def _describe_days(item: object) -> str:
    from clinic_app.domain.deadlines.agenda import describe_days

    return describe_days(item)  # type: ignore[arg-type]
