"""Photos and scans become PDF pages without losing pixels or orientation."""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace

import pikepdf
import pytest
from PIL import Image

from clinic_app.intake import IntakeSandbox, ParsedFile


def _save(image: Image.Image, path: Path, **options: object) -> Path:
    image.save(path, **options)
    return path


def _images_of(result: ParsedFile) -> list[tuple[int, list[bytes]]]:
    with pikepdf.open(io.BytesIO(result.working_pdf)) as pdf:
        return [
            (
                page.obj.get("/Rotate", 0),
                [bytes(img.read_raw_bytes()) for img in page.obj.Resources.XObject.values()],
            )
            for page in pdf.pages
        ]


def test_jpeg_bytes_go_into_the_pdf_unchanged(tmp_path: Path, sandbox: IntakeSandbox) -> None:
    photo = _save(Image.new("RGB", (1200, 900), (30, 120, 200)), tmp_path / "photo.jpg", quality=92)
    result = sandbox.parse(photo)
    assert (result.kind, result.media_type, result.page_count) == ("image", "image/jpeg", 1)
    [(rotate, images)] = _images_of(result)
    assert rotate == 0 and images == [photo.read_bytes()]  # no re-compression
    assert (result.pages[0].width_pt, result.pages[0].height_pt) == (
        792.0,
        612.0,
    )  # landscape Letter
    assert result.pages_without_text == (1,) or result.ocr_applied


def test_exif_orientation_becomes_page_rotation(tmp_path: Path, sandbox: IntakeSandbox) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 degrees clockwise to display"
    photo = _save(Image.new("RGB", (800, 600), "white"), tmp_path / "phone.jpg", exif=exif)
    result = sandbox.parse(photo)
    assert result.pages[0].rotation == 90
    with pikepdf.open(io.BytesIO(result.working_pdf)) as pdf:
        assert int(pdf.pages[0].obj.Rotate) == 90
        image = pdf.pages[0].obj.Resources.XObject["/Im0"]
        assert (int(image.Width), int(image.Height)) == (800, 600)  # the camera's own pixels


def test_mirrored_exif_orientation_transposes_pixels(
    tmp_path: Path, sandbox: IntakeSandbox
) -> None:
    exif = Image.Exif()
    exif[0x0112] = 5  # transpose: mirrored, cannot be a page rotation
    photo = _save(Image.new("RGB", (800, 600), "white"), tmp_path / "mirror.jpg", exif=exif)
    result = sandbox.parse(photo)
    assert result.pages[0].rotation == 0
    with pikepdf.open(io.BytesIO(result.working_pdf)) as pdf:
        image = pdf.pages[0].obj.Resources.XObject["/Im0"]
        assert (int(image.Width), int(image.Height)) == (600, 800)


def test_png_with_alpha_and_dpi_keeps_its_physical_size(
    tmp_path: Path, sandbox: IntakeSandbox
) -> None:
    image = Image.new("RGBA", (850, 1100), (255, 0, 0, 128))
    png = _save(image, tmp_path / "screenshot.png", dpi=(100, 100))
    result = sandbox.parse(png)
    page = result.pages[0]
    assert (page.width_pt, page.height_pt) == pytest.approx((612.0, 792.0), abs=0.5)  # 8.5 x 11 in
    with pikepdf.open(io.BytesIO(result.working_pdf)) as pdf:
        decoded = pikepdf.PdfImage(pdf.pages[0].obj.Resources.XObject["/Im0"]).as_pil_image()
        assert decoded.mode == "RGB" and decoded.getpixel((10, 10)) == (255, 127, 127)  # on white


def test_multipage_tiff_gives_one_page_per_frame(tmp_path: Path, sandbox: IntakeSandbox) -> None:
    frames = [Image.new("1", (850, 1100), 1) for _ in range(3)] + [Image.new("L", (1100, 850), 200)]
    tiff = tmp_path / "fax.tif"
    frames[0].save(
        tiff, save_all=True, append_images=frames[1:], compression="tiff_deflate", dpi=(100, 100)
    )
    result = sandbox.parse(tiff)
    assert result.kind == "image" and result.page_count == 4
    sizes = [(round(p.width_pt), round(p.height_pt)) for p in result.pages]
    assert sizes == [(612, 792)] * 3 + [(792, 612)]
    with pikepdf.open(io.BytesIO(result.working_pdf)) as pdf:
        assert len(pdf.pages) == 4
        assert (
            int(pdf.pages[0].obj.Resources.XObject["/Im0"].BitsPerComponent) == 1
        )  # fax stays 1-bit


