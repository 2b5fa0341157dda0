"""A second, read-only way into an unlocked vault, for another thread or a child process.

SQLCipher connections belong to the thread that opened them. The bundle build reads
working copies ahead on a helper thread (and, from the desktop app, in a child
process) so that decryption overlaps page assembly. `ReaderSource` carries what such
a reader needs: the database path and the data key. It never prints the key, is
only handed to code of this process or a child started by it (over a pipe, never
a file), and its connections refuse writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from clinic_app.vault import connection
from clinic_app.vault.connection import Connection


READER_CACHE_KIB = 512  # the b-tree's inner pages, not the documents' bytes


@dataclass(frozen=True)
class ReaderSource:
    db_path: Path
    key: bytes = field(repr=False)

    def connect(self) -> Connection:
        """A keyed connection on the calling thread that can only read."""
        conn = connection.connect(Path(self.db_path), self.key)
        conn.execute("PRAGMA query_only = ON")
        # Readers stream working copies once, in order: a page cache gains nothing and
        # held 7 MB of a 5,000-page build (SQLCipher's default is 2,000 pages).
        conn.execute(f"PRAGMA cache_size = -{READER_CACHE_KIB}")
        return conn
