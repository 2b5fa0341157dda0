"""Filing packages: checklist, item status and attachments, pre-flight, build.

The package definitions, the checklist rules and the pre-flight are pure (domain/
packages). Loading a matter's records and running pre-flight live in
`package_records`, building in `package_build`; both are re-exported here so
callers (GUI, CLI) import one module.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from clinic_app.domain.changes import Changes
from clinic_app.domain.common import clean_line, parse_enum
from clinic_app.domain.ids import MatterId
from clinic_app.domain.matter import Matter
from clinic_app.domain.packages import Checklist, ItemStatus, PackageDef, Source, evaluate, get_package, packages_for
from clinic_app.domain.progress import CancelToken, Progress, no_progress
from clinic_app.domain.roles import Permission
from clinic_app.errors import ValidationError
from clinic_app.i18n import _
from clinic_app.services.package_build import PackageBuild, build_package, draft_kinds, render_document, write_draft
from clinic_app.services.package_records import (
    MatterRecords,
    PreflightReport,
    load_records,
    package_inputs,
    preflight,
)
from clinic_app.services.session import Session
from clinic_app.vault import packages as package_rows
from clinic_app.vault import records

if TYPE_CHECKING:
    from clinic_app.services.import_files import ImportReport


def available_packages(session: Session, matter_ref: str) -> list[PackageDef]:
    """The package types that fit the matter's type."""
    session.require(Permission.READ_RECORDS)
    conn = session.vault.conn
    return packages_for(records.load(conn, Matter, records.require_id(conn, "matters", matter_ref)).type)


def checklist(session: Session, matter_ref: str, package: str,
              letter_themes: Iterable[str] | None = None) -> Checklist:
    definition = get_package(package)
    rec = load_records(session, matter_ref)
    return evaluate(definition, package_inputs(session, rec, definition, letter_themes))


def _item(package: str, item_id: str) -> tuple[PackageDef, str]:
    definition = get_package(package)
    try:
        definition.item(item_id)
    except KeyError:
        raise ValidationError(_("{package} has no checklist item {item}; its items are: {items}.").format(
            package=definition.type.value, item=item_id,
            items=", ".join(item.id for _s, item in definition.items())), field="item") from None
    return definition, item_id


def _attachable(package: str, item_id: str) -> PackageDef:
    definition, item_id = _item(package, item_id)
    if definition.item(item_id).source not in (Source.DOCUMENT, Source.ATTACHED):
        raise ValidationError(_("Only document items take attachments."), item=item_id, field="item")
    return definition


def set_item_status(session: Session, matter_ref: str, package: str, item_id: str, status: ItemStatus | str,
                    note: str = "") -> Changes:
    """Record where an item stands (e.g. "requested" from the client on a given day, in the note)."""
    session.require(Permission.EDIT_RECORDS)
    definition, item_id = _item(package, item_id)
    value = parse_enum(ItemStatus, status, "status")
    note = clean_line(note, "note", max_len=500)
    with session.transaction() as conn:
        matter_id = records.require_id(conn, "matters", matter_ref)
        package_rows.set_status(conn, matter_id, definition.type.value, item_id, value.value, note)
        session.audit("package_item_updated", target=f"matter:{matter_id}",
                      detail={"package": definition.type.value, "item": item_id, "status": value.value})
    return Changes(matters=frozenset({MatterId(matter_id)}))


def clear_item_status(session: Session, matter_ref: str, package: str, item_id: str) -> Changes:
    """Forget the stored status: the item's status is derived from the records again."""
    session.require(Permission.EDIT_RECORDS)
    definition, item_id = _item(package, item_id)
    with session.transaction() as conn:
        matter_id = records.require_id(conn, "matters", matter_ref)
        if package_rows.clear_status(conn, matter_id, definition.type.value, item_id):
            session.audit("package_item_updated", target=f"matter:{matter_id}",
                          detail={"package": definition.type.value, "item": item_id, "status": None})
    return Changes(matters=frozenset({MatterId(matter_id)}))


def attach_document(session: Session, matter_ref: str, package: str, item_id: str, document_ref: str) -> Changes:
    """Attach a document to an item (linking it to the matter if needed)."""
    session.require(Permission.EDIT_RECORDS)
    definition = _attachable(package, item_id)
    with session.transaction() as conn:
        matter_id = records.require_id(conn, "matters", matter_ref)
        doc_id = records.require_id(conn, "documents", document_ref)
        records.link_document(conn, doc_id, matter_id)
        if package_rows.attach(conn, matter_id, definition.type.value, item_id, doc_id):
            session.audit("package_document_attached", target=f"matter:{matter_id}",
                          detail={"package": definition.type.value, "item": item_id, "document": doc_id})
    return Changes(matters=frozenset({MatterId(matter_id)}), links=True)


def import_to_item(session: Session, matter_ref: str, package: str, item_id: str, paths: Sequence[Path], *,
                   password: str | None = None, progress: Progress = no_progress,
                   cancel: CancelToken | None = None) -> ImportReport:
    """Import files (a signed form, a scan dropped on the item) and attach each one taken,
    new or already in the vault, to the item; a refused file is reported, never attached."""
    from clinic_app.services.import_files import REFUSED, import_files

    session.require(Permission.EDIT_RECORDS)
    _attachable(package, item_id)
    report = import_files(session, matter_ref, paths, password=password, progress=progress, cancel=cancel)
    for outcome in report.files:
        if outcome.outcome != REFUSED and outcome.document_ref:
            attach_document(session, matter_ref, package, item_id, outcome.document_ref)
    return report


def detach_document(session: Session, matter_ref: str, package: str, item_id: str, document_ref: str) -> Changes:
    session.require(Permission.EDIT_RECORDS)
    definition, item_id = _item(package, item_id)
    with session.transaction() as conn:
        matter_id = records.require_id(conn, "matters", matter_ref)
        doc_id = records.require_id(conn, "documents", document_ref)
        if package_rows.detach(conn, matter_id, definition.type.value, item_id, doc_id):
            session.audit("package_document_detached", target=f"matter:{matter_id}",
                          detail={"package": definition.type.value, "item": item_id, "document": doc_id})
    return Changes(matters=frozenset({MatterId(matter_id)}), links=True)


__all__ = [
    "MatterRecords", "PackageBuild", "PreflightReport", "attach_document", "available_packages", "build_package",
    "checklist", "clear_item_status", "detach_document", "draft_kinds", "import_to_item", "load_records", "package_inputs",
    "preflight", "render_document", "set_item_status", "write_draft",
]
