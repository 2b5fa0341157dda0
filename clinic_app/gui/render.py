"""Page images for thumbnails and previews, made in memory on the render thread.

Bytes come from the vault (the working copy) and become QImages without touching
the disk: a preview or thumbnail file would be plaintext client data outside the
vault. PDF pages are drawn with pypdfium2 when it is installed; images are
decoded by Qt; anything else gets no preview.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from clinic_app.gui.operations.adapters import NotAvailable
from clinic_app.gui.tasks import Job, Op, TaskRunner
from clinic_app.i18n import _

MAX_THUMBNAILS = 60


@dataclass(frozen=True)
class PageImages:
    page_count: int
    images: list[tuple[int, QImage]]  # (1-based page number, image)


def render_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("pypdfium2") is not None


def _pdf_pages(data: bytes, pages: list[int] | None, width: int, job: Job) -> PageImages:
    try:
        import pypdfium2 as pdfium
    except ImportError:
        raise NotAvailable(_("The page preview (it needs pypdfium2)")) from None
    pdf = pdfium.PdfDocument(data)
    try:
        count = len(pdf)
        wanted = pages if pages is not None else list(range(1, min(count, MAX_THUMBNAILS) + 1))
        images = []
        for number in wanted:
            if job.cancel.cancelled or not 1 <= number <= count:
                continue
            page = pdf[number - 1]
            try:
                w, h = page.get_width(), page.get_height()
                if page.get_rotation() in (90, 270):
                    w, h = h, w
                bitmap = page.render(scale=width / max(w, 1.0), rev_byteorder=True, prefer_bgrx=True)
                fmt = QImage.Format.Format_RGBX8888 if bitmap.mode == "RGBX" else QImage.Format.Format_RGB888
                image = QImage(bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride, fmt).copy()
                images.append((number, image))
            finally:
                page.close()
        return PageImages(count, images)
    finally:
        pdf.close()


def _picture(data: bytes, width: int) -> PageImages:
    image = QImage.fromData(data)
    if image.isNull():
        raise NotAvailable(_("A preview of this kind of file"))
    return PageImages(1, [(1, image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation))])


def render_pages(runner: TaskRunner, *, data: bytes, pages: list[int] | None = None, width: int = 140) -> Op:
    """Thumbnails (`pages` None = the first pages) or one large page, on the render thread."""

    def work(job: Job) -> PageImages:
        if data[:1024].lstrip().startswith(b"%PDF") or b"%PDF-" in data[:1024]:
            return _pdf_pages(data, pages, width, job)
        return _picture(data, width)

    return Op(runner, work, pool="render")
