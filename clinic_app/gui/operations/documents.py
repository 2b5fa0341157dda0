"""Documents: importing dropped files, editing what they are, linking translations, reading bytes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clinic_app.domain.changes import Changes
from clinic_app.domain.translation import TranslationLink
from clinic_app.gui.operations import adapters
from clinic_app.gui.tasks import Job, Op, TaskRunner
from clinic_app.i18n import _

MAX_PREVIEW_BYTES = 300 * 1024 * 1024


def import_files(runner: TaskRunner, *, paths: list[Path], matter_ref: str) -> Op:
    """Import dropped or chosen files (folders expanded) into a matter with
    services.import_files: intake's sandbox checks each file, exact duplicates are
    linked instead of stored twice, and a refused file never stops the rest.
    Progress arrives before each file, so the panel can mark the one in work."""

    def work(job: Job) -> ImportDone:
        from clinic_app.services.import_files import import_files as run_import

        report = run_import(job.session, matter_ref, [Path(p) for p in paths], progress=job.progress,
                            cancel=job.cancel)
        return ImportDone(report.files, Changes(links=True))

    return Op(runner, work, writes=True)


@dataclass
class ImportDone:
    files: list[Any]  # services.import_files.FileOutcome
    changes: Changes = field(default_factory=Changes)


def expand(paths: list[Path]) -> list[Any]:
    """What an import of `paths` will take or refuse, in order (what the progress panel
    lists): services.import_files.expand, which follows no link."""
    from clinic_app.services.import_files import expand as service_expand

    return service_expand(paths)


def update_document(runner: TaskRunner, *, ref: str, fields: dict[str, object]) -> Op:
    def work(job: Job) -> Changes:
        result = adapters.update_document_meta(job.session, ref, fields)
        return result if isinstance(result, Changes) else Changes(links=True)

    return Op(runner, work, writes=True)


def link_translation(runner: TaskRunner, *, original: str, translation: str, declaration: str | None) -> Op:
    def work(job: Job) -> Changes:
        from clinic_app.services.case_record import link_translation as link

        return link(job.session, TranslationLink(original, translation, declaration or None))

    return Op(runner, work, writes=True)


def export_original(runner: TaskRunner, *, ref: str, target: Path) -> Op:
    """Write the document's original file to `target` (services.evidence.export_original: audited)."""

    def work(job: Job) -> Path:
        from clinic_app.services.evidence import export_original as export

        export(job.session, ref, target)
        return target

    return Op(runner, work, writes=True)


def document_bytes(runner: TaskRunner, *, ref: str) -> Op:
    """The working copy's bytes, in memory only, for previews (never written to disk)."""

    def work(job: Job) -> bytes:
        from clinic_app.services.evidence import open_working

        with open_working(job.session, ref) as fh:
            data = fh.read(MAX_PREVIEW_BYTES + 1)
        if len(data) > MAX_PREVIEW_BYTES:
            raise adapters.NotAvailable(_("A preview of a file this large"))
        return data

    return Op(runner, work)
