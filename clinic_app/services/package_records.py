"""Loading what a package is built from, and running its pre-flight check.

One matter's client, documents, translation links and letters, plus the item
statuses and attachments the clinic stored, become the pure `PackageInputs`; the
deadlines come from the deadline service with the same rules as the agenda.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from clinic_app.domain.client import Client
from clinic_app.domain.correspondence import CorrespondenceEntry
from clinic_app.domain.exhibits import ExhibitLink
from clinic_app.domain.document import DocumentMeta
from clinic_app.domain.letter import SupportLetter
from clinic_app.domain.matter import Matter
from clinic_app.domain.packages import (
    Checklist,
    ItemState,
    ItemStatus,
    PackageDef,
    PackageInputs,
    PackageProblem,
    check_package,
    evaluate,
    get_package,
    has_errors,
)
from clinic_app.domain.roles import Permission
from clinic_app.domain.translation import TranslationLink
from clinic_app.services import deadlines as deadline_service
from clinic_app.services.session import Session
from clinic_app.vault import correspondence as correspondence_rows
from clinic_app.vault import packages as package_rows
from clinic_app.vault import records


@dataclass(frozen=True)
class MatterRecords:
    """One matter with everything a package is built from."""

    matter_id: int
    matter: Matter
    client: Client
    documents: tuple[DocumentMeta, ...]
    links: tuple[TranslationLink, ...]
    letters: tuple[SupportLetter, ...]
    exhibits: tuple[ExhibitLink, ...] = ()
    correspondence: tuple[CorrespondenceEntry, ...] = ()


@dataclass(frozen=True)
class PreflightReport:
    package: PackageDef
    checklist: Checklist
    problems: tuple[PackageProblem, ...]

    @property
    def ready(self) -> bool:
        """Never true while a required item is missing or any other error remains."""
        return not has_errors(self.problems)

    @property
    def errors(self) -> list[PackageProblem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[PackageProblem]:
        return [p for p in self.problems if p.severity != "error"]


def load_records(session: Session, matter_ref: str) -> MatterRecords:
    session.require(Permission.READ_RECORDS)
    conn = session.vault.conn
    matter_id = records.require_id(conn, "matters", matter_ref)
    matter = records.load(conn, Matter, matter_id)
    client = records.load(conn, Client, records.require_id(conn, "clients", matter.client_ref))
    return MatterRecords(matter_id, matter, client, tuple(records.documents_of_matter(conn, matter_id)),
                         tuple(records.translations_of_matter(conn, matter_id)),
                         tuple(records.letters_of_matter(conn, matter_id)),
                         tuple(correspondence_rows.exhibits_of_matter(conn, matter_id)),
                         tuple(correspondence_rows.entries(conn, matter_id)))


def package_inputs(session: Session, rec: MatterRecords, package: PackageDef,
                   letter_themes: Iterable[str] | None = None) -> PackageInputs:
    rows = package_rows.item_rows(session.vault.conn, rec.matter_id, package.type.value)
    states = {item: ItemState(ItemStatus(row.status) if row.status else None, row.note, row.attached)
              for item, row in rows.items()}
    themes = frozenset(t.casefold() for t in letter_themes) if letter_themes is not None else None
    return PackageInputs(rec.matter, rec.documents, rec.links, rec.letters, states, themes, rec.exhibits,
                         rec.correspondence)


@dataclass(frozen=True)
class Prepared:
    """Everything one pre-flight read, kept for the build that follows it."""

    records: MatterRecords
    inputs: PackageInputs
    report: PreflightReport


def prepare(session: Session, matter_ref: str, package: str, *, today: date, province: str | None = None,
            letter_themes: Iterable[str] | None = None) -> Prepared:
    definition = get_package(package)
    rec = load_records(session, matter_ref)
    inputs = package_inputs(session, rec, definition, letter_themes)
    filled = evaluate(definition, inputs)
    rule_context = deadline_service.context_for(session, province)
    found = deadline_service.of_matter_record(rec.matter, rule_context)
    kinds = {rule.id: rule.kind for rule in rule_context.rules.rules}
    pending = [p for p in found.pending if kinds.get(p.rule_id) == "due"]  # a missing date to watch is no problem
    problems = check_package(filled, inputs, today=today, deadlines=found.deadlines, pending=pending)
    return Prepared(rec, inputs, PreflightReport(definition, filled, tuple(problems)))


def preflight(session: Session, matter_ref: str, package: str, *, today: date | None = None,
              province: str | None = None, letter_themes: Iterable[str] | None = None) -> PreflightReport:
    """The filled checklist and every problem, errors first (see PreflightReport.ready)."""
    return prepare(session, matter_ref, package, today=today or date.today(), province=province,
                   letter_themes=letter_themes).report
