"""Moving a matter to another vault: export it as a case file (services.transfer).

Export: where to save (a name from the matter's ref, never the client's), the file's own
passphrase typed twice with the strength meter (the rule the command line enforces), then
the work on the vault thread with progress and Cancel; a cancelled export leaves no file.
The import dialog (case_import.py) shares the running-work part. Passphrases go to the
service only, and are wiped from the fields when the dialog closes.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QProgressBar, QWidget

from clinic_app.gui import file_dialogs, save_paths
from clinic_app.gui.dialogs.users_dialog import NewPassphrase, error_label
from clinic_app.gui.operations import transfer as transfer_ops
from clinic_app.gui.presenter import describe
from clinic_app.gui.tasks import Op, TaskRunner
from clinic_app.gui.widgets.dialog_parts import stack, with_browse
from clinic_app.i18n import _, ngettext

EXTENSION = ".havencase"


def file_filter() -> str:
    return _("Haven case files (*.havencase)")


def size_text(size: int) -> str:
    return _("{mb} MB").format(mb=f"{size / 1_000_000:.1f}")


def _bar(name: str) -> QProgressBar:
    bar = QProgressBar()
    bar.setAccessibleName(name)
    bar.setVisible(False)
    return bar


def buddy_label(text: str, field: QWidget) -> QLabel:
    """A form label whose Alt letter (the & in `text`) puts the cursor in `field`."""
    label = QLabel(text)
    label.setBuddy(field)
    return label


def result_label(name: str) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(name)
    return label


class RunningDialog(QDialog):
    """A dialog whose work runs as an Op: Cancel stops the work (and stays), Escape or the lock
    stops it and closes; the passphrase fields are emptied whenever it closes."""

    def __init__(self, runner: TaskRunner, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.op: Op | None = None
        self.progress = _bar("")  # named by each dialog
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.start_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.cancel_or_close)
        self.finished.connect(lambda _r: self.wipe())

    def start(self) -> None:
        raise NotImplementedError

    def wipe(self) -> None:
        raise NotImplementedError

    def running(self) -> bool:
        return self.op is not None and not self.op.done

    def run(self, op: Op) -> None:
        self.op = op
        self.start_button.setEnabled(False)
        op.run()

    def cancel_or_close(self) -> None:
        if self.running():
            assert self.op is not None
            self.op.cancel.cancel()
            self.cancel_button.setEnabled(False)
            self.status(_("Cancelling…"))
        else:
            self.reject()

    def reject(self) -> None:
        if self.running():
            assert self.op is not None
            self.op.cancel.cancel()
        super().reject()

    def status(self, text: str) -> None:
        raise NotImplementedError

    def _progress(self, done: int, total: int, label: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(label)

    def stopped(self) -> None:
        """The work ended (done, failed or cancelled): the buttons work again."""
        self.cancel_button.setEnabled(True)


class ExportCaseDialog(RunningDialog):
    """Matter → Export as a case file…"""

    def __init__(self, runner: TaskRunner, matter_ref: str, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.matter_ref = matter_ref
        self.done_path: Path | None = None
        self.setWindowTitle(_("Export matter {ref} as a case file").format(ref=matter_ref))
        intro = QLabel(_("Write matter {ref}, with its client, documents, support letters and bundle projects, to an "
                         "encrypted case file, to move it to another Haven vault. The file has its own passphrase, "
                         "unrelated to anyone's vault passphrase.").format(ref=matter_ref))
        intro.setWordWrap(True)
        self.path = QLineEdit(str(Path(file_dialogs.documents_folder()) / f"{matter_ref}{EXTENSION}"))
        self.path.setAccessibleName(_("Case file"))
        file_row, _browse = with_browse(self.path, self.choose_file)
        self.new = NewPassphrase()
        self.new.passphrase.setAccessibleName(_("Case file passphrase"))
        self.new.confirm.setAccessibleName(_("Case file passphrase again"))
        form = QFormLayout()
        form.addRow(buddy_label(_("Case &file:"), self.path), file_row)
        form.addRow(buddy_label(_("Case file &passphrase:"), self.new.passphrase), self.new.passphrase)
        form.addRow(buddy_label(_("Passphrase &again:"), self.new.confirm), self.new.confirm)
        form.addRow(_("Strength:"), self.new.meter)
        self.progress.setAccessibleName(_("Export progress"))
        self.outcome = result_label(_("Export result"))
        self.error = error_label()
        self.start_button.setText(_("Export"))
        stack(self, intro, form, self.progress, self.error, self.outcome, self.buttons)
        self.new.passphrase.setFocus()

    def choose_file(self) -> None:
        path = file_dialogs.save_file(self, _("Save the case file as"), self.path.text().strip(), file_filter())
        if path:
            self.path.setText(str(self.target(path)))

    def target(self, text: str) -> Path:
        """The file to write: a folder typed (a USB stick's) gets the suggested name inside it."""
        path = Path(text.strip()).expanduser()
        if save_paths.kind_of(path) == "folder":
            return path / f"{self.matter_ref}{EXTENSION}"
        return path if path.suffix == EXTENSION else path.with_name(path.name + EXTENSION)

    def start(self) -> None:
        self.error.clear()
        self.outcome.clear()
        if not self.path.text().strip():
            self.error.setText(_("Case file: choose where to save the case file."))
            self.path.setFocus()
            return
        if self.new.refused(self.error):
            return
        target = self.target(self.path.text())
        self.path.setText(str(target))
        if save_paths.kind_of(target) is not None:
            self.error.setText(_("Case file: {path} already exists; choose a new file name.").format(path=target))
            self.path.setFocus()
            return
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.status(_("Writing the case file…"))
        op = transfer_ops.export_case(self.runner, matter_ref=self.matter_ref, target=target,
                                      passphrase=self.new.text())
        self.new.clear()  # typed again for another export: nothing keeps it once the work has it
        self.run(op.progress(self._progress).success(self._done).failure(self._failed))

    def status(self, text: str) -> None:
        self.outcome.setText(text)

    def _done(self, done: transfer_ops.Exported) -> None:
        self.stopped()
        self.done_path = done.path
        self.progress.setVisible(False)
        self.start_button.setVisible(False)
        self.cancel_button.setText(_("Close"))
        self.outcome.setText("\n".join((
            ngettext("Exported matter {ref} with {count} document to {path} ({size}).",
                     "Exported matter {ref} with {count} documents to {path} ({size}).", done.documents).format(
                ref=done.matter_ref, count=done.documents, path=done.path, size=size_text(done.size)),
            _("Give the passphrase to the recipient another way than the file (in person or by phone)."))))

    def _failed(self, exc: BaseException) -> None:
        self.stopped()
        self.progress.setVisible(False)
        self.start_button.setEnabled(True)
        self.outcome.clear()
        self.error.setText(describe(exc) + " " + _("No case file was written."))
        self.new.passphrase.setFocus()

    def wipe(self) -> None:
        self.new.clear()
