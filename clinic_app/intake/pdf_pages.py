"""Page geometry the way PDF viewers see it: inherited attributes, visible box, rotation.

Shared by the parser (to report sizes), the sanitiser (to pin each page's own
/Rotate and boxes) and OCR (to lay recognised text back onto rotated pages).
Values come from hostile files, so every lookup is bounded and tolerant.
"""

from __future__ import annotations

from typing import Any  # values read from hostile files can be anything

from pypdf.generic import DictionaryObject, IndirectObject

LETTER_BOX = (0.0, 0.0, 612.0, 792.0)
MAX_PARENT_DEPTH = 64


def effective_box(page: DictionaryObject) -> tuple[float, float, float, float]:
    """The visible area: CropBox clipped to MediaBox (both may be inherited)."""
    media = page_box(page, "/MediaBox") or LETTER_BOX
    crop = page_box(page, "/CropBox") or media
    left, bottom = max(media[0], crop[0]), max(media[1], crop[1])
    right, top = min(media[2], crop[2]), min(media[3], crop[3])
    if right - left < 1 or top - bottom < 1:
        return media
    return (left, bottom, right, top)


def page_box(page: DictionaryObject, key: str) -> tuple[float, float, float, float] | None:
    """A page box as (left, bottom, right, top), or None when missing or degenerate."""
    value = inherited(page, key)
    try:
        numbers = [float(resolve(v)) for v in value][:4]
    except (TypeError, ValueError):
        return None
    if len(numbers) != 4:
        return None
    x0, y0, x1, y1 = numbers
    box = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    return box if box[2] - box[0] >= 1 and box[3] - box[1] >= 1 else None


def resolve(value: Any) -> Any:
    """The object an indirect reference points to; anything else unchanged."""
    return value.get_object() if isinstance(value, IndirectObject) else value


def inherited(page: DictionaryObject, key: str) -> Any:
    """A page attribute, looked up through /Parent the way viewers do (bounded)."""
    node: Any = page
    for _ in range(MAX_PARENT_DEPTH):
        node = node.get_object() if isinstance(node, IndirectObject) else node
        if not isinstance(node, DictionaryObject):
            return None
        if key in node:
            return resolve(node[key])
        node = node.get("/Parent")
        if node is None:
            return None
    return None


def normalised_rotation(page: DictionaryObject) -> int:
    """/Rotate as 0, 90, 180 or 270 (360 and -90 are normalised; other values mean 0)."""
    value = inherited(page, "/Rotate")
    try:
        degrees = int(value) % 360
    except (TypeError, ValueError):
        return 0
    return degrees if degrees % 90 == 0 else 0
