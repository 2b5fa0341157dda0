"""Deadlines: one matter's, with their marks, and marking one done / not applicable / open again."""

from __future__ import annotations

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
        from clinic_app.services.deadlines import RuleContext, timing_fields_by_type

        return timing_fields_by_type(RuleContext())

    return Op(runner, work)


def mark_deadline(runner: TaskRunner, *, matter_ref: str, rule_id: str, state: str | None, reason: str = "") -> Op:
    """Mark `rule_id` of `matter_ref` done or not applicable (`state`), or open again (None)."""

    def work(job: Job) -> object:
        from clinic_app.services.deadlines import set_mark

        return set_mark(job.session, matter_ref, rule_id, state, reason)

    return Op(runner, work, writes=True)
