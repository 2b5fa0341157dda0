"""Connection settings on every connection, and no plaintext temp files."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from clinic_app.services.session import unlock
from clinic_app.vault import connection

from support import ADMIN, ADMIN_PASS


def test_every_connection_has_the_safety_settings(vault_folder: Path) -> None:
    for _ in range(3):
        with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as session:
            conn = session.vault.conn
            assert connection.pragma(conn, "temp_store") == 2
            assert connection.pragma(conn, "foreign_keys") == 1
            assert connection.pragma(conn, "journal_mode") == "wal"
            assert connection.pragma(conn, "synchronous") == 2  # FULL
            assert connection.pragma(conn, "cipher_version").startswith("4.")
            assert connection.integrity_problems(conn) == []


def test_the_session_caches_what_search_touches_and_readers_stream(vault_folder: Path) -> None:
    """The session's connection keeps 128 MiB of decrypted pages for search (see
    connection.CACHE_KIB); a reader streaming working copies keeps only its b-tree pages."""
    from clinic_app.vault.reader import READER_CACHE_KIB

    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as session:
        assert connection.pragma(session.vault.conn, "cache_size") == -connection.CACHE_KIB
        reader = session.vault.reader_source().connect()
        try:
            assert connection.pragma(reader, "cache_size") == -READER_CACHE_KIB
        finally:
            reader.close()


def test_large_sort_writes_no_temp_file(vault_folder: Path, tmp_path: Path) -> None:
    """A big ORDER BY must stay in memory: with a FILE temp store it spills plaintext."""
    watched = tmp_path / "sqlite-tmp"
    watched.mkdir()
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from clinic_app.services.session import unlock
        with unlock(Path({str(vault_folder)!r}), user={ADMIN!r}, passphrase={ADMIN_PASS!r}) as s:
            c = s.vault.conn
            c.execute("CREATE TEMP TABLE big(x TEXT)")
            c.executemany("INSERT INTO big VALUES (?)", (("marker-%08d" % i * 8,) for i in range(150000)))
            rows = c.execute("SELECT x FROM big ORDER BY x DESC").fetchall()
            assert len(rows) == 150000
            print("sorted")
        """
    )
    env = {**os.environ, "SQLITE_TMPDIR": str(watched), "TMPDIR": str(watched)}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "sorted" in done.stdout
    assert list(watched.iterdir()) == []


def test_database_file_holds_no_plaintext(vault_folder: Path) -> None:
    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as session:
        with session.transaction():
            session.audit("marker_test", target="ZEBRA-MARKER-7731")
    for path in vault_folder.iterdir():
        data = path.read_bytes()
        assert b"ZEBRA-MARKER-7731" not in data
        assert "ZEBRA-MARKER-7731".encode("utf-16-le") not in data
        assert b"SQLite format 3" not in data
