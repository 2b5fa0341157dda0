"""Importing evidence files (or whole folders) into a matter, stored one file at a time.

For each file: an exact duplicate (same SHA-256 as a document already in the
vault) is linked to the matter, not stored again; anything else is parsed in the
intake sandbox and, if accepted, stored with its working copy in one transaction.
A refused file is reported with the reason and the batch goes on: links (to files
or folders) are never followed and pipes, sockets and devices never opened
(intake.files), and names are shown escaped (domain.display). Files are parsed a few
ahead of their turn on a pool of sandboxed children (one per core) but stored, each in
its own transaction, in the order given, so the refs, the report and what a kill
leaves are as if they were done one by one. Cancelling stops between files (or inside
a file's storage, rolled back); nothing is half-stored.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Iterable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import BinaryIO

from clinic_app.domain.common import next_ref
from clinic_app.domain.display import display_name
from clinic_app.domain.document import DocumentMeta
from clinic_app.domain.progress import CancelToken, Progress, no_progress
from clinic_app.domain.roles import Permission
from clinic_app.errors import Cancelled, HavenError
from clinic_app.i18n import _
from clinic_app.intake import IntakeError, IntakeSandbox, ParsedFile
from clinic_app.intake.errors import ChangedWhileReading
from clinic_app.intake.files import Found, open_regular, walk
from clinic_app.services import evidence
from clinic_app.services.intake_bridge import sandbox, to_analysis
from clinic_app.services.session import Session
from clinic_app.vault import records

IMPORTED, DUPLICATE, REFUSED = "imported", "duplicate", "refused"


@dataclass(frozen=True)
class FileOutcome:
    name: str  # the file's name as it is on disk: show it through domain.display.display_name
    outcome: str  # imported | duplicate | refused
    document_ref: str | None = None
    reason: str = ""  # machine-readable refusal reason (intake's), when refused
    message: str = ""  # the user message: why it was refused, or what to know
    warnings: tuple[str, ...] = ()
    likely_duplicate_of: str | None = None


@dataclass
class ImportReport:
    files: list[FileOutcome] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for f in self.files if f.outcome == outcome)

    @property
    def any_refused(self) -> bool:
        return self.count(REFUSED) > 0


def expand(paths: Iterable[Path]) -> list[Found]:
    """Files as given, folders as their files (recursively, sorted, hidden ones skipped),
    never through a link; links and special files are kept, as refusals to report."""
    return walk(paths)


def _sha256(fh: BinaryIO) -> str:
    digest = hashlib.sha256()
    while chunk := fh.read(1 << 20):
        digest.update(chunk)
    return digest.hexdigest()


def title_from_name(name: str) -> str:
    """A title read from a file name when the file gives none: "hc_application-final.pdf"
    -> "hc application-final", escaped (domain.display) so it is always one shown line."""
    stem = Path(name).stem if Path(name).suffix else name
    words = " ".join(display_name(stem).replace("_", " ").split())
    return words[:500] or display_name(name)[:500]


class _DocumentRefs:
    """The next free "d-NNN" ref (readable, never a client's name) for each file of one import.

    `next_ref` over every document's ref is read once per import, not once per file (over
    100,000 documents it cost 85 ms a file, on the thread that stores files in order). Each
    later ref is the first number from there whose ref is free, asked of the ref's index: a
    file stored takes its number, a file refused leaves it to the next, as before."""

    def __init__(self, session: Session) -> None:
        self.conn = session.vault.conn
        self.low: int | None = None

    def next(self) -> str:
        if self.low is None:
            self.low = int(next_ref("d", records.all_refs(self.conn, "documents")).rpartition("-")[2])
        while records.id_for(self.conn, "documents", f"d-{self.low:03d}") is not None:
            self.low += 1
        return f"d-{self.low:03d}"


def _meta_for(refs: _DocumentRefs, name: str, parsed_title: str | None, parsed_date: str | None,
              language: str | None) -> DocumentMeta:
    """The file's ref (see `_DocumentRefs`) and a title."""
    when = None
    if parsed_date:
        try:
            when = date.fromisoformat(parsed_date)
        except ValueError:
            when = None
    title = (parsed_title or "").strip()[:500] or title_from_name(name)
    return DocumentMeta(ref=refs.next(), title=title, doc_date=when, language=language or "")


@dataclass
class _Pending:
    """A file opened, hashed and queued on the sandbox's pool ahead of its turn to be stored."""

    found: Found
    outcome: FileOutcome | None = None  # decided before any parse: refused
    fh: BinaryIO | None = None  # held open from hashing to storing: the very file looked at
    sha: str = ""
    parsing: Future[ParsedFile] | None = None  # None: in the vault already, or a twin is ahead


