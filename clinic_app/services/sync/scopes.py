"""Which scope each record travels in, and which scopes each role may read and write.

Two scopes, each with its own keys: "all" holds every record (lawyers, staff, admins),
"letters" holds support letters, the documents a letter names, and a label per matter
(its ref, type and the client's initials: enough for a volunteer to file a letter under
it, nothing of the client's story). A volunteer's laptop holds only the letters scope,
so its limit is cryptographic, not only an application rule.
"""

from __future__ import annotations

from typing import Any

ALL, LETTERS = "all", "letters"
LABEL = "matter_label"  # a matter as volunteers see it (letters scope only)

ROLE_SCOPES = {"admin": (ALL, LETTERS), "lawyer": (ALL, LETTERS), "staff": (ALL, LETTERS),
               "volunteer": (LETTERS,)}
LETTER_KINDS = {"letter", "document", LABEL}


def scopes_for_role(role: str) -> tuple[str, ...]:
    return ROLE_SCOPES.get(role, ())


def record_scopes(kind: str, in_letters: bool) -> tuple[str, ...]:
    """Every record travels in "all"; letters and the documents they name also in "letters";
    matter labels only there."""
    if kind == LABEL:
        return (LETTERS,)
    if kind == "letter" or (kind == "document" and in_letters):
        return (ALL, LETTERS)
    return (ALL,)


def may_write(role: str, scope: str, kind: str) -> bool:
    """What a signature from this role is accepted for (every laptop checks it on pull)."""
    if scope not in scopes_for_role(role):
        return False
    if scope == LETTERS:
        return kind in LETTER_KINDS and (kind != LABEL or role != "volunteer")
    return kind != LABEL


def label_fields(matter: dict[str, Any], client: dict[str, Any] | None) -> dict[str, Any]:
    """The matter label volunteers get: no narrative, no legal name, no file numbers."""
    initials = (client or {}).get("data.public_initials") or ""
    return {"matter_type": matter.get("col.type"), "matter_status": matter.get("data.status"),
            "client_ref": matter.get("col.client_id"), "client_initials": initials}
