"""Creating and editing a bundle project from the window: new projects, adding the matter's
documents as tabs, reference-only entries, removing tabs, sections, tab details.

The spec edits are plain functions: each takes a BundleSpec and returns an edited deep
copy, leaving the one it was given as it was, so a refused edit changes nothing the
window shows. Rows are a tab's place in bundle order, as `bundles.tab_rows` lists them.
Errors are the domain's BundleSpecError, with a message a person can act on.

Removing a section: only an empty section can be removed, and never the last one (a
bundle always has a section to add tabs to). Moving the tabs elsewhere first is the
person's explicit choice ("Move to section"), so nothing is moved behind their back.

What reaches the vault (a new project, tabs that group a document with its translation
and the translator's declaration) is an Op run on the vault thread.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date

from clinic_app.domain.bundle import BundleSpec, BundleSpecError, Section, Tab
from clinic_app.domain.changes import Changes
from clinic_app.domain.exhibits import AFFIDAVIT, EXHIBIT_ROLE
from clinic_app.gui.operations import adapters
from clinic_app.gui.operations.bundles import free_bundle_ref, tab_rows
from clinic_app.gui.tasks import Job, Op, TaskRunner
from clinic_app.i18n import _, translate_for

# --- pure edits -------------------------------------------------------------------------------


def _section_index(spec: BundleSpec, section: int) -> None:
    if not 0 <= section < len(spec.sections):
        raise IndexError(f"no section {section}")


def _where(spec: BundleSpec, row: int) -> tuple[int, int]:
    rows = tab_rows(spec)
    if not 0 <= row < len(rows):
        raise IndexError(f"no tab at row {row}")
    return rows[row].section, rows[row].index


def first_row_of(spec: BundleSpec, section: int) -> int:
    """The bundle-order row of the first tab of `section` (where its tabs start)."""
    return sum(len(s.tabs) for s in spec.sections[:section])


def add_tabs(spec: BundleSpec, section: int, tabs: list[Tab]) -> BundleSpec:
    """A copy with `tabs` (copied) appended to `section`."""
    _section_index(spec, section)
    edited = copy.deepcopy(spec)
    edited.sections[section].tabs.extend(copy.deepcopy(tabs))
    return edited


def remove_tab(spec: BundleSpec, row: int) -> BundleSpec:
    """A copy without the tab at `row`; the numbering of the tabs after it follows by itself."""
    section, index = _where(spec, row)
    edited = copy.deepcopy(spec)
    del edited.sections[section].tabs[index]
    return edited


def add_section(spec: BundleSpec, title: str) -> BundleSpec:
    """A copy with a new, empty section at the end."""
    edited = copy.deepcopy(spec)
    edited.sections.append(Section(title=title.strip()))
    return edited


def rename_section(spec: BundleSpec, section: int, title: str) -> BundleSpec:
    """A copy with section `section` titled `title` ("" leaves it with its letter alone)."""
    _section_index(spec, section)
    edited = copy.deepcopy(spec)
    edited.sections[section].title = title.strip()
    return edited


def remove_section(spec: BundleSpec, section: int) -> BundleSpec:
    """A copy without section `section`; refused when it still holds tabs, or is the only one."""
    _section_index(spec, section)
    if spec.sections[section].tabs:
        raise BundleSpecError(_("Only an empty section can be removed: move or remove its tabs first."))
    if len(spec.sections) == 1:
        raise BundleSpecError(_("A bundle keeps at least one section."))
    edited = copy.deepcopy(spec)
    del edited.sections[section]
    return edited


def set_tab_details(spec: BundleSpec, row: int, title: str, when: date | None, reference: str = "") -> BundleSpec:
    """A copy with the tab at `row` retitled and redated; a reference-only tab also gets its
    citation. A tab that holds documents cannot take a citation (the domain forbids both)."""
    section, index = _where(spec, row)
    title, reference = title.strip(), reference.strip()
    if not title:
        raise BundleSpecError(_("Every tab needs a title."), field="title")
    tab = spec.sections[section].tabs[index]
    if tab.parts and reference:
        raise BundleSpecError(_("A tab holds either documents or a reference-only citation, not both."),
                              field="reference")
    if not tab.parts and not reference:
        raise BundleSpecError(_("A reference-only entry needs its citation."), field="reference")
    edited = copy.deepcopy(spec)
    target = edited.sections[section].tabs[index]
    target.title, target.date, target.reference = title, when, reference if not tab.parts else ""
    return edited


def add_reference_entry(spec: BundleSpec, section: int, title: str, citation: str,
                        when: date | None = None) -> BundleSpec:
    """A copy with a reference-only entry (a document the tribunal already holds: no pages)
    at the end of `section`; without a title the citation is the title."""
    _section_index(spec, section)
    citation = citation.strip()
    if not citation:
        raise BundleSpecError(_("A reference-only entry needs its citation."), field="reference")
    edited = copy.deepcopy(spec)
    edited.sections[section].tabs.append(Tab(title=title.strip() or citation, date=when, reference=citation))
    return edited


def exhibits_of_tab(tab: Tab) -> list[str]:
    """The documents of the tab's exhibits, in order (their own translations not counted)."""
    return [part.document_id for part in tab.parts if part.role == EXHIBIT_ROLE]


