"""Marking deadlines done or not applicable, and a matter's own deadlines tab.

The agenda (home page) and a matter's Deadlines tab share `DeadlineMarker`: it runs
the mark on the vault thread, says what happened in the status bar and records an
undo step, so Edit → Undo (Ctrl+Z) puts a deadline back on the agenda. The tab also
lists what was marked, with the reason, and can open a deadline again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QInputDialog, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from clinic_app.domain.changes import Changes
from clinic_app.domain.citations import cite
from clinic_app.domain.deadlines.agenda import AgendaItem, describe_days, describe_flags
from clinic_app.domain.deadlines.marks import DONE, NOT_APPLICABLE
from clinic_app.domain.matter import KeyDate
from clinic_app.domain.roles import Permission
from clinic_app.gui.context import Context
from clinic_app.gui.operations import deadlines as deadline_ops
from clinic_app.gui.presenter import describe
from clinic_app.gui.undo import ServiceEdit
from clinic_app.gui.widgets.rows import Column, RowsModel, rows_table
from clinic_app.i18n import _, current_language

Mark = tuple[str, str] | None  # (state, reason), or None: open


def title_of(deadline: Any) -> str:
    return str(deadline.title.get(current_language()))


def markers_of(deadline: Any) -> str:
    """The warnings that change how far to trust the date, in a few words (the flags say why)."""
    words = [word for flag, word in ((deadline.unconfirmed, _("UNCONFIRMED")), (deadline.estimated, _("Estimate")),
                                     (deadline.variant_assumed or bool(deadline.assumed_from), _("Assumed case")))
             if flag]
    return " · ".join(words)


def deadline_cell(deadline: Any) -> str:
    """The title, and its markers on a second line: the window shows what the CLI and the
    calendar file show, an UNCONFIRMED rule or an estimated date is never a plain date."""
    markers = markers_of(deadline)
    return f"{title_of(deadline)}\n{markers}" if markers else title_of(deadline)


def deadline_details(deadline: Any) -> str:
    """Title, citation and every warning in full, for a tooltip and the details line."""
    lang = current_language()
    return "\n".join([title_of(deadline), cite(deadline.citation, lang), *describe_flags(deadline, lang)])


class DeadlineMarker:
    """Mark / undo for one view: `selected()` gives (matter ref, deadline, its current mark)."""

    def __init__(self, ctx: Context, parent: QWidget, selected: Callable[[], tuple[str, Any, Mark] | None]) -> None:
        self.ctx, self.parent, self.selected = ctx, parent, selected
        self.reason_dialog: QInputDialog | None = None
        self.done_button = QPushButton(_("Mar&k done"))
        self.done_button.setToolTip(_("The clinic has taken this step: it leaves the agenda (Ctrl+Z undoes)."))
        self.done_button.clicked.connect(lambda: self.mark(DONE))
        self.na_button = QPushButton(_("Not &applicable…"))
        self.na_button.setToolTip(_("This deadline does not apply to the matter: say why."))
        self.na_button.clicked.connect(self.ask_reason)
        for b in (self.done_button, self.na_button):
            b.setVisible(ctx.can(Permission.EDIT_RECORDS))

    def buttons(self) -> list[QPushButton]:
        return [self.done_button, self.na_button]

    def mark(self, state: str | None, reason: str = "") -> None:
        chosen = self.selected()
        if chosen is None:
            self.ctx.status(_("Choose a deadline first."))
            return
        matter_ref, deadline, before = chosen
        after: Mark = (state, reason) if state else None
        self.apply(matter_ref, deadline, before, after)

    def apply(self, matter_ref: str, deadline: Any, before: Mark, after: Mark) -> None:
        rule, title = deadline.rule_id, title_of(deadline)

        def save(value: Mark):  # noqa: ANN202 - an Op, for the undo step too
            return deadline_ops.mark_deadline(self.ctx.runner, matter_ref=matter_ref, rule_id=rule,
                                              state=value[0] if value else None, reason=value[1] if value else "")

        def saved(_changes: object) -> None:
            text = _("Deadline reopened: {title}.") if after is None else \
                _("Marked done: {title}.") if after[0] == DONE else _("Marked not applicable: {title}.")
            self.ctx.status(text.format(title=title) + " " + _("Undo with Ctrl+Z."))
            self.ctx.undo.push(ServiceEdit(_("Mark deadline {rule} of {matter}").format(rule=rule, matter=matter_ref),
                                           save, before, after))

        save(after).success(saved).run()  # a refusal goes to the presenter, the one place errors show

    def ask_reason(self) -> None:
        """A non-blocking question: the window keeps running (and can lock) while it is open."""
        if self.selected() is None:
            self.ctx.status(_("Choose a deadline first."))
            return
        dialog = QInputDialog(self.parent)
        dialog.setWindowTitle(_("Not applicable"))
        dialog.setLabelText(_("Why does this deadline not apply to the matter?"))
        dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
        dialog.textValueSelected.connect(lambda text: self.mark(NOT_APPLICABLE, text))
        self.reason_dialog = dialog
        dialog.open()


class DeadlinesTab(QWidget):
    """One matter's deadlines: open ones and marked ones, with buttons to mark and reopen."""

    def __init__(self, ctx: Context, ref: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.ref = ctx, ref
        self.found: Any = None
        self.model = RowsModel([
            Column(_("Due"), lambda d: d.due.isoformat()),
            Column(_("When"), lambda d: describe_days(AgendaItem(d, (d.due - date.today()).days))),
            Column(_("Status"), self._state_text, tooltip=self._state_text),
            Column(_("Deadline"), deadline_cell, tooltip=deadline_details),
        ], self, warn=lambda d: self._mark(d) is None and d.met_on is None and d.kind == "due"
            and d.due < date.today())
        self.table = rows_table(self.model, name=_("Deadlines of this matter"), stretch=3, wrap=True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.details = QLabel()  # the selected deadline's warnings in full, for keyboard users too
        self.details.setWordWrap(True)
        self.details.setAccessibleName(_("About the selected deadline"))
        self.table.selectionModel().currentRowChanged.connect(self._show_details)
        self.marker = DeadlineMarker(ctx, self, self.selected)
        self.reopen_button = QPushButton(_("Reope&n"))
        self.reopen_button.setToolTip(_("Undo the mark: the deadline is open and on the agenda again."))
        self.reopen_button.clicked.connect(lambda: self.marker.mark(None))
        self.reopen_button.setVisible(ctx.can(Permission.EDIT_RECORDS))
        self.dates_button = QPushButton(_("Dates and option&s…"))
        self.dates_button.setToolTip(_("Enter a step's date (leave filed, record served…) or choose the case a rule "
                                       "applies to: the matter form, where the deadlines count from."))
        self.dates_button.clicked.connect(self.edit_dates)
        self.dates_button.setVisible(ctx.can(Permission.EDIT_RECORDS))
        row = QHBoxLayout()
        for b in (*self.marker.buttons(), self.reopen_button):
            row.addWidget(b)
        row.addStretch(1)
        self.export_button = QPushButton(_("Export to calendar…"))
        self.export_button.setToolTip(_("Write this matter's deadlines to a calendar file (.ics)."))
        self.export_button.clicked.connect(self.export_calendar)
        row.addWidget(self.export_button)
        row.addWidget(self.dates_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        layout.addLayout(row)
        ctx.runner.changed.connect(self.on_changed)
        self.refresh()

    def edit_dates(self) -> None:
        """The matter form, opened on the matter as saved now."""
        from clinic_app.gui.dialogs.matter_form import MatterForm
        from clinic_app.gui.operations import records as record_ops

        def opened(view: Any) -> None:
            MatterForm(self.ctx, view.matter, parent=self.window()).open()

        record_ops.load_matter(self.ctx.runner, ref=self.ref).success(opened).run()

    def export_calendar(self) -> None:
        """This matter's deadlines only, to a calendar file."""
        from clinic_app.gui.dialogs.calendar_export import CalendarExportDialog

        self.calendar_dialog = CalendarExportDialog(self.ctx, self.ref, self.window())
        self.calendar_dialog.open()

    def _show_details(self) -> None:
        chosen = self.selected()
        self.details.setText(deadline_details(chosen[1]) if chosen else "")

    def _mark(self, deadline: Any) -> Any:
        return self.found.mark(deadline) if self.found is not None else None

    def _state_text(self, deadline: Any) -> str:
        mark = self._mark(deadline)
        if mark is None and deadline.met_on is not None:  # the step's date is entered
            return _("Done: {step} {date}").format(step=KeyDate(deadline.done_by).label,
                                                    date=deadline.met_on.isoformat())
        if mark is None:
            return _("To do")
        return f"{mark.label}: {mark.reason}" if mark.reason else mark.label

    def refresh(self) -> None:
        deadline_ops.matter_deadlines(self.ctx.runner, matter_ref=self.ref).success(self._show) \
            .failure(self._failed).run()

    def _failed(self, exc: BaseException) -> None:
        """Say why (a refused rules file names its file, rule and field); keep no deadline
        computed by rules no longer in force."""
        self.clear()
        self.note.setText(describe(exc))

    def _show(self, found: Any) -> None:
        self.found = found
        self.model.set_rows(list(found.deadlines))
        lang = current_language()
        names = {k.value: k.label for k in KeyDate}
        pending = [_("{rule} (needs: {dates})").format(
            rule=p.title.get(lang), dates=_(" or ").join(names.get(n, n) for n in p.needs)) for p in found.pending]
        lines = [_("Waiting for a date: {rules}. Enter it with Dates and options.").format(rules="; ".join(pending))] \
            if pending else []
        lines += [_("The rules in force have no option {option} for {rule}: its default counts.").format(
            option=key, rule=rule) for rule, key in found.stale_options]
        self.note.setText("\n".join(lines))

    def selected(self) -> tuple[str, Any, Mark] | None:
        index = self.table.currentIndex()
        deadline = self.model.row(index.row()) if index.isValid() else None
        if deadline is None:
            return None
        mark = self._mark(deadline)
        return self.ref, deadline, (mark.state, mark.reason) if mark else None

    def on_changed(self, changes: Changes, initiator: object) -> None:
        if changes.matters:
            self.refresh()

    def clear(self) -> None:
        self.found = None
        self.model.clear()
        self.note.clear()
        self.details.clear()

    def has_unsaved(self) -> bool:
        return False
