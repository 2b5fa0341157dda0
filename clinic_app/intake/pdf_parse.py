"""Open an untrusted PDF with pypdf and read what the vault records about it.

Runs in the child, after `limits.harden_libraries`. Every pypdf failure becomes a
`Refusal` with a reason a user understands; a page whose text cannot be read is
treated as a page without a text layer (and so offered to OCR) rather than
failing the whole file, except when the failure is a decompression limit: that
is a bomb, and the whole file is refused.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

from pypdf import PdfReader
from pypdf.errors import LimitReachedError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from clinic_app.intake.errors import (
    DamagedFile,
    FileTooLarge,
    ImageTooLarge,
    PasswordRequired,
    Refusal,
    TooManyPages,
    WrongPassword,
)
from clinic_app.intake.limits import Limits
from clinic_app.intake.pdf_pages import (
    effective_box,
    inherited,
    normalised_rotation,
    page_box,
    resolve,
)

_SIZE_LIMIT_WORDS = ("decompress", "declared size", "decoding work", "memory limit", "buffer")
MAX_FIELD_VISITS = 20_000
MAX_IMAGES_CHECKED = 1_000
PDF_IMAGE_PIXEL_FACTOR = 2  # a 600 dpi A3 fax page is 70 megapixels, and legitimate


@dataclass
class PageFacts:
    number: int
    width_pt: float
    height_pt: float
    rotation: int
    has_text: bool
    blank: bool = False  # draws nothing at all: no point in OCR


@dataclass
class PdfFacts:
    pages: list[PageFacts]
    page_texts: list[str]
    was_encrypted: bool
    has_xfa: bool
    has_signature: bool
    meta_title: str | None
    meta_date: date | None
    warnings: list[tuple[str, dict[str, int]]] = field(default_factory=list)


def is_size_limit(exc: BaseException) -> bool:
    """True when pypdf stopped because a stream would expand past our caps (a bomb)."""
    return isinstance(exc, LimitReachedError) and any(
        word in str(exc).lower() for word in _SIZE_LIMIT_WORDS
    )


def open_pdf(data: bytes, password: str | None) -> tuple[PdfReader, bool]:
    """Return (reader, was_encrypted); an empty user password opens silently.

    A password typed for a file that turns out to open without one is not an error.
    """
    reader = PdfReader(io.BytesIO(data), strict=False)
    if not reader.is_encrypted:
        return reader, False
    attempts = [password] if password else []
    attempts.append("")
    for attempt in attempts:
        try:
            if reader.decrypt(attempt):
                return reader, True
        except (NotImplementedError, ValueError, TypeError, KeyError, UnicodeError) as exc:
            if attempt:
                raise Refusal(WrongPassword.key) from exc
            raise Refusal(DamagedFile.key) from exc  # an encryption scheme pypdf cannot read
    raise Refusal(WrongPassword.key if password else PasswordRequired.key)


def read_facts(reader: PdfReader, was_encrypted: bool, limits: Limits, *, with_text: bool = True) -> PdfFacts:
    """Pages, sizes, text, forms and metadata; `with_text=False` leaves every page's text
    empty, for a PDF Haven drew itself from text it already holds."""
    try:
        count = len(reader.pages)
    except LimitReachedError as exc:
        if "page" in str(exc).lower() and "entr" in str(exc).lower():
            raise Refusal(TooManyPages.key, pages=0, limit=limits.max_pages) from exc
        raise
    if count == 0:
        raise Refusal(DamagedFile.key)
    if count > limits.max_pages:
        raise Refusal(TooManyPages.key, pages=count, limit=limits.max_pages)
    facts = PdfFacts([], [], was_encrypted, False, False, None, None)
    kept_chars = 0
    for index, page in enumerate(reader.pages):
        if page_box(page, "/MediaBox") is None:
            facts.warnings.append(("page_size_missing", {"page": index + 1}))
        left, bottom, right, top = effective_box(page)
        text, blank = _page_text(page, facts, index, limits) if with_text else ("", False)
        has_text = bool(text.strip())
        room = limits.max_text_chars - kept_chars
        if len(text) > room:
            if room >= 0:
                facts.warnings.append(
                    ("text_truncated", {"limit_mb": limits.max_text_chars // 1_000_000})
                )
            text = text[: max(0, room)]
            kept_chars = limits.max_text_chars + 1  # warn once
        else:
            kept_chars += len(text)
        facts.page_texts.append(text)
        facts.pages.append(
            PageFacts(
                index + 1,
                round(right - left, 2),
                round(top - bottom, 2),
                normalised_rotation(page),
                has_text,
                blank,
            )
        )
    _read_forms(reader, facts)
    _read_metadata(reader, facts)
    return facts


def _page_text(
    page: DictionaryObject, facts: PdfFacts, index: int, limits: Limits
) -> tuple[str, bool]:
    """(text, blank): the page's text, and whether its content draws nothing at all."""
    _check_images(page, limits)
    try:
        drawn = _decode_contents(
            page
        )  # pypdf's text extraction swallows limit errors; this does not
        return page.extract_text() or "", drawn == 0  # type: ignore[attr-defined]
    except MemoryError:
        raise
    except Exception as exc:  # a page we cannot read is a page without text
        if is_size_limit(exc):
            raise Refusal(FileTooLarge.key, limit_mb=limits.max_stream_mb) from exc
        facts.warnings.append(("page_text_unreadable", {"page": index + 1}))
        return "", False


