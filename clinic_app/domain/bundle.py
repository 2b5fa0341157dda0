"""Hearing bundles: what the lawyer asked for (BundleSpec) and where every page goes (BundlePlan).

Pure data and rules, no I/O. `plan_bundle` is the single source of truth for page
numbers: the index, the stamps, the page labels, the links and the bookmarks are all
read from one plan, so they cannot disagree (index drift is the most common complaint
about other tools). Specs are saved as JSON by the vault and must round-trip exactly.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from clinic_app.domain.exhibits import EXHIBIT_ROLE, MARK_STYLES, letter_mark, part_marks
from clinic_app.errors import BadInput, ValidationError
from clinic_app.i18n import _, ngettext

SCHEMA_VERSION = 1
MAX_FIRST_NUMBER = 999_999  # first page or tab number; more overflowed the page labels (Internal error)
PAPER_SIZES: dict[str, tuple[float, float]] = {
    "letter": (612.0, 792.0),
    "a4": (595.2756, 841.8898),
    "legal": (612.0, 1008.0),
}
LANGUAGES = ("en", "fr")
FRONT_MATTER_NUMBERING = ("none", "roman", "arabic")  # arabic: the cover is page 1, as in a court record
PART_ROLES = ("document", "translation", "declaration", EXHIBIT_ROLE)
INDEX_HEADINGS = ("index", "contents")  # contents: "Table of contents" (FCR r. 309(2)(a), 364(2)(a))
OFFICIAL_LANGUAGES = ("en", "fr")
MB = 1_000_000  # delivery limits ("25 MB") are read as decimal megabytes: the safer reading
# Clear margin kept at every edge of a document page for the header and the page number:
# the page's content is shrunk into the rest (pdf/stamp_area.py). 12 mm keeps a Letter
# or A4 page at about 89% of its size, stamps about 4.5 mm from the edge.
DEFAULT_MARGIN_MM = 12.0
MARGIN_RANGE_MM = (6.0, 40.0)

COVER, INDEX, SEPARATOR, BODY = "cover", "index", "separator", "body"


class BundleSpecError(ValidationError):
    """A bundle spec that cannot be built as asked; names the tab and the field."""


class PageRangeError(BundleSpecError):
    """A page range such as "12-18" or "1-3,7" that is malformed or outside the document."""


class VolumeLimitError(BadInput):
    """One tab alone is larger than the volume limit, so no split can respect it."""


# --------------------------------------------------------------------------- spec


@dataclass
class DocumentPart:
    """One document (or an excerpt of it) inside a tab: original, translation, declaration."""

    document_id: str
    pages: str = ""  # "" means every page; else "12-18" or "1-3,7"
    label: str = ""  # shown in the index when a tab has several parts, e.g. "Translation"
    role: str = "document"  # document | translation | declaration | exhibit (see domain/exhibits.py)
    date: _dt.date | None = None  # an exhibit's date, for the index


@dataclass
class Tab:
    """One entry of the index: documents that travel together, or a reference-only citation."""

    title: str
    date: _dt.date | None = None
    parts: list[DocumentPart] = field(default_factory=list)
    reference: str = ""  # citation of a document the tribunal already holds; no pages
    deponent: str = ""  # an affidavit with exhibits: who swore it (printed in the exhibit stamps)
    sworn: _dt.date | None = None  # and when (blank in the stamps until known)

    @property
    def reference_only(self) -> bool:
        return not self.parts


@dataclass
class Section:
    title: str = ""
    tabs: list[Tab] = field(default_factory=list)


@dataclass
class BundleSettings:
    paper: str = "letter"
    front_matter_numbering: str = "none"  # none | roman
    separator_pages: bool = True
    number_separator_pages: bool = True  # "every page after the front matter, separator pages included"
    header: bool = True  # tab label + file number at the top of each document page
    section_prefixes: bool = False  # A-1, B-3 instead of 1, 2, 3
    max_pages: int | None = None  # per volume, front matter included
    max_mb: float | None = None  # per volume, estimated from source sizes
    first_page_number: int = 1  # a supplementary bundle continues a served bundle
    first_tab_number: int = 1  # used without section prefixes
    margin_mm: float = DEFAULT_MARGIN_MM  # clear space for the stamps at every edge
    exhibit_marks: str = "letters"  # letters (A, B, C) | numbers (1, 2, 3), per forum practice
    index_heading: str = "index"  # index | contents ("Table of contents", for court records)


@dataclass
class BundleSpec:
    title: str
    forum: str = ""
    file_number: str = ""
    parties: list[str] = field(default_factory=list)  # names or public initials
    counsel: str = ""
    date: _dt.date | None = None
    language: str = "en"
    settings: BundleSettings = field(default_factory=BundleSettings)
    sections: list[Section] = field(default_factory=list)

    def iter_tabs(self) -> Iterator[tuple[int, Tab]]:
        """(section index, tab) in bundle order."""
        for s, section in enumerate(self.sections):
            for tab in section.tabs:
                yield s, tab

    def document_ids(self) -> list[str]:
        """Every document id used, once, in order of first use."""
        seen: dict[str, None] = {}
        for _s, tab in self.iter_tabs():
            for part in tab.parts:
                seen.setdefault(part.document_id, None)
        return list(seen)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types only (dates as ISO text), with a schema version."""
        data = asdict(self)
        data["date"] = _date_out(self.date)
        for section in data["sections"]:
            for tab in section["tabs"]:
                tab["date"] = _date_out(tab["date"])
                tab["sworn"] = _date_out(tab["sworn"])
                for part in tab["parts"]:
                    part["date"] = _date_out(part["date"])
        return {"schema": SCHEMA_VERSION, **data}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BundleSpec:
        """Rebuild a saved spec; unknown schema versions and wrong types are refused."""
        try:
            if data.get("schema") != SCHEMA_VERSION:
                raise BundleSpecError(_("This bundle was saved by a newer version of Haven."))
            raw = {k: v for k, v in data.items() if k != "schema"}
            spec = cls(**_typed(raw, cls, nested=("settings", "sections", "parties", "date")))
            spec.date = _date_in(raw["date"])
            spec.parties = [_str(p) for p in raw["parties"]]
            settings = _with_added_settings(raw["settings"])
            spec.settings = BundleSettings(**_typed(settings, BundleSettings))
            spec.sections = [_section(sec) for sec in raw["sections"]]
            return spec
        except BundleSpecError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise BundleSpecError(_("The saved bundle is incomplete or damaged.")) from exc


