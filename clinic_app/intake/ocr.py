"""OCR of pages without a text layer, with the Tesseract program when it is installed.

Scanned declarations and photographed letters are only searchable after OCR. Each
page is rendered in memory (pypdfium2), piped into `tesseract stdin stdout pdf`
with `textonly_pdf=1`, and the invisible text page Tesseract returns is laid over
the working-copy page, undoing the page's rotation so the words sit on the pixels
they came from. No file is written: image in through stdin, PDF out through stdout.
OCR stops early (with a warning) rather than let the job reach its timeout.
Runs in the child.
"""

from __future__ import annotations

import functools
import importlib.util
import io
import math
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field

from clinic_app.intake.limits import ocr_switched_off

PREFERRED_LANGUAGES = ("eng", "fra", "spa")
OCR_DPI = 300
MAX_RENDER_PIXELS = 20_000_000
MIN_SECONDS_PER_PAGE = 4.0


@dataclass
class OcrOutcome:
    pdf: bytes
    texts: dict[int, str] = field(default_factory=dict)  # page index -> recognised text
    warnings: list[tuple[str, dict[str, int]]] = field(default_factory=list)


def tesseract_path() -> str | None:
    """Tesseract, unless the clinic turned OCR off (HAVEN_OCR=off) to import big batches fast."""
    if ocr_switched_off():
        return None
    return shutil.which("tesseract")


@functools.cache
def _languages(exe: str) -> list[str]:
    """Installed languages we use (asked once per child: every OCR job would pay ~50 ms)."""
    try:
        listed = subprocess.run(
            [exe, "--list-langs"], capture_output=True, timeout=15, check=False, env=_tool_env()
        ).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.SubprocessError):
        return []
    installed = {line.strip() for line in listed.splitlines()[1:]}
    return [lang for lang in PREFERRED_LANGUAGES if lang in installed] or sorted(
        lang for lang in installed if lang and lang != "osd"
    )[:1]


def _tool_env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k in ("PATH", "TESSDATA_PREFIX", "SYSTEMROOT", "LANG")
    }
    env["OMP_THREAD_LIMIT"] = "1"
    return env


def can_run() -> bool:
    """Tesseract, a language for it and the page renderer are all here."""
    exe = tesseract_path()
    return bool(exe and _languages(exe) and importlib.util.find_spec("pypdfium2"))


def ocr_pages(pdf: bytes, page_indexes: list[int], deadline: float) -> OcrOutcome:
    """OCR the given 0-based pages of `pdf`; returns the new PDF and the texts found."""
    exe = tesseract_path()
    languages = _languages(exe) if exe else []
    if not exe or not languages:
        return OcrOutcome(pdf)
    try:
        import pypdfium2  # noqa: F401
    except ImportError:
        return OcrOutcome(pdf, warnings=[("ocr_renderer_missing", {})])
    return apply_pages(pdf, page_indexes, recognise(pdf, page_indexes, deadline))


def recognise(pdf: bytes, page_indexes: list[int], deadline: float) -> dict[int, bytes | None]:
    """Tesseract's invisible-text page for each 0-based page (None: it failed), in order,
    stopping when too little time is left (pages not reached are absent).

    Split from `apply_pages` so that the pages of one file can be recognised by several
    workers at once and laid over the working copy by one: the bytes are the same either way.
    """
    import pypdfium2

    exe = tesseract_path() or ""
    languages = _languages(exe) if exe else []
    found: dict[int, bytes | None] = {}
    if not languages:
        return found
    document = pypdfium2.PdfDocument(pdf)
    try:
        for index in page_indexes:
            if deadline - time.monotonic() < MIN_SECONDS_PER_PAGE:
                break
            image, dpi = _render(document[index])
            found[index] = _tesseract(exe, languages, image, dpi, deadline)
    finally:
        document.close()
    return found


def apply_pages(pdf: bytes, page_indexes: list[int], found: dict[int, bytes | None]) -> OcrOutcome:
    """Lay the recognised pages over `pdf`, in page order; warn of failed and missing pages."""
    from pypdf import PdfReader, PdfWriter

    outcome = OcrOutcome(pdf)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for index in page_indexes:
        if index not in found:
            continue
        text_pdf = found[index]
        if text_pdf is None:
            outcome.warnings.append(("ocr_page_failed", {"page": index + 1}))
            continue
        text = _overlay(writer.pages[index], text_pdf)
        if text.strip():
            outcome.texts[index] = text
    missing = [i for i in page_indexes if i not in found]
    if missing:
        done = len(page_indexes) - len(missing)
        outcome.warnings.append(("ocr_incomplete", {"done": done, "total": len(page_indexes)}))
    if outcome.texts:
        out = io.BytesIO()
        writer.write(out)
        outcome.pdf = out.getvalue()
    return outcome


def _render(page: object) -> tuple[bytes, float]:
    """Greyscale render at up to 300 dpi, as a PGM image in memory."""
    width, height = page.get_size()  # type: ignore[attr-defined]
    scale = OCR_DPI / 72
    if width * height * scale * scale > MAX_RENDER_PIXELS:
        scale = math.sqrt(MAX_RENDER_PIXELS / max(1.0, width * height))
    bitmap = page.render(scale=scale, grayscale=True)  # type: ignore[attr-defined]
    image = bitmap.to_pil().convert("L")
    out = io.BytesIO()
    image.save(out, format="PPM")
    return out.getvalue(), scale * 72


def _tesseract(
    exe: str, languages: list[str], image: bytes, dpi: float, deadline: float
) -> bytes | None:
    command = [exe, "stdin", "stdout", "--dpi", str(round(dpi)), "-l", "+".join(languages)]
    command += ["-c", "textonly_pdf=1", "pdf"]
    try:
        done = subprocess.run(
            command,
            input=image,
            capture_output=True,
            timeout=max(1.0, deadline - time.monotonic()),
            check=False,
            env=_tool_env(),
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 and done.stdout.startswith(b"%PDF") else None


def _overlay(target: object, text_pdf: bytes) -> str:
    """Lay the invisible OCR text over `target`, undoing its /Rotate; returns the text."""
    from pypdf import PdfReader, Transformation

    from clinic_app.intake.pdf_pages import effective_box, normalised_rotation

    source = PdfReader(io.BytesIO(text_pdf)).pages[0]
    text = source.extract_text() or ""
    ocr_w, ocr_h = float(source.mediabox.width), float(source.mediabox.height)
    x0, y0, x1, y1 = effective_box(target)  # type: ignore[arg-type]
    w, h = x1 - x0, y1 - y0
    rotation = normalised_rotation(target)  # type: ignore[arg-type]
    shown_w, shown_h = (h, w) if rotation in (90, 270) else (w, h)
    su, sv = shown_w / max(ocr_w, 1e-6), shown_h / max(ocr_h, 1e-6)
    # (u, v) in the displayed page -> (x, y) in the page's own user space.
    a, b, c, d, e, f = {
        0: (1, 0, 0, 1, x0, y0),
        90: (0, 1, -1, 0, x0 + w, y0),
        180: (-1, 0, 0, -1, x0 + w, y0 + h),
        270: (0, -1, 1, 0, x0, y0 + h),
    }[rotation]
    matrix = (a * su, b * su, c * sv, d * sv, e, f)
    target.merge_transformed_page(source, Transformation(matrix))  # type: ignore[attr-defined]
    return text
