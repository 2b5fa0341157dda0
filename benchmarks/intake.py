"""Safe intake throughput: 200 files (about 1,000 pages) through the sandbox into the vault.

Every file is sniffed, parsed in the sandboxed child (timeouts, memory cap),
sanitised into a working copy, its text extracted, and original + working copy
stored encrypted. Compared with a plain copy of the same bytes in the same run.
Reproduce: python benchmarks/intake.py [--files 200]
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import tempfile
import time
from pathlib import Path

from PIL import Image
from reportlab.lib.pagesizes import A4, LEGAL, LETTER
from reportlab.pdfgen import canvas


def make_sources(folder: Path, count: int) -> int:
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
    return pages_total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        os.environ["HAVEN_STATE_DIR"] = str(root / "state")
        from clinic_app.domain.client import Client
        from clinic_app.domain.matter import Matter, MatterType
        from clinic_app.services import case_record
        from clinic_app.services.import_files import IMPORTED, import_files
        from clinic_app.services.session import create_vault

        src = root / "src"
        src.mkdir()
        approx_pages = make_sources(src, args.files)
        total_mb = sum(p.stat().st_size for p in src.iterdir()) / 1e6

        copy_dir = root / "copy"
        copy_dir.mkdir()
        t0 = time.perf_counter()
        for f in sorted(src.iterdir()):
            shutil.copyfile(f, copy_dir / f.name)
        copy_s = time.perf_counter() - t0

        session, _ = create_vault(root / "vault", admin="bench", passphrase="benchmark passphrase words",
                                  kdf_profile="fast")
        case_record.save_client(session, Client(ref="c", legal_name="Bench Client"))
        case_record.save_matter(session, Matter(ref="m", client_ref="c", type=MatterType.HC, title="m"))
        t0 = time.perf_counter()
        report = import_files(session, "m", [src])
        import_s = time.perf_counter() - t0
        session.lock()

    imported = report.count(IMPORTED)
    refused = [(f.name, f.reason) for f in report.files if f.outcome != IMPORTED]
    if refused:
        print("not imported:", refused[:5], "..." if len(refused) > 5 else "")
    print(f"{args.files} files (~{approx_pages} pages, {total_mb:.1f} MB): {imported} imported in {import_s:.1f} s "
          f"= {args.files / import_s:.1f} files/s, {approx_pages / import_s:.0f} pages/s, {total_mb / import_s:.2f} MB/s")
    print(f"plain copy of the same files: {copy_s * 1000:.0f} ms; ratio import/copy: {import_s / copy_s:.0f}x")
    from clinic_app.intake import tools_available

    print(f"tools: {tools_available()} (with Tesseract, each image page is OCRed: most of the time)")
    print(f"reproduce: python benchmarks/intake.py --files {args.files}")


if __name__ == "__main__":
    main()