_ADDED_SETTINGS = {"margin_mm": DEFAULT_MARGIN_MM, "exhibit_marks": "letters", "index_heading": "index"}
_ADDED_TAB = {"deponent": "", "sworn": None}


def _with_added_settings(raw: Mapping[str, Any]) -> Mapping[str, Any]:
    """Settings saved before a setting existed get its default (the margin and the exhibit
    settings came later)."""
    if isinstance(raw, Mapping):
        return {**_ADDED_SETTINGS, **raw}
    return raw


def _section(raw: Mapping[str, Any]) -> Section:
    if set(raw) != {"title", "tabs"}:
        raise KeyError("section fields")
    return Section(_str(raw["title"]), [_tab(t) for t in raw["tabs"]])


def _tab(raw: Mapping[str, Any]) -> Tab:
    raw = {**_ADDED_TAB, **raw}  # saved before exhibits existed
    tab = Tab(**_typed(raw, Tab, nested=("date", "parts", "sworn")))
    tab.date, tab.sworn = _date_in(raw["date"]), _date_in(raw["sworn"])
    tab.parts = [_part(p) for p in raw["parts"]]
    return tab


def _part(raw: Mapping[str, Any]) -> DocumentPart:
    raw = {"date": None, **raw}
    part = DocumentPart(**_typed(raw, DocumentPart, nested=("date",)))
    part.date = _date_in(raw["date"])
    return part


def _date_out(value: _dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _date_in(value: object) -> _dt.date | None:
    if value is None:
        return None
    return _dt.date.fromisoformat(_str(value))


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("expected text")
    return value


_FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "bool": (bool,),
    "int": (int,),
    "int | None": (int, type(None)),
    "float | None": (int, float, type(None)),
    "float": (int, float),
}


