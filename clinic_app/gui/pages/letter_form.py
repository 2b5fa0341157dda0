"""The support-letter form, built for volunteers entering dozens of letters by keyboard.

Defaults are today's date, English, "requested" and no translation needed; Enter
in any field (or Ctrl+Enter anywhere) saves and opens the next blank letter with
the cursor on the writer. A letter in another language switches its translation
status to "needed" by itself, which is what the rules require anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QCheckBox, QCompleter, QFormLayout, QHBoxLayout, QLabel, QWidget

from clinic_app.domain.common import is_official
from clinic_app.domain.letter import (
    LetterStatus, LetterTheme, SupportLetter, TranslationStatus, WriterStatus, status_choices, theme_label,
)
from clinic_app.domain.roles import Permission
from clinic_app.gui.widgets.fields import choice, join_list, keep_hidden, line, parse_date, show_date, split_list
from clinic_app.i18n import N_, _
from clinic_app.gui.qtcompat import emit

WRITER_STATUS_LABELS = {
    WriterStatus.CITIZEN: N_("Citizen"), WriterStatus.PERMANENT_RESIDENT: N_("Permanent resident"),
    WriterStatus.PROTECTED_PERSON: N_("Protected person"), WriterStatus.REFUGEE_CLAIMANT: N_("Refugee claimant"),
    WriterStatus.TEMPORARY_RESIDENT: N_("Temporary resident"), WriterStatus.OTHER: N_("Other"),
    WriterStatus.UNKNOWN: N_("Unknown"),
}
TRANSLATION_LABELS = {
    TranslationStatus.NOT_NEEDED: N_("Not needed"), TranslationStatus.NEEDED: N_("Needed"),
    TranslationStatus.IN_PROGRESS: N_("In progress"), TranslationStatus.DONE: N_("Done"),
}


class LetterForm(QWidget):
    submitted = Signal()

    def __init__(self, ask_matter: bool, parent: QWidget | None = None,
                 may: Callable[[Permission], bool] | None = None) -> None:
        super().__init__(parent)
        self.may = may or (lambda _permission: True)  # the role's permissions: which statuses to offer
        self.editing: SupportLetter | None = None
        self.dirty = False
        self.matter = line(name=_("Matter ref"), placeholder="m-001")
        self.writer = line(name=_("Writer"))
        self.relationship = line(name=_("Relationship to the client"))
        self.organisation = line(name=_("Organisation"))
        self.writer_status = choice([(s.value, _(WRITER_STATUS_LABELS[s])) for s in WriterStatus],
                                    name=_("Writer's status in Canada"), current=WriterStatus.UNKNOWN.value)
        self.contact = line(name=_("Contact"))
        self.letter_date = line(name=_("Date of the letter"), placeholder="YYYY-MM-DD")
        self.language = line(name=_("Language"), placeholder="en, fr, es…")
        self.translation = choice([(s.value, _(TRANSLATION_LABELS[s])) for s in TranslationStatus],
                                  name=_("Translation"))
        self.signed = QCheckBox(_("Signed"))
        self.id_copy = QCheckBox(_("ID copy attached"))
        self.themes = line(name=_("Themes"), placeholder="; ".join(theme_label(t.value) for t in LetterTheme))
        self.quote = line(name=_("Key quote"))
        self.status = choice([], name=_("Status"))
        self.mode = QLabel()
        checks = QHBoxLayout()
        checks.addWidget(self.signed)
        checks.addWidget(self.id_copy)
        checks.addStretch(1)
        form = QFormLayout(self)
        form.addRow(self.mode)
        if ask_matter:
            form.addRow(_("Matter:"), self.matter)
        else:
            keep_hidden(self.matter, self)
        for label, widget in ((_("Writer:"), self.writer), (_("Relationship:"), self.relationship),
                              (_("Organisation:"), self.organisation), (_("Writer's status:"), self.writer_status),
                              (_("Contact:"), self.contact), (_("Date:"), self.letter_date),
                              (_("Language:"), self.language), (_("Translation:"), self.translation)):
            form.addRow(label, widget)
        form.addRow("", checks)
        for label, widget in ((_("Themes:"), self.themes), (_("Key quote:"), self.quote), (_("Status:"), self.status)):
            form.addRow(label, widget)
        self.fields: list[QWidget] = [self.matter, self.writer, self.relationship, self.organisation,
                                      self.writer_status, self.contact, self.letter_date, self.language,
                                      self.translation, self.signed, self.id_copy, self.themes, self.quote,
                                      self.status]
        for w in self.fields:
            w.installEventFilter(self)
            signal = getattr(w, "textChanged", None) or getattr(w, "currentIndexChanged", None) or w.toggled
            signal.connect(self._mark_dirty)
        self.language.editingFinished.connect(self._language_rule)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.submit)
        self.reset()

    def set_matter_choices(self, refs: list[str]) -> None:
        self.matter.setCompleter(QCompleter(sorted(set(refs)), self.matter))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            popup = getattr(watched, "completer", lambda: None)()
            if popup is not None and popup.popup() is not None and popup.popup().isVisible():
                return False
            self.submit()
            return True
        return False

    def submit(self) -> None:
        self._language_rule()
        emit(self.submitted)

    def _mark_dirty(self, *_args: object) -> None:
        self.dirty = True

    def _language_rule(self) -> None:
        code = self.language.text().strip().lower()
        if code and not is_official(code) and self.translation.currentData() == TranslationStatus.NOT_NEEDED.value:
            self.translation.setCurrentIndex(self.translation.findData(TranslationStatus.NEEDED.value))

    def reset(self, keep_matter: bool = True) -> None:
        """A blank letter with the defaults, cursor on the writer."""
        self.editing = None
        matter = self.matter.text() if keep_matter else ""
        for edit in (self.matter, self.writer, self.relationship, self.organisation, self.contact, self.themes,
                     self.quote):
            edit.clear()
        self.matter.setText(matter)
        self.letter_date.setText(date.today().isoformat())
        self.language.setText("en")
        for combo, value in ((self.writer_status, WriterStatus.UNKNOWN), (self.translation,
                             TranslationStatus.NOT_NEEDED)):
            combo.setCurrentIndex(combo.findData(value.value))
        self.offer_statuses(None, LetterStatus.REQUESTED)
        self.signed.setChecked(False)
        self.id_copy.setChecked(False)
        self.mode.setText(_("New letter"))
        self.dirty = False
        (self.matter if self.matter.isVisible() and not matter else self.writer).setFocus()

    def load(self, letter: SupportLetter) -> None:
        self.reset()
        self.editing = letter
        self.matter.setText(letter.matter_ref)
        for edit, value in ((self.writer, letter.writer), (self.relationship, letter.relationship),
                            (self.organisation, letter.organisation), (self.contact, letter.contact),
                            (self.letter_date, show_date(letter.letter_date)), (self.language, letter.language),
                            (self.themes, join_list([theme_label(t) for t in letter.themes])),
                            (self.quote, letter.key_quote)):
            edit.setText(value)
        for combo, value in ((self.writer_status, letter.writer_status), (self.translation,
                             letter.translation_status)):
            combo.setCurrentIndex(combo.findData(value.value))
        self.offer_statuses(letter.status, letter.status)
        self.signed.setChecked(letter.signed)
        self.id_copy.setChecked(letter.id_copy_attached)
        self.mode.setText(_("Editing letter {ref}").format(ref=letter.ref))
        self.dirty = False
        self.writer.setFocus()

    def offer_statuses(self, current: LetterStatus | None, selected: LetterStatus) -> None:
        """Offer only the statuses this person may set: a volunteer requests and receives
        letters, staff and lawyers review them, lawyers mark them ready to file, one step
        at a time (the service refuses anything else too)."""
        allowed = status_choices(current, self.may) or ([current] if current else [])
        self.status.blockSignals(True)
        self.status.clear()
        for s in allowed:
            self.status.addItem(s.label, s.value)
        self.status.setCurrentIndex(max(0, self.status.findData(selected.value)))
        self.status.blockSignals(False)
        self.status.setEnabled(len(allowed) > 1)

    def record(self, matter_ref: str) -> SupportLetter:
        """The letter as typed (raises ValidationError naming the field)."""
        return SupportLetter(
            ref=self.editing.ref if self.editing else "new", matter_ref=matter_ref or self.matter.text().strip(),
            writer=self.writer.text(), relationship=self.relationship.text(), organisation=self.organisation.text(),
            writer_status=WriterStatus(self.writer_status.currentData()), contact=self.contact.text(),
            letter_date=parse_date(self.letter_date.text(), "date"), language=self.language.text() or "en",
            signed=self.signed.isChecked(), id_copy_attached=self.id_copy.isChecked(),
            translation_status=TranslationStatus(self.translation.currentData()),
            themes=split_list(self.themes.text().replace(",", ";")), key_quote=self.quote.text(),
            status=LetterStatus(self.status.currentData()),
            document_ref=self.editing.document_ref if self.editing else None,
            id=self.editing.id if self.editing else None,
        )

    def focus_field(self, field: str) -> None:
        widget = {"writer": self.writer, "date": self.letter_date, "language": self.language,
                  "translation_status": self.translation, "status": self.status, "matter": self.matter,
                  "themes": self.themes, "key_quote": self.quote, "contact": self.contact}.get(field.split(".")[0])
        (widget or self.writer).setFocus()
