"""Deadlines: one matter's, with their marks, and marking one done / not applicable / open again;
the clinic's deadline rules (its rules folder and province); the calendar (.ics) export."""

from __future__ import annotations

from pathlib import Path

from clinic_app.gui.tasks import Job, Op, TaskRunner


def matter_deadlines(runner: TaskRunner, *, matter_ref: str) -> Op:
    """services.deadlines.MatterDeadlines: the deadlines, pending rules and marks of one matter."""

    def work(job: Job) -> object:
        from clinic_app.services.deadlines import for_matter

        return for_matter(job.session, matter_ref)

    return Op(runner, work)


def timing_fields(runner: TaskRunner) -> Op:
    """services.deadline_options.TimingFields of every matter type: the step dates and rule
    options a matter form offers (read from the rules files, so off the GUI thread)."""

    def work(job: Job) -> object:
        from clinic_app.services.deadlines import context_for, timing_fields_by_type

        return timing_fields_by_type(context_for(job.session))

    return Op(runner, work)


def mark_deadline(runner: TaskRunner, *, matter_ref: str, rule_id: str, state: str | None, reason: str = "") -> Op:
    """Mark `rule_id` of `matter_ref` done or not applicable (`state`), or open again (None)."""

    def work(job: Job) -> object:
        from clinic_app.services.deadlines import set_mark

        return set_mark(job.session, matter_ref, rule_id, state, reason)

    return Op(runner, work, writes=True)


def rules_overview(runner: TaskRunner) -> Op:
    """services.deadline_settings.RulesOverview: the rules folder, the clinic's province, the
    rules files in force and the unconfirmed rules (or the loader's message about a broken file)."""

    def work(job: Job) -> object:
        from clinic_app.services.deadline_settings import rules_overview as overview

        return overview(job.session)

    return Op(runner, work)


def set_province(runner: TaskRunner, *, province: str) -> Op:
    """Save the clinic's province in the vault; returns Changes (every matter's deadlines)."""

    def work(job: Job) -> object:
        from clinic_app.services.deadline_settings import set_clinic_province

        return set_clinic_province(job.session, province)

    return Op(runner, work, writes=True)


def make_rules_folder(runner: TaskRunner) -> Op:
    """The clinic's rules folder, created if missing (no vault needed: the render thread)."""

    def work(_job: Job) -> object:
        from clinic_app.services.deadline_settings import make_rules_folder as make

        return make()

    return Op(runner, work, pool="render")


def export_calendar(runner: TaskRunner, *, target: Path, lang: str, with_refs: bool,
                    matter_ref: str | None = None) -> Op:
    """Write the deadlines (all matters', or `matter_ref`'s) to the .ics file `target`, as
    `clinic-app deadlines [MATTER] --ics FILE [--ics-with-refs]` does; returns the number of events."""

    def work(job: Job) -> int:
        from clinic_app.services.deadlines import export_ics

        return export_ics(job.session, target, matter_ref=matter_ref, lang=lang, with_refs=with_refs)

    return Op(runner, work, writes=True)  # audited: the export is recorded in the vault
