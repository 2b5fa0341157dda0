"""Importing a case manifest (docs/manifest.md): File → Import a case manifest…

The same service as `clinic-app import MANIFEST [--accept-conflicts]`, run on the vault
thread with a progress bar and Cancel. All or nothing: a problem anywhere, a cancel or a
refused file imports nothing. Problems are listed one a line (item and field as the
manifest writes them, so the person can find and fix them, and copy the list). New
names like someone already in the vault are asked about as the client form does
(Go back / Save anyway); only "Save anyway" imports them. The summary is the CLI's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QProgressBar, QWidget,
)

from clinic_app.errors import Cancelled, ValidationError
from clinic_app.gui import file_dialogs, save_paths
from clinic_app.gui.dialogs.conflicts import checked_save
from clinic_app.gui.operations import manifest as manifest_ops
from clinic_app.gui.presenter import describe
from clinic_app.gui.tasks import Op, TaskRunner
from clinic_app.gui.widgets.dialog_parts import stack, with_browse
from clinic_app.i18n import _, ngettext


def manifest_filter() -> str:
    return _("Case manifests (*.yaml *.yml *.json)")


def problem_lines(exc: BaseException) -> list[str]:
    """Each problem on a line of its own: "clients[0] (ref c-1) birth_date: not a date…"."""
    problems = getattr(exc, "errors", None) or ([exc] if isinstance(exc, ValidationError) else [])
    if problems:
        header = ngettext("The manifest has {count} problem; nothing was imported.",
                          "The manifest has {count} problems; nothing was imported.",
                          len(problems)).format(count=len(problems))
        return [header, *(f"- {p}" for p in problems)]
    return [describe(exc)]


def summary_lines(summary: Any) -> list[str]:
    """What `clinic-app import` prints at the end: counts per kind, files already stored,
    likely duplicates, and any names imported despite the conflict check."""
    lines = []
    if summary.conflicts:
        lines.append(_("Imported despite the conflict check (your decision was recorded in the audit log):"))
        lines += ["- " + _("{name}: like {other} ({whose}; {why})").format(
            name=c.name, other=m.person.name, whose=m.whose(), why=m.reason.label)
            for c in summary.conflicts for m in c.matches]
    return lines + summary.lines()


class ManifestImportDialog(QDialog):
    def __init__(self, runner: TaskRunner, status: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner, self.status = runner, status
        self.op: Op | None = None
        self.summary: Any = None
        self.setWindowTitle(_("Import a case manifest"))
        intro = QLabel(_("A case manifest is a YAML or JSON file that describes clients, matters, documents, "
                         "support letters and bundles (see the user guide). Haven checks all of it first: if "
                         "anything is wrong, nothing is imported. Importing again updates records, never "
                         "duplicates them."))
        intro.setWordWrap(True)
        self.path = QLineEdit()
        self.path.setAccessibleName(_("Manifest file"))
        self.path.textChanged.connect(lambda _t: self._another_file())
        file_row, self.browse = with_browse(self.path, self.choose_file)
        form = QFormLayout()
        path_label = QLabel(_("&Manifest:"))
        path_label.setBuddy(self.path)
        form.addRow(path_label, file_row)
        self.progress = QProgressBar()
        self.progress.setAccessibleName(_("Import progress"))
        self.progress.setVisible(False)
        self.report_label = QLabel()
        self.report = QPlainTextEdit()  # problems or the summary: read, select and copy
        self.report.setReadOnly(True)
        self.report.setAccessibleName(_("Import result"))
        self.report_label.setBuddy(self.report)
        self.report.setVisible(False)
        self.report_label.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText(_("&Import"))
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.cancel_pressed)
        stack(self, intro, form, self.progress, self.report_label, self.report, self.buttons)
        self.finished.connect(lambda _r: self.report.clear())  # no names left in a closed dialog
        self.resize(680, 420)

    def choose_file(self) -> None:
        path = file_dialogs.open_file(self, _("Choose the case manifest"), str(save_paths.start_folder()),
                                      manifest_filter())
        if path:
            self.path.setText(path)

    def _another_file(self) -> None:
        """After an import, another manifest chosen can be imported from here too."""
        if self.summary is not None and not self.running:
            self.summary = None
            self._busy(False)

    @property
    def running(self) -> bool:
        return self.op is not None and not self.op.done

    def start(self) -> None:
        if self.running:
            return
        text = self.path.text().strip()
        if not text:
            self._show(_("Problems"), [_("Manifest: choose the manifest file to import.")])
            self.path.setFocus()
            return
        path = Path(text).expanduser()
        self._busy(True)
        self._show("", [])
        checked_save(self, self.runner, lambda accept: self._op(path, accept), self._done, self._failed,
                     self._went_back)

    def _op(self, path: Path, accept: bool) -> Op:
        self._busy(True)
        self.op = manifest_ops.import_manifest(self.runner, path=path, accept_conflicts=accept) \
            .progress(self._progress)
        return self.op

    def _busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        if busy:
            self.progress.setRange(0, 0)
            self.progress.setFormat(_("Checking the manifest…"))
        for w in (self.import_button, self.path, self.browse):
            w.setEnabled(not busy)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText(_("Cancel") if busy or self.summary is None else _("Close"))

    def _progress(self, done: int, total: int, label: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(label)
        self.progress.setAccessibleDescription(label)

    def _show(self, heading: str, lines: list[str]) -> None:
        self.report_label.setText(heading)
        self.report.setPlainText("\n".join(lines))
        for w in (self.report_label, self.report):
            w.setVisible(bool(lines))

    def _done(self, imported: Any) -> None:
        self.summary = imported.summary
        self._busy(False)
        self.import_button.setEnabled(False)  # done: the same file again would only update
        self.cancel_button.setText(_("Close"))
        self._show(_("Imported"), summary_lines(imported.summary))
        self.status(_("Case manifest imported."))

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        if isinstance(exc, Cancelled):
            self._show(_("Cancelled"), [_("The import was cancelled: nothing was imported.")])
        else:
            self._show(_("Problems"), problem_lines(exc))

    def _went_back(self) -> None:
        self._busy(False)
        self._show(_("Not imported"), [_("Nothing was imported: check the similar names (a possible conflict "
                                         "of interest), then import again or cancel.")])

    def cancel_pressed(self) -> None:
        """Cancel while importing stops the import (nothing is imported) and the dialog stays
        open to say so; otherwise it closes."""
        if self.running:
            self.op.cancel.cancel()  # type: ignore[union-attr]
            self.progress.setFormat(_("Stopping…"))
            self.cancel_button.setEnabled(False)
            return
        self.reject()

    def reject(self) -> None:  # Esc, or the window's close button: a running import is stopped
        if self.running:
            self.op.cancel.cancel()  # type: ignore[union-attr]
        super().reject()

    def hide_for_lock(self) -> None:
        """At lock the dialog closes but the import carries on: the lock waits for it on the vault
        thread (gui/tasks.py), as it waits for any write queued before it."""
        super().reject()
