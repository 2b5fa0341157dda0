"""A member who signs hostile rows with their own keys and login (here a volunteer, whose
reach is meant to stop at letters): every other laptop refuses the row and keeps syncing.

Found by attack: a field name carrying SQL ran on every staff laptop and copied every
client's narrative into a letter the volunteer then received; a row whose clock stamp was
not one stopped every other laptop's sync for good ("Internal error"); a volunteer's
tombstone for a guessed ref deleted confidential evidence everywhere, and a letter pointed
at that ref made staff laptops publish it to the volunteers' scope.
"""

from __future__ import annotations

import dataclasses
import io
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psycopg

from clinic_app.domain.client import Client
from clinic_app.domain.document import DocumentMeta
from clinic_app.domain.letter import SupportLetter
from clinic_app.domain.matter import Matter
from clinic_app.domain.roles import Role
from clinic_app.services import case_record, evidence, letters_workflow
from clinic_app.services.sync import envelope, local, server
from clinic_app.services.sync.merge import values as merge_values
from clinic_app.vault import records, sync_rows

from laptops import Laptop, admin_laptop, join_laptop
from support import ADMIN, ADMIN_PASS

SECRET = "QXZHOSTILE narrative"


def _clinic(tmp: Path, url: str) -> tuple[Laptop, Laptop, Laptop]:
    admin = admin_laptop(tmp, url, users_to_add={"vic": Role.VOLUNTEER, "lena": Role.LAWYER})
    with admin.session() as s:
        case_record.save_client(s, Client(ref="c-1", legal_name="Amira Haddad", narrative=SECRET))
        case_record.save_matter(s, Matter(ref="m-1", client_ref="c-1", type="hc", title="H&C"))
        case_record.save_letter(s, SupportLetter(ref="l-1", matter_ref="m-1", writer="A teacher"))
        evidence.store_document(s, io.BytesIO(b"medical report " + os.urandom(500)),
                                DocumentMeta(ref="d-1", title="Medical report"), ["m-1"])
    admin.sync()
    return admin, join_laptop(admin, tmp, "vic", Role.VOLUNTEER), join_laptop(admin, tmp, "lena", Role.LAWYER)


def _push_as(lap: Laptop, kind: str, ref: str, fields: dict[str, Any], deleted: list[str] | None = None,
             stamp: str | None = None) -> None:
    """Sign and push one record with `lap`'s own keys and login, as a modified Haven would."""
    with lap.session() as s:
        conn = s.vault.conn
        settings, me = local.settings(conn), local.identity(conn)
        key = local.current_key(local.scope_keys(conn), "letters")
    stamp = stamp or f"{int(time.time() * 1000):013d}-000000-{me.device_id}"
    record = {"fields": {k: [v, stamp, me.device_id] for k, v in fields.items()}, "deleted": deleted}
    rid = key.record_id(kind, ref)
    with psycopg.connect(settings.url) as pg:
        row = pg.execute("SELECT version FROM haven.records WHERE scope = 'letters' AND record_id = %s",
                         (rid,)).fetchone()
    body = envelope.seal_row(settings.clinic_id, key, rid, {"kind": kind, "ref": ref, "record": record}, me)
    with server.connect(settings.url) as pg:
        done = server.push(pg, me.device_id, [server.PushRow("letters", rid, row[0] if row else 0, key.epoch, body)])
    assert list(done.values()) != [None]


def _letter_fields(lap: Laptop, ref: str) -> dict[str, Any]:
    with lap.session() as s:
        found = sync_rows.read_record(s.vault.conn, "letter", ref)
    assert found is not None
    return {k: v for k, v in found.items() if v is not None}


