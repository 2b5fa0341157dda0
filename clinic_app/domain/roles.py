"""Roles and what each may do. An application-level control, enforced in services.

Anyone who holds a passphrase can decrypt the whole vault; roles stop honest
mistakes and keep volunteers to their work, they are not cryptographic walls.
The README says so plainly.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from clinic_app.i18n import N_


class Role(str, Enum):
    ADMIN = "admin"
    LAWYER = "lawyer"
    STAFF = "staff"
    VOLUNTEER = "volunteer"


class Permission(str, Enum):
    MANAGE_USERS = "manage_users"
    BACKUP = "backup"
    READ_RECORDS = "read_records"  # clients, matters, documents (not narratives)
    READ_NARRATIVES = "read_narratives"
    EDIT_RECORDS = "edit_records"
    DELETE_RECORDS = "delete_records"
    IMPORT_DOCUMENTS = "import_documents"
    BUILD = "build"  # bundles and packages
    EXPORT = "export"  # anything that leaves the vault in plaintext or as a transfer file
    MANAGE_LETTERS = "manage_letters"  # support letters and their documents
    REVIEW_LETTERS = "review_letters"  # mark a letter reviewed (or send a reviewed one back)
    FILE_LETTERS = "file_letters"  # mark a letter ready to file
    READ_AUDIT = "read_audit"


PERMISSION_LABELS: dict[Permission, str] = {
    Permission.MANAGE_USERS: N_("manage users"),
    Permission.BACKUP: N_("make or restore backups"),
    Permission.READ_RECORDS: N_("read client and matter records"),
    Permission.READ_NARRATIVES: N_("read client narratives"),
    Permission.EDIT_RECORDS: N_("edit client and matter records"),
    Permission.DELETE_RECORDS: N_("delete records"),
    Permission.IMPORT_DOCUMENTS: N_("import documents"),
    Permission.BUILD: N_("build bundles and packages"),
    Permission.EXPORT: N_("export from the vault"),
    Permission.MANAGE_LETTERS: N_("manage support letters"),
    Permission.REVIEW_LETTERS: N_("mark support letters reviewed"),
    Permission.FILE_LETTERS: N_("mark support letters ready to file"),
    Permission.READ_AUDIT: N_("read the audit log"),
}

_ALL = frozenset(Permission)

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: _ALL,
    Role.LAWYER: _ALL - {Permission.MANAGE_USERS, Permission.BACKUP},
    Role.STAFF: frozenset(
        {
            Permission.READ_RECORDS,
            Permission.READ_NARRATIVES,
            Permission.EDIT_RECORDS,
            Permission.IMPORT_DOCUMENTS,
            Permission.BUILD,
            Permission.MANAGE_LETTERS,
            Permission.REVIEW_LETTERS,
        }
    ),
    Role.VOLUNTEER: frozenset({Permission.MANAGE_LETTERS}),
}


def parse_role(text: str) -> Role:
    from clinic_app.errors import UsageError
    from clinic_app.i18n import _

    try:
        return Role(text.strip().lower())
    except ValueError:
        raise UsageError(
            _("Unknown role {role}: choose admin, lawyer, staff or volunteer.").format(role=text)
        ) from None


def allows(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]


@dataclass(frozen=True)
class User:
    name: str
    role: Role
    created_at: str = ""


def validate_user_name(name: str) -> str:
    """User names are short logins, never client data: letters, digits, . _ - only."""
    import re

    from clinic_app.errors import UsageError
    from clinic_app.i18n import _

    cleaned = name.strip()
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}", cleaned):
        raise UsageError(
            _(
                "User name {name} is not allowed: use 1-64 letters, digits, dots, "
                "dashes or underscores."
            ).format(name=repr(name))
        )
    return cleaned
