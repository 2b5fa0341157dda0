"""A bundle's settings (title, language, date, paper, numbering, separator pages, header,
section prefixes, volume limits, first page number, the stamps' margin) and a tab's
details (title, date, and the citation of a reference-only entry).

Neither dialog touches the vault: each makes an edited copy of the spec, checked with the
domain's rules, and the bundles page keeps it as an unsaved edit until "Save". A problem
is shown in the dialog, with the cursor in the field at fault.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QCheckBox, QDialog, QFormLayout, QLabel, QWidget

from clinic_app.domain.bundle import BundleSpec, BundleSpecError, validate_spec
from clinic_app.errors import ValidationError
from clinic_app.gui.widgets.dialog_parts import dialog_buttons, stack
from clinic_app.gui.widgets.fields import choice, keep_hidden, line, parse_date, show_date
from clinic_app.i18n import _

# settings the dialog edits: a domain error on another field (a tab's) is not this dialog's to show
_OWN_FIELDS = ("title", "language", "date", "paper", "front_matter_numbering", "max_pages", "max_mb",
               "first_page_number", "margin_mm")


def plain_message(exc: ValidationError) -> str:
    """The message without the "item field:" prefix (the field names are the code's, not words)."""
    text = str(exc)
    prefix = " ".join(p for p in (exc.item, exc.field) if p)
    return text[len(prefix) + 2:] if prefix and text.startswith(prefix + ": ") else text


def _error_label(name: str) -> QLabel:
    label = QLabel()
    label.setStyleSheet("color: #b00020;")
    label.setWordWrap(True)
    label.setAccessibleName(name)
    return label


def _decimal(text: str, field: str) -> float | None:
    """"" -> None (no limit); "2,5" is read as 2.5."""
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise ValidationError(_("{value} is not a number.").format(value=text[:20]), field=field) from None


def _whole(text: str, field: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise ValidationError(_("{value} is not a whole number.").format(value=text[:20]), field=field) from None


class BundleSettingsDialog(QDialog):
    def __init__(self, spec: BundleSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.original = spec
        self.edited: BundleSpec | None = None
        st = spec.settings
        self.setWindowTitle(_("Bundle settings"))
        self.title = line(spec.title, name=_("Title of the bundle"))
        self.language = choice([("en", _("English")), ("fr", _("French"))], name=_("Language of the bundle"),
                               current=spec.language)
        self.date = line(show_date(spec.date), name=_("Date on the cover"),
                         placeholder=_("YYYY-MM-DD, or empty for the day it is built"))
        self.paper = choice([("letter", _("Letter (8.5 × 11 in)")), ("a4", _("A4 (210 × 297 mm)")),
                             ("legal", _("Legal (8.5 × 14 in)"))],
                            name=_("Paper size"), current=st.paper)
        self.front_matter = choice([("none", _("No page numbers")), ("roman", _("Roman numerals (i, ii, iii)")),
                                    ("arabic", _("Counted from 1, like every other page (court records)"))],
                                   name=_("Page numbers of the cover and index"), current=st.front_matter_numbering)
        self.exhibit_marks = choice([("letters", _("Letters (A, B, C)")), ("numbers", _("Numbers (1, 2, 3)"))],
                                    name=_("Marks of exhibits to an affidavit"), current=st.exhibit_marks)
        self.index_heading = choice([("index", _("Index")), ("contents", _("Table of contents"))],
                                    name=_("Heading of the list of documents"), current=st.index_heading)
        self.separator_pages = QCheckBox(_("A separator &page before each tab"))
        self.separator_pages.setChecked(st.separator_pages)
        self.number_separators = QCheckBox(_("&Number the separator pages"))
        self.number_separators.setChecked(st.number_separator_pages)
        self.separator_pages.toggled.connect(self.number_separators.setEnabled)
        self.number_separators.setEnabled(st.separator_pages)
        self.header = QCheckBox(_("&Header with the tab and file number on each page"))
        self.header.setChecked(st.header)
        self.section_prefixes = QCheckBox(_("Section &prefixes in tab numbers (A-1, B-3)"))
        self.section_prefixes.setChecked(st.section_prefixes)
        self.max_pages = line("" if st.max_pages is None else str(st.max_pages), name=_("Page limit per volume"),
                              placeholder=_("no limit"))
        self.max_mb = line("" if st.max_mb is None else f"{st.max_mb:g}", name=_("Size limit per volume in MB"),
                           placeholder=_("no limit"))
        self.first_page = line(str(st.first_page_number), name=_("First page number"))
        self.margin = line(f"{st.margin_mm:g}", name=_("Margin for the stamps in mm"))
        self.margin.setToolTip(_("Clear space kept at every edge of each document page for the header and the "
                                 "page number. Pages are shrunk evenly to fit inside it."))
        self.error = _error_label(_("Problem with the bundle settings"))
        form = QFormLayout()
        form.addRow(_("&Title:"), self.title)
        form.addRow(_("&Language:"), self.language)
        form.addRow(_("&Date:"), self.date)
        form.addRow(_("Pape&r:"), self.paper)
        form.addRow(_("&Front matter numbering:"), self.front_matter)
        form.addRow(_("E&xhibit marks:"), self.exhibit_marks)
        form.addRow(_("Heading of the &list:"), self.index_heading)
        for box in (self.separator_pages, self.number_separators, self.header, self.section_prefixes):
            form.addRow(box)
        form.addRow(_("Page li&mit per volume:"), self.max_pages)
        form.addRow(_("Si&ze limit per volume (MB):"), self.max_mb)
        form.addRow(_("First page n&umber:"), self.first_page)
        form.addRow(_("Mar&gin for the stamps (mm):"), self.margin)
        self.buttons = dialog_buttons(self, self.apply)
        stack(self, form, self.error, self.buttons)
        self.title.setFocus()

    def spec(self) -> BundleSpec:
        """The edited copy, or ValidationError naming the field at fault."""
        spec = copy.deepcopy(self.original)
        first_page = _whole(self.first_page.text(), "first_page_number")
        margin = _decimal(self.margin.text(), "margin_mm")
        settings = dataclasses.replace(
            spec.settings, paper=self.paper.currentData(), front_matter_numbering=self.front_matter.currentData(),
            separator_pages=self.separator_pages.isChecked(), number_separator_pages=self.number_separators.isChecked(),
            header=self.header.isChecked(), section_prefixes=self.section_prefixes.isChecked(),
            max_pages=_whole(self.max_pages.text(), "max_pages"), max_mb=_decimal(self.max_mb.text(), "max_mb"),
            first_page_number=spec.settings.first_page_number if first_page is None else first_page,
            margin_mm=spec.settings.margin_mm if margin is None else margin,
            exhibit_marks=self.exhibit_marks.currentData(), index_heading=self.index_heading.currentData())
        spec = dataclasses.replace(spec, title=self.title.text().strip(), language=self.language.currentData(),
                                   date=parse_date(self.date.text(), "date"), settings=settings)
        try:
            validate_spec(spec)
        except BundleSpecError as exc:
            if exc.field in _OWN_FIELDS and not exc.item:
                raise
        return spec

    def apply(self) -> BundleSpec | None:
        try:
            self.edited = self.spec()
        except ValidationError as exc:
            self.error.setText(plain_message(exc))
            self._focus(exc.field)
            return None
        self.error.clear()
        self.accept()
        return self.edited

    def _focus(self, name: str) -> None:
        widget = {"title": self.title, "language": self.language, "date": self.date, "paper": self.paper,
                  "front_matter_numbering": self.front_matter, "max_pages": self.max_pages, "max_mb": self.max_mb,
                  "first_page_number": self.first_page, "margin_mm": self.margin}.get(name)
        if widget is not None:
            widget.setFocus()


class TabDetailsDialog(QDialog):
    """A tab's title and date; for a reference-only entry also its citation. `apply` checks
    the values with the caller's edit (`check(title, date, citation)` returns the new spec
    or raises the domain error), so the rule lives in one place."""

    def __init__(self, title: str, when: date | None, citation: str | None, parent: QWidget | None = None, *,
                 window_title: str = "") -> None:
        super().__init__(parent)
        self.result_spec: BundleSpec | None = None
        self.check: Callable[[str, date | None, str], BundleSpec] | None = None  # set by the caller
        self.setWindowTitle(window_title or _("Tab details"))
        self.title = line(title, name=_("Title of the tab"))
        self.date = line(show_date(when), name=_("Date of the tab"), placeholder=_("YYYY-MM-DD, or empty"))
        self.citation = line(citation or "", name=_("Citation of the document the tribunal already holds"),
                             placeholder=_("e.g. NDP item 7.3"))
        self.error = _error_label(_("Problem with the tab details"))
        form = QFormLayout()
        form.addRow(_("&Title:"), self.title)
        form.addRow(_("&Date:"), self.date)
        if citation is not None:
            form.addRow(_("&Citation:"), self.citation)
        else:
            keep_hidden(self.citation, self)
        self.buttons = dialog_buttons(self, self.apply)
        stack(self, form, self.error, self.buttons)
        (self.citation if citation is not None and not title else self.title).setFocus()

    def apply(self) -> BundleSpec | None:
        try:
            when = parse_date(self.date.text(), "date")
            assert self.check is not None
            self.result_spec = self.check(self.title.text(), when, self.citation.text())
        except ValidationError as exc:
            self.error.setText(plain_message(exc))
            {"date": self.date, "reference": self.citation}.get(exc.field, self.title).setFocus()
            return None
        self.error.clear()
        self.accept()
        return self.result_spec
