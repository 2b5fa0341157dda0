"""A record deleted for good, and what comes after it: a new record under its ref, and edits
another laptop made to it meanwhile."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from clinic_app.domain.client import Client
from clinic_app.domain.roles import Role
from clinic_app.services import case_record, purge
from clinic_app.services.records import search_records
from clinic_app.vault import records, sync_state

from laptops import admin_laptop, join_laptop
from support import ADMIN, ADMIN_PASS


def test_a_new_record_under_a_deleted_records_ref_is_renamed_and_reaches_every_laptop(
        tmp_path: Path, server_url: str) -> None:
    """The new client went out as the old deletion again: `sync` said "sent: 1", the outbox
    emptied, and no other laptop ever received it."""
    admin = admin_laptop(tmp_path, server_url, users_to_add={"lena": Role.LAWYER})
    with admin.session() as s:
        case_record.save_client(s, Client(ref="c-1", legal_name="Entered by mistake"))
    admin.sync()
    lena = join_laptop(admin, tmp_path, "lena", Role.LAWYER)
    with admin.session() as s:
        purge.delete_client(s, purge.plan_deletion(s, "c-1"))
    admin.sync()
    lena.sync()
    with admin.session() as s:
        case_record.save_client(s, Client(ref="c-1", legal_name="Amira Haddad"))
    run = subprocess.run([sys.executable, "-m", "clinic_app", "--vault", str(admin.folder), "--user", ADMIN,
                          "--passphrase-stdin", "sync"], input=ADMIN_PASS + "\n", capture_output=True, text=True,
                         env={**os.environ, "HAVEN_GUI": "0"}, timeout=300)
    assert "c-1 belonged to a record deleted for good: yours is now c-1-2." in run.stdout, run.stdout + run.stderr
    lena.sync()
    for lap in (admin, lena):
        with lap.session() as s:
            assert records.all_refs(s.vault.conn, "clients") == ["c-1-2"]
            assert case_record.get_client(s, "c-1-2").legal_name == "Amira Haddad"
            assert [h.ref for h in search_records(s, "Haddad")] == ["c-1-2"]
            assert sync_state.outbox_keys(s.vault.conn) == []
    with admin.session() as s:
        assert [(c.field, c.ref) for c in sync_state.conflicts(s.vault.conn)] == [("ref", "c-1-2")]


def test_an_edit_lost_to_a_deletion_cannot_be_kept_and_leaves_no_trace_once_settled(
        tmp_path: Path, server_url: str) -> None:
    """Lena edited a narrative offline while its client was deleted for good. `--keep other`
    said "settled" and kept nothing, and her text stayed in the vault file after settling."""
    import json

    admin = admin_laptop(tmp_path, server_url, users_to_add={"lena": Role.LAWYER})
    with admin.session() as s:
        case_record.save_client(s, Client(ref="c-1", legal_name="Amira", narrative="first account"))
    admin.sync()
    lena = join_laptop(admin, tmp_path, "lena", Role.LAWYER)
    text = "QXZLOST account typed in the hallway"
    with lena.session() as s:
        case_record.save_client(s, Client(ref="c-1", legal_name="Amira", narrative=text))
    with admin.session() as s:
        purge.delete_client(s, purge.plan_deletion(s, "c-1"))
    admin.sync()
    lena.sync()

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "clinic_app", "--vault", str(lena.folder), "--user", "lena",
                               "--passphrase-stdin", *args], input=lena.passphrase + "\n", capture_output=True,
                              text=True, env={**os.environ, "HAVEN_GUI": "0"}, timeout=300)

    listed = json.loads(cli("sync", "conflicts", "--json").stdout)
    (lost,) = [c for c in listed if c["field"] == "data.narrative"]
    assert lost["other"] == text  # the person can still read what was lost, and copy it
    other = cli("sync", "conflicts", "--resolve", str(lost["id"]), "--keep", "other")
    assert other.returncode != 0 and "deleted for good" in other.stderr and "settled" not in other.stdout
    for conflict in listed:
        done = cli("sync", "conflicts", "--resolve", str(conflict["id"]), "--keep", "kept")
        assert done.returncode == 0, done.stderr
    with lena.session() as s:
        assert records.all_refs(s.vault.conn, "clients") == []
        assert s.vault.find_in_pages([text.encode()]) == []
