"""Bundle items of the manifest: ordered tabs, sections, reference-only entries.

Kept as plain parsed data (`BundleEntry`): the bundle engine (`domain/bundle.py`)
owns the real spec and maps this onto it, so the manifest format can stay stable
while the engine's options grow.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from clinic_app.domain.bundle import check_margin
from clinic_app.domain.common import clean_line, message_of, shown, validate_ref
from clinic_app.errors import ValidationError
from clinic_app.i18n import _
from clinic_app.services.manifest_schema import BUNDLE_SETTINGS, KEYS, MAX_TABS, ItemReader, kind_of

_PAGE_RANGE = re.compile(r"^\s*(\d{1,6})\s*(?:-\s*(\d{1,6})\s*)?$")


class TabKind(StrEnum):
    DOCUMENT = "document"
    SECTION = "section"  # a section heading ("A. Identity"); starts a new section
    REFERENCE = "reference"  # listed and cited, pages not included (e.g. an NDP item)


@dataclass(frozen=True)
class BundleTab:
    """One ordered bundle entry, as written in the manifest (not yet a BundleSpec)."""

    kind: TabKind
    doc_ref: str | None = None
    pages: tuple[tuple[int, int], ...] = ()  # 1-based inclusive ranges; () = every page
    title: str = ""  # title override (document), heading (section) or title (reference)
    reference: str = ""  # the citation of a reference-only entry
    tab_date: date | None = None
    deponent: str = ""  # an affidavit with exhibits: who swore it (default: the document's source)
    sworn: date | None = None


@dataclass(frozen=True)
class BundleEntry:
    """A bundle as plain parsed data, for the bundle module to map onto its spec."""

    ref: str
    matter_ref: str
    title: str
    settings: MappingProxyType[str, Any]
    tabs: tuple[BundleTab, ...]
    supplement_to: str | None = None  # a served bundle whose tabs and pages this one continues


def parse_bundle(data: object, label: str) -> BundleEntry:
    r = ItemReader(data, label, KEYS["bundles"])
    ref = r.ref("ref", required=True) or ""
    matter_ref = r.ref("matter", required=True) or ""
    title = _title(r, required=True)
    if r.has("tabs") and r.has("sections"):
        raise r.error("sections", _("give either tabs or sections, not both"))
    tabs: list[BundleTab] = []
    if r.has("sections"):
        for i, raw in enumerate(r.items("sections", MAX_TABS)):
            section = ItemReader(raw, label, KEYS["section"], field=f"sections[{i}]")
            tabs.append(BundleTab(TabKind.SECTION, title=_title(section, required=True)))
            tabs.extend(_tab(section, j, t, in_section=True) for j, t in enumerate(section.items("tabs", MAX_TABS)))
    else:
        tabs.extend(_tab(r, i, t) for i, t in enumerate(r.items("tabs", MAX_TABS)))
    if len(tabs) > MAX_TABS:
        raise r.error(
            "tabs", _("has too many entries ({count}; at most {limit})").format(count=len(tabs), limit=MAX_TABS)
        )
    settings = _settings(r)
    supplement_to = r.ref("supplement_to")
    if supplement_to and "first_page" in settings:
        raise r.error("settings.first_page", _("a supplementary bundle continues the numbering of the bundle "
                                               "it supplements; leave first_page out"))
    return BundleEntry(ref, matter_ref, title, MappingProxyType(settings), tuple(tabs), supplement_to)


def _settings(r: ItemReader) -> dict[str, Any]:
    sub = r.sub("settings", frozenset(BUNDLE_SETTINGS))
    if sub is None:
        return {}
    out: dict[str, Any] = {}
    for key, (kind, choices) in BUNDLE_SETTINGS.items():
        value = sub.raw(key)
        if value is None:
            continue
        if kind is bool:
            out[key] = sub.flag(key)
        elif kind is date:
            out[key] = sub.date(key)
        elif kind is str:
            out[key] = sub.text(key)
            if choices and out[key] not in choices:
                raise sub.error(
                    key,
                    _("unknown value {value} (use one of: {choices})").format(
                        value=shown(value), choices=", ".join(choices)
                    ),
                )
        else:
            number = isinstance(value, int | float) and not isinstance(value, bool)
            ok = number and math.isfinite(value) and value > 0
            if not ok or (kind is int and not isinstance(value, int)):
                raise sub.error(key, _("expected a number greater than zero, got {value}").format(value=shown(value)))
            out[key] = value
    if "margin_mm" in out:
        try:
            check_margin(out["margin_mm"])
        except ValidationError as err:
            raise sub.wrap(err) from None
        out["margin_mm"] = float(out["margin_mm"])
    return out


def _tab(parent: ItemReader, index: int, raw: object, *, in_section: bool = False) -> BundleTab:
    key = f"tabs[{index}]"
    if isinstance(raw, str):
        try:
            return BundleTab(TabKind.DOCUMENT, doc_ref=validate_ref(raw, parent.path(key)))
        except ValidationError as err:
            raise ValidationError(message_of(err), item=parent.item, field=parent.path(key)) from None
    if not isinstance(raw, dict):
        raise parent.error(key, _("expected a document ref or a map, got {kind}").format(kind=kind_of(raw)))
    if "doc" in raw:
        r = ItemReader(raw, parent.item, KEYS["tab_doc"], field=parent.path(key))
        return BundleTab(TabKind.DOCUMENT, doc_ref=r.ref("doc", required=True), pages=_pages(r), title=_title(r),
                         deponent=_title(r, "deponent"), sworn=r.date("sworn"))
    if "section" in raw and not in_section:
        r = ItemReader(raw, parent.item, KEYS["tab_section"], field=parent.path(key))
        return BundleTab(TabKind.SECTION, title=_title(r, "section", required=True))
    if "reference" in raw:
        r = ItemReader(raw, parent.item, KEYS["tab_reference"], field=parent.path(key))
        return BundleTab(
            TabKind.REFERENCE, reference=_title(r, "reference", required=True), title=_title(r), tab_date=r.date("date")
        )
    raise parent.error(
        key,
        _("expected a document ref, or a map with the key doc, reference or (outside sections) section"),
    )


def _title(r: ItemReader, key: str = "title", *, required: bool = False) -> str:
    try:
        return clean_line(r.text(key, required=required), r.path(key), required=required, max_len=500)
    except ValidationError as err:
        raise ValidationError(message_of(err), item=r.item, field=r.path(key)) from None


def _pages(r: ItemReader) -> tuple[tuple[int, int], ...]:
    """Page ranges such as "12-18" or "1-3, 7, 9-10" (1-based, inclusive, no overlaps)."""
    raw = r.raw("pages")
    if raw is None:
        return ()
    text = str(raw) if isinstance(raw, int) and not isinstance(raw, bool) else r.text("pages")
    ranges: list[tuple[int, int]] = []
    for part in text.replace("\u2013", "-").split(","):
        match = _PAGE_RANGE.match(part)
        start = int(match.group(1)) if match else 0
        end = int(match.group(2) or start) if match else 0
        if not match or start < 1 or end < start:
            raise r.error("pages", _("not a page range: {value} (use e.g. 12-18 or 1-3, 7)").format(value=shown(text)))
        if any(start <= b and a <= end for a, b in ranges):
            raise r.error("pages", _("page ranges overlap: {value}").format(value=shown(text)))
        ranges.append((start, end))
    return tuple(ranges)
