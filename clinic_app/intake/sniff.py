"""Decide what a file is from its first bytes, not from its name.

A file's name is chosen by whoever sent it; its magic bytes are what the parsers
will actually see. So the content decides which parser runs, and the name is only
used to refuse text-looking content in a file that claims to be something else
(a "report.pdf" that holds five bytes of junk is damaged, not a text file).
Runs in the child: it reads untrusted bytes.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from clinic_app.intake.errors import (
    ContentDoesNotMatchName,
    HeicNotSupported,
    Refusal,
    UnsupportedFile,
)

TEXT_EXTENSIONS = frozenset({"", ".txt", ".text", ".md", ".csv", ".tsv", ".log"})
OFFICE_EXTENSIONS = frozenset({".docx", ".odt", ".doc", ".rtf"})
BINARY_EXTENSIONS = frozenset(
    {".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".heic", ".heif"} | OFFICE_EXTENSIONS
)
HEIF_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"})
PDF_HEADER_WINDOW = 1024  # how far into the file a %PDF- header is looked for
MAX_ZIP_MEMBER_PEEK = 256


@dataclass(frozen=True)
class Sniffed:
    kind: str  # "pdf" | "image" | "text" | "office"
    media_type: str
    name_mismatch: bool = False  # content differs from what the extension claims


def sniff(data: bytes, extension: str) -> Sniffed:
    """Classify `data`; raise a Refusal for types Haven does not import."""
    ext = extension.lower()
    head = data[:PDF_HEADER_WINDOW]
    if head.startswith(b"%PDF-"):
        return Sniffed("pdf", "application/pdf", name_mismatch=ext not in ("", ".pdf"))
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed("image", "image/jpeg", name_mismatch=ext not in ("", ".jpg", ".jpeg"))
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed("image", "image/png", name_mismatch=ext not in ("", ".png"))
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return Sniffed("image", "image/tiff", name_mismatch=ext not in ("", ".tif", ".tiff"))
    if head[4:8] == b"ftyp":
        if head[8:12] in HEIF_BRANDS:
            raise Refusal(HeicNotSupported.key)
        raise Refusal(UnsupportedFile.key)
    office = _office_media_type(data, ext)
    if office:
        return Sniffed("office", office)
    if b"%PDF-" in head and (ext == "" or ext not in TEXT_EXTENSIONS):
        # Junk before the header: readers accept it, so do we (not in a .txt that cites one).
        return Sniffed("pdf", "application/pdf", name_mismatch=ext not in ("", ".pdf"))
    if ext == ".pdf":
        # No %PDF- header: let the PDF reader try its recovery, it refuses cleanly.
        return Sniffed("pdf", "application/pdf")
    if ext in TEXT_EXTENSIONS and looks_like_text(data):
        return Sniffed("text", "text/plain")
    if ext in BINARY_EXTENSIONS or ext in TEXT_EXTENSIONS:
        raise Refusal(ContentDoesNotMatchName.key)
    raise Refusal(UnsupportedFile.key)


def _office_media_type(data: bytes, ext: str) -> str | None:
    if data.startswith(b"PK\x03\x04"):
        return _zip_document_type(data)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") and ext == ".doc":
        return "application/msword"
    if data.startswith(b"{\\rtf"):
        return "application/rtf"
    return None


def _zip_document_type(data: bytes) -> str | None:
    """DOCX or ODT text documents; spreadsheets and other ZIPs are not imported."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size <= MAX_ZIP_MEMBER_PEEK:
                    kind = archive.read("mimetype").strip()
                    if kind == b"application/vnd.oasis.opendocument.text":
                        return kind.decode("ascii")
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, NotImplementedError, EOFError):
        return None
    return None


def looks_like_text(data: bytes) -> bool:
    """True for BOM-marked UTF-16/32 or 8-bit data with almost no control bytes."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return True
    sample = data[:65536]
    if not sample:
        return True
    if b"\x00" in sample:
        return False
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls <= len(sample) // 100
