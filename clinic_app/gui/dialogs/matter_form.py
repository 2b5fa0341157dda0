"""Add or edit a matter: client, type, title, language, file numbers, key dates, and what its
deadlines count from beyond them: the dates of steps taken (leave filed, record served...) and
the options of rules that depend on the matter's circumstances (a claim made inland). Which
steps and options a type has comes from the rules in force, read off the GUI thread; the form
shows only the current type's, and a step date already entered always."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from typing import Any

from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLabel, QWidget

from clinic_app.domain.identifiers import FileNumbers
from clinic_app.domain.matter import (
    AdverseParty,
    DecisionMaker,
    KeyDate,
    KeyDates,
    Matter,
    MatterStatus,
    MatterType,
    ProceedingLanguage,
)
from clinic_app.errors import HavenError
from clinic_app.gui.context import Context
from clinic_app.gui.dialogs.conflicts import checked_save, not_saved_text
from clinic_app.gui.operations import clients as client_ops
from clinic_app.gui.operations import deadlines as deadline_ops
from clinic_app.gui.operations import records as record_ops
from clinic_app.gui.presenter import describe
from clinic_app.gui.undo import ServiceEdit
from clinic_app.gui.widgets.dialog_parts import dialog_buttons, stack
from clinic_app.gui.widgets.fields import (
    choice, clear_texts, join_list, line, parse_date, show_date, split_list,
)
from clinic_app.i18n import _, current_language

if TYPE_CHECKING:
    from clinic_app.services.conflict_check import CheckedSave


class MatterForm(QDialog):
    def __init__(self, ctx: Context, matter: Matter | None = None, client_ref: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.before = ctx, matter
        self.saved_ref = ""
        self.setWindowTitle(_("Edit matter") if matter else _("New matter"))
        m = matter
        self.client = QComboBox()
        self.client.setAccessibleName(_("Client"))
        self._wanted_client = m.client_ref if m else client_ref
        self.type = choice([(t.value, t.label) for t in MatterType], name=_("Type"),
                           current=m.type.value if m else MatterType.RPD_CLAIM.value)
        self.title = line(m.title if m else "", name=_("Title"))
        self.language = choice([("en", _("English")), ("fr", _("French"))], name=_("Language of the proceeding"),
                               current=m.language.value if m else "en")
        self.status = choice([(MatterStatus.OPEN.value, _("Open")), (MatterStatus.CLOSED.value, _("Closed"))],
                             name=_("Status"), current=m.status.value if m else "open")
        self.counsel = line(m.counsel if m else "", name=_("Counsel"))
        self.decision_maker = choice([("", _("Not recorded"))] + [(d.value, d.label) for d in DecisionMaker],
                                     name=_("Decision maker"),
                                     current=m.decision_maker.value if m and m.decision_maker else "")
        self.decision_maker.setToolTip(_("Who made (or has not made) the decision: it decides which Minister is "
                                         "the respondent in the Federal Court (IMM Rules r. 5(2))."))
        self.adverse = line(join_list([p.name for p in m.adverse_parties]) if m else "", name=_("Adverse parties"),
                            placeholder=_("separate names with ;"))
        numbers = m.file_numbers if m else FileNumbers()
        self.numbers = {key: line(getattr(numbers, key) or "", name=label, placeholder=hint) for key, label, hint in (
            ("uci", _("UCI"), "0000-0000"), ("irb", _("IRB file"), "TB1-12345"),
            ("fc", _("Federal Court file"), "IMM-5360-23"), ("ircc", _("IRCC application"), "W993830598"))}
        dates = m.dates if m else KeyDates()
        self.dates = {k: line(show_date(dates.get(k)), name=k.label, placeholder="YYYY-MM-DD") for k in KeyDate}
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Client:"), self.client)
        form.addRow(_("Type:"), self.type)
        form.addRow(_("Title:"), self.title)
        form.addRow(_("Language:"), self.language)
        form.addRow(_("Status:"), self.status)
        form.addRow(_("Counsel:"), self.counsel)
        form.addRow(_("Decision maker:"), self.decision_maker)
        form.addRow(_("Adverse parties:"), self.adverse)
        for edit in self.numbers.values():
            form.addRow(edit.accessibleName() + ":", edit)
        for key, edit in self.dates.items():
            form.addRow(key.label + ":", edit)
            if key.is_step:  # until the rules say which steps this type counts from
                form.setRowVisible(edit, bool(edit.text()))
        self.form = form
        self.options: dict[str, QComboBox] = {}
        self.fields_by_type: dict[str, Any] | None = None  # matter type -> services TimingFields
        self.options_heading = QLabel(_("Deadline options: the case that applies to this matter"))
        self.options_heading.setWordWrap(True)
        form.addRow(self.options_heading)
        form.setRowVisible(self.options_heading, False)
        self.type.currentIndexChanged.connect(self._show_timing_fields)
        self.buttons = dialog_buttons(self, self.save, save=True)
        stack(self, form, self.error, self.buttons)
        self._closed = False
        self.finished.connect(self._forget)
        record_ops.client_choices(ctx.runner).success(self._clients).run()
        deadline_ops.timing_fields(ctx.runner).success(self._timing_fields).failure(self._rules_unreadable).run()

    def _rules_unreadable(self, exc: BaseException) -> None:
        """A clinic's rules file that does not load: say so; the matter can still be saved."""
        if not self._closed:
            self.error.setText(describe(exc))

    def _timing_fields(self, by_type: dict[str, Any]) -> None:
        """One choice per rule with options (a rule may serve several types), then the rows
        the current type needs."""
        if self._closed:
            return
        lang = current_language()
        chosen = self.before.deadline_options if self.before else {}
        for fields in by_type.values():
            for rule in fields.options:
                if rule.rule_id in self.options:
                    continue
                default = dict(rule.options).get(rule.default)
                assumed = _("Not chosen: counts as “{option}”").format(option=default.get(lang) if default else "")
                items = [("", assumed)] + [(key, label.get(lang)) for key, label in rule.options]
                kept = chosen.get(rule.rule_id, "")
                if kept and kept not in dict(rule.options):  # shown, kept until changed on purpose
                    items.append((kept, _("{option} (not in the rules in force: the default counts)").format(
                        option=kept)))
                combo = choice(items, name=rule.title.get(lang), current=kept)
                combo.setToolTip(rule.rule_id)
                self.options[rule.rule_id] = combo
                self.form.addRow(rule.title.get(lang) + ":", combo)
        after: QWidget = list(self.dates.values())[-1]  # added last, Qt put them after Save and Cancel
        for combo in self.options.values():
            QWidget.setTabOrder(after, combo)
            after = combo
        self.fields_by_type = by_type
        self._show_timing_fields()

    def _show_timing_fields(self) -> None:
        if self.fields_by_type is None:
            return
        fields = self.fields_by_type.get(self.type.currentData())
        steps = set(fields.steps) if fields else set()
        for key, edit in self.dates.items():
            if key.is_step:
                self.form.setRowVisible(edit, key in steps or bool(edit.text().strip()))
        wanted = self._option_rules()
        for rule_id, combo in self.options.items():
            self.form.setRowVisible(combo, rule_id in wanted)
        self.form.setRowVisible(self.options_heading, bool(wanted))

    def _option_rules(self) -> set[str]:
        fields = (self.fields_by_type or {}).get(self.type.currentData())
        return {r.rule_id for r in fields.options} if fields else set()

    def _deadline_options(self) -> dict[str, str]:
        """The options chosen for the current type's rules; until the rules are read, the
        matter's own, unchanged."""
        if self.fields_by_type is None:
            return dict(self.before.deadline_options) if self.before else {}
        wanted = self._option_rules()
        chosen = {rule_id: combo.currentData() for rule_id, combo in self.options.items()
                  if rule_id in wanted and combo.currentData()}
        if self.before is not None and self.before.type.value == self.type.currentData():
            # an option the rules in force no longer offer stays until someone changes it on
            # purpose: an unrelated edit (the title) must not drop it in silence
            chosen.update({r: k for r, k in self.before.deadline_options.items() if r not in self.options})
        return chosen

    def _forget(self) -> None:
        """Empty the form once it is closed, as ClientForm does: Qt keeps a closed form (a child
        of the window) until the window goes, and its client list holds every client's name."""
        self._closed = True
        self.client.clear()
        self.error.clear()
        clear_texts(self)

    def _clients(self, choices: list[tuple[str, str]]) -> None:
        if self._closed:  # the list arrived after the form was cancelled (or the window locked)
            return
        self.client.clear()
        for ref, name in choices:
            self.client.addItem(f"{name} ({ref})", ref)
        index = self.client.findData(self._wanted_client)
        if index >= 0:
            self.client.setCurrentIndex(index)

    def record(self) -> Matter:
        numbers = FileNumbers(**{k: e.text() or None for k, e in self.numbers.items()})
        dates = KeyDates(**{k.value: parse_date(e.text(), k.value) for k, e in self.dates.items()})
        fields = dict(client_ref=self.client.currentData() or "", type=MatterType(self.type.currentData()),
                      title=self.title.text(), language=ProceedingLanguage(self.language.currentData()),
                      status=MatterStatus(self.status.currentData()), counsel=self.counsel.text(),
                      file_numbers=numbers, dates=dates, adverse_parties=self._adverse_parties(),
                      deadline_options=self._deadline_options(),
                      decision_maker=DecisionMaker(self.decision_maker.currentData())
                      if self.decision_maker.currentData() else None)
        if self.before is not None:
            return dataclasses.replace(self.before, **fields)
        return Matter(ref="new", **fields)  # type: ignore[arg-type]

    def _adverse_parties(self) -> tuple[AdverseParty, ...]:
        """The names typed, keeping the description of each party already recorded."""
        known = {p.name.casefold(): p for p in (self.before.adverse_parties if self.before else ())}
        return tuple(known.get(name.casefold()) or AdverseParty(name) for name in split_list(self.adverse.text()))

    def save(self) -> None:
        try:
            if not self.client.currentData():
                raise HavenError(_("Choose the client first (add one with New client)."))
            matter = self.record()
        except HavenError as exc:
            self.error.setText(describe(exc))
            return
        self.error.clear()
        self.buttons.setEnabled(False)
        checked_save(self, self.ctx.runner,
                     lambda accept: client_ops.save_matter_checked(self.ctx.runner, matter=matter,
                                                                   new=self.before is None, accept_conflicts=accept),
                     lambda saved: self._saved(saved, matter), self._failed, self._went_back)

    def _went_back(self) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(not_saved_text())

    def _saved(self, saved: record_ops.Saved | CheckedSave, matter: Matter) -> None:
        self.saved_ref = saved.ref
        self.ctx.status(_("Matter {ref} saved.").format(ref=saved.ref))
        if self.before is not None:
            def save(m: Matter):  # noqa: ANN202 - an Op
                return record_ops.save_matter(self.ctx.runner, matter=m, new=False)

            self.ctx.undo.push(ServiceEdit(_("Edit matter {ref}").format(ref=saved.ref), save, self.before, matter))
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(describe(exc))
