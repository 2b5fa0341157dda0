"""Deleting a client: the two Ops behind the client form's "Delete client…" button.

Deletion is a plan the user reads and confirms, then the deletion of exactly that
plan (services.purge refuses a plan that no longer matches the records). Both
steps run on the vault thread, like every service call; the widgets only ever
see the plan's refs and counts, never client text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from clinic_app.gui.tasks import Job, Op, TaskRunner

if TYPE_CHECKING:
    from clinic_app.services.purge import DeletionPlan, DeletionResult


def plan_deletion(runner: TaskRunner, *, ref: str) -> Op:
    """What deleting client `ref` would destroy and keep (a services.purge.DeletionPlan)."""

    def work(job: Job) -> DeletionPlan:
        from clinic_app.services.purge import plan_deletion as plan

        return plan(job.session, ref)

    return Op(runner, work)


def delete_client(runner: TaskRunner, *, plan: DeletionPlan) -> Op:
    """Delete what `plan` lists and scrub the vault file, reporting progress.

    The result (services.purge.DeletionResult) carries `changes`, so the runner
    tells every view what went once it is done.
    """

    def work(job: Job) -> DeletionResult:
        from clinic_app.services.purge import delete_client as delete

        def progress(done: int, total: int, label: str) -> None:
            job.progress(done, total, label)

        return delete(job.session, plan, progress=progress)

    return Op(runner, work, writes=True)
