"""Bundle projects through services.bundles: load, reorder and save, pre-flight, build."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clinic_app.domain.bundle import BundleSpec, PageRangeError, Tab, resolve_pages, tab_labels
from clinic_app.domain.changes import Changes
from clinic_app.gui.operations import adapters
from clinic_app.gui.tasks import Job, Op, TaskRunner


def projects(runner: TaskRunner, *, matter_ref: str) -> Op:
    """[(bundle ref, BundleSpec)] of a matter."""
    return Op(runner, lambda job: adapters.bundle_projects(job.session, matter_ref))


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