def _typed(raw: Mapping[str, Any], kind: type, nested: tuple[str, ...] = ()) -> dict[str, Any]:
    """Check a saved dict has exactly the dataclass fields, each of the declared type.

    `nested` fields are converted by the caller; they are passed through as they are.
    """
    fields = kind.__dataclass_fields__  # type: ignore[attr-defined]
    if set(raw) != set(fields):
        raise KeyError("fields differ")
    for name, f in fields.items():
        if name in nested:
            continue
        allowed = _FIELD_TYPES[str(f.type)]
        value = raw[name]
        if not isinstance(value, allowed) or (isinstance(value, bool) and bool not in allowed):
            raise TypeError(name)
    return dict(raw)


# --------------------------------------------------------------------------- labels


def section_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: spreadsheet-style so long records never run out."""
    return letter_mark(index)


_ROMAN_VALUES = (1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1)
_ROMAN_SYMBOLS = "m cm d cd c xc l xl x ix v iv i"


def to_roman(number: int) -> str:
    """Lower-case roman numeral, the usual style for front matter (i, ii, iv)."""
    if number < 1:
        raise ValueError("roman numerals start at 1")
    out = []
    for value, sym in zip(_ROMAN_VALUES, _ROMAN_SYMBOLS.split()):
        count, number = divmod(number, value)
        out.append(sym * count)
    return "".join(out)


def tab_labels(spec: BundleSpec) -> list[str]:
    """The label of every tab in bundle order: "A-1" with section prefixes, else "1"."""
    labels: list[str] = []
    counter = spec.settings.first_tab_number
    for s, section in enumerate(spec.sections):
        for n, _tab in enumerate(section.tabs, start=1):
            if spec.settings.section_prefixes:
                labels.append(f"{section_letter(s)}-{n}")
            else:
                labels.append(str(counter))
                counter += 1
    return labels


# --------------------------------------------------------------------------- page ranges

_ITEM = re.compile(r"^(\d+)\s*(?:[-\u2013\u2014]\s*(\d+))?$")


def parse_page_ranges(text: str) -> tuple[tuple[int, int], ...]:
    """Parse "12-18" or "1-3,7" into inclusive (first, last) pairs; "" means all pages."""
    text = text.strip()
    if not text or text.lower() == "all":
        return ()
    pairs: list[tuple[int, int]] = []
    for item in re.split(r"[,;]", text):
        match = _ITEM.match(item.strip())
        if not match:
            raise PageRangeError(
                _("'{item}' is not a page number or a range like 12-18.").format(item=item.strip()),
                field=text,
            )
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if first < 1:
            raise PageRangeError(_("Page numbers start at 1."), field=text)
        if last < first:
            raise PageRangeError(
                _("In {item}, the first page comes after the last.").format(item=item.strip()),
                field=text,
            )
        pairs.append((first, last))
    return tuple(pairs)


def resolve_pages(text: str, page_count: int) -> tuple[int, ...]:
    """The 1-based source pages a part uses, in order; each page at most once."""
    pairs = parse_page_ranges(text)
    if not pairs:
        return tuple(range(1, page_count + 1))
    pages: list[int] = []
    seen: set[int] = set()
    for first, last in pairs:
        if last > page_count:
            raise PageRangeError(
                ngettext("The range asks for page {page} but the document has {count} page.",
                         "The range asks for page {page} but the document has {count} pages.", page_count).format(
                    page=last, count=page_count
                ),
                field=text,
            )
        for page in range(first, last + 1):
            if page in seen:
                raise PageRangeError(
                    _("Page {page} is listed twice.").format(page=page), field=text
                )
            seen.add(page)
            pages.append(page)
    return tuple(pages)


def check_margin(margin_mm: float) -> None:
    """The stamps' margin: wide enough for them, narrow enough to leave the page readable."""
    low, high = MARGIN_RANGE_MM
    if not low <= margin_mm <= high:  # NaN fails too
        raise BundleSpecError(
            _("The margin for the stamps must be between {low} and {high} mm.").format(
                low=f"{low:g}", high=f"{high:g}"
            ),
            field="margin_mm",
        )


