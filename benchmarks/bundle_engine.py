"""Benchmark of the bundle engine against a plain pikepdf merge of the same files.

Generates mixed sources (text and scanned pages; Letter, A4, Legal; landscape; /Rotate
90/180/270) into a temporary folder, then:

1. ~1,000 pages in 150 sources: median wall time of `build_bundle` (with and without
   the import-time page counts) vs. a plain pikepdf merge (open each source, append
   its pages, save), measured in the same process, alternating, after a warm-up.
2. 5,000 pages in 500 sources: the same timings, and peak memory (RSS, which includes
   qpdf's C++ allocations) of each in a fresh subprocess.

Targets (product owner): 1,000 pages under 2.5x the plain merge; 5,000 pages under
600 MB peak; time linear in pages.

Run from the project root:

    /tmp/venv/bin/python benchmarks/bundle_engine.py            # full run (~3-5 min)
    /tmp/venv/bin/python benchmarks/bundle_engine.py --quick    # 1,000 pages only
    /tmp/venv/bin/python benchmarks/bundle_engine.py --memory 1000 5000 10000
                                   # peak memory only, at each size: how it grows
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pikepdf
from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4, landscape, legal, letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from clinic_app.domain.bundle import BundleSpec, DocumentPart, Section, Tab  # noqa: E402
from clinic_app.pdf.engine import build_bundle  # noqa: E402

SIZES = [letter, letter, letter, A4, A4, legal, landscape(letter)]
ROTATIONS = [0, 0, 0, 0, 90, 180, 270]


def _scan(seed: int) -> bytes:
    """A 150-dpi greyscale 'scanned letter': lines of word-like blocks, JPEG (~100 kB)."""
    rnd = random.Random(seed)
    img = Image.new("L", (1275, 1650), 245)
    draw = ImageDraw.Draw(img)
    for row in range(60):
        x = 110
        y = 140 + row * 22
        while x < 1150:
            w = rnd.randint(15, 90)
            draw.rectangle((x, y, x + w, y + 11), fill=rnd.randint(20, 80))
            x += w + rnd.randint(8, 16)
    img = img.rotate(rnd.uniform(-0.8, 0.8), fillcolor=245)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=55)
    return buf.getvalue()


def make_source(n_pages: int, seed: int, scans: list[bytes]) -> bytes:
    rnd = random.Random(seed)
    scanned = rnd.random() < 0.3
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1, pageCompression=1)
    rotations = []
    for n in range(n_pages):
        size = rnd.choice(SIZES)
        w, h = size
        c.setPageSize(size)
        if scanned:
            c.drawImage(ImageReader(io.BytesIO(rnd.choice(scans))), 0, 0, w, h)
        else:
            c.setFont("Helvetica", 10.5)
            for line in range(int((h - 100) / 14)):
                c.drawString(
                    54,
                    h - 60 - line * 14,
                    f"Source {seed} page {n + 1} line {line}: " + "lorem ipsum dolor " * 3,
                )
        c.showPage()
        rotations.append(rnd.choice(ROTATIONS))
    c.save()
    pdf = pikepdf.open(io.BytesIO(buf.getvalue()))
    for page, rot in zip(pdf.pages, rotations):
        page.obj.Rotate = rot
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def generate(folder: Path, n_sources: int, total_pages: int, seed: int) -> dict[str, int]:
    """Write sources to `folder`; returns page counts by document id."""
    rnd = random.Random(seed)
    scans = [_scan(s) for s in range(6)]
    counts = [1] * n_sources
    for _ in range(total_pages - n_sources):
        counts[rnd.randrange(n_sources)] += 1
    out = {}
    for i, n in enumerate(counts):
        doc_id = f"doc{i:04d}"
        (folder / f"{doc_id}.pdf").write_bytes(make_source(n, seed * 10_000 + i, scans))
        out[doc_id] = n
    return out


def spec_for(counts: dict[str, int]) -> BundleSpec:
    ids = sorted(counts)
    tabs = [
        Tab(
            f"Exhibit {i + 1}: document {doc_id} with a descriptive title",
            dt.date(2024, 1 + i % 12, 1 + i % 28),
            [DocumentPart(doc_id)],
        )
        for i, doc_id in enumerate(ids)
    ]
    half = len(tabs) // 2
    return BundleSpec(
        title="Applicant's Record",
        forum="Federal Court",
        file_number="IMM-5360-23",
        parties=["A.B.", "Minister of Citizenship and Immigration"],
        counsel="Counsel",
        date=dt.date(2025, 1, 15),
        sections=[Section("Evidence", tabs[:half]), Section("Country", tabs[half:])],
    )


def plain_merge(folder: Path, counts: dict[str, int], out: Path) -> None:
    """The reference: what a minimal pikepdf merge of the same files costs."""
    merged = pikepdf.new()
    opened = []
    for doc_id in sorted(counts):
        src = pikepdf.open(io.BytesIO((folder / f"{doc_id}.pdf").read_bytes()))
        opened.append(src)
        merged.pages.extend(src.pages)
    merged.save(out)
    for src in opened:
        src.close()


def engine(folder: Path, counts: dict[str, int], out: Path, known: bool) -> None:
    build_bundle(
        spec_for(counts),
        lambda d: (folder / f"{d}.pdf").read_bytes(),
        out,
        page_counts=counts if known else None,
    )


def timed(fn, *args) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """(wall, CPU) seconds. CPU time is steadier on a shared machine; qpdf is single-threaded."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn(*args)
    return time.perf_counter() - wall, time.process_time() - cpu