def _decode_contents(page: DictionaryObject) -> int:
    """Decode the page's content streams (cached for extract_text); returns bytes that draw."""
    drawn = 0
    contents = resolve(page.get("/Contents"))
    for item in contents if isinstance(contents, ArrayObject) else [contents]:
        stream = resolve(item)
        if isinstance(stream, StreamObject):
            drawn += len(stream.get_data().strip())
    return drawn


def _check_images(page: DictionaryObject, limits: Limits) -> None:
    """Refuse images whose declared size would exhaust a renderer (OCR, thumbnails, print)."""
    try:
        resources = resolve(inherited(page, "/Resources"))
        xobjects = (
            resolve(resources.get("/XObject")) if isinstance(resources, DictionaryObject) else None
        )
        if not isinstance(xobjects, DictionaryObject):
            return
        for item in list(xobjects.values())[:MAX_IMAGES_CHECKED]:
            image = resolve(item)
            if not isinstance(image, DictionaryObject) or image.get("/Subtype") != "/Image":
                continue
            width, height = (
                int(resolve(image.get("/Width", 0))),
                int(resolve(image.get("/Height", 0))),
            )
            if width * height > PDF_IMAGE_PIXEL_FACTOR * limits.max_image_mpx * 1_000_000:
                raise Refusal(
                    ImageTooLarge.key,
                    width=width,
                    height=height,
                    limit_mpx=PDF_IMAGE_PIXEL_FACTOR * limits.max_image_mpx,
                )
    except (Refusal, MemoryError):
        raise
    except Exception:  # odd resources are the text extractor's problem
        return


def _read_forms(reader: PdfReader, facts: PdfFacts) -> None:
    try:
        root = resolve(reader.trailer.get("/Root"))
        form = resolve(root.get("/AcroForm")) if isinstance(root, DictionaryObject) else None
        if not isinstance(form, DictionaryObject):
            return
        facts.has_xfa = "/XFA" in form
        facts.has_signature = "/Perms" in root or _has_signature_field(form)
    except MemoryError:
        raise
    except Exception:  # a broken form dictionary is not a broken document
        facts.warnings.append(("form_unreadable", {}))


def _has_signature_field(form: DictionaryObject) -> bool:
    stack = list(form.get("/Fields") or [])
    seen: set[int] = set()
    visits = 0
    while stack and visits < MAX_FIELD_VISITS:
        visits += 1
        item = stack.pop()
        field_dict = item.get_object() if isinstance(item, IndirectObject) else item
        if not isinstance(field_dict, DictionaryObject) or id(field_dict) in seen:
            continue
        seen.add(id(field_dict))
        if field_dict.get("/FT") == "/Sig" and field_dict.get("/V") is not None:
            return True
        stack.extend(field_dict.get("/Kids") or [])
    return False


def _read_metadata(reader: PdfReader, facts: PdfFacts) -> None:
    try:
        meta = reader.metadata
        if meta is None:
            return
        title = meta.title
        facts.meta_title = str(title) if title else None
        created = meta.creation_date
        facts.meta_date = created.date() if created is not None else None
    except MemoryError:
        raise
    except Exception:  # bad metadata only costs a suggestion
        return
