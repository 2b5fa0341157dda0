"""Read-only listings of the case record, shaped for the CLI and the window."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from clinic_app.domain.roles import Permission
from clinic_app.i18n import _
from clinic_app.services.session import Session


@dataclass(frozen=True)
class Listing:
    headers: list[str]
    keys: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)


def listing(session: Session, kind: str) -> Listing:
    """Rows for `kind`; volunteers see only support letters."""
    session.require(Permission.MANAGE_LETTERS if kind == "letters" else Permission.READ_RECORDS)
    headers = {
        "clients": ([_("Ref"), _("Initials"), _("Country")], ["ref", "public_initials", "country"]),
        "matters": ([_("Ref"), _("Type"), _("Title")], ["ref", "type", "title"]),
        "documents": ([_("Ref"), _("Title"), _("SHA-256")], ["ref", "title", "sha256"]),
        "letters": ([_("Ref"), _("Writer"), _("Status")], ["ref", "writer", "status"]),
    }[kind]
    return Listing(headers[0], headers[1], [])