def _prepare(session: Session, box: IntakeSandbox, found: Found, ahead: set[str], *,
             password: str | None, cancel: CancelToken | None) -> _Pending:
    """Open the file (race-safely) and hash it; queue its parse unless the same bytes are
    in the vault or earlier in this batch (`ahead`): its turn decides then."""
    name, shown = found.name, display_name(found.name)
    if found.refusal is not None:
        return _Pending(found, FileOutcome(name, REFUSED, reason=found.refusal.reason, message=str(found.refusal)))
    try:
        fh = open_regular(found.path, identity=found.identity, name=shown)
    except IntakeError as exc:
        return _Pending(found, FileOutcome(name, REFUSED, reason=exc.reason, message=str(exc)))
    except FileNotFoundError:
        return _Pending(found, _gone(name))
    pending = _Pending(found, fh=fh)
    try:
        pending.sha = _sha256(fh)
        if pending.sha not in ahead and not records.document_ref_by_sha256(session.vault.conn, pending.sha):
            pending.parsing = box.submit(found.path, password=password, display_name=shown, cancel=cancel)
        ahead.add(pending.sha)
    except IntakeError as exc:
        fh.close()
        pending.outcome = FileOutcome(name, REFUSED, reason=exc.reason, message=str(exc))
    except BaseException:
        fh.close()
        raise
    return pending


def _gone(name: str) -> FileOutcome:
    return FileOutcome(name, REFUSED, reason="unreadable",
                       message=_("{name} no longer exists.").format(name=display_name(name)))


def _store(session: Session, box: IntakeSandbox, matter_ref: str, pending: _Pending, refs: _DocumentRefs, *,
           password: str | None, cancel: CancelToken | None) -> FileOutcome:
    """The file's turn, in the order given: linked when its bytes are in the vault by now,
    else stored once its parse is done. Intake must have read the same bytes as were hashed
    and stored, or nothing is kept."""
    if pending.outcome is not None:
        return pending.outcome
    path, name, shown = pending.found.path, pending.found.name, display_name(pending.found.name)
    assert pending.fh is not None
    try:
        with pending.fh as fh:
            existing = records.document_ref_by_sha256(session.vault.conn, pending.sha)
            if existing:
                evidence.link_to_matter(session, existing, matter_ref)
                return FileOutcome(name, DUPLICATE, existing, message=_(
                    "already in the vault as {ref}; linked to this matter").format(ref=existing))
            parsed = pending.parsing.result() if pending.parsing is not None else box.parse(
                path, password=password, display_name=shown, cancel=cancel)  # its twin ahead was refused
            if parsed.source_sha256 != pending.sha:
                raise ChangedWhileReading(shown)
            meta = _meta_for(refs, name, parsed.title_suggestion, parsed.date_suggestion, parsed.language_guess)
            fh.seek(0)
            stored = evidence.store_document(session, fh, meta, [matter_ref], analysis=to_analysis(parsed),
                                             original_filename=shown, cancel=cancel)
        return FileOutcome(name, IMPORTED, stored.ref, warnings=parsed.warnings,
                           likely_duplicate_of=stored.likely_duplicate_of)
    except Cancelled:
        raise
    except IntakeError as exc:
        return FileOutcome(name, REFUSED, reason=exc.reason, message=str(exc))
    except FileNotFoundError:
        return _gone(name)
    except HavenError as exc:
        return FileOutcome(name, REFUSED, reason="invalid", message=str(exc))


def import_files(
    session: Session,
    matter_ref: str,
    paths: Sequence[Path],
    *,
    password: str | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
    workers: int | None = None,
) -> ImportReport:
    """Import every file (folders expanded) into `matter_ref`; a refused file never stops the rest.
    Files are parsed on `workers` sandboxed children (default: one per core) and stored in order."""
    session.require(Permission.IMPORT_DOCUMENTS)
    matter_id = records.require_id(session.vault.conn, "matters", matter_ref)
    files = expand(paths)
    report = ImportReport()
    cancel = cancel or CancelToken()
    refs = _DocumentRefs(session)
    with sandbox(workers=workers) as box:
        # Files are opened, hashed and parsed a few ahead, on every core (the window bounds
        # how many working copies wait in memory); each is stored, or linked, in its turn.
        window, queued, upcoming, seen = 2 * box.workers + 1, deque[_Pending](), iter(files), set[str]()
        try:
            for i in range(len(files)):
                cancel.raise_if_cancelled()
                while len(queued) < window and (found := next(upcoming, None)) is not None:
                    queued.append(_prepare(session, box, found, seen, password=password, cancel=cancel))
                progress(i, len(files), _("Importing file {n} of {total}").format(n=i + 1, total=len(files)))
                report.files.append(_store(session, box, matter_ref, queued.popleft(), refs, password=password,
                                           cancel=cancel))
        finally:
            for pending in queued:
                if pending.fh is not None:
                    pending.fh.close()
    progress(len(files), len(files), _("Import complete"))
    with session.transaction():
        session.audit("files_imported", target=f"matter:{matter_id}",
                      detail={"imported": report.count(IMPORTED), "duplicate": report.count(DUPLICATE),
                              "refused": report.count(REFUSED)})
    return report
