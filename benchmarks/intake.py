"""Safe intake throughput: 200 files (about 800 pages) through the sandbox into the vault,
on one worker and on one worker per core, with and without OCR.

Every file is sniffed, parsed in a sandboxed child (timeouts, memory cap), sanitised
into a working copy, its text extracted (one photo in ten is OCRed when Tesseract is
installed), and original + working copy stored encrypted, in the order given. Each run
imports the same folder into a fresh vault with 1 worker and with N (alternating which
goes first); the figure is the parallel time as a share of the serial one in the same
run. Reference: a plain copy of the same bytes. `--scan-pages` adds one scanned PDF of
that many pages, whose OCR is spread over the workers.
`--existing N` imports into a copy of a vault already holding N documents.
Reproduce: python benchmarks/intake.py [--files 200] [--runs 3] [--ocr both] [--scan-pages 0] [--existing 0]
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4, LEGAL, LETTER
from reportlab.pdfgen import canvas

os.environ.setdefault("HAVEN_TEST_WEAK_KDF", "1")  # throwaway vaults: the tests' fast key derivation
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def make_sources(folder: Path, count: int, scan_pages: int = 0) -> int:
    pages_total = 0
    sizes = [LETTER, A4, LEGAL]
    for i in range(count):
        if i % 10 == 9:
            img = Image.new("RGB", (1200, 1600), (255 - i % 200, 240, 230))
            img.save(folder / f"photo{i:03d}.jpg", quality=80)
            pages_total += 1
            continue
        if i % 10 == 8:
            (folder / f"note{i:03d}.txt").write_text((f"Statement {i} of witness, paragraph. " * 40 + "\n") * 20,
                                                     encoding="utf-8")
            pages_total += 3
            continue
        pages = 3 + (i % 5)
        buf = io.BytesIO()
        c = canvas.Canvas(buf, pagesize=sizes[i % 3])
        for p in range(pages):
            for line in range(40):
                c.drawString(60, 740 - line * 16, f"Document {i} page {p + 1} line {line}: country conditions report")
            c.showPage()
        c.save()
        (folder / f"doc{i:03d}.pdf").write_bytes(buf.getvalue())
        pages_total += pages
    if scan_pages:
        scans = []
        for p in range(scan_pages):
            img = Image.new("L", (1700, 2200), 255)
            draw = ImageDraw.Draw(img)
            for line in range(30):
                draw.text((120, 150 + line * 60), f"Scanned declaration page {p + 1}, paragraph {line}", fill=0)
            scans.append(img)
        scans[0].save(folder / "scan.pdf", save_all=True, append_images=scans[1:], resolution=200)
        pages_total += scan_pages
    return pages_total


def _cpu() -> tuple[float, float]:
    """CPU seconds so far of this process and of its finished children (the workers)."""
    import resource

    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, kids.ru_utime + kids.ru_stime


PASS = "benchmark passphrase words"


def new_vault(folder: Path, existing: int = 0) -> None:
    """A vault with a client, matter "m" and `existing` small documents already stored."""
    from clinic_app.domain.client import Client
    from clinic_app.domain.document import DocumentMeta
    from clinic_app.domain.matter import Matter, MatterType
    from clinic_app.services import case_record, evidence
    from clinic_app.services.session import create_vault

    session, _ = create_vault(folder, admin="bench", passphrase=PASS, kdf_profile="fast")
    with session:
        case_record.save_client(session, Client(ref="c", legal_name="Bench Client"))
        case_record.save_matter(session, Matter(ref="m", client_ref="c", type=MatterType.HC, title="m"))
        for start in range(0, existing, 1000):
            with session.transaction():
                for n in range(start, min(existing, start + 1000)):
                    text = f"Earlier exhibit {n}"
                    evidence.store_document(session, io.BytesIO(text.encode()),
                                            DocumentMeta(ref=f"d-{n + 1:03d}", title=text), ["m"],
                                            analysis=evidence.Analysis(text=text))


def import_once(root: Path, src: Path, workers: int, tag: str,
                template: Path | None = None) -> tuple[float, float, list[str]]:
    from clinic_app.services.import_files import IMPORTED, import_files
    from clinic_app.services.session import unlock

    folder = root / f"vault-{tag}"
    if template is None:
        new_vault(folder)
    else:
        shutil.copytree(template, folder)
    with unlock(folder, user="bench", passphrase=PASS) as session:
        cpu0, t0 = _cpu(), time.perf_counter()
        report = import_files(session, "m", [src], workers=workers)  # its workers have exited on return
        seconds, cpu1 = time.perf_counter() - t0, _cpu()
    shutil.rmtree(folder)
    used = (cpu1[0] - cpu0[0] + cpu1[1] - cpu0[1]) / seconds  # cores kept busy on average
    return seconds, used, [f"{f.name}: {f.reason}" for f in report.files if f.outcome != IMPORTED]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--ocr", choices=("both", "on", "off"), default="both")
    parser.add_argument("--workers", type=int, default=0, help="parallel workers (default: one per core)")
    parser.add_argument("--scan-pages", type=int, default=0)
    parser.add_argument("--existing", type=int, default=0,
                        help="documents already in the vault the files are imported into")
    args = parser.parse_args()
    from clinic_app.intake import tools_available
    from clinic_app.intake.pool import default_workers

    workers = args.workers or default_workers()
    modes = {"both": ["off", "on"], "on": ["on"], "off": ["off"]}[args.ocr]
    if not tools_available()["tesseract"]:
        modes = ["off"]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        os.environ["HAVEN_STATE_DIR"] = str(root / "state")
        src = root / "src"
        src.mkdir()
        approx_pages = make_sources(src, args.files, args.scan_pages)
        total_mb = sum(p.stat().st_size for p in src.iterdir()) / 1e6
        t0 = time.perf_counter()
        shutil.copytree(src, root / "copy")
        copy_s = time.perf_counter() - t0
        template = None
        if args.existing:
            template = root / "template"
            t0 = time.perf_counter()
            new_vault(template, args.existing)
            print(f"into a vault holding {args.existing} documents (stored in {time.perf_counter() - t0:.0f} s, "
                  f"copied for each import)")
        print(f"{len(list(src.iterdir()))} files (~{approx_pages} pages, {total_mb:.1f} MB); "
              f"plain copy {copy_s * 1000:.0f} ms; {os.cpu_count()} cores, parallel = {workers} workers; "
              f"load average at start {os.getloadavg()[0]:.2f}")
        for mode in modes:
            os.environ["HAVEN_OCR"] = mode  # read by each child when it starts
            times: dict[int, list[float]] = {1: [], workers: []}
            cores: dict[int, list[float]] = {1: [], workers: []}
            for run in range(args.runs):
                order = [1, workers] if run % 2 == 0 else [workers, 1]
                for n in order:
                    seconds, used, refused = import_once(root, src, n, f"{mode}-{run}-{n}", template)
                    times[n].append(seconds)
                    cores[n].append(used)
                    if refused:
                        print("  not imported:", refused[:3])
            serial, parallel = statistics.median(times[1]), statistics.median(times[workers])
            ratios = sorted(p / s for s, p in zip(times[1], times[workers]))
            print(f"OCR {mode}: serial (1 worker) median {serial:.1f} s {[round(t, 1) for t in times[1]]}; "
                  f"parallel ({workers} workers) median {parallel:.1f} s {[round(t, 1) for t in times[workers]]}; "
                  f"parallel/serial {parallel / serial:.2f}x (median of per-run ratios "
                  f"{statistics.median(ratios):.2f}x); {args.files / parallel:.0f} files/s; "
                  f"{parallel / copy_s:.0f}x the plain copy; cores kept busy: serial "
                  f"{statistics.median(cores[1]):.2f}, parallel {statistics.median(cores[workers]):.2f}")
        print(f"load average at the end {os.getloadavg()[0]:.2f}; tools: {tools_available()}")
    print(f"reproduce: python benchmarks/intake.py --files {args.files} --runs {args.runs} --ocr {args.ocr}"
          + (f" --scan-pages {args.scan_pages}" if args.scan_pages else "")
          + (f" --existing {args.existing}" if args.existing else ""))


if __name__ == "__main__":
    main()
