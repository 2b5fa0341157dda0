"""Pre-flight check of a package: what would be wrong if it were filed as it is. Pure.

Errors block "ready" (and a build, unless forced): a required item with nothing in
it, a document in another language without a translation, a package built for the
wrong kind of matter. Warnings are for a lawyer to weigh: a deadline already
passed, letters left out because they are not ready, an undeclared translation
where the forum does not insist. Messages are in the user's language and name
items and refs, never a client's name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from clinic_app.domain.citations import cite
from clinic_app.domain.common import is_official
from clinic_app.domain.deadlines import Deadline, PendingRule
from clinic_app.domain.letter import LetterStatus, readiness_cautions
from clinic_app.domain.packages.checklist import Checklist, Entry, PackageInputs
from clinic_app.domain.packages.model import DRAFT_TAG, Forum, Generated, ItemStatus, Source
from clinic_app.errors import BadInput
from clinic_app.i18n import _, current_language, ngettext

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class PackageProblem:
    severity: str
    code: str
    message: str
    item: str = ""  # checklist item id
    ref: str = ""  # document or letter ref


class PackageNotReady(BadInput):
    """A build refused by pre-flight; the message lists every blocking problem."""

    def __init__(self, problems: list[PackageProblem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity == ERROR]
        head = ngettext("The package is not ready to file ({count} problem):",
                        "The package is not ready to file ({count} problems):", len(errors)).format(count=len(errors))
        super().__init__("\n".join([head, *(f"  - {p.message}" for p in errors)]))


def has_errors(problems: Iterable[PackageProblem]) -> bool:
    return any(p.severity == ERROR for p in problems)


def _missing_message(entry: Entry) -> str:
    item = entry.item
    label = item.label_in(current_language())
    parts = [_("Missing required item: {item} ({citation}).").format(
        item=label, citation=cite(item.citation, current_language()))
             if item.citation else _("Missing required item: {item}.").format(item=label)]
    if item.source is Source.LETTERS:
        parts.append(_("No support letter is ready to file."))
    elif item.form:
        parts.append(_("Attach the completed, signed form; Haven does not fill official forms."))
    elif item.signed:
        parts.append(_("It must be signed or sworn: attach the signed document (a draft from Haven does not count)."))
    elif item.tags:
        parts.append(_("Attach a document to this item, or tag one with: {tags}.").format(tags=", ".join(item.tags)))
    else:
        parts.append(_("Attach a document to this item."))
    return " ".join(parts)


def check_package(checklist: Checklist, inputs: PackageInputs, *, today: date,
                  deadlines: Iterable[Deadline] = (), pending: Iterable[PendingRule] = ()) -> list[PackageProblem]:
    """Every problem, errors first, each list in checklist order."""
    package, matter = checklist.package, inputs.matter
    out: list[PackageProblem] = []
    if matter.type not in package.matter_types:
        out.append(PackageProblem(ERROR, "wrong_matter_type", _("This package is not for a matter of type {type}.")
                                  .format(type=matter.type.label)))
    for entry in checklist.entries:
        label = entry.item.label_in(current_language())
        if entry.required and not entry.satisfied:
            out.append(PackageProblem(ERROR, "missing_item", _missing_message(entry), entry.item.id))
        elif entry.item.recommended and not entry.satisfied:
            out.append(PackageProblem(WARNING, "recommended_missing",
                                      _("Recommended but missing: {item}.").format(item=label), entry.item.id))
        if entry.stored and entry.status is ItemStatus.READY and not entry.satisfied:
            out.append(PackageProblem(WARNING, "marked_ready_empty",
                                      _("{item} is marked ready but nothing is attached.").format(item=label),
                                      entry.item.id))
        for ref in entry.drafts:
            out.append(PackageProblem(WARNING, "draft_attached", _(
                "Document {ref} is tagged as a draft and does not count for {item}.").format(ref=ref, item=label),
                entry.item.id, ref))
    placed = [ref for e in checklist.entries for ref in e.documents]
    letters = {x.ref: x for x in inputs.letters}
    placed_letters = [letters[ref] for e in checklist.entries for ref in e.letters]
    if not placed and not placed_letters:
        out.append(PackageProblem(ERROR, "empty", _("The package has no documents yet.")))
    docs = {d.ref: d for d in inputs.documents}
    languages = [(ref, docs[ref].effective_language) for ref in placed if ref in docs]
    languages += [(x.document_ref or "", (docs[x.document_ref].effective_language if x.document_ref in docs else "")
                   or x.language) for x in placed_letters]
    out += _translation_problems(checklist, inputs, languages)
    out += _letter_problems(checklist, placed_letters)
    for ref in checklist.left_out:
        if ref in docs and DRAFT_TAG in docs[ref].tags:
            out.append(PackageProblem(WARNING, "draft_left_out", _(
                "Document {ref} is tagged as a draft and is left out.").format(ref=ref), ref=ref))
        else:
            out.append(PackageProblem(WARNING, "left_out", _(
                "Document {ref} fits no section of this package and is left out.").format(ref=ref), ref=ref))
    out += record_problems(checklist, inputs)
    out += deadline_problems(checklist, today, deadlines, pending)
    if not matter.forum_file_number:
        out.append(PackageProblem(WARNING, "no_file_number",
                                  _("The matter has no file number for this forum; filings should carry one.")))
    return sorted(out, key=lambda p: p.severity != ERROR)


def record_problems(checklist: Checklist, inputs: PackageInputs) -> list[PackageProblem]:
    """A court record's form: evidence only as exhibits to an affidavit, the right respondent,
    and page limits (warned about, since a judge may allow more)."""
    package = checklist.package
    out: list[PackageProblem] = []
    affidavit = package.affidavit_item()
    sworn = affidavit is not None and checklist.entry(affidavit.id).satisfied
    loose = [e for e in checklist.entries if e.item.exhibit and (e.documents or e.letters)]
    if package.forum is Forum.FC and loose and not sworn:
        lang = current_language()
        out.append(PackageProblem(ERROR, "loose_evidence", _(
            "Evidence would be filed loose ({items}): in the Federal Court, documents go in as exhibits to an "
            "affidavit (IMM Rules r. 12(1); FCR r. 364(2)(c)). Attach the sworn affidavit: they become its "
            "exhibits.").format(items="; ".join(e.item.label_in(lang) for e in loose))))
    if package.adversarial and inputs.matter.decision_maker is None:
        out.append(PackageProblem(WARNING, "no_decision_maker", _(
            "The matter does not say who made the decision (its decision maker): the respondent named may be "
            "wrong (IMM Rules r. 5(2)).")))
    pages = {d.ref: d.page_count for d in inputs.documents}
    for entry in checklist.entries:
        limit = entry.item.page_limit
        counted = [pages.get(ref) for ref in entry.documents]
        if not limit or not counted or None in counted:
            continue
        total = sum(n for n in counted if n)
        if total > limit:
            out.append(PackageProblem(WARNING, "page_limit", _(
                "{item} has {pages} pages; {citation} allows {limit}: shorten it or ask for leave.").format(
                item=entry.item.label_in(current_language()), pages=total, citation=entry.item.page_limit_citation,
                limit=limit), entry.item.id))
    return out


def _translation_problems(checklist: Checklist, inputs: PackageInputs,
                          languages: list[tuple[str, str]]) -> list[PackageProblem]:
    by_original: dict[str, list[bool]] = {}
    for link in inputs.links:
        by_original.setdefault(link.original_ref, []).append(link.declaration_ref is not None)
    package = checklist.package
    out = []
    for ref, lang in languages:
        if not lang or is_official(lang):
            continue
        if ref not in by_original:
            out.append(PackageProblem(ERROR, "untranslated", _(
                "Document {ref} is in {language} and has no translation: link its translation before filing.")
                .format(ref=ref, language=lang), ref=ref))
        elif not all(by_original[ref]):
            kind = (_("translator's affidavit") if package.declaration_kind is Generated.TRANSLATOR_AFFIDAVIT
                    else _("translator's declaration"))
            out.append(PackageProblem(ERROR if package.declaration_required else WARNING, "no_declaration", _(
                "The translation of {ref} has no {kind} linked yet.").format(ref=ref, kind=kind), ref=ref))
    return out


def _letter_problems(checklist: Checklist, placed: list) -> list[PackageProblem]:  # type: ignore[type-arg]
    out = [PackageProblem(WARNING, "letter_not_ready", _(
        "Support letter {ref} is not ready to file: it is left out.").format(ref=ref), ref=ref)
        for ref in checklist.letters_not_ready]
    out += [PackageProblem(WARNING, "letter_no_document", _(
        "Support letter {ref} is ready to file but no scanned letter is linked: it is left out.").format(ref=ref),
        ref=ref) for ref in checklist.letters_without_document]
    out += [PackageProblem(WARNING, "letter_not_selected", _(
        "Support letter {ref} is not among the chosen themes: it is left out.").format(ref=ref), ref=ref)
        for ref in checklist.letters_not_selected]
    for letter in placed:
        assert letter.status is LetterStatus.READY_TO_FILE
        for caution in readiness_cautions(letter):
            out.append(PackageProblem(WARNING, "letter_caution", _("Support letter {ref}: {caution}.").format(
                ref=letter.ref, caution=caution), ref=letter.ref))
    return out


def deadline_problems(checklist: Checklist, today: date, deadlines: Iterable[Deadline],
                      pending: Iterable[PendingRule]) -> list[PackageProblem]:
    """Deadlines of this package's rules already passed, not yet open, or not computable."""
    lang = current_language()
    rules = checklist.package.deadline_rules
    out = []
    for d in deadlines:
        if d.rule_id not in rules:
            continue
        values = {"deadline": d.title.get(lang), "date": d.due.isoformat(), "citation": cite(d.citation, lang)}
        if d.kind == "due" and d.due < today:
            out.append(PackageProblem(WARNING, "deadline_passed", _(
                "The deadline \"{deadline}\" ({date}, {citation}) has passed: explain the delay or ask for "
                "an extension.").format(**values)))
        elif d.kind == "due" and d.due == today:
            out.append(PackageProblem(WARNING, "deadline_today", _(
                "The deadline \"{deadline}\" ({citation}) is today.").format(**values)))
        elif d.kind == "watch" and d.due < today:
            out.append(PackageProblem(WARNING, "date_passed",
                                      _("\"{deadline}\" ({date}) has passed.").format(**values)))
        elif d.kind == "not_before" and d.due > today:
            out.append(PackageProblem(WARNING, "not_yet_allowed", _(
                "\"{deadline}\": not before {date} ({citation}).").format(**values)))
    for p in pending:
        if p.rule_id in rules:
            out.append(PackageProblem(WARNING, "deadline_unknown", _(
                "\"{deadline}\" cannot be checked until one of these dates is entered: {dates}.").format(
                deadline=p.title.get(lang), dates=", ".join(p.needs))))
    return out
