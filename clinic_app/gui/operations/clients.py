"""Saving a client or matter through the conflict check, and deleting a client.

A save whose new or changed names resemble someone already recorded comes back
unsaved with the matches; the form asks, then saves anyway or audits going back.

Deletion is a plan the user reads and confirms, then the deletion of exactly that
plan (services.purge refuses a plan that no longer matches the records). Both
steps run on the vault thread, like every service call; the widgets only ever
see the plan's refs and counts, never client text.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from clinic_app.domain.client import Client
from clinic_app.domain.matter import Matter
from clinic_app.gui.tasks import Job, Op, TaskRunner

if TYPE_CHECKING:
    from clinic_app.services.conflict_check import CheckedSave, NameConflict
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


def save_checked(runner: TaskRunner, *, client: Client, new: bool, accept_conflicts: bool) -> Op:
    """Save a client through the conflict check (services.conflict_check.save_client_checked):
    the result says it was saved, or holds the similar names found for the person to decide.
    A new client gets the next free "c-NNN" ref on the vault thread."""

    def work(job: Job) -> CheckedSave:
        from clinic_app.gui.operations.records import client_ref_for
        from clinic_app.services.conflict_check import save_client_checked

        record = dataclasses.replace(client, ref=client_ref_for(job.session)) if new else client
        return save_client_checked(job.session, record, accept_conflicts=accept_conflicts)

    return Op(runner, work, writes=True)


def save_matter_checked(runner: TaskRunner, *, matter: Matter, new: bool, accept_conflicts: bool) -> Op:
    """As `save_checked`, for a matter and its adverse parties."""

    def work(job: Job) -> CheckedSave:
        from clinic_app.gui.operations.records import matter_ref_for
        from clinic_app.services.conflict_check import save_matter_checked as save

        record = dataclasses.replace(matter, ref=matter_ref_for(job.session)) if new else matter
        return save(job.session, record, accept_conflicts=accept_conflicts)

    return Op(runner, work, writes=True)


def went_back(runner: TaskRunner, *, conflicts: tuple[NameConflict, ...]) -> Op:
    """Audit that the person went back to the form instead of saving despite `conflicts`."""

    def work(job: Job) -> None:
        from clinic_app.services.conflict_check import WENT_BACK, record_decision

        record_decision(job.session, conflicts, WENT_BACK)

    return Op(runner, work, writes=True)


def search_names(runner: TaskRunner, *, names: list[str]) -> Op:
    """services.conflict_check.search: every recorded person whose name resembles each name."""

    def work(job: Job) -> object:
        from clinic_app.services.conflict_check import search

        return search(job.session, names)

    return Op(runner, work)
