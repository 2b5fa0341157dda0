"""Schema 5: a SHA-256 per stored chunk.

SQLCipher 4.19 returns zeros, without an error, when the last overflow page of a
row fails its HMAC; every other damaged page raises. A digest per chunk lets
every read (previews and seeks included, not only whole-file reads) notice.
Chunks written before this step have no digest and are checked by the whole-file
hash when read in full.
"""

from __future__ import annotations

VERSION = 5

SQL = """
ALTER TABLE blob_chunks ADD COLUMN digest BLOB;
"""
