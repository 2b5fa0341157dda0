"""Add or edit one entry of a matter's correspondence log: date, sent or received, with whom,
the subject, the document that proves it, and a note."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QWidget

from clinic_app.domain.correspondence import CorrespondenceEntry, Direction, new_entry_key
from clinic_app.errors import HavenError, ValidationError
from clinic_app.gui.presenter import describe
from clinic_app.gui.widgets.dialog_parts import dialog_buttons, stack
from clinic_app.gui.widgets.fields import choice, line, parse_date, show_date
from clinic_app.i18n import _


def field_labels() -> dict[str, str]:
    """The fields as the dialog labels them, for error messages."""
    return {"date": _("Date"), "direction": _("Sent or received"), "party": _("With"), "subject": _("Subject"),
            "document": _("Document"), "note": _("Note")}


class CorrespondenceDialog(QDialog):
    def __init__(self, documents: list[dict[str, Any]], entry: CorrespondenceEntry | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.before = entry
        self.result_entry: CorrespondenceEntry | None = None
        self.setWindowTitle(_("Edit correspondence") if entry else _("New correspondence"))
        self.date = line(show_date(entry.day) if entry else "", name=_("Date"), placeholder="YYYY-MM-DD")
        self.direction = choice([(d.value, d.label) for d in Direction], name=_("Sent or received"),
                                current=entry.direction.value if entry else Direction.SENT.value)
        self.party = line(entry.party if entry else "", name=_("With"),
                          placeholder=_("e.g. IRCC Case Processing Centre"))
        self.subject = line(entry.subject if entry else "", name=_("Subject"))
        docs = [("", _("(no document)"))] + [(d["ref"], f"{d['title']} ({d['ref']})") for d in documents]
        self.document = choice(docs, name=_("Document"), current=(entry.document_ref or "") if entry else "")
        self.note = line(entry.note if entry else "", name=_("Note"))
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("&Date:"), self.date)
        form.addRow(_("&Sent or received:"), self.direction)
        form.addRow(_("&With:"), self.party)
        form.addRow(_("Su&bject:"), self.subject)
        form.addRow(_("D&ocument:"), self.document)
        form.addRow(_("&Note:"), self.note)
        self.buttons = dialog_buttons(self, self.apply)
        stack(self, form, self.error, self.buttons)

    def apply(self) -> CorrespondenceEntry | None:
        try:
            day = parse_date(self.date.text(), "date")
            if day is None:
                raise ValidationError(_("is required"), field="date")
            self.result_entry = CorrespondenceEntry(
                self.before.entry if self.before else new_entry_key(), day, self.direction.currentData(),
                self.party.text(), self.subject.text(), self.document.currentData() or None, self.note.text())
        except HavenError as exc:
            self.error.setText(describe(exc, field_labels()))
            return None
        self.error.clear()
        self.accept()
        return self.result_entry
