"""Fit every source page to the bundle's paper size, keeping its look and orientation.

A page is scaled (aspect ratio kept) and centred into the paper size in the orientation
it is *seen* in: a landscape scan stays landscape, a page with /Rotate 90 keeps its
/Rotate and gets a MediaBox that shows as letter-size once rotated. A source page is
fitted inside a clear margin (`inset`, the same at every edge) where the stamps print.
The visible area (CropBox within MediaBox) is clipped, so nothing the author cropped
away reappears.
`Frame` tells the stamper the rotation and size, so stamps come out upright.
"""

from __future__ import annotations

from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Name

_BOX_KEYS = frozenset(("/CropBox", "/TrimBox", "/BleedBox", "/ArtBox", "/UserUnit"))
_MEDIABOX, _ROTATE, _RECT = Name.MediaBox, Name.Rotate, Name.Rect
_MAX_DEPTH = 64  # inherited attributes: stop on absurd or looping page trees


@dataclass(frozen=True)
class Frame:
    """A normalised page: its /Rotate and its MediaBox size in user space."""

    rotate: int
    width: float
    height: float

    @property
    def visible(self) -> tuple[float, float]:
        return (self.height, self.width) if self.rotate in (90, 270) else (self.width, self.height)

    def matrix(self, x: float, y: float) -> tuple[float, ...]:
        """Text matrix placing upright text at visible point (x, y), whatever the /Rotate."""
        w, h = self.width, self.height
        a, b, c, d, e, f = {
            0: (1, 0, 0, 1, 0, 0),
            90: (0, 1, -1, 0, w, 0),
            180: (-1, 0, 0, -1, w, h),
            270: (0, -1, 1, 0, 0, h),
        }[self.rotate]
        return (a, b, c, d, x * a + y * c + e, x * b + y * d + f)


def num(value: float) -> str:
    """A short, deterministic decimal for content streams."""
    if value == int(value):
        return str(int(value))
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def inherited(page: pikepdf.Dictionary, key: str) -> pikepdf.Object | None:
    """A page attribute, looked up through /Parent like a viewer does."""
    node: pikepdf.Object | None = page
    for _ in range(_MAX_DEPTH):
        if node is None or not isinstance(node, pikepdf.Dictionary):
            return None
        if key in node:
            return node[key]
        node = node.get("/Parent")
    return None


def rotation(page: pikepdf.Dictionary, keys: set[str] | None = None) -> int:
    """/Rotate as 0, 90, 180 or 270 (360, -90 or 450 normalised).

    Inherited values are already on the page: pikepdf pushes /Rotate, /MediaBox,
    /CropBox and /Resources down from the page tree when it lists the pages, and
    `sources.clean_page` fills any gap, so no /Parent walk is needed per page.
    """
    value = page.get("/Rotate") if "/Rotate" in (page.keys() if keys is None else keys) else None
    try:
        degrees = int(value) if value is not None else 0
    except (TypeError, ValueError):
        degrees = 0
    return (round(degrees / 90) * 90) % 360


def _box(value: pikepdf.Object | None) -> tuple[float, float, float, float] | None:
    if not isinstance(value, pikepdf.Array) or len(value) != 4:
        return None
    try:
        rect = pikepdf.Rectangle(value)
    except (TypeError, ValueError, pikepdf.PdfError):
        return None
    x0, y0, x1, y1 = rect.llx, rect.lly, rect.urx, rect.ury
    x0, x1 = sorted((x0, x1))
    y0, y1 = sorted((y0, y1))
    return (x0, y0, x1, y1) if x1 - x0 >= 1 and y1 - y0 >= 1 else None  # as intake (pdf_pages.page_box)


def visible_box(page: pikepdf.Dictionary, keys: set[str] | None = None) -> tuple[float, float, float, float]:
    """CropBox clipped to MediaBox (both possibly inherited); US Letter if neither is usable."""
    if keys is None:
        keys = page.keys()  # one call: a missing-key lookup costs more than a present one
    media = (_box(page.get("/MediaBox")) if "/MediaBox" in keys else None) or (
        0.0,
        0.0,
        612.0,
        792.0,
    )
    crop = (_box(page.get("/CropBox")) if "/CropBox" in keys else None) or media
    box = (
        max(media[0], crop[0]),
        max(media[1], crop[1]),
        min(media[2], crop[2]),
        min(media[3], crop[3]),
    )
    return box if box[2] - box[0] > 1 and box[3] - box[1] > 1 else media