def compare(folder: Path, counts: dict[str, int], runs: int) -> dict[str, float]:
    out = folder / "out"
    out.mkdir(exist_ok=True)
    plain_merge(folder, counts, out / "plain.pdf")  # warm-up: caches, font registration
    engine(folder, counts, out / "bundle.pdf", False)
    plain, full, known = [], [], []
    for _ in range(runs):  # interleaved, so load from other processes hits all three alike
        plain.append(timed(plain_merge, folder, counts, out / "plain.pdf"))
        full.append(timed(engine, folder, counts, out / "bundle.pdf", False))
        known.append(timed(engine, folder, counts, out / "bundle.pdf", True))

    def med(values: list[tuple[float, float]], i: int) -> float:
        return round(statistics.median(v[i] for v in values), 3)

    pages = sum(counts.values())
    res = {
        "pages": pages,
        "sources": len(counts),
        "source_mb": round(sum((folder / f"{d}.pdf").stat().st_size for d in counts) / 1e6, 1),
        "output_mb": round((out / "bundle.pdf").stat().st_size / 1e6, 1),
        "plain_merge_s": med(plain, 0),
        "engine_s": med(full, 0),
        "engine_known_counts_s": med(known, 0),
        "plain_merge_cpu_s": med(plain, 1),
        "engine_cpu_s": med(full, 1),
        "engine_known_counts_cpu_s": med(known, 1),
    }
    # Median of the per-run ratios: each engine run is compared with the merge next to it.
    res["ratio"] = round(statistics.median(f[0] / p[0] for f, p in zip(full, plain)), 2)
    res["ratio_known_counts"] = round(
        statistics.median(k[0] / p[0] for k, p in zip(known, plain)), 2
    )
    res["ratio_cpu"] = round(statistics.median(f[1] / p[1] for f, p in zip(full, plain)), 2)
    res["engine_ms_per_page"] = round(1000 * res["engine_s"] / pages, 3)
    return res