def validate_spec(spec: BundleSpec) -> None:
    """Refuse specs that cannot be built, naming the tab and the field at fault."""
    st = spec.settings
    checks = [
        (bool(spec.title.strip()), _("The bundle needs a title."), "title"),
        (
            spec.language in LANGUAGES,
            _("The bundle language must be English or French."),
            "language",
        ),
        (st.paper in PAPER_SIZES, _("Paper size must be letter, A4 or legal."), "paper"),
        (
            st.front_matter_numbering in FRONT_MATTER_NUMBERING,
            _("Front matter numbering must be none or roman."),
            "front_matter_numbering",
        ),
        (
            st.max_pages is None or st.max_pages >= 1,
            _("The page limit must be at least 1."),
            "max_pages",
        ),
        (st.max_mb is None or st.max_mb > 0, _("The size limit must be above zero."), "max_mb"),
        (st.first_page_number >= 1, _("Page numbers start at 1."), "first_page_number"),
        (st.first_page_number <= MAX_FIRST_NUMBER,  # a PDF page label's start is a 32-bit integer in readers
         _("The first page number must be at most {limit}.").format(limit=MAX_FIRST_NUMBER), "first_page_number"),
        (st.first_tab_number >= 1, _("Tab numbers start at 1."), "first_tab_number"),
        (st.first_tab_number <= MAX_FIRST_NUMBER,
         _("The first tab number must be at most {limit}.").format(limit=MAX_FIRST_NUMBER), "first_tab_number"),
        (st.exhibit_marks in MARK_STYLES, _("Exhibit marks must be letters or numbers."), "exhibit_marks"),
        (st.index_heading in INDEX_HEADINGS, _("The index heading must be index or contents."), "index_heading"),
    ]
    for ok, message, name in checks:
        if not ok:
            raise BundleSpecError(message, field=name)
    check_margin(st.margin_mm)
    labels = tab_labels(spec)
    if not labels:
        raise BundleSpecError(_("The bundle has no tabs."))
    for label, (_s, tab) in zip(labels, spec.iter_tabs()):
        item = _("Tab {label}").format(label=label)
        if not tab.title.strip():
            raise BundleSpecError(_("Every tab needs a title."), item=item, field="title")
        if tab.parts and tab.reference.strip():
            raise BundleSpecError(
                _("A tab holds either documents or a reference-only citation, not both."), item=item
            )
        if not tab.parts and not tab.reference.strip():
            raise BundleSpecError(_("The tab has no document and no citation."), item=item)
        for n, part in enumerate(tab.parts, start=1):
            where = _("Tab {tab}, part {part}").format(tab=label, part=n)
            if not part.document_id:
                raise BundleSpecError(_("The part names no document."), item=where)
            if part.role not in PART_ROLES:
                raise BundleSpecError(_("Unknown part role."), item=where, field="role")
            try:
                parse_page_ranges(part.pages)
            except PageRangeError as exc:
                raise PageRangeError(str(exc), item=where) from None
        _check_affidavit(tab, item)


def _check_affidavit(tab: Tab, item: str) -> None:
    """Exhibits follow the affidavit they belong to, and the stamps name who swore it."""
    roles = [part.role for part in tab.parts]
    if EXHIBIT_ROLE not in roles:
        return
    if roles[0] == EXHIBIT_ROLE:
        raise BundleSpecError(_("An exhibit comes after the affidavit it belongs to: put the affidavit first."),
                              item=item, field="parts")
    if not tab.deponent.strip():
        raise BundleSpecError(_("An affidavit with exhibits needs the name of the person who swore it."),
                              item=item, field="deponent")


# --------------------------------------------------------------------------- planning


@dataclass(frozen=True, slots=True)
class PageSlot:
    """One physical page of a volume. `stamp` is what is printed, `label` the /PageLabels text.
    (Slotted: a 5,000-page plan holds 5,000 of them for the whole build.)"""

    kind: str  # cover | index | separator | body
    stamp: str = ""
    label: str = ""
    number: int | None = None  # consecutive bundle number, when numbered
    tab: int | None = None  # position in BundlePlan.tabs
    part: int | None = None
    source_page: int | None = None  # 1-based page of the part's document


@dataclass(frozen=True)
class PartPlan:
    document_id: str
    label: str
    role: str
    source_pages: tuple[int, ...]
    excerpt: bool
    first_number: int
    last_number: int
    exhibit: str = ""  # the exhibit's mark ("A", "1"), also on its translation and declaration parts
    date: _dt.date | None = None

    @property
    def starts_exhibit(self) -> bool:
        """The exhibit's own document: its first page carries the exhibit stamp."""
        return self.role == EXHIBIT_ROLE


