"""Faults while sharing: a laptop killed mid-sync, the server stopped mid-transaction, two pushes
at the same instant. Nothing is lost, nothing is duplicated, and without the push lock the
last test fails (a pull skips a row that commits late)."""

from __future__ import annotations

import io
import multiprocessing
import os
import signal
import threading
from pathlib import Path

import psycopg
import pytest

from clinic_app.domain.client import Client
from clinic_app.domain.document import DocumentMeta
from clinic_app.domain.matter import Matter
from clinic_app.domain.roles import Role
from clinic_app.services import case_record, evidence
from clinic_app.services.sync import server
from clinic_app.services.sync.engine import SyncFailed
from clinic_app.vault import records

from laptops import Laptop, admin_laptop, join_laptop

from rel_support import soundness


def _refs(lap: Laptop, table: str) -> list[str]:
    with lap.session() as s:
        return sorted(records.all_refs(s.vault.conn, table))


def _killed_before_record_push(folder: str, user: str, passphrase: str) -> None:
    """Child process: upload the chunks, then die by SIGKILL just before the records go up."""
    from clinic_app.services.session import unlock
    from clinic_app.services.sync.engine import sync_now

    def die(*_a, **_k):  # type: ignore[no-untyped-def]
        os.kill(os.getpid(), signal.SIGKILL)

    server.push = die  # type: ignore[assignment]
    with unlock(Path(folder), user=user, passphrase=passphrase) as s:
        sync_now(s)


def test_a_laptop_killed_between_chunks_and_records_loses_nothing(tmp_path: Path, server_url: str) -> None:
    admin = admin_laptop(tmp_path, server_url, users_to_add={"lena": Role.LAWYER})
    lena = join_laptop(admin, tmp_path, "lena", Role.LAWYER)
    with admin.session() as s:
        case_record.save_client(s, Client(ref="c-1", legal_name="Person One"))
        case_record.save_matter(s, Matter(ref="m-1", client_ref="c-1", type="hc", title="t"))
        evidence.store_document(s, io.BytesIO(os.urandom(3_000_000)), DocumentMeta(ref="d-1", title="Doc"), ["m-1"])
    child = multiprocessing.get_context("fork").Process(
        target=_killed_before_record_push, args=(str(admin.folder), admin.user, admin.passphrase))
    child.start()
    child.join(120)
    assert child.exitcode == -signal.SIGKILL
    with psycopg.connect(server_url) as pg:
        assert pg.execute("SELECT count(*) FROM haven.chunks").fetchone()[0] == 3  # the chunks went up
        assert pg.execute("SELECT count(*) FROM haven.records").fetchone()[0] == 0  # the records did not
    assert soundness(admin.folder).problems == []
    report = admin.sync()
    assert report.chunks_uploaded == 0 and report.chunks_already_there == 3 and report.pushed >= 3
    lena.sync()
    assert _refs(lena, "documents") == ["d-1"]
    with psycopg.connect(server_url) as pg:
        # client, matter and document once each in "all", and the matter's label for volunteers
        assert pg.execute("SELECT scope, count(*) FROM haven.records GROUP BY scope ORDER BY scope").fetchall() == \
            [("all", 3), ("letters", 1)]


def test_the_server_stopped_mid_transaction(tmp_path: Path, server_url: str, pg_cluster, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    admin = admin_laptop(tmp_path, server_url, users_to_add={"lena": Role.LAWYER})
    lena = join_laptop(admin, tmp_path, "lena", Role.LAWYER)
    with admin.session() as s:
        for i in range(5):
            case_record.save_client(s, Client(ref=f"c-{i}", legal_name=f"Person {i}"))
    monkeypatch.setattr(server, "before_commit", lambda: pg_cluster.pg_ctl("-m", "immediate", "stop"))
    try:
        with pytest.raises(SyncFailed):
            admin.sync()
    finally:
        monkeypatch.setattr(server, "before_commit", None)
        pg_cluster.resume()
    with admin.session() as s:
        assert s.vault.conn.execute("SELECT count(*) FROM sync_outbox").fetchone()[0] == 5  # still to send
    assert soundness(admin.folder).problems == []
    admin.sync()
    lena.sync()
    assert _refs(lena, "clients") == [f"c-{i}" for i in range(5)]
    with psycopg.connect(server_url) as pg:
        assert pg.execute("SELECT count(*) FROM haven.records WHERE scope = 'all'").fetchone()[0] == 5


def _race(tmp_path: Path, server_url: str) -> list[str]:
    """A holds its push open inside the transaction; B pushes meanwhile; C pulls meanwhile.
    Returns the clients C ends with after A and B finished and C synced once more."""
    admin = admin_laptop(tmp_path, server_url, users_to_add={"bea": Role.STAFF, "cyd": Role.STAFF})
    bea = join_laptop(admin, tmp_path, "bea", Role.STAFF)
    cyd = join_laptop(admin, tmp_path, "cyd", Role.STAFF)
    with admin.session() as s:
        case_record.save_client(s, Client(ref="c-from-a", legal_name="Written by A"))
    with bea.session() as s:
        case_record.save_client(s, Client(ref="c-from-b", legal_name="Written by B"))
    inside, release = threading.Event(), threading.Event()
    hold = {"armed": True}

    def held() -> None:
        if hold.pop("armed", False):  # only A's first push waits
            inside.set()
            release.wait(20)

    errors: list[BaseException] = []

    def run(lap: Laptop) -> None:
        try:
            lap.sync()
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread
            errors.append(exc)

    server.before_commit = held
    try:
        a = threading.Thread(target=run, args=(admin,))
        a.start()
        assert inside.wait(30)
        b = threading.Thread(target=run, args=(bea,))
        b.start()
        b.join(3)  # with the lock B waits for A; without it B commits a later sequence number now
        cyd.sync()  # C pulls while A's row is still uncommitted
        release.set()
        a.join(60)
        b.join(60)
    finally:
        server.before_commit = None
        release.set()
    assert not errors, errors
    cyd.sync()
    return _refs(cyd, "clients")


def test_two_pushes_at_once_lose_nothing(tmp_path: Path, server_url: str) -> None:
    assert _race(tmp_path, server_url) == ["c-from-a", "c-from-b"]


def test_without_the_push_lock_a_pull_skips_a_row(tmp_path: Path, server_url: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The same race with the serialisation removed: the puller's cursor passes A's row."""
    monkeypatch.setattr(server, "serialise_pushes", False)
    assert _race(tmp_path, server_url) == ["c-from-b"]
