"""The correspondence log of a matter, on the vault thread: list, save, delete."""

from __future__ import annotations

from clinic_app.domain.correspondence import CorrespondenceEntry
from clinic_app.gui.tasks import Job, Op, TaskRunner


def entries(runner: TaskRunner, *, matter_ref: str) -> Op:
    def work(job: Job) -> list[CorrespondenceEntry]:
        from clinic_app.services import correspondence

        return correspondence.entries(job.session, matter_ref)

    return Op(runner, work)


def save(runner: TaskRunner, *, matter_ref: str, entry: CorrespondenceEntry) -> Op:
    def work(job: Job) -> object:
        from clinic_app.services import correspondence

        return correspondence.save_entry(job.session, matter_ref, entry)

    return Op(runner, work, writes=True)


def delete(runner: TaskRunner, *, matter_ref: str, entry: str) -> Op:
    def work(job: Job) -> object:
        from clinic_app.services import correspondence

        return correspondence.delete_entry(job.session, matter_ref, entry)

    return Op(runner, work, writes=True)
