"""The stamps' margin in parts: the setting's rules and saved form, the stamp area measured
from the fonts, and `fit` inside the margin whatever the page's /Rotate and boxes."""

from __future__ import annotations

import math
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Array, Dictionary

from clinic_app.domain.bundle import (
    DEFAULT_MARGIN_MM, MARGIN_RANGE_MM, BundleSettings, BundleSpec, BundleSpecError, DocumentPart, Section, Tab,
    validate_spec,
)
from clinic_app.pdf import normalize
from clinic_app.pdf.stamp_area import HEADER_SIZE, MIN_GAP, MM, NUMBER_CHARS, NUMBER_SIZE, ink, stamp_area
from clinic_app.services.manifest import ManifestInvalid, parse_manifest_text

from .conftest import to_visible


def _spec(**settings: object) -> BundleSpec:
    return BundleSpec("B", settings=BundleSettings(**settings),  # type: ignore[arg-type]
                      sections=[Section("", [Tab("T", parts=[DocumentPart("d")])])])


@pytest.mark.parametrize("margin", [MARGIN_RANGE_MM[0] - 0.1, MARGIN_RANGE_MM[1] + 0.1, math.nan, -12.0])
def test_a_margin_outside_the_range_is_refused_naming_the_field(margin: float) -> None:
    with pytest.raises(BundleSpecError) as caught:
        validate_spec(_spec(margin_mm=margin))
    assert caught.value.field == "margin_mm" and "margin" in str(caught.value)


def test_the_margin_is_saved_and_older_saved_bundles_get_the_default() -> None:
    validate_spec(_spec(margin_mm=MARGIN_RANGE_MM[0]))
    data = _spec(margin_mm=25.5).to_dict()
    assert BundleSpec.from_dict(data).settings.margin_mm == 25.5
    del data["settings"]["margin_mm"]  # saved before the setting existed
    assert BundleSpec.from_dict(data).settings.margin_mm == DEFAULT_MARGIN_MM
    data["settings"]["margin_mm"] = "wide"
    with pytest.raises(BundleSpecError):
        BundleSpec.from_dict(data)


def _manifest(settings: str) -> str:
    return ("version: 1\nclients: [{ref: c-1, name: A}]\nmatters: [{ref: m-1, client: c-1, type: rpd_claim, "
            f"title: C}}]\nbundles: [{{ref: b-1, matter: m-1, title: B, tabs: [], settings: {settings}}}]\n")


def test_the_manifest_reads_the_margin_and_names_it_when_out_of_range(tmp_path: Path) -> None:
    (bundle,) = parse_manifest_text(_manifest("{margin_mm: 20}"), base_dir=tmp_path).bundles
    assert bundle.settings["margin_mm"] == 20.0 and isinstance(bundle.settings["margin_mm"], float)
    for bad in ("3", ".nan", "41"):
        with pytest.raises(ManifestInvalid) as caught:
            parse_manifest_text(_manifest(f"{{margin_mm: {bad}}}"), base_dir=tmp_path)
        assert (caught.value.item, caught.value.field) == ("bundles[0] (ref b-1)", "settings.margin_mm"), bad


def test_the_stamp_area_holds_the_stamps_ink_with_clear_space() -> None:
    headers = ["TB1-12345 \u00b7 Tab 12", "王小明 \u00b7 Onglet 3", "Égypte gyp"]
    n_low, n_high = ink(NUMBER_CHARS, NUMBER_SIZE)
    h_low, h_high = ink("".join(headers), HEADER_SIZE)
    assert h_low < ink("TB1", HEADER_SIZE)[0] and h_high > ink("TB1", HEADER_SIZE)[1]  # descenders, accents
    for margin in (MARGIN_RANGE_MM[0], DEFAULT_MARGIN_MM, MARGIN_RANGE_MM[1]):
        area = stamp_area(margin, headers)
        assert area.band == pytest.approx(margin * MM) and area.right == area.band
        number = (area.number_y + n_low, area.number_y + n_high)  # ink, up from the bottom edge
        header = (area.header_drop - h_high, area.header_drop - h_low)  # ink, down from the top edge
        for bottom, top in (number, header):
            assert MIN_GAP <= bottom and top <= area.band - MIN_GAP, (margin, bottom, top)
    narrow = stamp_area(1.0, headers)  # below the range (the domain refuses it): widened, not squeezed
    assert narrow.band == pytest.approx(max(n_high - n_low, h_high - h_low) + 2 * MIN_GAP)
    assert narrow.band > 1.0 * MM


LETTER = (612.0, 792.0)


@pytest.mark.parametrize(
    ("box", "rot", "crop"),
    [
        ([0, 0, 595.28, 841.89], 0, None),  # A4
        ([0, 0, 612, 1008], 0, None),  # legal
        ([0, 0, 792, 612], 0, None),  # landscape
        ([0, 0, 226.77, 566.93], 0, None),  # an 80 x 200 mm receipt
        ([0, 0, 2000, 3000], 0, None),  # a poster
        ([0, 0, 612, 792], 90, None),
        ([0, 0, 595.28, 841.89], 180, None),
        ([0, 0, 792, 612], 270, None),
        ([-300, -150, 312, 642], 0, None),  # negative origin
        ([0, 0, 900, 1100], 90, [100, 200, 712, 992]),  # offset crop box, rotated
    ],
)
def test_fit_keeps_the_margin_clear_on_every_side(box: list[float], rot: int, crop: list[float] | None) -> None:
    page = Dictionary(Type=pikepdf.Name.Page, MediaBox=Array(box), Rotate=rot)
    if crop:
        page.CropBox = Array(crop)
    inset = DEFAULT_MARGIN_MM * MM
    frame, (scale, tx, ty, x0, y0, w, h) = normalize.fit(page, LETTER, inset=inset)
    corners = [to_visible(scale * x + tx, scale * y + ty, rot, frame.width, frame.height)
               for x in (x0, x0 + w) for y in (y0, y0 + h)]
    left, right = min(c[0] for c in corners), max(c[0] for c in corners)
    bottom, top = min(c[1] for c in corners), max(c[1] for c in corners)
    seen_w, seen_h = frame.visible
    assert inset - 1e-6 <= left and right <= seen_w - inset + 1e-6
    assert inset - 1e-6 <= bottom and top <= seen_h - inset + 1e-6
    assert left - 0 == pytest.approx(seen_w - right) and bottom == pytest.approx(seen_h - top)  # centred
    fills = (math.isclose(left, inset, abs_tol=1e-6), math.isclose(bottom, inset, abs_tol=1e-6))
    assert any(fills)  # shrunk no more than the margin needs
    seen_src = (h, w) if rot in (90, 270) else (w, h)
    assert (seen_w > seen_h) == (seen_src[0] > seen_src[1])  # orientation as seen is kept