def test_a_field_name_carrying_sql_is_refused(tmp_path: Path, server_url: str) -> None:
    admin, vic, lena = _clinic(tmp_path, server_url)
    fields = _letter_fields(vic, "l-1")
    fields["col.status = ?, data = json_set(?, '$.key_quote', (SELECT group_concat(data, ' | ') FROM clients)), "
           "updated_at = ? WHERE id = ? --"] = "requested"
    _push_as(vic, "letter", "l-1", fields)
    for lap in (admin, lena):
        report = lap.sync()
        assert report.rejected == 1
        with lap.session() as s:
            (letter,) = case_record.letters(s, "m-1")
            assert SECRET not in (letter.key_quote or "") and letter.writer == "A teacher"
    with admin.session() as s:  # an ordinary edit afterwards sends nothing of the clients to the letters scope
        evidence.store_document(s, io.BytesIO(b"%PDF scan"), DocumentMeta(ref="d-scan", title="Scan"), ["m-1"])
        letters_workflow.link_scan(s, "l-1", "d-scan")
    admin.sync()
    vic.sync()
    with vic.session() as s:
        assert not any(SECRET in str(r[0]) for r in s.vault.conn.execute("SELECT data FROM letters"))
        assert not any(SECRET in str(r[0]) for r in s.vault.conn.execute("SELECT data FROM clients"))


def test_rows_the_tables_cannot_take_are_refused_and_the_sync_goes_on(tmp_path: Path, server_url: str) -> None:
    admin, vic, lena = _clinic(tmp_path, server_url)
    good = _letter_fields(vic, "l-1")
    _push_as(vic, "letter", "l-bad-stamp", {**good, "data.ref": "l-bad-stamp"}, stamp="not-a-stamp")
    _push_as(vic, "letter", "l-no-ref", {k: v for k, v in good.items() if k != "data.ref"})
    _push_as(vic, "letter", "l-list", {**good, "data.ref": "l-list", "col.matter_id": ["m-1"]})
    _push_as(vic, "letter", "l-counter", {**good, "data.ref": "l-counter"},
             stamp=f"{int(time.time() * 1000):013d}-999999-{'f' * 32}")  # the largest counter a stamp may carry
    _push_as(vic, "letter", "l-future", {**good, "data.ref": "l-future"},
             stamp=f"9999999999999-999999-{'f' * 32}")  # the largest stamp: it overflowed every clock that saw it
    _push_as(vic, "letter", "l-good", {**good, "data.ref": "l-good"})
    for attempt in range(2):
        run = subprocess.run([sys.executable, "-m", "clinic_app", "--vault", str(admin.folder), "--user", ADMIN,
                              "--passphrase-stdin", "sync"], input=ADMIN_PASS + "\n", capture_output=True,
                             text=True, env={**os.environ, "HAVEN_GUI": "0"}, timeout=300)
        assert run.returncode == 0, run.stderr
        assert "Internal error" not in run.stderr
    report = lena.sync()
    assert report.rejected == 4
    for lap in (admin, lena):
        with lap.session() as s:
            refs = {x.ref for x in case_record.letters(s, "m-1")}
            assert {"l-good", "l-counter"} <= refs and not refs & {"l-bad-stamp", "l-no-ref", "l-list", "l-future"}
            case_record.save_letter(s, SupportLetter(ref="l-after", matter_ref="m-1", writer="Later"))
        lap.sync()  # a stamp after the full counter is still one every laptop reads
    admin.sync()
    vic.sync()
    with vic.session() as s:
        assert "l-after" in {x.ref for x in case_record.letters(s, "m-1")}


