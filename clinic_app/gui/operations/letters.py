"""Support letters: the volunteers' fast form, the lists it feeds, and the guidance sheet for writers."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clinic_app.domain.changes import Changes
from clinic_app.domain.letter import SupportLetter
from clinic_app.gui.operations.records import Saved, next_ref
from clinic_app.gui.tasks import Job, Op, TaskRunner


def letters(runner: TaskRunner, *, matter_ref: str | None) -> Op:
    """Letters of one matter, or every letter the user may see when `matter_ref` is None."""

    def work(job: Job) -> list[SupportLetter]:
        from clinic_app.services.case_record import letters as load

        return load(job.session, matter_ref)

    return Op(runner, work)


def factor_support(runner: TaskRunner, *, matter_ref: str) -> Op:
    """Per H&C factor: the documents and letters that support it and what is still missing."""

    def work(job: Job) -> Any:
        from clinic_app.services.letters_workflow import factor_completeness

        return factor_completeness(job.session, matter_ref)

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


def link_scan(runner: TaskRunner, *, letter_ref: str, document_ref: str | None) -> Op:
    """Make a document of the matter the letter's scan (None: unlink); returns Changes."""

    def work(job: Job) -> Changes:
        from clinic_app.services.letters_workflow import link_scan as link

        return link(job.session, letter_ref, document_ref)

    return Op(runner, work, writes=True)


@dataclass
class ScanImported:
    outcome: Any  # services.import_files.FileOutcome
    changes: Changes


def import_scan(runner: TaskRunner, *, letter_ref: str, path: Path) -> Op:
    """Import a file into the letter's matter and link it as the letter's scan."""

    def work(job: Job) -> ScanImported:
        from clinic_app.services.letters_workflow import get_letter
        from clinic_app.services.letters_workflow import import_scan as run

        outcome = run(job.session, letter_ref, Path(path), progress=job.progress, cancel=job.cancel)
        letter_id = get_letter(job.session, letter_ref).id
        return ScanImported(outcome, Changes(links=True, letters=frozenset({letter_id} if letter_id else ())))

    return Op(runner, work, writes=True)
