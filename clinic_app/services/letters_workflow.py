"""The support-letter workflow: moving letters along, seeing what each H&C factor has
(the letters tab's table, `letter-support`), and printing the guidance sheet for writers.

Volunteers do most of this work, so everything here needs only the letters
permission, except the completeness view's documents, which need the records one:
a volunteer sees the letters side of it (`documents_visible` False).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from clinic_app.domain.changes import Changes
from clinic_app.domain.letter import LetterStatus, SupportLetter, transition
from clinic_app.domain.letter import status_choices as status_choices_for
from clinic_app.domain.packages import FactorCompleteness, completeness
from clinic_app.domain.progress import CancelToken, Progress, no_progress
from clinic_app.domain.roles import Permission
from clinic_app.errors import BadInput
from clinic_app.i18n import _
from clinic_app.output_files import output_write_bytes
from clinic_app.pdf.generated import guidance
from clinic_app.services import case_record
from clinic_app.services.session import Session
from clinic_app.vault import records

if TYPE_CHECKING:
    from clinic_app.services.import_files import FileOutcome


def get_letter(session: Session, letter_ref: str) -> SupportLetter:
    session.require(Permission.MANAGE_LETTERS)
    conn = session.vault.conn
    return records.load(conn, SupportLetter, records.require_id(conn, "letters", letter_ref))


def status_choices(session: Session, letter_ref: str | None) -> list[LetterStatus]:
    """The statuses this person may give the letter (a new one when `letter_ref` is None):
    what the window's status list offers and what `save_letter` accepts."""
    session.require(Permission.MANAGE_LETTERS)
    current = get_letter(session, letter_ref).status if letter_ref else None
    return status_choices_for(current, session.can)


def move_letter(session: Session, letter_ref: str, target: LetterStatus | str) -> Changes:
    """Move a letter one step (requested -> received -> reviewed -> ready to file, or back).

    A letter still waiting for its translation cannot become ready to file: the
    domain refuses it with the reason (ValidationError on "status").
    """
    moved = transition(get_letter(session, letter_ref), target)  # type: ignore[arg-type]
    return case_record.save_letter(session, moved)


def link_scan(session: Session, letter_ref: str, document_ref: str | None) -> Changes:
    """Make `document_ref` the scanned letter of `letter_ref` (None: unlink), so a letter
    that is ready to file can enter a package. The document is linked to the letter's
    matter if it was not; a document is the scan of one letter at most."""
    session.require(Permission.MANAGE_LETTERS)
    session.require(Permission.READ_RECORDS)
    letter = get_letter(session, letter_ref)
    with session.transaction() as conn:
        if document_ref is not None:
            doc_id = records.require_id(conn, "documents", document_ref)
            others = [ref for ref in records.letters_with_document(conn, doc_id) if ref != letter.ref]
            if others:
                raise BadInput(_("Document {document} is already the scanned letter of {letter}.").format(
                    document=document_ref, letter=others[0]))
            if records.link_document(conn, doc_id, records.require_id(conn, "matters", letter.matter_ref)):
                session.audit("document_linked", target=f"document:{doc_id}")
        if letter.document_ref == document_ref:
            return Changes(links=True)
        saved = case_record.save_letter(session, replace(letter, document_ref=document_ref))
        session.audit("letter_scan_linked" if document_ref else "letter_scan_unlinked",
                      target=f"letter:{letter.id}")
    return Changes(letters=saved.letters, links=True)


def import_scan(session: Session, letter_ref: str, path: Path, *, password: str | None = None,
                progress: Progress = no_progress, cancel: CancelToken | None = None) -> FileOutcome:
    """Import one file (the scanned letter) into the letter's matter and link it as the
    letter's scan; a refused file is reported and nothing is linked."""
    from clinic_app.services.import_files import REFUSED, expand, import_files

    session.require(Permission.IMPORT_DOCUMENTS)
    letter = get_letter(session, letter_ref)
    found = expand([Path(path)])
    if len(found) != 1:
        raise BadInput(_("A letter has one scan: give one file, not {count}.").format(count=len(found)))
    outcome = import_files(session, letter.matter_ref, [Path(path)], password=password, progress=progress,
                           cancel=cancel).files[0]
    if outcome.outcome != REFUSED and outcome.document_ref:
        link_scan(session, letter.ref, outcome.document_ref)
    return outcome


@dataclass(frozen=True)
class Completeness:
    factors: tuple[FactorCompleteness, ...]
    documents_visible: bool  # False for roles that may not read documents (volunteers)


def factor_completeness(session: Session, matter_ref: str) -> Completeness:
    """Per H&C factor: supporting documents and letters (ready or not) and what is missing."""
    letters = case_record.letters(session, matter_ref)
    visible = session.can(Permission.READ_RECORDS)
    documents = []
    if visible:
        conn = session.vault.conn
        documents = records.documents_of_matter(conn, records.require_id(conn, "matters", matter_ref))
    return Completeness(tuple(completeness(documents, letters)), visible)


def write_guidance_sheet(session: Session, lang: str, out_path: Path) -> Path:
    """The printable guide for letter writers in English, French or Spanish (no client data)."""
    session.require(Permission.MANAGE_LETTERS)
    output_write_bytes(Path(out_path), guidance.letter_guidance(lang))
    return Path(out_path)