def test_a_volunteer_reaches_no_document_beyond_the_letters(tmp_path: Path, server_url: str) -> None:
    admin, vic, lena = _clinic(tmp_path, server_url)
    with admin.session() as s:
        evidence.store_document(s, io.BytesIO(b"%PDF signed letter"), DocumentMeta(ref="d-scan", title="Scan"),
                                ["m-1"])
        letters_workflow.link_scan(s, "l-1", "d-scan")
    admin.sync()
    lena.sync()
    vic.sync()
    with vic.session() as s:  # what a volunteer is there for still reaches everyone
        assert records.all_refs(s.vault.conn, "documents") == ["d-scan"]
        me = local.identity(s.vault.conn).device_id
        (letter,) = case_record.letters(s, "m-1")
        case_record.save_letter(s, dataclasses.replace(letter, writer="A teacher (retired)"))
    vic.sync()
    for lap in (admin, lena):
        assert lap.sync().rejected == 0
        with lap.session() as s:
            (letter,) = case_record.letters(s, "m-1")
            assert (letter.writer, letter.document_ref) == ("A teacher (retired)", "d-scan")
    now = f"{int(time.time() * 1000):013d}-000000-{me}"
    _push_as(vic, "document", "d-1", {}, deleted=[now, me])  # evidence she never saw
    _push_as(vic, "document", "d-7", {}, deleted=[now, me])  # laid in advance for a ref not yet used
    _push_as(vic, "letter", "l-1", {**_letter_fields(vic, "l-1"), "col.document_id": "d-1",
                                    "data.document_ref": "d-1"})  # would publish d-1
    assert admin.sync().rejected == 3
    assert lena.sync().rejected == 2  # the letter is the admin's again: refused rows are answered with ours
    with admin.session() as s:
        evidence.store_document(s, io.BytesIO(b"later evidence"), DocumentMeta(ref="d-7", title="Later"), ["m-1"])
    admin.sync()
    for lap in (admin, lena):
        lap.sync()
        with lap.session() as s:
            assert {"d-1", "d-7", "d-scan"} <= set(records.all_refs(s.vault.conn, "documents"))
            (letter,) = case_record.letters(s, "m-1")
            assert letter.document_ref == "d-scan"
    vic.sync()
    with vic.session() as s:
        assert records.all_refs(s.vault.conn, "documents") == ["d-scan"]


