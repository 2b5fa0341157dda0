"""Reading a SQLCipher 4 file page by page, without SQLite: damage reports and scans.

`PRAGMA cipher_integrity_check` needs an open database; when page 1 (or the
schema) is damaged the vault does not open at all, and the user still deserves
to know which pages are hurt. So this module checks every page's HMAC itself,
with the raw data key, following SQLCipher 4's documented format
(https://www.zetetic.net/sqlcipher/design/):

- pages of 4096 bytes; the file's first 16 bytes are the salt;
- a raw key (`x'<64 hex>'`) is the AES-256 key itself; the HMAC key is
  PBKDF2-HMAC-SHA512(key, salt XOR 0x3a, 2 iterations, 32 bytes);
- each page ends with an 80-byte reserve: a 16-byte IV, then a 64-byte
  HMAC-SHA512 over (ciphertext, IV, page number as 4 little-endian bytes);
- the rest is AES-256-CBC ciphertext (on page 1 it starts after the salt).

Reading every page of the file, including free pages, is also what lets the
purge test prove that nothing of a deleted client survives in unused space.
WAL frames (24-byte header, then one page) are encrypted the same way.
"""

from __future__ import annotations

import hashlib
import hmac
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PAGE_SIZE = 4096
SALT_SIZE = 16
IV_SIZE = 16
HMAC_SIZE = 64
RESERVE = IV_SIZE + HMAC_SIZE
WAL_HEADER = 32
WAL_FRAME_HEADER = 24
SQLITE_HEADER = b"SQLite format 3\x00"


class PageCipher:
    """Checks and decrypts single pages of one SQLCipher 4 file under a raw key."""

    def __init__(self, key: bytes, salt: bytes) -> None:
        if len(key) != 32 or len(salt) != SALT_SIZE:
            raise ValueError("a 32-byte key and a 16-byte salt are needed")
        self._key = bytes(key)
        self._hmac_key = hashlib.pbkdf2_hmac("sha512", self._key, bytes(b ^ 0x3A for b in salt), 2, 32)

    def _split(self, pgno: int, page: bytes) -> tuple[bytes, bytes, bytes]:
        start = SALT_SIZE if pgno == 1 else 0
        body = page[start : PAGE_SIZE - RESERVE]
        iv = page[PAGE_SIZE - RESERVE : PAGE_SIZE - HMAC_SIZE]
        return body, iv, page[PAGE_SIZE - HMAC_SIZE :]

    def authentic(self, pgno: int, page: bytes) -> bool:
        if len(page) != PAGE_SIZE:
            return False
        body, iv, tag = self._split(pgno, page)
        mac = hmac.new(self._hmac_key, body + iv + struct.pack("<I", pgno), hashlib.sha512).digest()
        return hmac.compare_digest(mac, tag)

    def decrypt(self, pgno: int, page: bytes) -> bytes | None:
        """The plaintext page, or None when its HMAC does not verify (never unchecked bytes)."""
        if not self.authentic(pgno, page):
            return None
        body, iv, _tag = self._split(pgno, page)
        decryptor = Cipher(algorithms.AES(self._key), modes.CBC(iv)).decryptor()
        plain = decryptor.update(body) + decryptor.finalize()
        return SQLITE_HEADER + plain if pgno == 1 else plain


@dataclass(frozen=True)
class PageReport:
    """Which pages of a database file (and of its WAL) fail their HMAC."""

    pages: int
    bad_pages: tuple[int, ...]
    wal_frames: int = 0
    bad_wal_pages: tuple[int, ...] = ()
    partial_tail: bool = False  # the file size is not a whole number of pages

    @property
    def ok(self) -> bool:
        return not self.bad_pages and not self.bad_wal_pages and not self.partial_tail

    @property
    def header_damaged(self) -> bool:
        """Every page fails: the salt in the first 16 bytes (or the key) is wrong."""
        return self.pages > 0 and len(self.bad_pages) == self.pages


def read_salt(db_path: Path) -> bytes:
    with open(db_path, "rb") as fh:
        return fh.read(SALT_SIZE)


def iter_pages(db_path: Path) -> Iterator[tuple[int, bytes]]:
    """(page number, raw bytes) for every whole page of the file."""
    with open(db_path, "rb") as fh:
        pgno = 0
        while True:
            page = fh.read(PAGE_SIZE)
            if len(page) < PAGE_SIZE:
                return
            pgno += 1
            yield pgno, page


def iter_wal_frames(wal_path: Path, *, current_only: bool = True) -> Iterator[tuple[int, bytes]]:
    """(page number, raw page) for every whole frame of the WAL's current generation.

    Frames left over from before the last checkpoint restart carry other salts
    (WAL header bytes 16-23); SQLite ignores them, and so does the damage scan.
    A search for leftovers (`current_only=False`) reads them too.
    """
    if not wal_path.is_file():
        return
    with open(wal_path, "rb") as fh:
        head = fh.read(WAL_HEADER)
        if len(head) < WAL_HEADER:
            return
        salts = head[16:24]
        while True:
            header = fh.read(WAL_FRAME_HEADER)
            page = fh.read(PAGE_SIZE)
            if len(header) < WAL_FRAME_HEADER or len(page) < PAGE_SIZE:
                return
            if header[8:16] == salts or not current_only:
                yield struct.unpack(">I", header[:4])[0], page


def scan(db_path: Path, key: bytes) -> PageReport:
    """Check the HMAC of every page of `db_path` and of its `-wal` file."""
    db_path = Path(db_path)
    size = db_path.stat().st_size
    salt = read_salt(db_path)
    if len(salt) < SALT_SIZE:
        return PageReport(pages=0, bad_pages=(), partial_tail=size > 0)
    cipher = PageCipher(key, salt)
    bad = [pgno for pgno, page in iter_pages(db_path) if not cipher.authentic(pgno, page)]
    wal = Path(str(db_path) + "-wal")
    frames, bad_wal = 0, []
    for pgno, page in iter_wal_frames(wal):
        frames += 1
        if not cipher.authentic(pgno, page):
            bad_wal.append(pgno)
    return PageReport(pages=size // PAGE_SIZE, bad_pages=tuple(bad), wal_frames=frames,
                      bad_wal_pages=tuple(bad_wal), partial_tail=bool(size % PAGE_SIZE))


def find_plaintext(db_path: Path, key: bytes, needles: list[bytes]) -> list[tuple[str, int, bytes]]:
    """Every (file, page number, needle) where a needle occurs in a decrypted page.

    Reads every page of the file, used or free, and every WAL frame; pages that
    fail their HMAC cannot be decrypted and are reported with needle b"".
    """
    db_path = Path(db_path)
    cipher = PageCipher(key, read_salt(db_path))
    hits: list[tuple[str, int, bytes]] = []
    wal = Path(str(db_path) + "-wal")
    for name, pages in ((db_path.name, iter_pages(db_path)), (wal.name, iter_wal_frames(wal, current_only=False))):
        for pgno, page in pages:
            plain = cipher.decrypt(pgno, page)
            if plain is None:
                hits.append((name, pgno, b""))
                continue
            hits.extend((name, pgno, n) for n in needles if n in plain)
    return hits
