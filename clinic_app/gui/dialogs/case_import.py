"""File → Import a case file…: the file and its passphrase, then what it holds and its
conflicts with this vault (services.transfer.preview_import, nothing written), an explicit
choice when there are any (services.transfer.CHOICES; Cancel imports nothing), then the
import on the vault thread with progress and Cancel: one transaction, all or nothing.
The passphrase field is emptied when the dialog closes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QRadioButton, QWidget

from clinic_app.gui import file_dialogs, save_paths
from clinic_app.gui.dialogs.case_file import RunningDialog, buddy_label, file_filter, result_label
from clinic_app.gui.dialogs.conflicts import ConflictDialog
from clinic_app.gui.operations import clients as client_ops
from clinic_app.gui.dialogs.users_dialog import error_label, password_field
from clinic_app.gui.operations import transfer as transfer_ops
from clinic_app.gui.presenter import describe
from clinic_app.gui.qtcompat import emit
from clinic_app.gui.tasks import TaskRunner
from clinic_app.gui.widgets.dialog_parts import stack, with_browse
from clinic_app.i18n import N_, _, ngettext
from clinic_app.services.transfer_conflicts import KIND_LABELS
from clinic_app.vault.errors import TransferConflicts, WrongTransferPassphrase

if TYPE_CHECKING:
    from clinic_app.services.transfer import CasePreview

CHOICE_LABELS = {  # services.transfer.CHOICES
    "skip": N_("Skip the records that conflict (if the client or the matter itself conflicts, nothing of "
               "this matter is imported)"),
    "rename": N_("Keep both: import them under new refs (…-imported); Haven says which"),
}
KINDS = {"translation": N_("translation link"), **KIND_LABELS}  # the kinds an import counts


class ImportCaseDialog(RunningDialog):
    """File → Import a case file…: check the file, show what it holds, then import it."""

    imported = Signal(str)  # the matter's ref in this vault

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.preview: CasePreview | None = None
        self.checked_with: tuple[str, str] | None = None
        self.setWindowTitle(_("Import a case file"))
        intro = QLabel(_("Import a matter another Haven exported as a case file. Nothing is written until you "
                         "press Import, and then everything is imported or nothing is."))
        intro.setWordWrap(True)
        self.path = QLineEdit()
        self.path.setAccessibleName(_("Case file"))
        self.path.textChanged.connect(lambda _t: self.forget())
        file_row, _browse = with_browse(self.path, self.choose_file)
        self.passphrase = password_field(_("Case file passphrase"))
        self.passphrase.textChanged.connect(lambda _t: self.forget())
        self.passphrase.returnPressed.connect(self.check)
        form = QFormLayout()
        form.addRow(buddy_label(_("Case &file:"), self.path), file_row)
        form.addRow(buddy_label(_("Case file &passphrase:"), self.passphrase), self.passphrase)
        self.contents = result_label(_("What the case file holds"))
        self.conflicts = result_label(_("Conflicts"))
        self.conflicts.setStyleSheet("color: #8a4b00;")
        self.choices = QButtonGroup(self)
        self.choice_buttons: dict[str, QRadioButton] = {}
        for code, label in CHOICE_LABELS.items():
            button = QRadioButton(_(label))
            button.setVisible(False)
            self.choices.addButton(button)
            self.choice_buttons[code] = button
        self.choices.buttonToggled.connect(lambda *_a: self._enable())
        self.progress.setAccessibleName(_("Import progress"))
        self.error = error_label()
        self.outcome = result_label(_("Import result"))
        self.start_button.setText(_("Import"))
        self.check_button = self.buttons.addButton(_("Check the file"), QDialogButtonBox.ButtonRole.ActionRole)
        self.check_button.clicked.connect(self.check)
        stack(self, intro, form, self.contents, self.conflicts, *self.choice_buttons.values(), self.progress,
              self.error, self.outcome, self.buttons)
        self._enable()

    def choose_file(self) -> None:
        path = file_dialogs.open_file(self, _("Choose a case file"), self.path.text().strip(), file_filter())
        if path:
            self.path.setText(path)
            self.passphrase.setFocus()

    def forget(self) -> None:
        """The file or passphrase changed: what was checked no longer holds."""
        if self.running():
            return
        self.preview = None
        self.contents.clear()
        self.conflicts.clear()
        for button in self.choice_buttons.values():
            button.setVisible(False)
        self._enable()

    def choice(self) -> str | None:
        return next((code for code, b in self.choice_buttons.items() if b.isChecked()), None)

    def _enable(self) -> None:
        preview = self.preview
        ready = preview is not None and (not preview.conflicts or self.choice() is not None)
        self.start_button.setEnabled(ready and not self.running())
        self.check_button.setEnabled(not self.running())

    def _source(self) -> Path | None:
        text = self.path.text().strip()
        if not text:
            self.error.setText(_("Case file: choose the case file to import."))
            self.path.setFocus()
            return None
        path = Path(text).expanduser()
        if save_paths.kind_of(path) != "file":
            self.error.setText(_("Case file: there is no file at {path}.").format(path=path))
            self.path.setFocus()
            return None
        if not self.passphrase.text():
            self.error.setText(_("Case file passphrase: type the passphrase the sender gave you."))
            self.passphrase.setFocus()
            return None
        return path

    def check(self) -> None:
        if self.running():
            return
        self.error.clear()
        self.outcome.clear()
        self.forget()
        path = self._source()
        if path is None:
            return
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.status(_("Opening the case file…"))
        self.run(transfer_ops.preview_case(self.runner, path=path, passphrase=self.passphrase.text())
                 .success(self._previewed).failure(self._failed))

    def _previewed(self, preview: CasePreview) -> None:
        self.stopped()
        self.progress.setVisible(False)
        self.outcome.clear()
        self.preview = preview
        p = preview
        counts = p.counts
        lines = [_("Matter {matter} of client {client}, exported {when} UTC.").format(
            matter=p.matter_ref, client=p.client_ref, when=p.exported_at[:16].replace("T", " ") or "?"),
            ", ".join((
                ngettext("{n} document", "{n} documents", counts["documents"]).format(n=counts["documents"]),
                ngettext("{n} support letter", "{n} support letters", counts["letters"]).format(n=counts["letters"]),
                ngettext("{n} translation link", "{n} translation links", counts["translations"]).format(
                    n=counts["translations"]),
                ngettext("{n} bundle project", "{n} bundle projects", counts["bundles"]).format(n=counts["bundles"])))]
        if p.name_conflicts:
            lines.append(ngettext(
                "{n} name in the file resembles someone in this vault (a possible conflict of interest): "
                "Import shows the matches and asks.",
                "{n} names in the file resemble people in this vault (possible conflicts of interest): "
                "Import shows the matches and asks.", len(p.name_conflicts)).format(n=len(p.name_conflicts)))
        if p.already_here:
            lines.append(ngettext("{n} record is already in this vault, identical: it is reused.",
                                  "{n} records are already in this vault, identical: they are reused.",
                                  p.already_here).format(n=p.already_here))
        self.contents.setText("\n".join(lines))
        conflicts = p.conflicts
        if conflicts:
            self.conflicts.setText("\n".join([
                ngettext("{n} conflict with records already in this vault. Choose what to do, or Cancel to "
                         "import nothing:",
                         "{n} conflicts with records already in this vault. Choose what to do, or Cancel to "
                         "import nothing:", len(conflicts)).format(n=len(conflicts)),
                *("• " + line for line in conflicts)]))
            for button in self.choice_buttons.values():
                button.setVisible(True)
        else:
            self.conflicts.setText(_("No conflict with the records in this vault."))
        self._enable()
        (self.start_button if not conflicts else self.choice_buttons["skip"]).setFocus()

    def start(self) -> None:
        """Import; names like people in this vault are shown first, as the forms show them:
        Go back imports nothing, Save anyway imports (both audited)."""
        path = self._source()
        if path is None or self.preview is None:
            return
        found = self.preview.name_conflicts
        if not found:
            self._start(path, accept=False)
            return
        dialog = ConflictDialog(found, self)
        dialog.save_anyway.connect(lambda: self._start(path, accept=True))
        dialog.went_back.connect(lambda: self._went_back(found))
        self.conflict_dialog = dialog
        dialog.open()

    def _went_back(self, found: tuple[object, ...]) -> None:
        client_ops.went_back(self.runner, conflicts=found).run()  # type: ignore[arg-type]
        self.outcome.setText(_("Nothing was imported: check the similar names first."))

    def _start(self, path: Path, *, accept: bool) -> None:
        self.error.clear()
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.status(_("Importing the case file…"))
        op = transfer_ops.import_case(self.runner, path=path, passphrase=self.passphrase.text(),
                                      on_conflict=self.choice() if self.preview and self.preview.conflicts else None,
                                      accept_conflicts=accept)
        self.run(op.progress(self._progress).success(self._done).failure(self._failed))
        self._enable()

    def _done(self, done: transfer_ops.Imported) -> None:
        self.stopped()
        self.progress.setVisible(False)
        self.passphrase.clear()
        self.preview = None
        self.start_button.setVisible(False)
        self.check_button.setVisible(False)
        self.cancel_button.setText(_("Close"))
        whole = f"matter {done.matter_ref}" not in done.skipped
        lines = []
        for kind in sorted(set(done.created) | set(done.reused)):
            lines.append(_("{kind}: {created} imported, {reused} already here").format(
                kind=_(KINDS[kind]) if kind in KINDS else kind, created=done.created.get(kind, 0),
                reused=done.reused.get(kind, 0)))
        lines += [_("Imported {old} as {new}.").format(old=old, new=new) for old, new in sorted(done.renamed.items())]
        lines += [_("Skipped {item}.").format(item=item) for item in done.skipped]
        if not done.created:
            lines.insert(0, _("Nothing new was imported."))
        self.outcome.setText("\n".join(lines))
        if whole:
            emit(self.imported, done.matter_ref)

    def _failed(self, exc: BaseException) -> None:
        self.stopped()
        self.progress.setVisible(False)
        self.outcome.clear()
        if isinstance(exc, WrongTransferPassphrase):
            self.error.setText(_("Case file passphrase: it does not open this case file, or the file is damaged. "
                                 "Nothing was imported."))
            self.passphrase.selectAll()
            self.passphrase.setFocus()
        elif isinstance(exc, TransferConflicts):  # the vault changed since the check (a sync, say)
            self.check()  # shows the conflicts and the choice, as a first check does
            self.error.setText(_("This vault changed since the file was checked, and some records now conflict. "
                                 "Nothing was imported: choose what to do below, or Cancel."))
            return
        else:
            self.error.setText(describe(exc))
        self._enable()

    def status(self, text: str) -> None:
        self.outcome.setText(text)

    def wipe(self) -> None:
        self.passphrase.clear()
