"""Support letters: the volunteers' fast form, the lists it feeds, and the guidance sheet for writers."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from clinic_app.domain.letter import SupportLetter
from clinic_app.gui.operations.records import Saved, next_ref
from clinic_app.gui.tasks import Job, Op, TaskRunner


def letters(runner: TaskRunner, *, matter_ref: str | None) -> Op:
    """Letters of one matter, or every letter the user may see when `matter_ref` is None."""

    def work(job: Job) -> list[SupportLetter]:
        from clinic_app.services.case_record import letters as load

        return load(job.session, matter_ref)

    return Op(runner, work)


def save_letter(runner: TaskRunner, *, letter: SupportLetter, new: bool) -> Op:
    """Save a letter; a new one gets the next free "l-NNN" ref on the vault thread."""

    def work(job: Job) -> Saved:
        from clinic_app.services.case_record import letters as load
        from clinic_app.services.case_record import save_letter as save

        record = letter
        if new:
            record = dataclasses.replace(letter, ref=next_ref("l", [x.ref for x in load(job.session, None)]))
        return Saved(record.ref, save(job.session, record))

    return Op(runner, work, writes=True)


def letter_by_ref(runner: TaskRunner, *, ref: str) -> Op:
    def work(job: Job) -> SupportLetter | None:
        from clinic_app.services.case_record import letters as load

        return next((x for x in load(job.session, None) if x.ref == ref), None)

    return Op(runner, work)


GUIDANCE_LANGUAGES = ("en", "fr", "es")


def guidance_sheet(runner: TaskRunner, *, lang: str, out_path: Path) -> Op:
    """Write the printable guide for letter writers (it names no client) to `out_path`."""

    def work(job: Job) -> Path:
        from clinic_app.services.letters_workflow import write_guidance_sheet

        return write_guidance_sheet(job.session, lang, out_path)

    return Op(runner, work, writes=True)
