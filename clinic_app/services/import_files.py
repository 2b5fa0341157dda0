"""Importing evidence files (or whole folders) into a matter, one file at a time.

For each file: an exact duplicate (same SHA-256 as a document already in the
vault) is linked to the matter, not stored again; anything else is parsed in the
intake sandbox and, if accepted, stored with its working copy in one transaction.
A refused file is reported with the reason and the batch goes on. Cancelling stops
between files (or inside a file's storage, rolled back); nothing is half-stored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from clinic_app.domain.document import DocumentMeta
from clinic_app.domain.progress import CancelToken, Progress, no_progress
from clinic_app.domain.roles import Permission
from clinic_app.errors import Cancelled, HavenError
from clinic_app.i18n import _
from clinic_app.intake import IntakeError, IntakeSandbox
from clinic_app.services import evidence
from clinic_app.services.evidence import open_regular_file
from clinic_app.services.intake_bridge import sandbox, to_analysis
from clinic_app.services.session import Session
from clinic_app.vault import records

IMPORTED, DUPLICATE, REFUSED = "imported", "duplicate", "refused"


@dataclass(frozen=True)
class FileOutcome:
    name: str
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


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files as given, folders as their files (recursively, sorted, hidden ones skipped)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and not any(
                part.startswith(".") for part in p.relative_to(path).parts))
        else:
            found.append(path)
    return found


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open_regular_file(path) as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _meta_for(path: Path, sha: str, parsed_title: str | None, parsed_date: str | None,
              language: str | None) -> DocumentMeta:
    when = None
    if parsed_date:
        try:
            when = date.fromisoformat(parsed_date)
        except ValueError:
            when = None
    title = (parsed_title or path.stem).strip()[:500] or path.name
    return DocumentMeta(ref=f"doc-{sha[:12]}", title=title, doc_date=when, language=language or "")


def import_one(session: Session, box: IntakeSandbox, matter_ref: str, path: Path, *,
               password: str | None = None, cancel: CancelToken | None = None) -> FileOutcome:
    name = path.name
    try:
        sha = _sha256(path)
        existing = records.document_ref_by_sha256(session.vault.conn, sha)
        if existing:
            evidence.link_to_matter(session, existing, matter_ref)
            return FileOutcome(name, DUPLICATE, existing,
                               message=_("already in the vault as {ref}; linked to this matter").format(ref=existing))
        parsed = box.parse(path, password=password, cancel=cancel)
        meta = _meta_for(path, sha, parsed.title_suggestion, parsed.date_suggestion, parsed.language_guess)
        stored = evidence.store_document(session, path, meta, [matter_ref], analysis=to_analysis(parsed),
                                         cancel=cancel)
        return FileOutcome(name, IMPORTED, stored.ref, warnings=parsed.warnings,
                           likely_duplicate_of=stored.likely_duplicate_of)
    except Cancelled:
        raise
    except IntakeError as exc:
        return FileOutcome(name, REFUSED, reason=exc.reason, message=str(exc))
    except FileNotFoundError:
        return FileOutcome(name, REFUSED, reason="unreadable", message=_("{name} no longer exists.").format(name=name))
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
) -> ImportReport:
    """Import every file (folders expanded) into `matter_ref`; a refused file never stops the rest."""
    session.require(Permission.IMPORT_DOCUMENTS)
    matter_id = records.require_id(session.vault.conn, "matters", matter_ref)
    files = expand(paths)
    report = ImportReport()
    cancel = cancel or CancelToken()
    with sandbox() as box:
        for i, path in enumerate(files):
            cancel.raise_if_cancelled()
            progress(i, len(files), _("Importing file {n} of {total}").format(n=i + 1, total=len(files)))
            report.files.append(import_one(session, box, matter_ref, path, password=password, cancel=cancel))
    progress(len(files), len(files), _("Import complete"))
    with session.transaction():
        session.audit("files_imported", target=f"matter:{matter_id}",
                      detail={"imported": report.count(IMPORTED), "duplicate": report.count(DUPLICATE),
                              "refused": report.count(REFUSED)})
    return report