def high_water_mb() -> float:
    """Peak RSS of this process in MB. Linux keeps ru_maxrss across fork+exec (a child
    starts with its parent's peak), so read VmHWM, which a fresh process starts afresh."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_rss(mode: str, folder: Path) -> tuple[float, float]:
    """(peak, before-the-work) RSS in MB of a fresh process doing only `mode`."""
    code = (
        "import json, sys; sys.path.insert(0, %r); "
        "from benchmarks.bundle_engine import *; from pathlib import Path; "
        "folder = Path(%r); counts = json.loads((folder / 'counts.json').read_text()); "
        "before = high_water_mb(); "
        "(plain_merge(folder, counts, folder / 'mem.pdf') if %r == 'plain' else "
        "engine(folder, counts, folder / 'mem.pdf', False)); "
        "print(json.dumps([high_water_mb(), before]))"
    ) % (str(ROOT), str(folder), mode)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    peak, before = json.loads(done.stdout.strip().splitlines()[-1])
    return round(peak, 1), round(before, 1)


def memory_growth(sizes: list[int]) -> None:
    """Peak RSS of a fresh engine-only and merge-only process at each size (10 pages a
    source, as above), and what each step up added per MB of output: 1.0 would mean the
    output is held once and nothing else grows."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="haven-bench-") as tmp:
        for pages in sizes:
            folder = Path(tmp) / f"p{pages}"
            folder.mkdir()
            counts = generate(folder, max(1, pages // 10), pages, seed=pages)
            (folder / "counts.json").write_text(json.dumps(counts))
            engine_peak, baseline = peak_rss("engine", folder)
            output_mb = (folder / "mem.pdf").stat().st_size / 1e6
            plain_peak, _ = peak_rss("plain", folder)
            rows.append((pages, engine_peak, plain_peak, output_mb))
            print(f"{pages} pages: engine peak {engine_peak:.0f} MB (Python and libraries alone "
                  f"{baseline:.0f} MB), plain merge peak {plain_peak:.0f} MB, output {output_mb:.0f} MB", flush=True)
    for (p0, e0, m0, o0), (p1, e1, m1, o1) in zip(rows, rows[1:]):
        print(f"{p0} -> {p1} pages: the engine's peak grew {(e1 - e0) / (o1 - o0):.2f} MB per MB of output "
              f"(plain merge {(m1 - m0) / (o1 - o0):.2f})")
    print("reproduce: python benchmarks/bundle_engine.py --memory " + " ".join(map(str, sizes)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1,000 pages only")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--memory", type=int, nargs="+", metavar="PAGES",
                        help="peak memory only, at each of these page counts")
    args = parser.parse_args()
    if args.memory:
        memory_growth(args.memory)
        return
    cases = [(150, 1000, args.runs)] + ([] if args.quick else [(500, 5000, max(3, args.runs // 3))])
    report = []
    with tempfile.TemporaryDirectory(prefix="haven-bench-") as tmp:
        for n_sources, pages, runs in cases:
            folder = Path(tmp) / f"p{pages}"
            folder.mkdir()
            started = time.perf_counter()
            counts = generate(folder, n_sources, pages, seed=pages)
            (folder / "counts.json").write_text(json.dumps(counts))
            gen_s = time.perf_counter() - started
            res = compare(folder, counts, runs)
            res["generate_s"] = round(gen_s, 1)
            res["engine_peak_rss_mb"], res["python_baseline_rss_mb"] = peak_rss("engine", folder)
            res["plain_peak_rss_mb"], _ = peak_rss("plain", folder)
            report.append(res)
            print(json.dumps(res), flush=True)
    if len(report) > 1:
        a, b = report[0], report[1]
        print(
            f"linearity: {a['engine_ms_per_page']} ms/page at {a['pages']} pages, "
            f"{b['engine_ms_per_page']} ms/page at {b['pages']} pages"
        )
    print(
        "reproduce: /tmp/venv/bin/python benchmarks/bundle_engine.py"
        + (" --quick" if args.quick else "")
    )
    print(f"cpu: {resource.getrusage(resource.RUSAGE_SELF).ru_utime:.1f}s user in this process")


if __name__ == "__main__":
    main()
