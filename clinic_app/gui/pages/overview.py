"""A matter at a glance: parties (with public initials), file numbers, key dates, deadlines."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QMenu, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from clinic_app.domain.deadlines.agenda import AgendaItem, describe_days
from clinic_app.domain.display import isolate
from clinic_app.domain.roles import Permission
from clinic_app.gui.context import Context
from clinic_app.gui.operations.records import MatterView
from clinic_app.i18n import _, current_language, ngettext

NUMBER_LABELS = (("uci", "UCI"), ("irb", "IRB"), ("fc", "FC"), ("ircc", "IRCC"))


def overview_html(view: MatterView, today: date) -> str:
    m, c = view.matter, view.client
    rows = [
        (_("Client"), _("{name} (public initials: {initials})").format(
            name=isolate(c.legal_name), initials=isolate(c.initials_for_outputs))),
        (_("Type"), m.type.label),
        (_("Language"), _("French") if m.language.value == "fr" else _("English")),
        (_("Counsel"), isolate(m.counsel) if m.counsel else ""),
    ]
    if m.adverse_parties:
        rows.append((_("Adverse parties"), "; ".join(isolate(p.name) for p in m.adverse_parties)))
    if m.decision_maker is not None:
        rows.append((_("Decision maker"), m.decision_maker.label))
    rows += [(label, getattr(m.file_numbers, key)) for key, label in NUMBER_LABELS if getattr(m.file_numbers, key)]
    rows += [(k.label, d.isoformat()) for k, d in m.dates.known().items()]
    table = "".join(f"<tr><th align='left'>{escape(k)}</th><td>{escape(str(v))}</td></tr>" for k, v in rows if v)
    deadlines = _("Deadlines")
    parts = [f"<h2>{escape(m.title)}</h2><table cellpadding='3'>{table}</table>", f"<h3>{escape(deadlines)}</h3>"]
    if view.deadlines_note:
        parts.append(f"<p>{escape(view.deadlines_note)}</p>")
    elif not view.deadlines:
        parts.append("<p>{}</p>".format(escape(_("No deadlines computed for this matter."))))
    else:
        lines = []
        for d in sorted(view.deadlines, key=lambda d: d.due):
            days = (d.due - today).days
            colour = " style='color:#b00020'" if days < 0 and d.kind == "due" else ""
            when = describe_days(AgendaItem(d, days))
            lines.append(f"<li{colour}>{escape(d.due.isoformat())}: {escape(d.title.get(current_language()))} "
                         f"({escape(when)})</li>")
        parts.append("<ul>" + "".join(lines) + "</ul>")
    docs = view.shown.get("documents", [])
    missing = [x for x in docs if not x.get("pages")]
    letters = len(view.shown.get("letters", []))
    counts = _("{documents}, {letters}.").format(
        documents=ngettext("{count} document", "{count} documents", len(docs)).format(count=len(docs)),
        letters=ngettext("{count} support letter", "{count} support letters", letters).format(count=letters))
    parts.append(f"<p>{escape(counts)}</p>")
    if missing:
        lacking = ngettext("{count} document has no page count yet.", "{count} documents have no page count yet.",
                           len(missing)).format(count=len(missing))
        parts.append(f"<p>{escape(lacking)}</p>")
    return "".join(parts)


class OverviewTab(QWidget):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.view: MatterView | None = None
        self.text = QTextBrowser()
        self.text.setAccessibleName(_("Matter overview"))
        self.edit_matter = QPushButton(_("Edit matter…"))
        self.edit_client = QPushButton(_("Edit client…"))
        self.copy_button = QPushButton(_("Copy a file number"))
        self.copy_menu = QMenu(self)
        self.copy_button.setMenu(self.copy_menu)
        self.edit_matter.clicked.connect(self._edit_matter)
        self.edit_client.clicked.connect(self._edit_client)
        for b in (self.edit_matter, self.edit_client):
            b.setVisible(ctx.can(Permission.EDIT_RECORDS))
        row = QHBoxLayout()
        for b in (self.edit_matter, self.edit_client, self.copy_button):
            row.addWidget(b)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.text)

    def set_view(self, view: MatterView) -> None:
        self.view = view
        # the lines run in the window's direction, not in that of the first name on them
        direction = "rtl" if self.layoutDirection() == Qt.LayoutDirection.RightToLeft else "ltr"
        self.text.setHtml(f"<div dir='{direction}'>{overview_html(view, date.today())}</div>")
        self.copy_menu.clear()
        numbers: list[tuple[str, Any]] = [(label, getattr(view.matter.file_numbers, key))
                                          for key, label in NUMBER_LABELS]
        numbers.append((_("Ref"), view.matter.ref))
        for label, value in numbers:
            if value:
                action = self.copy_menu.addAction(label)
                action.triggered.connect(lambda _c=False, v=value: self._copy(v))

    def _copy(self, value: str) -> None:
        self.ctx.clipboard.copy(value)
        self.ctx.status(_("Copied. The clipboard will be cleared in 20 seconds."))

    def _edit_matter(self) -> None:
        from clinic_app.gui.dialogs.matter_form import MatterForm

        if self.view is not None:
            MatterForm(self.ctx, self.view.matter, parent=self.window()).open()

    def _edit_client(self) -> None:
        from clinic_app.gui.dialogs.client_form import ClientForm

        if self.view is not None:
            ClientForm(self.ctx, self.view.client, self.window()).open()

    def clear(self) -> None:
        self.view = None
        self.text.clear()
        self.copy_menu.clear()

    def has_unsaved(self) -> bool:
        return False

