"""Filing packages through services.packages: the packages of a matter, checklist, item status,
pre-flight and build. Every call runs on the vault thread; the GUI only sees the results."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from clinic_app.domain.packages import Entry, ItemStatus, PackageDef, Source
from clinic_app.gui.tasks import Job, Op, TaskRunner
from clinic_app.i18n import _


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
        return _("The completed, signed form {form}").format(form=item.form)
    if item.signed:
        return _("The signed or sworn document, attached to this item")
    if item.tags:
        return _("A document tagged: {tags}").format(tags=", ".join(item.tags))
    if item.categories:
        return _("A document of category: {categories}").format(
            categories=", ".join(c.label for c in item.categories))
    return _("A document attached to this item")