@dataclass(frozen=True)
class TabPlan:
    position: int
    section: int
    label: str
    title: str
    date: _dt.date | None
    reference: str
    parts: tuple[PartPlan, ...]
    separator: bool
    separator_number: int | None
    first_number: int | None  # first stamped number of its documents (None if reference only)
    last_number: int | None
    volume: int | None = None  # 1-based
    separator_physical: int | None = None  # 1-based position in its volume file
    first_physical: int | None = None
    last_physical: int | None = None

    @property
    def reference_only(self) -> bool:
        return not self.parts

    @property
    def body_pages(self) -> int:
        return sum(len(p.source_pages) for p in self.parts)

    @property
    def physical_pages(self) -> int:
        return self.body_pages + (1 if self.separator else 0)


@dataclass(frozen=True)
class VolumePlan:
    number: int
    tabs: tuple[int, ...]  # positions in BundlePlan.tabs
    pages: tuple[PageSlot, ...]
    estimated_bytes: float

    @property
    def first_number(self) -> int | None:
        return next((p.number for p in self.pages if p.number is not None), None)

    @property
    def last_number(self) -> int | None:
        return next((p.number for p in reversed(self.pages) if p.number is not None), None)


@dataclass(frozen=True)
class BundlePlan:
    tabs: tuple[TabPlan, ...]
    sections: tuple[str, ...]
    volumes: tuple[VolumePlan, ...]
    front_pages: int
    numbered_pages: int


def front_slots(front_pages: int, numbering: str, start: int = 1) -> tuple[PageSlot, ...]:
    """Cover then index pages; numbered (roman, or arabic from `start` as the first pages of a
    record on consecutively numbered pages), the cover counted but not stamped."""
    def text(n: int) -> str:
        return to_roman(n) if numbering == "roman" else str(start + n - 1) if numbering == "arabic" else ""

    slots = [PageSlot(COVER, label=text(1), number=start if numbering == "arabic" else None)]
    for n in range(2, front_pages + 1):
        slots.append(PageSlot(INDEX, stamp=text(n), label=text(n),
                              number=start + n - 1 if numbering == "arabic" else None))
    return tuple(slots)


def estimate_front_pages(spec: BundleSpec, rows_per_page: int = 24) -> int:
    """A cheap guess (cover + index) for pre-flight; the engine measures the real count."""
    rows = sum(1 + max(0, len(t.parts) - 1) for _s, t in spec.iter_tabs()) + len(spec.sections)
    return 1 + max(1, math.ceil(rows / rows_per_page))


def plan_bundle(
    spec: BundleSpec,
    page_counts: Mapping[str, int],
    *,
    front_pages: int,
    page_bytes: Mapping[str, float] | None = None,
    fixed_bytes: float = 0.0,
    separator_bytes: float = 0.0,
) -> BundlePlan:
    """Number every page and split into volumes. Raises PageRangeError or VolumeLimitError."""
    validate_spec(spec)
    st = spec.settings
    labels = tab_labels(spec)
    number = st.first_page_number + (front_pages if st.front_matter_numbering == "arabic" else 0)
    tabs: list[TabPlan] = []
    tab_bytes: list[float] = []
    for pos, (label, (s, tab)) in enumerate(zip(labels, spec.iter_tabs())):
        sep = st.separator_pages and not tab.reference_only
        sep_number = None
        if sep and st.number_separator_pages:
            sep_number, number = number, number + 1
        parts, size = [], separator_bytes if sep else 0.0
        marks = part_marks([p.role for p in tab.parts], st.exhibit_marks)
        for n, part in enumerate(tab.parts, start=1):
            where = _("Tab {tab}, part {part}").format(tab=label, part=n)
            if part.document_id not in page_counts:
                raise BundleSpecError(_("The document is missing."), item=where)
            count = page_counts[part.document_id]
            try:
                pages = resolve_pages(part.pages, count)
            except PageRangeError as exc:
                raise PageRangeError(str(exc), item=where) from None
            excerpt, span = len(pages) != count, (number, number + len(pages) - 1)
            parts.append(PartPlan(part.document_id, part.label, part.role, pages, excerpt, *span,
                                  marks[n - 1], part.date))
            number += len(pages)
            size += len(pages) * (page_bytes or {}).get(part.document_id, 0.0)
        span = (parts[0].first_number, parts[-1].last_number) if parts else (None, None)
        fields = (pos, s, label, tab.title, tab.date, tab.reference, tuple(parts), sep, sep_number)
        tabs.append(TabPlan(*fields, *span))
        tab_bytes.append(size)
    groups = _split_volumes(spec, tabs, tab_bytes, front_pages, fixed_bytes)
    return _lay_out(
        spec, tabs, tab_bytes, groups, front_pages, fixed_bytes, number - st.first_page_number
    )


