"""Role checks are enforced in the services layer."""

from __future__ import annotations

import pytest

from clinic_app.domain.roles import Permission, Role, allows
from clinic_app.errors import PermissionDenied
from clinic_app.services import audit_log, records, users


def test_role_matrix_matches_the_documented_rules() -> None:
    assert all(allows(Role.ADMIN, p) for p in Permission)
    assert allows(Role.LAWYER, Permission.EXPORT) and not allows(Role.LAWYER, Permission.MANAGE_USERS)
    assert allows(Role.STAFF, Permission.BUILD) and not allows(Role.STAFF, Permission.EXPORT)
    assert {p for p in Permission if allows(Role.VOLUNTEER, p)} == {Permission.MANAGE_LETTERS}


@pytest.mark.parametrize("role", ["lawyer", "staff", "volunteer"])
def test_only_admins_manage_users(role_sessions, role: str) -> None:
    with role_sessions(role) as session:
        with pytest.raises(PermissionDenied):
            users.add_user(session, "eve", Role.ADMIN, "eve wants to be an admin now")
        with pytest.raises(PermissionDenied):
            users.remove_user(session, "staff")
        with pytest.raises(PermissionDenied):
            users.list_users(session)


def test_volunteer_sees_letters_but_not_records_or_audit(role_sessions) -> None:
    with role_sessions("volunteer") as session:
        assert records.listing(session, "letters").rows == []
        for kind in ("clients", "matters", "documents"):
            with pytest.raises(PermissionDenied):
                records.listing(session, kind)
        with pytest.raises(PermissionDenied):
            audit_log.entries(session)


def test_staff_reads_records_but_not_audit(role_sessions) -> None:
    with role_sessions("staff") as session:
        assert records.listing(session, "clients").rows == []
        with pytest.raises(PermissionDenied):
            audit_log.verify(session)


def test_last_admin_cannot_be_removed_and_nobody_removes_themselves(role_sessions) -> None:
    from clinic_app.errors import BadInput

    with role_sessions("admin") as admin:
        with pytest.raises(BadInput):
            users.remove_user(admin, "ana")
        users.add_user(admin, "second", Role.ADMIN, "second admin has a long phrase")
    with role_sessions("admin") as admin:
        with pytest.raises(BadInput):
            users.remove_user(admin, "ana")  # still yourself
        users.remove_user(admin, "second")
        assert [u.name for u in users.list_users(admin)] == ["ana", "lawyer", "staff", "volunteer"]
