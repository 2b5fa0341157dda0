"""Add or edit a client: identity, contact points and relatives on three tabs.

Everything the form edits is saved as one client record, so one save is one
undoable ServiceEdit. Those allowed to delete records can also delete the
client for good from here: the plan is loaded and confirmed in its own dialog
(dialogs/delete_client.py) before anything goes.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.client import Client
from clinic_app.domain.roles import Permission
from clinic_app.errors import HavenError, ValidationError
from clinic_app.gui.context import Context
from clinic_app.gui.operations import clients as client_ops
from clinic_app.gui.operations import records as record_ops
from clinic_app.gui.dialogs.conflicts import checked_save, not_saved_text
from clinic_app.gui.presenter import describe
from clinic_app.gui.qtcompat import emit
from clinic_app.gui.undo import ServiceEdit
from clinic_app.gui.widgets.client_people import (
    ContactsEditor,
    RelativesEditor,
    RowError,
)
from clinic_app.gui.widgets.fields import (
    clear_texts,
    join_list,
    line,
    parse_date,
    show_date,
    split_list,
)
from clinic_app.i18n import _

if TYPE_CHECKING:
    from clinic_app.gui.dialogs.delete_client import DeleteClientDialog
    from clinic_app.services.conflict_check import CheckedSave
    from clinic_app.services.purge import DeletionPlan, DeletionResult


class ClientForm(QDialog):
    deleted = Signal(str)  # the ref of the client this form deleted

    def __init__(self, ctx: Context, client: Client | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.before = ctx, client
        self.saved_ref = ""
        self.setWindowTitle(_("Edit client") if client else _("New client"))
        c = client
        self.name = line(c.legal_name if c else "", name=_("Legal name"))
        self.aliases = line(join_list(c.aliases) if c else "", name=_("Aliases"),
                            placeholder=_("separate names with ;"))
        self.initials = line(c.public_initials if c else "", name=_("Public initials"),
                             placeholder=_("derived from the name if empty"))
        self.birth = line(show_date(c.birth_date) if c else "", name=_("Birth date"), placeholder="YYYY-MM-DD")
        self.country = line(c.country if c else "", name=_("Country"))
        self.languages = line(join_list(c.languages) if c else "", name=_("Languages"),
                              placeholder=_("separate languages with ;"))
        self.uci = line(c.uci or "" if c else "", name=_("UCI"), placeholder="0000-0000")
        self.narrative = QPlainTextEdit(c.narrative if c else "")
        self.narrative.setAccessibleName(_("Narrative"))
        self.notes = QPlainTextEdit(c.notes if c else "")
        self.notes.setAccessibleName(_("Notes"))
        self.contacts = ContactsEditor(c.contacts if c else ())
        self.relatives = RelativesEditor(c.relatives if c else ())
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Legal name:"), self.name)
        form.addRow(_("Aliases:"), self.aliases)
        form.addRow(_("Public initials:"), self.initials)
        form.addRow(_("Birth date:"), self.birth)
        form.addRow(_("Country:"), self.country)
        form.addRow(_("Languages:"), self.languages)
        form.addRow(_("UCI:"), self.uci)
        if ctx.can(Permission.READ_NARRATIVES):
            form.addRow(_("Narrative:"), self.narrative)
        form.addRow(_("Notes:"), self.notes)
        self.identity = QWidget()
        self.identity.setLayout(form)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.identity, _("&Identity"))
        self.tabs.addTab(self.contacts, _("C&ontacts"))
        self.tabs.addTab(self.relatives, _("&Relatives"))
        self.resize(760, 560)  # the contacts and relatives tables need room for their columns
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.delete_button: QPushButton | None = None
        if client is not None and ctx.can(Permission.DELETE_RECORDS):  # the service enforces it too
            self.delete_button = QPushButton(_("Delete client…"))
            self.delete_button.setAutoDefault(False)
            self.delete_button.clicked.connect(self.ask_delete)
            self.buttons.addButton(self.delete_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.delete_dialog: DeleteClientDialog | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._fields: dict[str, QWidget] = {
            "name": self.name, "aliases": self.aliases, "public_initials": self.initials,
            "birth_date": self.birth, "country": self.country, "languages": self.languages, "uci": self.uci,
            "narrative": self.narrative, "notes": self.notes,
        }
        self.finished.connect(self._forget)
        self.name.setFocus()

    def _forget(self) -> None:
        """Empty every field once the form is closed: a hidden form that stays around
        (its callers keep none, but Qt keeps it until the window goes) holds no client
        text, not even after the client was deleted."""
        clear_texts(self)
        for edit in (self.narrative, self.notes):
            edit.clear()
        self.contacts.clear()
        self.relatives.clear()

    # --- saving --------------------------------------------------------------------------
    def record(self) -> Client:
        base = self.before or Client(ref="new", legal_name="-")
        birth = parse_date(self.birth.text(), "birth_date")
        contacts, relatives = self.contacts.records(), self.relatives.records()
        return dataclasses.replace(
            base, legal_name=self.name.text(), aliases=split_list(self.aliases.text()),
            public_initials=self.initials.text(), birth_date=birth,
            country=self.country.text(), languages=split_list(self.languages.text()),
            uci=self.uci.text() or None, notes=self.notes.toPlainText(), contacts=contacts, relatives=relatives,
            narrative=self.narrative.toPlainText() if self.ctx.can(Permission.READ_NARRATIVES) else base.narrative,
        )

    def save(self) -> None:
        try:
            client = self.record()
        except HavenError as exc:
            self._point_at(exc)
            self.error.setText(describe(exc, {"name": _("Legal name")}))
            return
        self.error.clear()
        self.buttons.setEnabled(False)
        checked_save(self, self.ctx.runner,
                     lambda accept: client_ops.save_checked(self.ctx.runner, client=client, new=self.before is None,
                                                            accept_conflicts=accept),
                     lambda saved: self._saved(saved, client), self._failed, self._went_back)

    def _went_back(self) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(not_saved_text())

    def _point_at(self, exc: HavenError) -> None:
        """Show the tab and the field (or cell) a validation error is about."""
        if isinstance(exc, RowError):
            self.tabs.setCurrentWidget(exc.editor)
            exc.editor.point_at(exc.row, exc.column)
        elif isinstance(exc, ValidationError) and exc.field in ("contacts", "relatives"):
            self.tabs.setCurrentWidget(self.contacts if exc.field == "contacts" else self.relatives)
        elif isinstance(exc, ValidationError) and exc.field in self._fields:
            self.tabs.setCurrentWidget(self.identity)
            self._fields[exc.field].setFocus()

    def _saved(self, saved: record_ops.Saved | CheckedSave, client: Client) -> None:
        self.saved_ref = saved.ref
        self.ctx.status(_("Client {ref} saved.").format(ref=saved.ref))
        if self.before is not None:
            def save(c: Client):
                return record_ops.save_client(self.ctx.runner, client=c, new=False)

            self.ctx.undo.push(ServiceEdit(_("Edit client {ref}").format(ref=saved.ref), save, self.before, client))
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(describe(exc))

    # --- deleting ------------------------------------------------------------------------
    def ask_delete(self) -> None:
        """Load what the deletion would take (on the vault thread), then ask."""
        if self.before is None or self.delete_button is None:
            return
        self.error.clear()
        self.buttons.setEnabled(False)
        client_ops.plan_deletion(self.ctx.runner, ref=self.before.ref) \
            .success(self._confirm_delete).failure(self._failed).run()

    def _confirm_delete(self, plan: DeletionPlan) -> None:
        from clinic_app.gui.dialogs.delete_client import DeleteClientDialog

        self.buttons.setEnabled(True)
        if self.delete_dialog is not None:  # an earlier, cancelled or failed attempt
            self.delete_dialog.deleteLater()
        dialog = DeleteClientDialog(plan, self)
        dialog.confirmed.connect(lambda: self._delete(dialog, plan))
        self.delete_dialog = dialog
        dialog.open()

    def _delete(self, dialog: DeleteClientDialog, plan: DeletionPlan) -> None:
        # The matter tabs close first: once the deletion's changes arrive, an open tab
        # would reload a matter that no longer exists.
        from clinic_app.gui.pages.desk import Desk

        parent = self.parentWidget()
        desk = parent.window().findChild(Desk) if parent is not None else None
        if desk is not None:
            desk.close_matters(plan.matters)
        self.buttons.setEnabled(False)
        client_ops.delete_client(self.ctx.runner, plan=plan).progress(dialog.show_progress) \
            .success(lambda result: self._deleted(dialog, result)) \
            .failure(lambda exc: self._delete_failed(dialog, exc)).run()

    def _deleted(self, dialog: DeleteClientDialog, result: DeletionResult) -> None:
        ref = result.plan.client_ref
        if result.scrubbed:
            self.ctx.status(_("Deleted client {ref}; the vault file was wiped of their records.").format(ref=ref))
        else:
            self.ctx.status(_("Deleted client {ref}, but wiping the vault file did not finish: traces of their "
                              "records may remain in it.").format(ref=ref))
        # Undo would save the deleted client back, and its steps hold their records in memory.
        self.ctx.undo.clear()
        dialog.accept()
        emit(self.deleted, ref)
        self.accept()

    def _delete_failed(self, dialog: DeleteClientDialog, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        if dialog.isVisible():
            dialog.show_failure(describe(exc))
        else:
            self.error.setText(describe(exc))
