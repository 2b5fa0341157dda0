"""A server that rewrites audit rows is named by `audit --verify`, and one that did not is not.

Every audit row on the server is sealed under a key of its scope that every laptop entitled
to that scope holds (all epochs are granted to each member), so a row no held key opens, or
whose contents do not match its hash, was changed on the server. A laptop that has not synced
since a new epoch, or a volunteer's laptop, must not see tampering where there is none.
"""

from __future__ import annotations

import os
from pathlib import Path

import psycopg

from clinic_app.domain.client import Client
from clinic_app.domain.letter import SupportLetter
from clinic_app.domain.matter import Matter
from clinic_app.domain.roles import Role
from clinic_app.services import case_record, users
from clinic_app.services.sync import audit_share, local

from laptops import Laptop, admin_laptop, join_laptop
from support import ADMIN, ADMIN_PASS, run_cli


def _device(lap: Laptop) -> str:
    with lap.session() as s:
        return local.settings(s.vault.conn).device_id


def _problems(lap: Laptop) -> list[str]:
    with lap.session() as s:
        return audit_share.verify(s)


def test_audit_bodies_replaced_on_the_server_are_named(tmp_path: Path, server_url: str) -> None:
    admin = admin_laptop(tmp_path, server_url, users_to_add={"lena": Role.LAWYER})
    lena = join_laptop(admin, tmp_path, "lena", Role.LAWYER)
    with lena.session() as s:
        case_record.save_client(s, Client(ref="c-1", legal_name="Amira"))
    lena.sync()
    admin.sync()
    assert _problems(admin) == []
    dev = _device(lena)
    with psycopg.connect(server_url) as pg:
        rows = pg.execute("SELECT seq, length(body) FROM haven.audit WHERE device_id = %s ORDER BY seq",
                          (dev,)).fetchall()
        for seq, size in rows[1:3]:
            pg.execute("UPDATE haven.audit SET body = %s WHERE device_id = %s AND seq = %s",
                       (os.urandom(size), dev, seq))
    tampered = [seq for seq, _size in rows[1:3]]

    problems = _problems(admin)
    assert problems, "random bodies passed as intact"
    for seq in tampered:
        assert any(dev in p and f"audit row {seq} " in p and "changed on the server" in p for p in problems), problems
    assert all(dev in p for p in problems), problems

    done = run_cli("--vault", str(admin.folder), "--user", ADMIN, "--passphrase-stdin", "audit", "--verify",
                   stdin=ADMIN_PASS + "\n", env={"HAVEN_GUI": "0"})
    assert done.returncode == 5, done.stdout + done.stderr
    assert "intact" not in done.stdout and dev in done.stdout and "altered" in done.stdout


def test_a_valid_body_moved_to_another_row_and_a_chain_of_no_member_are_named(tmp_path: Path,
                                                                              server_url: str) -> None:
    admin = admin_laptop(tmp_path, server_url, users_to_add={"lena": Role.LAWYER})
    lena = join_laptop(admin, tmp_path, "lena", Role.LAWYER)
    lena.sync()
    dev = _device(lena)
    with psycopg.connect(server_url) as pg:
        (first,), (second,) = pg.execute("SELECT body FROM haven.audit WHERE device_id = %s AND seq IN (1, 2) "
                                         "ORDER BY seq", (dev,)).fetchall()
        pg.execute("UPDATE haven.audit SET body = %s WHERE device_id = %s AND seq = 2", (first, dev))
        pg.execute("INSERT INTO haven.audit (device_id, chain, seq, scope, prev_hash, hash, body) "
                   "VALUES ('feedfacefeedface', 0, 1, 'all', '', 'abc', %s)", (second,))
    problems = _problems(admin)
    assert any(dev in p and "audit row 2 " in p for p in problems), problems
    assert any("feedfacefeedface" in p and "not a member" in p for p in problems), problems


def test_no_tampering_is_seen_where_there_is_none(tmp_path: Path, server_url: str) -> None:
    """A volunteer (letters scope only), and a laptop that has not synced since a removal moved
    every scope to a new epoch, verify every chain they can read as intact."""
    admin = admin_laptop(tmp_path, server_url, users_to_add={"lena": Role.LAWYER, "vic": Role.VOLUNTEER,
                                                             "bob": Role.STAFF})
    with admin.session() as s:
        case_record.save_client(s, Client(ref="c-1", legal_name="Amira"))
        case_record.save_matter(s, Matter(ref="m-1", client_ref="c-1", type="hc", title="H&C"))
    admin.sync()
    lena = join_laptop(admin, tmp_path, "lena", Role.LAWYER)
    vic = join_laptop(admin, tmp_path, "vic", Role.VOLUNTEER)
    join_laptop(admin, tmp_path, "bob", Role.STAFF)
    with vic.session() as s:
        case_record.save_letter(s, SupportLetter(ref="l-1", matter_ref="m-1", writer="A neighbour"))
    for lap in (vic, lena, admin):
        lap.sync()
    with admin.session() as s:
        users.remove_user(s, "bob")  # a new epoch: the admin's next rows are sealed under keys lena lacks yet
    admin.sync()
    vic.sync()
    assert _problems(lena) == []
    assert _problems(vic) == []
    assert _problems(admin) == []
