"""Add or edit a client. Contacts and relatives are kept as they are (edited elsewhere)."""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from clinic_app.domain.client import Client
from clinic_app.domain.roles import Permission
from clinic_app.errors import HavenError
from clinic_app.gui.context import Context
from clinic_app.gui.operations import records as record_ops
from clinic_app.gui.presenter import describe
from clinic_app.gui.undo import ServiceEdit
from clinic_app.gui.widgets.fields import join_list, line, parse_date, show_date, split_list
from clinic_app.i18n import _


class ClientForm(QDialog):
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
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.name.setFocus()

    def record(self) -> Client:
        base = self.before or Client(ref="new", legal_name="-")
        return dataclasses.replace(
            base, legal_name=self.name.text(), aliases=split_list(self.aliases.text()),
            public_initials=self.initials.text(), birth_date=parse_date(self.birth.text(), "birth_date"),
            country=self.country.text(), languages=split_list(self.languages.text()),
            uci=self.uci.text() or None, notes=self.notes.toPlainText(),
            narrative=self.narrative.toPlainText() if self.ctx.can(Permission.READ_NARRATIVES) else base.narrative,
        )

    def save(self) -> None:
        try:
            client = self.record()
        except HavenError as exc:
            self.error.setText(str(exc))
            return
        self.buttons.setEnabled(False)
        record_ops.save_client(self.ctx.runner, client=client, new=self.before is None) \
            .success(lambda saved: self._saved(saved, client)).failure(self._failed).run()

    def _saved(self, saved: record_ops.Saved, client: Client) -> None:
        self.saved_ref = saved.ref
        self.ctx.status(_("Client {ref} saved.").format(ref=saved.ref))
        if self.before is not None:
            def save(c: Client):  # noqa: ANN202 - an Op
                return record_ops.save_client(self.ctx.runner, client=c, new=False)

            self.ctx.undo.push(ServiceEdit(_("Edit client {ref}").format(ref=saved.ref), save, self.before, client))
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(describe(exc))
