"""Intake test set-up: one shared sandbox, and generators of real (and hostile) files.

Everything is generated at run time with Pillow, reportlab, zlib or by hand, so no
client-like data and no large file is committed. Helpers are exposed through the
`make` fixture because tests/intake is not on the import path.
"""

from __future__ import annotations

import functools
import io
import shutil
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from clinic_app.intake import IntakeSandbox

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "pdf"


@pytest.fixture(scope="session")
def corpus_folder() -> Path:
    """Session-scoped twin of the root `corpus_dir` fixture (same folder, same skip)."""
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not present at {CORPUS} (it lives beside the project root)")
    return CORPUS


@pytest.fixture(scope="session")
def sandbox() -> Iterator[IntakeSandbox]:
    """One worker for the whole session, as the app uses it for a batch."""
    with IntakeSandbox() as shared:
        yield shared


def build_pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF from object bodies numbered 1..n, with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, root, xref)
    )
    return out.getvalue()


def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


@functools.cache
def deflated_zeros(gigabytes: int) -> bytes:
    compressor = zlib.compressobj(9)
    chunk = bytes(1024 * 1024)
    parts = [compressor.compress(chunk) for _ in range(1024 * gigabytes)]
    return b"".join(parts) + compressor.flush()


def flate_bomb_pdf(layers: int = 3, gigabytes: int = 1) -> bytes:
    """A page whose content stream is `gigabytes` of zeros under `layers` FlateDecode filters."""
    data = deflated_zeros(gigabytes)
    for _ in range(layers - 1):
        data = zlib.compress(data, 9)
    filters = b"/Filter [" + b" /FlateDecode" * layers + b" ]"
    return build_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << >> >>",
            stream(data, filters),
        ]
    )


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height RGB pixels, with a few real rows of data."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(bytes(4 * (1 + 3 * min(width, 64))))
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", rows)
        + png_chunk(b"IEND", b"")
    )


def png_ztxt_bomb() -> bytes:
    """A small valid PNG with a zTXt chunk that inflates to 200 MB."""
    compressor = zlib.compressobj(9)
    text = (
        b"".join(compressor.compress(bytes(1024 * 1024)) for _ in range(200)) + compressor.flush()
    )
    header = struct.pack(">IIBBBBB", 8, 8, 8, 0, 0, 0, 0)
    rows = zlib.compress(bytes(8 * 9))
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"zTXt", b"Comment\x00\x00" + text)
        + png_chunk(b"IDAT", rows)
        + png_chunk(b"IEND", b"")
    )


def jpeg_claiming(width: int, height: int) -> bytes:
    """A real small JPEG whose SOF header is patched to claim width x height."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (16, 16), "white").save(out, format="JPEG")
    data = bytearray(out.getvalue())
    sof = data.index(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, height, width)
    return bytes(data)


def text_image(lines: list[str], size: tuple[int, int] = (1700, 2200)) -> object:
    """A white page with large black text, for OCR."""
    from PIL import Image, ImageDraw, ImageFont

    if not FONT.is_file():
        pytest.skip(f"DejaVu font not installed at {FONT}")
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 56)
    for index, line in enumerate(lines):
        draw.text((120, 160 + index * 100), line, fill="black", font=font)
    return image


def reportlab_pdf(pages: list[str], rotations: list[int] | None = None) -> bytes:
    """A text PDF, one string per page, with optional /Rotate per page."""
    from pypdf import PdfReader, PdfWriter
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, invariant=1)
    for text in pages:
        pdf.drawString(72, 700, text)
        pdf.showPage()
    pdf.save()
    if not rotations:
        return out.getvalue()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(out.getvalue())))
    for page, degrees in zip(writer.pages, rotations, strict=False):
        page.rotate(degrees)
    result = io.BytesIO()
    writer.write(result)
    return result.getvalue()


def docx_bytes(paragraphs: list[str]) -> bytes:
    """A minimal valid DOCX (the three parts Word and LibreOffice need)."""
    from xml.sax.saxutils import escape

    body = "".join(f"<w:p><w:r><w:t>{escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{body}</w:body></w:document>",
        )
    return out.getvalue()


ACTIVE_KEYS = ("/JavaScript", "/JS", "/OpenAction", "/AA", "/EmbeddedFiles", "/EF", "/XFA")
DANGEROUS_ACTIONS = ("/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToE")


def active_content(pdf: object) -> list[str]:
    """Every active-content marker in a pikepdf.Pdf: reachable or orphaned, direct or not."""
    import pikepdf

    assert isinstance(pdf, pikepdf.Pdf)
    found: list[str] = []
    seen: set[tuple[int, int]] = set()
    stack: list[object] = [pdf.trailer, *pdf.objects]
    while stack:
        obj = stack.pop()
        if isinstance(obj, pikepdf.Object) and obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            found += [key for key in ACTIVE_KEYS if key in obj]
            if obj.get("/S") in DANGEROUS_ACTIONS:
                found.append(str(obj.get("/S")))
            if obj.get("/Subtype") == "/FileAttachment":
                found.append("/FileAttachment")
            stack.extend(obj[key] for key in obj.keys() if key != "/Parent")
        elif isinstance(obj, pikepdf.Array):
            stack.extend(obj)
    return found


@pytest.fixture(scope="session")
def make() -> SimpleNamespace:
    return SimpleNamespace(
        build_pdf=build_pdf,
        stream=stream,
        flate_bomb_pdf=flate_bomb_pdf,
        png_claiming=png_claiming,
        png_ztxt_bomb=png_ztxt_bomb,
        jpeg_claiming=jpeg_claiming,
        text_image=text_image,
        reportlab_pdf=reportlab_pdf,
        docx_bytes=docx_bytes,
        active_content=active_content,
    )


@pytest.fixture
def no_tools_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """PATH without Tesseract or LibreOffice, for workers started after this fixture."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert shutil.which("tesseract") is None and shutil.which("soffice") is None
