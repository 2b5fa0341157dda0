"""Bundle projects through services.bundles: load, reorder and save, pre-flight, build,
serve (which freezes the pages), supplementary bundles, and moving tabs between sections.

The spec edits (`reorder`, `move_tab`) are plain functions on a BundleSpec so they can
be tested without a window; everything that reaches the vault is an Op.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from clinic_app.domain.bundle import BundleSpec, PageRangeError, Tab, resolve_pages, tab_labels
from clinic_app.domain.changes import Changes
from clinic_app.errors import NotFound
from clinic_app.gui.operations import adapters
from clinic_app.gui.operations.records import next_ref
from clinic_app.gui.tasks import Job, Op, TaskRunner


def projects(runner: TaskRunner, *, matter_ref: str) -> Op:
    """[(bundle ref, BundleSpec)] of a matter."""
    return Op(runner, lambda job: adapters.bundle_projects(job.session, matter_ref))


@dataclass(frozen=True)
class PageData:
    """What the bundles page shows, in one trip: the projects, the matter's service log
    (entries with bundle_ref, served_on, served_to, method, first_page, last_page, recorded_by)
    and the documents changed since each bundle was served."""

    projects: list[tuple[str, BundleSpec]]
    log: list[Any] = field(default_factory=list)
    changed: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # served bundle -> (ref, title)

    def served(self, bundle_ref: str) -> list[Any]:
        return [e for e in self.log if e.bundle_ref == bundle_ref]


def page_data(runner: TaskRunner, *, matter_ref: str) -> Op:
    def work(job: Job) -> PageData:
        from clinic_app.services import bundles

        return PageData(adapters.bundle_projects(job.session, matter_ref),
                        list(bundles.service_log(job.session, matter_ref)),
                        bundles.changed_since_served(job.session, matter_ref))

    return Op(runner, work)


def save_project(runner: TaskRunner, *, ref: str, matter_ref: str, spec: BundleSpec) -> Op:
    def work(job: Job) -> Changes:
        result = adapters.save_bundle(job.session, ref, matter_ref, spec)
        return result if isinstance(result, Changes) else Changes(links=True)

    return Op(runner, work, writes=True)


def preflight(runner: TaskRunner, *, ref: str) -> Op:
    return Op(runner, lambda job: adapters.preflight(job.session, ref))


def build(runner: TaskRunner, *, ref: str, out_path: Path) -> Op:
    """Build with progress and a cancel that leaves no partial output (the service's promise)."""

    def work(job: Job) -> Any:
        return adapters.build_bundle(job.session, ref, out_path, job.progress, job.cancel)

    return Op(runner, work, writes=True)


@dataclass(frozen=True)
class TabRow:
    """One line of the tab list: where the tab lives in the spec, and its index label."""

    section: int
    index: int
    label: str


def tab_rows(spec: BundleSpec) -> list[TabRow]:
    labels = tab_labels(spec)
    rows, n = [], 0
    for s, section in enumerate(spec.sections):
        for i in range(len(section.tabs)):
            rows.append(TabRow(s, i, labels[n] if n < len(labels) else str(n + 1)))
            n += 1
    return rows


def section_names(spec: BundleSpec) -> list[str]:
    """How a section is named in the window: its letter, and its title when it has one."""
    from clinic_app.domain.bundle import section_letter

    return [f"{section_letter(s)} – {sec.title}" if sec.title else section_letter(s)
            for s, sec in enumerate(spec.sections)]


def move_tab(spec: BundleSpec, row: int, target_section: int, position: int | None = None) -> tuple[BundleSpec, int]:
    """A copy of `spec` with the tab at `row` (its place in bundle order, as `tab_rows`
    lists it) moved into `target_section` at `position` (None: at the end), and the row
    the tab now has. The spec is copied, not changed, so a refused move leaves the
    window's spec as it was; numbering is never stored, so it follows by itself."""
    rows = tab_rows(spec)
    if not 0 <= row < len(rows):
        raise IndexError(f"no tab at row {row}")
    if not 0 <= target_section < len(spec.sections):
        raise IndexError(f"no section {target_section}")
    moved = copy.deepcopy(spec)
    source = rows[row]
    tab = moved.sections[source.section].tabs.pop(source.index)
    tabs = moved.sections[target_section].tabs
    at = len(tabs) if position is None else max(0, min(position, len(tabs)))
    tabs.insert(at, tab)
    return moved, sum(len(s.tabs) for s in moved.sections[:target_section]) + at


def reorder(spec: BundleSpec, order: list[TabRow]) -> None:
    """Put each section's tabs in the order they now appear (a tab stays in its section)."""
    originals = [list(section.tabs) for section in spec.sections]
    for section in spec.sections:
        section.tabs = []
    for row in order:
        spec.sections[row.section].tabs.append(originals[row.section][row.index])


def tab_pages(tab: Tab, pages_of: dict[str, int | None]) -> int | None:
    """Pages a tab contributes (None when a page count is unknown or a range is wrong)."""
    total = 0
    for part in tab.parts:
        count = pages_of.get(part.document_id)
        if not count:
            return None
        try:
            total += len(resolve_pages(part.pages, count))
        except PageRangeError:
            return None
    return total


# --- serving --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Served:
    """A recorded service, the statement written (if asked), and why it was not (if it failed:
    the service stays recorded, so the person must be told it was the statement alone)."""

    entry: Any
    statement: Path | None = None
    statement_error: BaseException | None = None


def serve(runner: TaskRunner, *, ref: str, result: Any, served_to: str, method: str, served_on: date,
          statement: Path | None = None) -> Op:
    """Record service of the build `result` of bundle `ref`; from then on its pages are frozen."""

    def work(job: Job) -> Served:
        from clinic_app.services import bundles

        entry = bundles.mark_served(job.session, ref, served_to=served_to, method=method, served_on=served_on,
                                    result=result)
        if statement is None:
            return Served(entry)
        try:
            return Served(entry, bundles.statement_of_service(job.session, ref, statement))
        except Exception as exc:  # noqa: BLE001 - reported beside the recorded service, not instead of it
            return Served(entry, None, exc)

    return Op(runner, work, writes=True)


def statement(runner: TaskRunner, *, ref: str, out_path: Path) -> Op:
    """A statement of service for the latest service of bundle `ref`."""

    def work(job: Job) -> Path:
        from clinic_app.services import bundles

        return bundles.statement_of_service(job.session, ref, out_path)

    return Op(runner, work, writes=True)


@dataclass(frozen=True)
class Supplement:
    ref: str
    spec: BundleSpec
    changes: Changes


def free_bundle_ref(session: Any, taken: list[str]) -> str:
    """The next free "b-NNN". Bundle refs are unique across the vault and saving under a
    taken one would replace that bundle, so it is confirmed on the vault thread."""
    from clinic_app.services import bundles

    used = list(taken)
    while True:
        ref = next_ref("b", used)
        try:
            bundles.load_project(session, ref)
        except NotFound:
            return ref
        used.append(ref)


def supplementary(runner: TaskRunner, *, served_ref: str, title: str, taken: list[str]) -> Op:
    """Start a bundle that continues the numbering after everything served for the matter."""

    def work(job: Job) -> Supplement:
        from clinic_app.services import bundles

        ref = free_bundle_ref(job.session, taken)
        spec = bundles.create_supplementary(job.session, served_ref, ref, title)
        return Supplement(ref, spec, Changes(links=True))  # a new bundle of the matter: its views reload

    return Op(runner, work, writes=True)
