"""Filing packages through services.packages: the packages of a matter, checklist, item status,
pre-flight and build. Every call runs on the vault thread; the GUI only sees the results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from clinic_app.domain.changes import Changes
from clinic_app.domain.citations import cite
from clinic_app.domain.packages import Entry, ItemStatus, PackageDef, Source
from clinic_app.gui.tasks import Job, Op, TaskRunner
from clinic_app.i18n import _, current_language


def available(runner: TaskRunner, *, matter_ref: str) -> Op:
    """[PackageDef] that fit the matter's type, in catalog order."""

    def work(job: Job) -> list[PackageDef]:
        from clinic_app.services import packages

        return list(packages.available_packages(job.session, matter_ref))

    return Op(runner, work)


def checklist(runner: TaskRunner, *, matter_ref: str, package: str) -> Op:
    """The filled Checklist of one package of the matter."""

    def work(job: Job) -> Any:
        from clinic_app.services import packages

        return packages.checklist(job.session, matter_ref, package)

    return Op(runner, work)


def clear_status(runner: TaskRunner, *, matter_ref: str, package: str, item_id: str) -> Op:
    """Forget a recorded status: the checklist derives it from the documents again."""

    def work(job: Job) -> Any:
        from clinic_app.services import packages

        return packages.clear_item_status(job.session, matter_ref, package, item_id)

    return Op(runner, work, writes=True)


def set_status(runner: TaskRunner, *, matter_ref: str, package: str, item_id: str, status: ItemStatus) -> Op:
    """Record where an item stands; returns the service's Changes."""

    def work(job: Job) -> Any:
        from clinic_app.services import packages

        return packages.set_item_status(job.session, matter_ref, package, item_id, status)

    return Op(runner, work, writes=True)


def preflight(runner: TaskRunner, *, matter_ref: str, package: str) -> Op:
    """PreflightReport: the checklist and every problem, errors first."""

    def work(job: Job) -> Any:
        from clinic_app.services import packages

        return packages.preflight(job.session, matter_ref, package, today=date.today())

    return Op(runner, work)


def build(runner: TaskRunner, *, matter_ref: str, package: str, out_path: Path, force: bool) -> Op:
    """Build with progress and cancel; PackageNotReady (listing the errors) unless `force`."""

    def work(job: Job) -> Any:
        from clinic_app.services import packages

        def progress(done: int, total: int, label: str) -> None:
            job.progress(done, total, label)

        return packages.build_package(job.session, matter_ref, package, out_path, force=force, today=date.today(),
                                      progress=progress, cancel=job.cancel)

    return Op(runner, work, writes=True)


def attach(runner: TaskRunner, *, matter_ref: str, package: str, item_id: str, document_refs: list[str],
           detach: bool = False) -> Op:
    """Attach documents of the matter to a checklist item (or take them off); the Changes
    reload the matter, so the checklist shows the item filled (or empty) again."""

    def work(job: Job) -> Changes:
        from clinic_app.services import packages

        changes = Changes()
        call = packages.detach_document if detach else packages.attach_document
        for ref in document_refs:
            changes = changes | call(job.session, matter_ref, package, item_id, ref)
        return changes

    return Op(runner, work, writes=True)


@dataclass
class ImportedToItem:
    files: list[Any]  # services.import_files.FileOutcome
    changes: Changes


def import_to_item(runner: TaskRunner, *, matter_ref: str, package: str, item_id: str, paths: list[Path]) -> Op:
    """Import files dropped on (or chosen for) an item and attach each one taken to it."""

    def work(job: Job) -> ImportedToItem:
        from clinic_app.services import packages

        report = packages.import_to_item(job.session, matter_ref, package, item_id, [Path(p) for p in paths],
                                         progress=job.progress, cancel=job.cancel)
        return ImportedToItem(report.files, Changes(links=True))

    return Op(runner, work, writes=True)


def write_draft(runner: TaskRunner, *, matter_ref: str, package: str, kind: str, out_path: Path) -> Op:
    """Write a draft (marked DRAFT on every page) to `out_path`; returns the path."""

    def work(job: Job) -> Path:
        from clinic_app.services import packages

        return packages.write_draft(job.session, matter_ref, kind, out_path, package=package, today=date.today())

    return Op(runner, work)


def satisfied_by(entry: Entry) -> str:
    """What fills the item now, or else what would."""
    item = entry.item
    if entry.documents:
        return _("Documents: {refs}").format(refs=", ".join(entry.documents))
    if entry.letters:
        return _("Support letters: {refs}").format(refs=", ".join(entry.letters))
    if item.source is Source.GENERATED:
        return _("Written by Haven when the package is built")
    if item.source is Source.LETTERS:
        return _("A support letter that is ready to file")
    if item.form:
        return _("The completed, signed form {form}").format(form=cite(item.form, current_language()))
    if item.signed:
        return _("The signed or sworn document, attached to this item")
    if item.tags:
        return _("A document tagged: {tags}").format(tags=", ".join(item.tags))
    if item.categories:
        return _("A document of category: {categories}").format(
            categories=", ".join(c.label for c in item.categories))
    return _("A document attached to this item")