def fit(page: pikepdf.Dictionary, paper: tuple[float, float],
        keys: set[str] | None = None, inset: float = 0.0, top: float = 0.0) -> tuple[Frame, tuple[float, ...]]:
    """The normalised frame and the (scale, tx, ty, x0, y0, w, h) placing the old page in it,
    shrunk to leave `inset` points clear at every edge, and `top` more at the top of the page
    as it is seen (room for an exhibit stamp). `keys` (the page's keys, if the caller has
    them) saves asking qpdf again."""
    if keys is None:
        keys = page.keys()
    rot = rotation(page, keys)
    x0, y0, x1, y1 = visible_box(page, keys)
    w, h = x1 - x0, y1 - y0
    seen_w, seen_h = (h, w) if rot in (90, 270) else (w, h)
    pw, ph = sorted(paper)
    target = (ph, pw) if seen_w > seen_h else (pw, ph)  # keep the page's seen orientation
    uw, uh = (target[1], target[0]) if rot in (90, 270) else target
    left, bottom, right, upper = _user_insets(rot, inset, top)
    scale = min((uw - left - right) / w, (uh - bottom - upper) / h)
    tx = left + (uw - left - right - scale * w) / 2 - scale * x0
    ty = bottom + (uh - bottom - upper - scale * h) / 2 - scale * y0
    return Frame(rot, uw, uh), (scale, tx, ty, x0, y0, w, h)


def _user_insets(rot: int, inset: float, top: float) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) in user space for a clear band `inset` at every edge plus
    `top` at the edge that is seen at the top once /Rotate is applied (see Frame.matrix)."""
    seen = (inset, inset, inset, inset + top)  # left, bottom, right, top as seen
    order = {0: (0, 1, 2, 3), 90: (3, 0, 1, 2), 180: (2, 3, 0, 1), 270: (1, 2, 3, 0)}[rot]
    left, bottom, right, upper = (seen[i] for i in order)
    return left, bottom, right, upper


# Spare saved states inside the clip: content that restores more states than it saved
# (stray `Q`s) pops these and stays moved and clipped, for up to GUARD of them. Kept
# small: Acrobat has long documented 28 nested saved states as its limit, and the old
# content's own nesting comes on top. `CLOSE` restores them all, and the first `q`.
GUARD = 4
CLOSE = b"\n" + b"Q " * GUARD + b"Q\n"


def prefix_ops(placement: tuple[float, ...]) -> bytes:
    """`q`, the transform and clip for the old content (no transform if identity), then
    GUARD spare `q`s; `CLOSE` ends what this begins."""
    scale, tx, ty, x0, y0, w, h = placement
    spares = " q" * GUARD
    if abs(scale - 1) < 1e-9 and abs(tx) < 1e-6 and abs(ty) < 1e-6:
        return f"q {num(x0)} {num(y0)} {num(w)} {num(h)} re W n{spares}\n".encode()
    return (
        f"q {num(scale)} 0 0 {num(scale)} {num(tx)} {num(ty)} cm "
        f"{num(x0)} {num(y0)} {num(w)} {num(h)} re W n{spares}\n"
    ).encode()


def apply_frame(page: pikepdf.Dictionary, frame: Frame, placement: tuple[float, ...],
                keys: set[str] | None = None) -> None:
    """Set the new boxes and /Rotate, and move kept annotations with the content."""
    page[_MEDIABOX] = Array([0, 0, _round(frame.width), _round(frame.height)])
    page[_ROTATE] = frame.rotate
    if keys is None:
        keys = page.keys()
    for key in _BOX_KEYS.intersection(keys):
        del page[key]
    annots = page.get("/Annots") if "/Annots" in keys else None
    if isinstance(annots, pikepdf.Array):
        _move_annotations(page, annots, placement)


def _move_annotations(page: pikepdf.Dictionary, annots: pikepdf.Array, placement: tuple[float, ...]) -> None:
    """Move each annotation with the content, its area cut to what is seen of the old page:
    a link drawn larger than its page would otherwise cover the margin, page number and
    all, and one wholly off the page (nothing of it seen) is dropped."""
    scale, tx, ty, x0, y0, w, h = placement
    kept, dropped = [], False
    for annot in annots:
        rect = _box(annot.get("/Rect")) if isinstance(annot, pikepdf.Dictionary) else None
        if rect:
            left, bottom = max(rect[0], x0), max(rect[1], y0)
            right, top = min(rect[2], x0 + w), min(rect[3], y0 + h)
            if right <= left or top <= bottom:
                dropped = True
                continue
            annot[_RECT] = Array([_round(scale * left + tx), _round(scale * bottom + ty),
                                  _round(scale * right + tx), _round(scale * top + ty)])
        kept.append(annot)
    if dropped:
        page[Name.Annots] = Array(kept)


def _round(value: float) -> float | int:
    r = round(value, 4)
    return int(r) if r == int(r) else r