def _split_volumes(
    spec: BundleSpec,
    tabs: list[TabPlan],
    tab_bytes: list[float],
    front_pages: int,
    fixed_bytes: float,
) -> list[list[int]]:
    """Greedy: fill a volume until the next tab would pass a limit; never split a tab."""
    max_pages, max_mb = spec.settings.max_pages, spec.settings.max_mb
    limit_bytes = max_mb * MB if max_mb else None
    groups: list[list[int]] = [[]]
    pages, size = front_pages, fixed_bytes
    for tab, nbytes in zip(tabs, tab_bytes):
        if tab.reference_only:
            continue
        too_many = max_pages is not None and front_pages + tab.physical_pages > max_pages
        too_big = limit_bytes is not None and fixed_bytes + nbytes > limit_bytes
        if too_many:
            raise VolumeLimitError(
                _(
                    "Tab {tab} alone does not fit in one volume ({pages} pages with the index); "
                    "raise the page limit or split the tab."
                ).format(tab=tab.label, pages=front_pages + tab.physical_pages)
            )
        if too_big:
            raise VolumeLimitError(
                _(
                    "Tab {tab} alone is larger than the size limit of one volume (about {mb} MB); "
                    "raise the size limit or split the tab."
                ).format(tab=tab.label, mb=round((fixed_bytes + nbytes) / MB, 1))
            )
        if groups[-1] and (
            (max_pages is not None and pages + tab.physical_pages > max_pages)
            or (limit_bytes is not None and size + nbytes > limit_bytes)
        ):
            groups.append([])
            pages, size = front_pages, fixed_bytes
        groups[-1].append(tab.position)
        pages += tab.physical_pages
        size += nbytes
    return groups


def _lay_out(
    spec: BundleSpec,
    tabs: list[TabPlan],
    tab_bytes: list[float],
    groups: list[list[int]],
    front_pages: int,
    fixed_bytes: float,
    numbered: int,
) -> BundlePlan:
    """Physical page order of each volume, and each tab's physical positions."""
    numbering = spec.settings.front_matter_numbering
    front = front_slots(front_pages, numbering, spec.settings.first_page_number)
    later = front_slots(front_pages, "none") if numbering == "arabic" else front  # counted once, in volume 1
    volumes: list[VolumePlan] = []
    placed = list(tabs)
    for vol, group in enumerate(groups, start=1):
        slots = list(front if vol == 1 else later)
        for pos in group:
            tab = tabs[pos]
            sep_phys = None
            if tab.separator:
                n = tab.separator_number
                text = str(n) if n else ""
                slots.append(PageSlot(SEPARATOR, text, text, n, pos))
                sep_phys = len(slots)
            first_phys = len(slots) + 1
            for pi, part in enumerate(tab.parts):
                for k, src in enumerate(part.source_pages):
                    n = part.first_number + k
                    text = str(n)
                    slots.append(PageSlot(BODY, text, text, n, pos, pi, src))
            placed[pos] = replace(
                tab,
                volume=vol,
                separator_physical=sep_phys,
                first_physical=first_phys if tab.body_pages else sep_phys,
                last_physical=len(slots),
            )
        size = fixed_bytes + sum(tab_bytes[p] for p in group)
        volumes.append(VolumePlan(vol, tuple(group), tuple(slots), size))
    return BundlePlan(
        tuple(placed), tuple(s.title for s in spec.sections), tuple(volumes), front_pages, numbered
    )
