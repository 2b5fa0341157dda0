"""Serving a bundle: the dialog that records it (on whom, how, when, and optionally a
statement of service), and the service log and frozen-list note the bundles page shows.

Service freezes the bundle's page numbers for good (a later bundle continues after
them), so this is a deliberate dialog rather than a button: the person says who was
served and how, exactly as the statement of service will repeat it. The record is
made on the vault thread; the dialog only closes once it is saved.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QFormLayout, QLabel,
    QTableView, QWidget,
)

from clinic_app.domain.display import isolate
from clinic_app.gui.context import Context
from clinic_app.gui.operations import bundles as bundle_ops
from clinic_app.gui.presenter import describe
from clinic_app.gui.save_paths import ask_save_path, file_name
from clinic_app.gui.widgets.dialog_parts import dialog_buttons, stack, with_browse
from clinic_app.gui.widgets.fields import line
from clinic_app.gui.widgets.rows import Column, RowsModel, fit_columns
from clinic_app.i18n import _


def service_methods() -> list[str]:
    """Usual ways of serving in Canadian immigration matters; the combo stays editable
    because the service accepts any method a person can name (the CLI does too)."""
    return [_("My Case portal"), _("email"), _("fax"), _("hand delivery"), _("registered mail"), _("courier")]


def service_log_view(parent: QWidget) -> tuple[QTableView, RowsModel]:
    """The matter's service log, one row per service: which bundle, when, on whom, how, which pages."""
    model = RowsModel([
        Column(_("Bundle"), lambda e: e.bundle_ref),
        Column(_("Served on (date)"), lambda e: e.served_on),
        Column(_("To whom"), lambda e: e.served_to),
        Column(_("How"), lambda e: e.method),
        Column(_("Pages"), lambda e: f"{e.first_page}–{e.last_page}"),
        Column(_("Recorded by"), lambda e: e.recorded_by),
    ], parent)
    view = QTableView(parent)
    view.setModel(model)
    view.setAccessibleName(_("Service log: which bundle was served on whom, when and how"))
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.verticalHeader().hide()
    fit_columns(view, 2)
    return view, model


def frozen_note(first: Any, changed: list[tuple[str, str]] | None = None) -> str:
    """Why a served bundle's list cannot be edited, what to do instead, and which of its documents
    changed since (the served bundle keeps the version served)."""
    text = _("Served on {day} to {whom} ({method}): pages {first} to {last} are frozen, so this list is "
             "read-only. Put later documents in a supplementary bundle.").format(
        day=first.served_on, whom=first.served_to, method=first.method, first=first.first_page, last=first.last_page)
    if changed:
        text += " " + _("Changed since it was served: {documents}. This bundle keeps the version that was "
                        "served; put the new version in a supplementary bundle.").format(
            documents=", ".join(_("{title} ({ref})").format(title=isolate(title), ref=ref) for ref, title in changed))
    return text


class Invalid(ValueError):
    """A detail the person must fix, and the field to put the cursor in."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class ServeBundleDialog(QDialog):
    def __init__(self, ctx: Context, bundle_ref: str, result: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.bundle_ref, self.build_result = ctx, bundle_ref, result
        self.served: bundle_ops.Served | None = None
        self.setWindowTitle(_("Mark bundle {ref} as served").format(ref=bundle_ref))
        self.served_to = line(name=_("To whom the bundle was served"), placeholder=_("e.g. Minister's counsel"))
        self.method = QComboBox()
        self.method.setEditable(True)
        self.method.addItems(service_methods())
        self.method.setAccessibleName(_("Method of service"))
        self.served_on = line(date.today().isoformat(), name=_("Date of service"), placeholder="YYYY-MM-DD")
        self.write_statement = QCheckBox(_("Also write a &statement of service"))
        self.statement_path = line(name=_("Where to save the statement of service"),
                                   placeholder=_("Choose where to save it"))
        where, self.browse = with_browse(self.statement_path, self.choose_statement_path, _("C&hoose…"))
        self.browse.setAccessibleName(_("Choose where to save the statement of service"))
        self.write_statement.toggled.connect(self._statement_toggled)
        self._statement_toggled(False)
        warning = QLabel(_("Once served, this bundle is frozen as it was built: its pages, numbers, cover and "
                           "date, and the exact version of each document. Replacing or editing a document later "
                           "never changes it: new and changed documents go in a supplementary bundle, whose tabs "
                           "and pages continue the numbering."))
        self.warning = warning
        warning.setWordWrap(True)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.error.setAccessibleName(_("Problem with the service details"))
        form = QFormLayout()  # "&" in a row label: Alt+letter jumps to its field
        form.addRow(_("&To whom:"), self.served_to)
        form.addRow(_("&Method:"), self.method)
        form.addRow(_("&Date:"), self.served_on)
        form.addRow(self.write_statement)
        form.addRow(_("Statement:"), where)
        self.buttons = dialog_buttons(self, self.save, ok_text=_("Mark as ser&ved"), save=True)
        stack(self, warning, form, self.error, self.buttons)
        self.served_to.setFocus()

    def _statement_toggled(self, on: bool) -> None:
        self.statement_path.setEnabled(on)
        self.browse.setEnabled(on)

    def choose_statement_path(self) -> None:
        """A neutral default name: file names end up in folders and e-mails, so no client data."""
        name = self.statement_path.text().strip() or file_name(
            _("Statement of service {ref}").format(ref=self.bundle_ref))
        path = ask_save_path(self, _("Save the statement of service as"), name, _("PDF files (*.pdf)"))
        if path is not None:
            self.statement_path.setText(str(path))
            self.write_statement.setChecked(True)

    def details(self) -> tuple[str, str, date, Path | None]:
        """(served to, method, date, statement path or None), or Invalid naming the field."""
        served_to, method = self.served_to.text().strip(), self.method.currentText().strip()
        if not served_to:
            raise Invalid("served_to", _("Say on whom the bundle was served."))
        if not method:
            raise Invalid("method", _("Say how the bundle was served."))
        try:
            served_on = date.fromisoformat(self.served_on.text().strip())
        except ValueError:
            raise Invalid("served_on", _("Give the date of service as YYYY-MM-DD.")) from None
        if served_on > date.today():
            raise Invalid("served_on", _("The date of service cannot be in the future."))
        statement = None
        if self.write_statement.isChecked():
            if not self.statement_path.text().strip():
                raise Invalid("statement", _("Choose where to save the statement of service."))
            statement = Path(self.statement_path.text().strip())
        return served_to, method, served_on, statement

    def save(self) -> Any:
        try:
            served_to, method, served_on, statement = self.details()
        except Invalid as exc:
            self.error.setText(str(exc))
            self._focus(exc.field)
            return None
        self.error.clear()
        self.buttons.setEnabled(False)
        return bundle_ops.serve(self.ctx.runner, ref=self.bundle_ref, result=self.build_result,
                                served_to=served_to, method=method, served_on=served_on, statement=statement) \
            .success(self._saved).failure(self._failed).run()

    def _focus(self, name: str) -> None:
        widget = {"served_to": self.served_to, "method": self.method, "served_on": self.served_on,
                  "statement": self.statement_path}.get(name)
        if widget is not None:
            widget.setFocus()

    def _saved(self, served: bundle_ops.Served) -> None:
        self.served = served
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(describe(exc))
