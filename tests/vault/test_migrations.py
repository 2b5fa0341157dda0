"""Every frozen vault from a released schema opens, upgrades and stays intact."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from clinic_app.errors import BadInput
from clinic_app.services.session import unlock
from clinic_app.vault import audit, connection, migrations

from support import ADMIN, ADMIN_PASS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "vaults"
FROZEN = sorted(p for p in FIXTURES.iterdir() if p.is_dir())


def test_there_is_a_fixture_for_every_schema_but_the_newest_unreleased() -> None:
    versions = {int(p.name.split("-")[1]) for p in FROZEN}
    assert versions and versions <= set(range(1, migrations.LATEST + 1))
    assert 1 in versions


@pytest.mark.parametrize("fixture", FROZEN, ids=[p.name for p in FROZEN])
def test_frozen_vault_upgrades_to_the_latest_schema(fixture: Path, tmp_path: Path) -> None:
    folder = tmp_path / fixture.name
    shutil.copytree(fixture, folder)
    with unlock(folder, user=ADMIN, passphrase=ADMIN_PASS) as session:
        conn = session.vault.conn
        assert migrations.current_version(conn) == migrations.LATEST
        assert connection.integrity_problems(conn) == []
        assert audit.verify(conn, session.vault.vault_id) == []
        names = [r[0] for r in conn.execute("SELECT name FROM users ORDER BY name")]
        assert names == ["ana", "staff"]
        if int(fixture.name.split("-")[1]) >= 2:  # a case record was frozen with it
            from clinic_app.services import records, vault_check

            assert len(records.listing(session, "documents").rows) >= 3
            assert vault_check.check(session, record=False).document_problems == ()
            assert records.show_matter(session, "m-garcia")["bundles"] == ["b-1"]
            # indexed again by schema 13: the IRB file TB1-12345 typed without its dash
            assert [h.ref for h in records.search_records(session, "TB112345")] == ["m-garcia"]
    unlock(folder, user="staff", passphrase="staff keep the files in order").lock()


def test_a_vault_from_a_newer_haven_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "future"
    shutil.copytree(FROZEN[-1], folder)
    with unlock(folder, user=ADMIN, passphrase=ADMIN_PASS) as session:
        session.vault.conn.execute("PRAGMA user_version = 999")
    with pytest.raises(BadInput, match="newer version of Haven"):
        unlock(folder, user=ADMIN, passphrase=ADMIN_PASS)
