"""The hash-chained audit log detects edits, deletions and reordering."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic_app.services.session import unlock
from clinic_app.vault import audit
from clinic_app.vault.connection import IntegrityError

from support import ADMIN, ADMIN_PASS, run_cli


def test_append_only_triggers_refuse_edits(admin_session) -> None:
    conn = admin_session.vault.conn
    with pytest.raises(IntegrityError, match="append-only"):
        conn.execute("UPDATE audit SET actor = 'mallory' WHERE seq = 1")
    with pytest.raises(IntegrityError, match="append-only"):
        conn.execute("DELETE FROM audit WHERE seq = 1")


def _tamper(folder: Path, sql: str) -> None:
    with unlock(folder, user=ADMIN, passphrase=ADMIN_PASS) as session:
        conn = session.vault.conn
        conn.execute("DROP TRIGGER audit_append_only_update")
        conn.execute("DROP TRIGGER audit_append_only_delete")
        conn.execute(sql)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit SET actor = 'mallory' WHERE seq = 2",
        "UPDATE audit SET detail = '{\"role\": \"volunteer\"}' WHERE seq = 2",
        "DELETE FROM audit WHERE seq = 2",
        "UPDATE audit SET at = '2020-01-01T00:00:00+00:00' WHERE seq = 1",
    ],
)
def test_verify_detects_an_edited_row(vault_folder: Path, sql: str) -> None:
    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as session:
        assert audit.verify(session.vault.conn, session.vault.vault_id) == []
    _tamper(vault_folder, sql)
    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as session:
        problems = audit.verify(session.vault.conn, session.vault.vault_id)
    assert problems and any("row" in p for p in problems)


def test_cli_audit_verify_exit_codes(vault_folder: Path) -> None:
    ok = run_cli("--vault", str(vault_folder), "--passphrase-stdin", "audit", "--verify", stdin=ADMIN_PASS + "\n")
    assert ok.returncode == 0, ok.stderr
    assert "intact" in ok.stdout
    _tamper(vault_folder, "UPDATE audit SET actor = 'mallory' WHERE seq = 1")
    bad = run_cli("--vault", str(vault_folder), "--passphrase-stdin", "audit", "--verify", stdin=ADMIN_PASS + "\n")
    assert bad.returncode == 5
    assert "row 1" in bad.stdout


def test_cli_audit_filters_by_user_action_and_day(vault_folder: Path, role_sessions, cli) -> None:
    import json
    from datetime import date, timedelta

    from clinic_app.domain.client import Client
    from clinic_app.services import case_record

    with role_sessions("staff") as s:
        case_record.save_client(s, Client(ref="c-1", legal_name="Test Client"))
    base = ("--vault", str(vault_folder), "--user", ADMIN, "--passphrase-stdin", "audit", "--json")
    code, out, err = cli(*base, "--by", "staff")
    assert code == 0, err
    rows = json.loads(out)
    assert rows and {r["actor"] for r in rows} == {"staff"} and "client_created" in {r["action"] for r in rows}
    code, out, _err = cli(*base, "--action", "client_created")
    assert [(r["actor"], r["action"]) for r in json.loads(out)] == [("staff", "client_created")]
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    code, out, _err = cli(*base, "--since", tomorrow)
    assert code == 0 and json.loads(out) == []
    code, out, _err = cli(*base, "--until", tomorrow)
    assert len(json.loads(out)) > 1
    code, _out, err = cli(*base, "--since", "2027-13-40")
    assert code != 0 and "Not a date" in err


def test_cli_audit_until_the_last_possible_day_lists_every_row(vault_folder: Path, cli) -> None:
    """--until 9999-12-31 (as far ahead as a date goes) stopped with an internal error."""
    import json

    base = ("--vault", str(vault_folder), "--user", ADMIN, "--passphrase-stdin", "audit", "--json")
    everything = json.loads(cli(*base)[1])
    code, out, err = cli(*base, "--until", "9999-12-31")
    assert code == 0, err
    rows = json.loads(out)
    assert everything and rows[:len(everything)] == everything
    assert len(rows) == len(everything) + 1  # and the unlock of this very command
