"""Every table of the vault is either shared between laptops (registered in vault/sync_rows.py)
or declared local: a table added later cannot silently stay out of sharing."""

from __future__ import annotations

from clinic_app.services.session import unlock
from clinic_app.vault import sync_rows

from support import ADMIN, ADMIN_PASS


def test_every_table_is_registered_or_local(vault_folder) -> None:  # type: ignore[no-untyped-def]
    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        conn = s.vault.conn
        assert sync_rows.unregistered_tables(conn) == []
        shared = sync_rows.shared_tables(conn)
    assert {"clients", "matters", "documents", "letters", "bundles", "package_items"} <= set(shared)


def test_each_registered_child_names_its_owner(vault_folder) -> None:  # type: ignore[no-untyped-def]
    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        conn = s.vault.conn
        for table, child in sync_rows.CHILDREN.items():
            owner = sync_rows._owner_table(conn, table, child)
            assert owner in sync_rows.ROOTS, (table, owner)
