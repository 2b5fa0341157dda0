"""Photos and scans (JPEG, PNG, TIFF) as PDF pages: one page per image or TIFF frame.

Evidence must not lose detail, so nothing is re-compressed lossily: a JPEG's own
bytes go into the PDF unchanged (DCTDecode), and every other image is stored
losslessly (Flate). A phone photo's EXIF orientation becomes the page's /Rotate,
so the pixels stay the camera's. Dimensions are checked from the header before
any pixel is decoded, and Pillow only ever tries the one format the magic bytes
named. Runs in the child.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass

from PIL import Image, ImageOps
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, NumberObject, StreamObject

from clinic_app.intake.errors import DamagedFile, ImageTooLarge, Refusal, TooManyPages
from clinic_app.intake.limits import Limits

PIL_FORMATS = {"image/jpeg": ["JPEG"], "image/png": ["PNG"], "image/tiff": ["TIFF"]}
LETTER = (612.0, 792.0)
MAX_PAGE_PT = 17 * 72.0  # larger "physical" sizes are fitted to Letter instead
MIN_PAGE_PT = 72.0
EXIF_ORIENTATION = 0x0112
EXIF_ROTATION = {1: 0, 3: 180, 6: 90, 8: 270}  # the rest are mirrored: pixels are transposed
STRIP_ROWS = 256


@dataclass(frozen=True)
class ImagePages:
    pdf: bytes
    page_count: int
    warnings: tuple[tuple[str, dict[str, int]], ...]


def images_to_pdf(data: bytes, media_type: str, limits: Limits) -> ImagePages:
    """Convert every frame of the image in `data` to a page of a new PDF."""
    try:
        image = Image.open(io.BytesIO(data), formats=PIL_FORMATS[media_type])
    except Image.DecompressionBombError as exc:
        raise Refusal(ImageTooLarge.key, limit_mpx=limits.max_image_mpx) from exc
    # A JPEG's extra frames (MPO previews, depth maps) are not pages of the document.
    frames = 1 if media_type == "image/jpeg" else getattr(image, "n_frames", 1)
    if frames > limits.max_pages:
        raise Refusal(TooManyPages.key, pages=frames, limit=limits.max_pages)
    writer = PdfWriter()
    for index in range(frames):
        if index:
            image.seek(index)
        _check_dimensions(image, limits)
        _add_frame(writer, image, media_type, data)
    out = io.BytesIO()
    writer.write(out)
    return ImagePages(out.getvalue(), frames, ())


def _check_dimensions(image: Image.Image, limits: Limits) -> None:
    width, height = image.size
    if width <= 0 or height <= 0:
        raise Refusal(DamagedFile.key)
    if width * height > limits.max_image_mpx * 1_000_000:
        raise Refusal(ImageTooLarge.key, width=width, height=height, limit_mpx=limits.max_image_mpx)


def _orientation(image: Image.Image) -> int:
    try:
        value = image.getexif().get(EXIF_ORIENTATION, 1)
    except Exception:  # a broken EXIF block must not stop the import of the pixels
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _add_frame(writer: PdfWriter, image: Image.Image, media_type: str, data: bytes) -> None:
    orientation = _orientation(image)
    dpi = image.info.get("dpi")
    if media_type == "image/jpeg" and image.mode in ("RGB", "L") and orientation in EXIF_ROTATION:
        width_px, height_px = image.size  # before the draft decode below shrinks it
        stream = _jpeg_stream(image, data)
        _verify_jpeg(image)
        rotation = EXIF_ROTATION[orientation]
    else:
        image.load()
        if orientation != 1:
            image = ImageOps.exif_transpose(image)
        width_px, height_px = image.size
        stream = _flate_stream(image)
        rotation = 0
    page_w, page_h, draw = _page_geometry(dpi, width_px, height_px)
    page = writer.add_blank_page(page_w, page_h)
    ref = writer._add_object(stream)  # pypdf has no public call to add an indirect stream
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Im0"): ref})}
    )
    x, y, w, h = draw
    content = StreamObject()
    content._data = f"q {w:.4f} 0 0 {h:.4f} {x:.4f} {y:.4f} cm /Im0 Do Q".encode("ascii")
    page[NameObject("/Contents")] = writer._add_object(content)
    if rotation:
        page[NameObject("/Rotate")] = NumberObject(rotation)


def _verify_jpeg(image: Image.Image) -> None:
    """Decode at 1/8 scale: cheap, and a truncated or corrupt JPEG fails here, not in a bundle."""
    width, height = image.size
    image.draft(image.mode, (max(1, width // 8), max(1, height // 8)))
    image.load()


def _jpeg_stream(image: Image.Image, data: bytes) -> StreamObject:
    width, height = image.size
    stream = StreamObject()
    stream._data = data
    stream.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(width),
            NameObject("/Height"): NumberObject(height),
            NameObject("/ColorSpace"): NameObject(
                "/DeviceRGB" if image.mode == "RGB" else "/DeviceGray"
            ),
            NameObject("/BitsPerComponent"): NumberObject(8),
            NameObject("/Filter"): NameObject("/DCTDecode"),
        }
    )
    return stream


_SIXTEEN_BITS = ("I;16", "I;16L", "I;16B", "I;16N", "I", "F")


def _pdf_mode_of(image: Image.Image) -> str:
    """The mode the PDF gets: 1-bit, grey or RGB."""
    if image.mode in ("1", "L", "RGB"):
        return image.mode
    return "L" if image.mode in _SIXTEEN_BITS else "RGB"


def _to_pdf_mode(part: Image.Image) -> Image.Image:
    """A decoded image (or a strip of one) in its PDF mode, transparency flattened on white.
    Every step works pixel by pixel, so strips convert exactly as the whole image would."""
    if part.mode in ("1", "L", "RGB"):
        return part
    if part.mode in _SIXTEEN_BITS:
        return part.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    if part.mode in ("LA", "RGBA", "PA", "La", "RGBa") or "transparency" in part.info:
        rgba = part.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return part.convert("RGB")


def _flate_stream(image: Image.Image) -> StreamObject:
    """The decoded image as a Flate image stream, converted to its PDF mode a strip at a time:
    peak memory stays near the one decoded copy. (Converting the whole image first held several
    full-size copies, so a 7000 x 7000 RGBA PNG or 16-bit grey scan, under the 50-megapixel
    limit, ran out of the worker's 512 MB.)"""
    colour = {"1": "/DeviceGray", "L": "/DeviceGray", "RGB": "/DeviceRGB"}
    mode = _pdf_mode_of(image)
    width, height = image.size
    compressor = zlib.compressobj(6)
    chunks = []
    for top in range(0, height, STRIP_ROWS):
        strip = _to_pdf_mode(image.crop((0, top, width, min(height, top + STRIP_ROWS))))
        chunks.append(compressor.compress(strip.tobytes()))
    chunks.append(compressor.flush())
    stream = StreamObject()
    stream._data = b"".join(chunks)
    stream.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(width),
            NameObject("/Height"): NumberObject(height),
            NameObject("/ColorSpace"): NameObject(colour[mode]),
            NameObject("/BitsPerComponent"): NumberObject(1 if mode == "1" else 8),
            NameObject("/Filter"): NameObject("/FlateDecode"),
        }
    )
    return stream


def _page_geometry(
    dpi: object, width_px: int, height_px: int
) -> tuple[float, float, tuple[float, float, float, float]]:
    """Page size and image placement: the image's own DPI if plausible, else fitted to Letter."""
    if isinstance(dpi, tuple) and len(dpi) == 2:
        try:
            dpi_x, dpi_y = float(dpi[0]), float(dpi[1])
        except (TypeError, ValueError):
            dpi_x = dpi_y = 0.0
        if 50 <= dpi_x <= 2400 and 50 <= dpi_y <= 2400:
            page_w, page_h = width_px / dpi_x * 72, height_px / dpi_y * 72
            if MIN_PAGE_PT <= page_w <= MAX_PAGE_PT and MIN_PAGE_PT <= page_h <= MAX_PAGE_PT:
                return page_w, page_h, (0.0, 0.0, page_w, page_h)
    page_w, page_h = LETTER if height_px >= width_px else (LETTER[1], LETTER[0])
    scale = min(page_w / width_px, page_h / height_px)
    w, h = width_px * scale, height_px * scale
    return page_w, page_h, ((page_w - w) / 2, (page_h - h) / 2, w, h)
