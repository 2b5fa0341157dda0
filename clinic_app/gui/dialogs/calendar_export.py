"""Exporting deadlines to a calendar file (.ics): File → Export deadlines to a calendar…, the
home page's agenda, and a matter's Deadlines tab (that matter's only).

The same service as `clinic-app deadlines [MATTER] --ics FILE [--ics-with-refs]`. Events
carry the rule's title and citation only; matter refs in the titles are an export and are
offered only to someone with the export permission. The suggested file name names no
client and no matter. The file is written on the vault thread; the dialog says why a place
was refused (a folder that is gone, a read-only drive, a vault's folder) and stays open.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QFormLayout, QLabel, QLineEdit, QWidget

from clinic_app.domain.roles import Permission
from clinic_app.gui import save_paths
from clinic_app.gui.context import Context
from clinic_app.gui.dialogs.users_dialog import confirm, error_label
from clinic_app.gui.operations import deadlines as deadline_ops
from clinic_app.gui.presenter import describe
from clinic_app.gui.widgets.dialog_parts import dialog_buttons, stack, with_browse
from clinic_app.i18n import _, current_language, ngettext

DEFAULT_NAME = "haven-deadlines.ics"
LANGUAGES = (("en", "English"), ("fr", "Français"))  # each in its own language, as Settings lists them


def calendar_filter() -> str:
    return _("Calendar files (*.ics)")


def written_text(count: int, path: Path) -> str:
    return ngettext("{count} event written to {path}.", "{count} events written to {path}.", count).format(
        count=count, path=path)


class CalendarExportDialog(QDialog):
    def __init__(self, ctx: Context, matter_ref: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.matter_ref = ctx, matter_ref
        self.written: Path | None = None
        self.replace_ok: Path | None = None  # the Choose… dialog already asked about this existing file
        self.setWindowTitle(_("Export deadlines to a calendar"))
        scope = _("The open deadlines of matter {ref} only.").format(ref=matter_ref) if matter_ref else \
            _("The open deadlines of every matter.")
        intro = QLabel(scope + "\n" + _(
            "A calendar file (.ics) can be imported by Outlook, Google Calendar, Apple Calendar or Thunderbird. "
            "Each event has the rule's title, date and citation and a reminder two days before, and no client "
            "name. Importing a newer file updates the events."))
        intro.setWordWrap(True)
        self.path = QLineEdit(str(save_paths.start_folder() / DEFAULT_NAME))
        self.path.setAccessibleName(_("Calendar file"))
        file_row, self.browse = with_browse(self.path, self.choose_file)
        self.refs = QCheckBox(_("Put matter &refs in event titles (an export: needs the export permission)"))
        self.refs.setVisible(ctx.can(Permission.EXPORT))
        self.refs.setEnabled(ctx.can(Permission.EXPORT))
        self.language = QComboBox()
        self.language.setAccessibleName(_("Language of the events"))
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(current_language())))
        self.error = error_label()
        form = QFormLayout()
        save_label = QLabel(_("&Save to:"))
        save_label.setBuddy(self.path)
        form.addRow(save_label, file_row)
        language_label = QLabel(_("&Language of the events:"))
        language_label.setBuddy(self.language)
        form.addRow(language_label, self.language)
        self.buttons = dialog_buttons(self, self.start, ok_text=_("&Export"))
        stack(self, intro, form, self.refs, self.error, self.buttons)
        self.resize(620, 280)

    def choose_file(self) -> None:
        chosen = save_paths.ask_save_path(self, _("Save the calendar as"), DEFAULT_NAME, calendar_filter())
        if chosen is not None:
            chosen = chosen if chosen.suffix else chosen.with_suffix(".ics")
            self.replace_ok = chosen
            self.path.setText(str(chosen))

    def start(self) -> None:
        text = self.path.text().strip()
        if not text:
            self.error.setText(_("Calendar file: choose where to save the calendar."))
            self.path.setFocus()
            return
        target = Path(text).expanduser()
        self.error.clear()
        if save_paths.kind_of(target) == "file" and target != self.replace_ok and not confirm(
                self, _("Replace the file?"), _("{path} already exists. Replace it with the calendar?").format(
                    path=target), _("&Replace")):
            self.path.setFocus()
            return
        self.buttons.setEnabled(False)
        deadline_ops.export_calendar(self.ctx.runner, target=target, lang=str(self.language.currentData()),
                                     with_refs=self.ctx.can(Permission.EXPORT) and self.refs.isChecked(),
                                     matter_ref=self.matter_ref) \
            .success(lambda count: self._done(count, target)).failure(self._failed).run()

    def _done(self, count: int, target: Path) -> None:
        self.written = target
        self.ctx.status(written_text(count, target))
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(describe(exc))
