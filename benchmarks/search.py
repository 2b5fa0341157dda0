"""Search latency over a realistic vault (benchmarks/search_corpus.py), against raw FTS5.

Haven: `services.records.search_records`, as the CLI and the window call it (matching,
ranking, snippets, each hit's label loaded), with 50 results (the CLI) and 200 (the
window's instant search, which makes the snippets of its first screenful, 30 rows, with
the results and the others as the list is scrolled to them). Reference, in the same process and on the same encrypted
connection and index: raw FTS5, the same MATCH expression returning 50 rowids with no
ranking. Every query is run `--runs` times, Haven and the reference alternating which
goes first; p50, p95 and max are over all runs of all queries (each query typed as
its prefixes, as the instant search sees them).

`--before` also times search as it was before schema 10 (schema 2's index beside the real
one, snippet() on every row returned, each hit's whole record loaded).

Reproduce: python benchmarks/search.py [--docs 10000] [--runs 5] [--before]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HAVEN_TEST_WEAK_KDF", "1")  # a throwaway vault: the tests' fast key derivation

from benchmarks.search_corpus import Corpus, build  # noqa: E402

PASS = "benchmark passphrase words"


def fill(session: object, corpus: Corpus) -> None:
    """The corpus into the vault through the services, as an import would store it."""
    import io

    from clinic_app.domain.client import Client
    from clinic_app.domain.document import DocumentMeta
    from clinic_app.domain.identifiers import FileNumbers
    from clinic_app.domain.letter import SupportLetter
    from clinic_app.domain.matter import AdverseParty, Matter, MatterType
    from clinic_app.services import case_record, evidence
    from clinic_app.services.evidence import Analysis

    with session.transaction():  # type: ignore[attr-defined]
        for c in corpus.clients:
            case_record.save_client(session, Client(ref=c["ref"], legal_name=c["name"], aliases=tuple(c["aliases"]),
                                                    uci=c["uci"], country=c["country"], narrative=c["narrative"]))
        for m in corpus.matters:
            adverse = (AdverseParty(m["adverse"], "agent of persecution"),) if m["adverse"] else ()
            case_record.save_matter(session, Matter(
                ref=m["ref"], client_ref=m["client"], type=MatterType.RPD_CLAIM, title=m["title"],
                file_numbers=FileNumbers(irb=m["irb"], fc=m["fc"]), counsel=m["counsel"], adverse_parties=adverse))
        for x in corpus.letters:
            case_record.save_letter(session, SupportLetter(ref=x["ref"], matter_ref=x["matter"], writer=x["writer"],
                                                           organisation=x["organisation"], key_quote=x["quote"]))
    for start in range(0, len(corpus.documents), 1000):
        with session.transaction():  # type: ignore[attr-defined]
            for d in corpus.documents[start:start + 1000]:
                evidence.store_document(session, io.BytesIO(d["text"].encode()),
                                        DocumentMeta(ref=d["ref"], title=d["title"]), [d["matter"]],
                                        analysis=Analysis(text=d["text"]))


def raw_fts5(conn: object, query: str, limit: int) -> list[int]:
    """The floor: the same MATCH, rowids only, no ranking, no snippet, no record."""
    from clinic_app.vault.search import to_match

    expr = to_match(query)
    if not expr:
        return []
    sql = "SELECT rowid FROM search_index WHERE search_index MATCH ? LIMIT ?"
    return [r[0] for r in conn.execute(sql, (expr, limit)).fetchall()]  # type: ignore[attr-defined]


BEFORE_KINDS = ("client", "matter", "document", "letter")


def add_before_index(conn: object) -> None:
    """Schema 2's index (no prefix indexes, no parts) beside the real one, for `--before`."""
    conn.execute("CREATE VIRTUAL TABLE bench_before USING fts5(kind UNINDEXED, entity_id UNINDEXED, title, body, "  # type: ignore[attr-defined]
                 "tokenize = 'unicode61 remove_diacritics 2')")
    conn.execute("INSERT INTO bench_before (bench_before, rank) VALUES ('rank', 'bm25(0.0, 0.0, 10.0, 1.0)')")  # type: ignore[attr-defined]
    conn.execute("INSERT INTO bench_before (rowid, kind, entity_id, title, body) "  # type: ignore[attr-defined]
                 "SELECT rowid, kind, entity_id, title, body FROM search_index")
    conn.commit()  # type: ignore[attr-defined]