def test_truncated_jpeg_is_refused(tmp_path: Path, sandbox: IntakeSandbox) -> None:
    out = io.BytesIO()
    Image.effect_noise((640, 480), 60).convert("RGB").save(out, format="JPEG")
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(out.getvalue()[: len(out.getvalue()) // 2])
    with pytest.raises(Exception) as refused:
        sandbox.parse(broken)
    assert getattr(refused.value, "reason", None) == "damaged"


def test_image_of_text_is_searchable_or_flagged(
    tmp_path: Path, sandbox: IntakeSandbox, make: SimpleNamespace
) -> None:
    scan = _save(
        make.text_image(["Refugee claim hearing", "Toronto, 5 June 2024"]), tmp_path / "scan.png"
    )
    result = sandbox.parse(scan)
    if result.ocr_applied:  # Tesseract installed
        assert "hearing" in result.text.lower() and result.pages_without_text == ()
        assert result.date_suggestion == "2024-06-05" and result.ocr_pages == (1,)
    else:
        assert result.pages_without_text == (1,) and any("Tesseract" in w for w in result.warnings)


def test_jpeg_with_dpi_gets_its_physical_page_size(tmp_path: Path, sandbox: IntakeSandbox) -> None:
    scan = _save(Image.new("L", (1700, 2200), 255), tmp_path / "scan.jpg", dpi=(200, 200))
    result = sandbox.parse(scan)
    page = result.pages[0]
    assert (page.width_pt, page.height_pt) == pytest.approx((612.0, 792.0), abs=0.5)
    with pikepdf.open(io.BytesIO(result.working_pdf)) as pdf:
        image = pdf.pages[0].obj.Resources.XObject["/Im0"]
        assert (int(image.Width), int(image.Height), str(image.ColorSpace)) == (
            1700,
            2200,
            "/DeviceGray",
        )
        assert bytes(image.read_raw_bytes()) == scan.read_bytes()


@pytest.mark.parametrize("mode", ["RGBA", "LA", "I;16", "P"])
def test_images_converted_by_strips_match_a_whole_image_conversion(mode: str) -> None:
    """The strip-by-strip conversion gives exactly the pixels a whole-image one gives."""
    import os
    import zlib

    from clinic_app.intake.images import STRIP_ROWS, _flate_stream

    size = (333, 2 * STRIP_ROWS + 77)
    if mode == "I;16":
        image = Image.frombytes("I;16", size, os.urandom(size[0] * size[1] * 2))
        expected = image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    else:
        image = Image.frombytes("RGBA", size, os.urandom(size[0] * size[1] * 4))
        if mode == "LA":
            image = image.convert("LA")
        elif mode == "P":
            image = image.convert("RGB").convert("P")
            image.info["transparency"] = 5
        rgba = image.convert("RGBA")
        expected = Image.new("RGB", size, (255, 255, 255))
        expected.paste(rgba, mask=rgba.getchannel("A"))
    assert zlib.decompress(_flate_stream(image)._data) == expected.tobytes()


@pytest.mark.parametrize("mode", ["RGBA", "I;16"])
def test_a_49_megapixel_scan_with_alpha_or_16_bits_imports(tmp_path: Path, sandbox: IntakeSandbox, mode: str) -> None:
    """Under the 50-megapixel limit, yet refused for memory: whole-image conversions held several
    full-size copies at once and passed the worker's 512 MB."""
    scan = tmp_path / "scan.png"
    Image.new(mode, (7000, 7000), (10, 200, 30, 128) if mode == "RGBA" else 1000).save(scan, compress_level=1)
    result = sandbox.parse(scan)
    assert isinstance(result, ParsedFile) and len(result.pages) == 1
    with pikepdf.open(io.BytesIO(result.working_pdf)) as pdf:
        (image,) = pdf.pages[0].get_images().values()
        assert (int(image.Width), int(image.Height)) == (7000, 7000)