def set_exhibits(spec: BundleSpec, row: int, exhibits: list[Tab], deponent: str, sworn: date | None) -> BundleSpec:
    """A copy where the tab at `row` (an affidavit) has `exhibits` after its own parts, in order,
    each a tab as `tabs_for_documents` makes it (a document with its translation), and names who
    swore it and when. No exhibits leaves the affidavit alone."""
    section, index = _where(spec, row)
    tab = spec.sections[section].tabs[index]
    if tab.reference_only:
        raise BundleSpecError(_("A reference-only entry cannot have exhibits."), field="parts")
    if exhibits and not deponent.strip():
        raise BundleSpecError(_("An affidavit with exhibits needs the name of the person who swore it."),
                              field="deponent")
    edited = copy.deepcopy(spec)
    target = edited.sections[section].tabs[index]
    own = [p for p in target.parts[:_first_exhibit(target)]]
    for exhibit in copy.deepcopy(exhibits):
        first, *rest = exhibit.parts
        first.role, first.label, first.date = EXHIBIT_ROLE, exhibit.title, exhibit.date
        own += [first, *rest]
    if exhibits and not own[0].label:
        own[0].label = translate_for(spec.language, AFFIDAVIT)
    target.parts, target.deponent, target.sworn = own, deponent.strip(), sworn
    return edited


def _first_exhibit(tab: Tab) -> int:
    return next((n for n, part in enumerate(tab.parts) if part.role == EXHIBIT_ROLE), len(tab.parts))


def drop_grouped(tabs: list[Tab]) -> list[Tab]:
    """Leave out a tab whose only document already travels inside another chosen tab (a
    translation or declaration picked together with its original), so it is not there twice."""
    inside: set[str] = set()
    for tab in tabs:
        inside.update(part.document_id for part in tab.parts[1:])
    return [t for t in tabs if not (len(t.parts) == 1 and t.parts[0].document_id in inside)]


def documents_in(spec: BundleSpec) -> set[str]:
    return set(spec.document_ids())


# --- vault ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewProject:
    ref: str
    spec: BundleSpec
    changes: Changes


def new_project(runner: TaskRunner, *, matter_ref: str, title: str, taken: list[str], language: str = "en",
                documents: list[str] | None = None, section_title: str = "") -> Op:
    """Create and save a project of the matter: one section holding the chosen documents (or
    nothing yet). Its ref is the next free "b-NNN"."""

    def work(job: Job) -> NewProject:
        from clinic_app.services.bundles import tabs_for_documents as make_tabs

        session = job.session
        ref = free_bundle_ref(session, taken)
        tabs = drop_grouped(make_tabs(session, list(documents or []), language=language))
        spec = BundleSpec(title=title.strip(), language=language, sections=[Section(section_title.strip(), tabs)])
        result = adapters.save_bundle(session, ref, matter_ref, spec)
        return NewProject(ref, spec, result if isinstance(result, Changes) else Changes(links=True))

    return Op(runner, work, writes=True)


def tabs_for_documents(runner: TaskRunner, *, refs: list[str], language: str = "en", separate: bool = False) -> Op:
    """One tab per document, its translation and translator's declaration grouped in it as
    parts; a translation chosen together with its original is not added twice. `separate`
    keeps one tab per ref, in order (exhibits: each its own mark)."""

    def work(job: Job) -> list[Tab]:
        from clinic_app.services.bundles import tabs_for_documents as make_tabs

        tabs = make_tabs(job.session, list(refs), language=language)
        return tabs if separate else drop_grouped(tabs)

    return Op(runner, work)


def record_exhibits(runner: TaskRunner, *, affidavit_ref: str, exhibit_refs: list[str]) -> Op:
    """Keep the exhibits of an affidavit document in the vault, so filing packages (and new
    bundle tabs) bring them along in this order."""

    def work(job: Job) -> Changes:
        from clinic_app.services.correspondence import set_exhibits as keep

        return keep(job.session, affidavit_ref, exhibit_refs)

    return Op(runner, work, writes=True)
