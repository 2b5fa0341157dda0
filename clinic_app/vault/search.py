"""Full-text search (FTS5) inside the encrypted database.

One row per searchable entity: a title (names, aliases, file numbers, document
titles) and a body (notes, extracted text). Diacritics are folded, so "Garcia"
finds "García". The query language is not exposed: user input is split into
words and each is quoted, so punctuation can never become FTS syntax. Numbers with
dashes and Chinese, Japanese and Korean text are indexed and queried as `search_text`
says (schema 13), and every snippet passes through `search_text.shown`.

Speed (schema 10): prefix indexes of 1 and 2 characters serve what the instant
search types first; FTS5 ranks inside the index and the snippet and label of a hit
are made only for the rows returned. A body longer than `LONG_BODY` characters is
also kept in parts (`search_index_parts`), and its snippet is taken from its first
matching part: FTS5's snippet() re-reads the whole body and costs the square of its
matches (seconds on a 300-page report). Schema 11 took `LONG_BODY` from 50,000 to
8,000 characters: a 40,000-character body cost 0.4 ms a snippet, a part 0.08 ms, and
multi-word queries find many such bodies. Ranking is unchanged: it reads the main
index only. A long body's row is never read for its snippet (see `_BEST`).

Broad queries (more than `BROAD` matching records: a first letter, a very common word)
are not ranked: bm25 would score every match (tens of milliseconds on the first
keystroke of a 10,000-document vault, growing with the vault) to order results nobody
reads that far. They list the records whose name or title matches, newest first, then
those matching in their text, newest first; each step stops after `limit` rows.
Narrower queries are ranked by relevance, names and titles weighing ten times the text.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from clinic_app.vault import search_text
from clinic_app.vault.connection import Connection
from clinic_app.vault.search_text import MATCH_END, MATCH_START

LONG_BODY = 8_000  # characters; longer bodies get their snippet from a part (see the module doc)
PART_CHARS = 8_000  # a part's length, cut at a space where there is one
MAX_PARTS = 1024  # part rowids: row's rowid * MAX_PARTS + part number
_SNIPPET = "?, ?, '…', 12"  # bound to MATCH_START, MATCH_END
_TOKENIZER = "tokenize = 'unicode61 remove_diacritics 2'"  # as search_index's (schema 2 and 10)
BROAD = 500  # more matching records than this: listed newest first, not ranked (module doc)
# Any column's best match; a long body's row gets `_LONG` instead, and its snippet from
# `_long_snippets`: snippet() on such a row reads the whole row, body included, even for
# the title alone (1 MB decrypted for a long report, and a page cache thrashed by them).
# Kind and id come from the rowid: asking FTS5 for a column reads the whole row too.
_LONG, _LONG_TITLE = "\ue002", "\ue003"
_BEST = (f"CASE WHEN rowid IN (SELECT rowid FROM search_index_long) THEN '{_LONG}' "
         f"ELSE snippet(search_index, -1, {_SNIPPET}) END")
# The title's snippet; a long body's row gets `_LONG_TITLE`, and its title snippet from
# `_title_snippets`, which never reads the body.
_TITLE = (f"CASE WHEN rowid IN (SELECT rowid FROM search_index_long) THEN '{_LONG_TITLE}' "
          f"ELSE snippet(search_index, 2, {_SNIPPET}) END")


@dataclass(frozen=True)
class Hit:
    kind: str
    entity_id: int
    snippet: str | None  # None: not made yet (see `search`'s `snippets`)
    rank: float

    @property
    def rowid(self) -> int:
        return _rowid(self.kind, self.entity_id)


KIND_CODES = {"client": 1, "matter": 2, "document": 3, "letter": 4}
_KIND_OF = {code: kind for kind, code in KIND_CODES.items()}
# The label a hit is shown with: (table, field of the record's JSON).
LABELS = {"client": ("clients", "legal_name"), "matter": ("matters", "title"),
          "document": ("documents", "title"), "letter": ("letters", "writer")}


def _rowid(kind: str, entity_id: int) -> int:
    return int(entity_id) * 8 + KIND_CODES[kind]


def put(conn: Connection, kind: str, entity_id: int, title: str, body: str, *, ref: str, label: str) -> None:
    """Index (or re-index) one entity, listed in results by `ref` and `label`; call inside
    the transaction that changed it."""
    remove(conn, kind, entity_id)
    rowid = _rowid(kind, entity_id)
    title, body = search_text.title(title), search_text.body(body)
    conn.execute(
        "INSERT INTO search_index (rowid, kind, entity_id, title, body) VALUES (?, ?, ?, ?, ?)",
        (rowid, kind, str(entity_id), title, body),
    )
    conn.execute("INSERT INTO search_index_labels (rowid, ref, label) VALUES (?, ?, ?)", (rowid, ref, label))
    if len(body) > LONG_BODY:
        put_parts(conn, rowid, body)


def remove(conn: Connection, kind: str, entity_id: int) -> None:
    rowid = _rowid(kind, entity_id)
    conn.execute("DELETE FROM search_index WHERE rowid = ?", (rowid,))
    conn.execute("DELETE FROM search_index_labels WHERE rowid = ?", (rowid,))
    if conn.execute("DELETE FROM search_index_long WHERE rowid = ?", (rowid,)).rowcount:
        conn.execute("DELETE FROM search_index_parts WHERE rowid BETWEEN ? AND ?",
                     (rowid * MAX_PARTS, rowid * MAX_PARTS + MAX_PARTS - 1))


def optimize(conn: Connection) -> None:
    """Merge the indexes' segments, so deleted text leaves them (secure deletion)."""
    for table in ("search_index", "search_index_parts"):
        conn.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")


