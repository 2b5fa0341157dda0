"""What a person (or a script) sees of the connection: where, who, what waits, what the server sees."""

from __future__ import annotations

from typing import Any

from clinic_app.domain.changes import Changes
from clinic_app.i18n import _, ngettext
from clinic_app.services.session import Session
from clinic_app.services.sync import local, server
from clinic_app.vault import sync_rows, sync_state


def server_name(url: str) -> str:
    return server.describe(url)


def status(session: Session) -> dict[str, Any]:
    conn = session.vault.conn
    if not local.is_connected(conn):
        return {"connected": False}
    s = local.settings(conn)
    members = sync_state.members(conn)
    return {
        "connected": True, "server": server_name(s.url), "clinic": s.clinic_id, "device": s.device_id,
        "user": s.user, "role": s.role, "epoch": int(sync_state.get(conn, "epoch") or 1),
        "members": sum(1 for m in members if m.removed_at is None),
        "last_sync": sync_state.get(conn, "last_sync") or "",
        "waiting_to_send": len(sync_state.outbox_keys(conn)) + len(sync_state.dirty(conn)[1]),
        "waiting_for_references": len(sync_state.pending(conn)),
        "open_conflicts": len(sync_state.conflicts(conn)),
    }


def laptops(session: Session) -> dict[str, str]:
    """Laptop id -> the name of the person it belongs to, for every member this laptop knows
    (removed ones too: a conflict may come from a laptop removed since)."""
    return {m.device_id: m.user_name for m in sync_state.members(session.vault.conn)}


def every_record(session: Session) -> Changes:
    """Every record now in the vault, as a `Changes`: a round says how many records it applied,
    not which, so a window reloads whatever it shows after a round that changed anything."""
    conn = session.vault.conn
    ids = {table: frozenset(i for ref in sync_rows.all_refs(conn, kind)
                            if (i := sync_rows.root_id(conn, kind, ref)) is not None)
           for table, kind in sync_rows.ROOTS.items()}
    return Changes(**ids, links=True)  # type: ignore[arg-type]


def describe(info: dict[str, Any]) -> list[str]:
    if not info.get("connected"):
        return [_("This vault is not connected to a clinic server.")]
    lines = [
        _("Connected to {server} as {user} ({role}), laptop {device}.").format(**info),
        ngettext("Clinic members: {members} laptop; key epoch {epoch}.",
                 "Clinic members: {members} laptops; key epoch {epoch}.", info["members"]).format(**info),
        _("Last sync: {when}.").format(when=info["last_sync"][:19].replace("T", " ") + " UTC"
                                       if info["last_sync"] else _("never")),
        ngettext("Waiting to be sent: {waiting_to_send} record.", "Waiting to be sent: {waiting_to_send} records.",
                 info["waiting_to_send"]).format(**info),
    ]
    if info["waiting_for_references"]:
        lines.append(_("Received but waiting for records they name: {waiting_for_references}.").format(**info))
    lines.append(_("Open conflicts: {open_conflicts}.").format(**info))
    return lines


def what_the_server_sees() -> list[str]:
    return [
        _("The server will see: how many records and document chunks there are and their sizes (rounded), "
          "when each laptop connects and sends, each laptop's id, and which of the two scopes (all records, "
          "or letters) a row belongs to."),
        _("The server will not see: any name, narrative, document, title, date, ref or audit entry; all of "
          "them are encrypted on this laptop with keys the server never holds, and signed by their author."),
    ]