def test_a_row_from_a_member_who_joined_during_the_pull_is_received(tmp_path: Path, server_url: str,
                                                                   monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Lena's round read the membership log; before her pull reached the server Zed joined and
    pushed a client. The row was refused as from a stranger and the cursor moved past it, so
    Lena never received that client, not at the next sync either."""
    admin = admin_laptop(tmp_path, server_url, users_to_add={"lena": Role.LAWYER, "zed": Role.STAFF})
    lena = join_laptop(admin, tmp_path, "lena", Role.LAWYER)
    real_pull, joined = server.pull, []

    def pull_while_zed_joins(pg, after, limit=500):  # type: ignore[no-untyped-def]
        if not joined:  # another laptop, meanwhile: the real join and push, between two of Lena's reads
            joined.append(True)  # first: Zed's own syncs read through here too
            zed = join_laptop(admin, tmp_path, "zed", Role.STAFF)
            with zed.session() as s:
                case_record.save_client(s, Client(ref="c-zed", legal_name="Entered by Zed"))
            zed.sync()
        return real_pull(pg, after, limit)

    monkeypatch.setattr(server, "pull", pull_while_zed_joins)
    report = lena.sync()
    monkeypatch.setattr(server, "pull", real_pull)
    assert joined and report.rejected == 0
    with lena.session() as s:
        assert "c-zed" in records.all_refs(s.vault.conn, "clients")


def test_a_letter_parked_on_an_unused_ref_does_not_take_the_evidence_stored_there_later(
        tmp_path: Path, server_url: str) -> None:
    """Vic pointed a letter at `d-5`, a ref no one held: it waited for that document, and when a
    lawyer later stored evidence as `d-5` the waiting letter was applied unchecked and the lawyer's
    own laptop published the evidence to the letters scope."""
    admin, vic, lena = _clinic(tmp_path, server_url)
    vic.sync()
    _push_as(vic, "letter", "l-1", {**_letter_fields(vic, "l-1"), "col.document_id": "d-5",
                                    "data.document_ref": "d-5"})
    admin.sync()
    lena.sync()
    with lena.session() as s:
        evidence.store_document(s, io.BytesIO(b"interview transcript QXZINTERVIEW"),
                                DocumentMeta(ref="d-5", title="Interview"), ["m-1"])
    for lap in (lena, admin, lena, admin):
        lap.sync()
    for lap in (admin, lena):
        with lap.session() as s:
            (letter,) = case_record.letters(s, "m-1")
            assert letter.document_ref is None
    vic.sync()
    with vic.session() as s:
        assert records.all_refs(s.vault.conn, "documents") == []


def test_a_records_json_must_agree_with_its_columns_and_ref(tmp_path: Path, server_url: str) -> None:
    """Records are loaded from their JSON: a letter whose `data.document_ref` named evidence while
    its column did not was shown, and saved by the next staff edit, as the evidence's letter; a
    document whose `data.ref` named `d-1` was listed, and acted on, as the real `d-1`."""
    admin, vic, lena = _clinic(tmp_path, server_url)
    vic.sync()
    _push_as(vic, "letter", "l-1", {**_letter_fields(vic, "l-1"), "data.document_ref": "d-1"})
    _push_as(vic, "letter", "l-2", {**_letter_fields(vic, "l-1"), "data.ref": "l-1", "data.writer": "Spoof"})
    for lap in (admin, lena):
        assert lap.sync().rejected == 2
        with lap.session() as s:
            (letter,) = case_record.letters(s, "m-1")
            assert (letter.ref, letter.document_ref, letter.writer) == ("l-1", None, "A teacher")


def test_a_document_whose_chunks_do_not_open_is_refused_alone(tmp_path: Path, server_url: str) -> None:
    """A chunk that does not open raised an error the pull did not expect: every other laptop's
    sync stopped on that row for good ("Internal error")."""
    import hashlib
    import secrets

    admin, vic, lena = _clinic(tmp_path, server_url)
    vic.sync()
    with vic.session() as s:
        settings = local.settings(s.vault.conn)
        key = local.current_key(local.scope_keys(s.vault.conn), "letters")
    fake = hashlib.sha256(os.urandom(16)).hexdigest()
    cid = secrets.token_hex(20)
    with server.connect(settings.url) as pg:
        server.put_chunk(pg, "letters", cid, os.urandom(4096))
    _push_as(vic, "document", "d-v", {
        "data.ref": "d-v", "data.title": "Scan", "col.blob_id": fake,
        f"chunks.letters.{fake}": {"epoch": key.epoch, "size": 4096, "chunks": [[cid, "00" * 32, "ab" * 32]]}})
    with admin.session() as s:
        case_record.save_client(s, Client(ref="c-after", legal_name="After"))
    run = subprocess.run([sys.executable, "-m", "clinic_app", "--vault", str(admin.folder), "--user", ADMIN,
                          "--passphrase-stdin", "sync"], input=ADMIN_PASS + "\n", capture_output=True, text=True,
                         env={**os.environ, "HAVEN_GUI": "0"}, timeout=300)
    assert run.returncode == 0 and "Internal error" not in run.stderr, run.stderr
    assert lena.sync().rejected == 1
    with lena.session() as s:
        assert "c-after" in records.all_refs(s.vault.conn, "clients")
        assert "d-v" not in records.all_refs(s.vault.conn, "documents")


def test_a_row_a_member_may_not_write_is_answered_with_the_laptops_own_copy(tmp_path: Path, server_url: str) -> None:
    """Vic swapped the matter's label (which only staff write) on the server for one she signed.
    Every laptop refused it and kept its own copy, but the server kept hers: a volunteer joining
    later never received the matter, nor its letters. Now a laptop that may write the record
    sends its own version back over the refused row."""
    from clinic_app.services.sync import scopes
    from clinic_app.vault import sync_state

    admin = admin_laptop(tmp_path, server_url, users_to_add={"vic": Role.VOLUNTEER, "vera": Role.VOLUNTEER})
    with admin.session() as s:
        case_record.save_client(s, Client(ref="c-1", legal_name="Amira Haddad", public_initials="A.H."))
        case_record.save_matter(s, Matter(ref="m-1", client_ref="c-1", type="hc", title="H&C"))
        case_record.save_letter(s, SupportLetter(ref="l-1", matter_ref="m-1", writer="A teacher"))
    admin.sync()
    with admin.session() as s:
        label = merge_values(sync_state.base(s.vault.conn, scopes.LABEL, "m-1")[0])
    vic = join_laptop(admin, tmp_path, "vic", Role.VOLUNTEER)
    _push_as(vic, scopes.LABEL, "m-1", {**label, "client_initials": "Q.Q.", "matter_type": "not-a-type"})
    assert admin.sync().rejected == 1
    vera = join_laptop(admin, tmp_path, "vera", Role.VOLUNTEER)
    report = vera.sync()
    assert report.rejected == 0 and report.waiting == 0
    with vera.session() as s:
        assert records.all_refs(s.vault.conn, "matters") == ["m-1"]
        assert [x.ref for x in case_record.letters(s, "m-1")] == ["l-1"]
