"""Moving a matter to another vault as a case file: the window's side of `services.transfer`.

The same service functions the command line calls (`export-matter`, `import-matter`),
run on the vault thread with the Op's progress and cancel; the dialogs get plain
dataclasses back. The case file's passphrase is passed through, never kept or logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from clinic_app.domain.changes import Changes
from clinic_app.gui.tasks import Job, Op, TaskRunner


@dataclass(frozen=True)
class Exported:
    path: Path
    matter_ref: str
    documents: int
    size: int


@dataclass(frozen=True)
class Imported:
    matter_ref: str  # the ref it has in this vault (renamed when "rename" was chosen)
    created: dict[str, int]
    reused: dict[str, int]
    renamed: dict[str, str]
    skipped: list[str]
    changes: Changes


def export_case(runner: TaskRunner, *, matter_ref: str, target: Path, passphrase: str) -> Op:
    def work(job: Job) -> Exported:
        from clinic_app.services import transfer

        job.cancel.raise_if_cancelled()
        done = transfer.export_matter(job.session, matter_ref, Path(target), passphrase,
                                      progress=job.progress, cancel=job.cancel)
        return Exported(done.path, done.matter_ref, done.documents, done.size)

    return Op(runner, work, writes=True)  # writes its audit row


def preview_case(runner: TaskRunner, *, path: Path, passphrase: str) -> Op:
    """What the file holds and its conflicts with this vault (services.transfer.CasePreview)."""

    def work(job: Job) -> object:
        from clinic_app.services import transfer

        return transfer.preview_import(job.session, Path(path), passphrase)

    return Op(runner, work)


def import_case(runner: TaskRunner, *, path: Path, passphrase: str, on_conflict: str | None,
                accept_conflicts: bool = False) -> Op:
    """Import the file; `on_conflict` is one of services.transfer.CHOICES, or None when the
    preview found no conflict (a conflict appearing since then stops it, importing nothing)."""

    def work(job: Job) -> Imported:
        from clinic_app.services import transfer

        job.cancel.raise_if_cancelled()
        result = transfer.import_matter(job.session, Path(path), passphrase, on_conflict=on_conflict,
                                        accept_conflicts=accept_conflicts, progress=job.progress,
                                        cancel=job.cancel)
        ref = result.renamed.get(f"matter {result.matter_ref}", result.matter_ref)
        return Imported(ref, dict(result.created), dict(result.reused), dict(result.renamed),
                        list(result.skipped), result.changes)

    return Op(runner, work, writes=True)