def before_search(conn: object, query: str, limit: int) -> list[tuple[str, str, str]]:
    """Search as Haven did before schema 10: snippet() on every row returned, each hit's record loaded."""
    from clinic_app.domain.client import Client
    from clinic_app.domain.document import DocumentMeta
    from clinic_app.domain.letter import SupportLetter
    from clinic_app.domain.matter import Matter
    from clinic_app.vault import records
    from clinic_app.vault.search import to_match

    expr = to_match(query)
    if not expr:
        return []
    rows = conn.execute(  # type: ignore[attr-defined]
        "SELECT kind, entity_id, snippet(bench_before, -1, '[', ']', '…', 12), rank FROM bench_before "
        "WHERE bench_before MATCH ? AND kind IN (?, ?, ?, ?) ORDER BY rank LIMIT ?",
        (expr, *BEFORE_KINDS, limit)).fetchall()
    classes = {"client": Client, "matter": Matter, "document": DocumentMeta, "letter": SupportLetter}
    return [(kind, records.load(conn, classes[kind], int(eid)).ref, snippet) for kind, eid, snippet, _r in rows]


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (f"p50 {statistics.median(ordered) * 1000:6.2f} ms  p95 {p95 * 1000:6.2f} ms  "
            f"max {ordered[-1] * 1000:6.2f} ms")


def measure(session: object, queries: list[str], runs: int, before: bool) -> dict[str, list[float]]:
    from clinic_app.services.records import SCREENFUL, search_records

    conn = session.vault.conn  # type: ignore[attr-defined]
    variants = {
        "raw FTS5, 50 rowids": lambda q: raw_fts5(conn, q, 50),
        "Haven search_records, 50 results (CLI)": lambda q: search_records(session, q, limit=50),
        "Haven search_records, 200 results (window)": lambda q: search_records(session, q, limit=200,
                                                                               snippets=SCREENFUL),
    }
    if before:
        variants["before schema 10, 50 results"] = lambda q: before_search(conn, q, 50)
    times: dict[str, list[float]] = {name: [] for name in variants}
    for run in range(runs):
        for i, query in enumerate(queries):
            order = list(variants.items())
            if (run + i) % 2:
                order.reverse()
            for name, call in order:
                t0 = time.perf_counter()
                call(query)
                times[name].append(time.perf_counter() - t0)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--before", action="store_true",
                        help="also time search as it was before schema 10 (slow: seconds on the long reports)")
    args = parser.parse_args()
    from clinic_app.services.session import create_vault

    corpus = build(args.docs, seed=args.seed)
    chars = sum(len(d["text"]) for d in corpus.documents)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["HAVEN_STATE_DIR"] = str(Path(tmp) / "state")
        session, _ = create_vault(Path(tmp) / "vault", admin="bench", passphrase=PASS, kdf_profile="fast")
        with session:
            t0 = time.perf_counter()
            fill(session, corpus)
            fill_s = time.perf_counter() - t0
            if args.before:
                add_before_index(session.vault.conn)
            times = measure(session, corpus.queries, args.runs, args.before)
    print(f"corpus: {len(corpus.documents)} documents ({chars / 1e6:.0f} M characters, the 5 longest "
          f"{max(len(d['text']) for d in corpus.documents) / 1e6:.1f} M each), {len(corpus.clients)} clients, "
          f"{len(corpus.matters)} matters, {len(corpus.letters)} letters; stored in {fill_s:.0f} s")
    print(f"{len(corpus.queries)} queries x {args.runs} runs; load average {os.getloadavg()[0]:.2f} at the end:")
    reference = times["raw FTS5, 50 rowids"]
    for name, samples in times.items():
        ratio = "" if samples is reference else (
            f"  (p95 {sorted(samples)[round(0.95 * (len(samples) - 1))] / sorted(reference)[round(0.95 * (len(reference) - 1))]:.1f}x raw)")
        print(f"  {name:44s} {percentiles(samples)}{ratio}")
    cli = times["Haven search_records, 50 results (CLI)"]
    print("  by kind of query (50 results):")
    kinds = corpus.query_kinds * args.runs
    for kind in dict.fromkeys(corpus.query_kinds):
        samples = [t for t, k in zip(cli, kinds) if k == kind]
        raw = [t for t, k in zip(reference, kinds) if k == kind]
        print(f"    {kind:16s} {len(samples) // args.runs:3d} queries  Haven {percentiles(samples)}  "
              f"raw p50 {statistics.median(raw) * 1000:.2f} ms")
    window = times["Haven search_records, 200 results (window)"]
    for label, samples in (("50 results", cli), ("window", window)):
        slowest = sorted(zip(samples, range(len(samples))), reverse=True)[:5]
        print(f"  slowest ({label}): " + ", ".join(
            f"{corpus.queries[i % len(corpus.queries)][:24]!r} {t * 1000:.1f} ms (run {i // len(corpus.queries) + 1})"
            for t, i in slowest))
    print(f"reproduce: python benchmarks/search.py --docs {args.docs} --runs {args.runs}"
          + (" --before" if args.before else ""))


if __name__ == "__main__":
    main()