def split_parts(body: str) -> list[str]:
    """`body` in consecutive parts of about PART_CHARS, cut after a space when one is near."""
    size = max(PART_CHARS, -(-len(body) // MAX_PARTS))
    parts, start = [], 0
    while start < len(body):
        end = min(len(body), start + size)
        if end < len(body):
            space = max(body.rfind(" ", start + size // 2, end), body.rfind("\n", start + size // 2, end))
            end = space + 1 if space >= 0 else end
        parts.append(body[start:end])
        start = end
    return parts


def put_parts(conn: Connection, rowid: int, body: str) -> None:
    """Record a long body's parts (the caller has just indexed the row itself)."""
    conn.execute("INSERT INTO search_index_long (rowid) VALUES (?)", (rowid,))
    conn.executemany("INSERT INTO search_index_parts (rowid, body) VALUES (?, ?)",
                     ((rowid * MAX_PARTS + n, part) for n, part in enumerate(split_parts(body))))


def to_match(query: str) -> str:
    """User text to a safe FTS5 expression: every word must appear (prefix match on the last)."""
    return " AND ".join(search_text.terms(query))


def search(conn: Connection, query: str, *, kinds: tuple[str, ...], limit: int = 50,
           snippets: int | None = None) -> list[Hit]:
    """The hits of `query` among `kinds`, best first; only the first `snippets` hits get their
    snippet now (None: all of them): a list showing 20 rows need not make 200 snippets,
    each of which reads its whole body. The others come from `snippets_of` when shown."""
    expr = to_match(query)
    if not expr or not kinds:
        return []
    codes = sorted(KIND_CODES[k] for k in kinds)
    only = f"AND rowid % 8 IN ({','.join(map(str, codes))}) " if len(codes) < len(KIND_CODES) else ""
    made = limit if snippets is None else min(snippets, limit)
    if _is_broad(conn, expr):
        rows = _newest_first(conn, expr, only, limit, made)
    elif made == limit:
        # "ORDER BY rank" lets FTS5 sort inside the index, so the result columns are computed
        # only for the rows returned; titles weigh ten times the body (see the schema's rank).
        rows = conn.execute(
            f"SELECT rowid, rank, {_BEST} FROM search_index "
            f"WHERE search_index MATCH ? {only}ORDER BY rank LIMIT ?", (MATCH_START, MATCH_END, expr, limit)).fetchall()
    else:  # the order of all `limit`; the first `made` get their snippets below, in one statement
        rows = [(rowid, rank, None) for rowid, rank in conn.execute(
            f"SELECT rowid, rank FROM search_index WHERE search_index MATCH ? {only}ORDER BY rank LIMIT ?",
            (expr, limit))]
    made_now = _long_snippets(conn, query, {int(rowid): str(snip) for rowid, _rank, snip in rows if snip is not None})
    made_now = {rowid: search_text.shown(snip) for rowid, snip in made_now.items()}
    hits = [Hit(_KIND_OF[rowid % 8], rowid // 8, made_now.get(int(rowid)), float(rank)) for rowid, rank, _snip in rows]
    missing = [hit.rowid for hit in hits[:made] if hit.snippet is None]
    if missing:
        found = snippets_of(conn, query, missing)
        hits = [dataclasses.replace(h, snippet=found.get(h.rowid, "")) if i < made and h.snippet is None else h
                for i, h in enumerate(hits)]
    return hits


def snippets_of(conn: Connection, query: str, rowids: list[int]) -> dict[int, str]:
    """Snippets of rows that match `query`, in one statement whatever their number: for
    the rows a results list is about to show. (FTS5 merges each term's whole doclist for
    every statement, a rowid constraint or not, so one statement per row cost the whole
    query again for each; `+rowid` keeps the list a filter, applied before any snippet.)"""
    expr = to_match(query)
    if not expr or not rowids:
        return {}
    listed = ",".join(str(int(r)) for r in rowids)
    found = {int(rowid): str(snip) for rowid, snip in conn.execute(
        f"SELECT rowid, {_BEST} FROM search_index "
        f"WHERE search_index MATCH ? AND rowid BETWEEN ? AND ? AND +rowid IN ({listed})",
        (MATCH_START, MATCH_END, expr, min(rowids), max(rowids)))}
    return {rowid: search_text.shown(snip) for rowid, snip in _long_snippets(conn, query, found).items()}


def _is_broad(conn: Connection, expr: str) -> bool:
    """More than BROAD records match: counted by walking at most BROAD + 1 of them."""
    row = conn.execute("SELECT count(*) FROM (SELECT rowid FROM search_index WHERE search_index MATCH ? LIMIT ?)",
                       (expr, BROAD + 1)).fetchone()
    return int(row[0]) > BROAD


def _newest_first(conn: Connection, expr: str, only: str, limit: int, made: int) -> list[tuple[int, float, str | None]]:
    """A broad query's rows: title (name, file number) matches newest first, then text
    matches newest first. FTS5 walks its index in rowid order and stops at `limit`. Titles'
    snippets are cheap (the title that matched); text matches past `made` get none here."""
    sql = ("SELECT rowid, 0.0, {snippet} FROM search_index "
           f"WHERE search_index MATCH ? {only}{{extra}}ORDER BY rowid DESC LIMIT ?")
    titled = conn.execute(sql.format(snippet=_TITLE, extra=""),
                          (MATCH_START, MATCH_END, f"{{title}} : ({expr})", limit)).fetchall()
    if len(titled) >= limit:
        return titled
    seen = f"AND rowid NOT IN ({','.join(str(int(r[0])) for r in titled)}) " if titled else ""
    with_snippet = max(0, min(made, limit) - len(titled))  # rows up to `made` come with their snippet
    rest = conn.execute(sql.format(snippet=_BEST, extra=seen),
                        (MATCH_START, MATCH_END, expr, with_snippet)).fetchall() if with_snippet else []
    if len(titled) + len(rest) < limit and len(rest) == with_snippet:  # the rest in the same order, without
        rest += conn.execute(sql.format(snippet="NULL", extra=seen).replace("LIMIT ?", "LIMIT ? OFFSET ?"),
                             (expr, limit - len(titled) - len(rest), len(rest))).fetchall()
    return titled + rest


def _long_snippets(conn: Connection, query: str, made: dict[int, str]) -> dict[int, str]:
    """`made` (rowid -> snippet), with the snippet of each long body's row (`_LONG`) made:
    its title's, when a word of the query is in the title; otherwise the first part of the
    body with every word (or, failing that, any word). A few statements for all the rows
    together, not two per row (see `snippets_of`), and no long body is read whole."""
    pending = {rowid for rowid, snip in made.items() if snip == _LONG}
    titled = {rowid for rowid, snip in made.items() if snip == _LONG_TITLE}
    if not pending and not titled:
        return made
    out = dict(made)
    terms = search_text.terms(query)
    if pending:
        listed = ",".join(map(str, pending))
        titled.update(int(r) for (r,) in conn.execute(  # the index alone: no row is read
            f"SELECT rowid FROM search_index WHERE search_index MATCH ? AND rowid BETWEEN ? AND ? "
            f"AND +rowid IN ({listed})", (f"{{title}} : ({' OR '.join(terms)})", min(pending), max(pending))))
    out.update(_title_snippets(conn, query, sorted(titled)))
    pending -= titled
    for expr in (" AND ".join(terms), " OR ".join(terms)):
        if not pending:
            break
        low, high = min(pending) * MAX_PARTS, max(pending) * MAX_PARTS + MAX_PARTS - 1
        owners = ",".join(map(str, pending))
        first = {int(part) // MAX_PARTS: int(part) for (part,) in conn.execute(
            f"SELECT min(rowid) FROM search_index_parts WHERE search_index_parts MATCH ? AND rowid BETWEEN ? AND ? "
            f"AND rowid / {MAX_PARTS} IN ({owners}) GROUP BY rowid / {MAX_PARTS}", (expr, low, high))}
        if first:
            parts = sorted(first.values())
            chosen = ",".join(map(str, parts))
            for part, snip in conn.execute(
                    f"SELECT rowid, snippet(search_index_parts, 0, {_SNIPPET}) FROM search_index_parts "
                    f"WHERE search_index_parts MATCH ? AND rowid BETWEEN ? AND ? AND +rowid IN ({chosen})",
                    (MATCH_START, MATCH_END, expr, parts[0], parts[-1])):
                out[int(part) // MAX_PARTS] = str(snip)
        pending -= first.keys()
    out.update(_title_snippets(conn, query, sorted(pending)))  # no part has a word (one cut inside a word)
    return out


def _title_snippets(conn: Connection, query: str, rowids: list[int]) -> dict[int, str]:
    """The title snippets of long bodies' rows, as snippet(search_index, 2, ...) gives them,
    without reading the bodies: the titles alone (read from the content table, where each
    title comes before its body) go into a temporary FTS5 table with the same tokenizer,
    and FTS5 makes the snippet there, from the same phrases at the same places."""
    if not rowids:
        return {}
    listed = ",".join(map(str, rowids))
    titles = conn.execute(f"SELECT id, c2 FROM search_index_content WHERE id IN ({listed})").fetchall()
    conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_title_probe USING fts5(title, {_TOKENIZER})")
    try:
        conn.executemany("INSERT INTO temp.search_title_probe (rowid, title) VALUES (?, ?)", titles)
        found = {int(rowid): str(snip) for rowid, snip in conn.execute(
            f"SELECT rowid, snippet(search_title_probe, 0, {_SNIPPET}) FROM temp.search_title_probe "
            "WHERE search_title_probe MATCH ?", (MATCH_START, MATCH_END, " OR ".join(search_text.terms(query))))}
    finally:
        conn.execute("DELETE FROM temp.search_title_probe")
    for rowid in set(rowids) - found.keys():  # no word of the query in the title: FTS5's own answer
        row = conn.execute(f"SELECT snippet(search_index, 2, {_SNIPPET}) FROM search_index "
                           "WHERE search_index MATCH ? AND rowid = ?",
                           (MATCH_START, MATCH_END, to_match(query), rowid)).fetchone()
        found[rowid] = "" if row is None else str(row[0])
    return found


def labels(conn: Connection, kind: str, ids: list[int]) -> dict[int, tuple[str, str]]:
    """{id: (ref, label)} of indexed records of one kind, read in one statement from
    `search_index_labels` (no record's page)."""
    import json

    rows = conn.execute(
        "SELECT rowid, ref, label FROM search_index_labels WHERE rowid IN (SELECT value FROM json_each(?))",
        (json.dumps([_rowid(kind, i) for i in ids]),)).fetchall()
    return {int(r[0]) // 8: (str(r[1]), str(r[2])) for r in rows}
