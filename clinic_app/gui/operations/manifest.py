"""Importing a case manifest (services.manifest_import), as `clinic-app import MANIFEST` does.

The result has the shape the conflict-check question expects (dialogs/conflicts.checked_save):
`saved`, or the `conflicts` found and nothing written. Its `changes` make every view refresh.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clinic_app.domain.changes import Changes
from clinic_app.gui.tasks import Job, Op, TaskRunner


@dataclass(frozen=True)
class Imported:
    saved: bool
    conflicts: tuple[Any, ...] = ()
    summary: Any = None  # services.manifest_import.ImportSummary
    changes: Changes = field(default_factory=Changes)


def import_manifest(runner: TaskRunner, *, path: Path, accept_conflicts: bool) -> Op:
    """Check the manifest, have intake's sandbox read its files, then write everything in one
    transaction; reports progress, and a cancel (the Op's) leaves nothing imported."""

    def work(job: Job) -> Imported:
        from clinic_app.services.conflict_check import ConflictsFound
        from clinic_app.services.intake_bridge import analyzer
        from clinic_app.services.manifest_import import import_manifest as run

        session = job.session
        try:
            with analyzer(job.cancel) as analyze:
                summary = run(session, path, analyze=analyze, progress=job.progress, cancel=job.cancel,
                              accept_conflicts=accept_conflicts)
        except ConflictsFound as exc:
            return Imported(False, exc.conflicts)
        return Imported(True, tuple(summary.conflicts), summary, summary.changes)

    return Op(runner, work, writes=True)
