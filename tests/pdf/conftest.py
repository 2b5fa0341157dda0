"""Source PDFs made with reportlab, and a read-back of bundles with three readers.

Every check reads the output file itself (pypdf, pikepdf and pdfium), never the plan
the engine used, so an engine bug cannot hide behind a shared helper.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
import pypdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4, legal, letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from clinic_app.domain.bundle import DEFAULT_MARGIN_MM
from clinic_app.typeset import fonts

REPO = Path(__file__).resolve().parents[2]
SIZES = {"letter": letter, "a4": A4, "legal": legal}
PAPER = {"letter": (612.0, 792.0), "a4": (595.2756, 841.8898), "legal": (612.0, 1008.0)}
FORBIDDEN = {
    "/JavaScript",
    "/JS",
    "/Launch",
    "/EmbeddedFile",
    "/EmbeddedFiles",
    "/AA",
    "/OpenAction",
    "/GoToE",
    "/RichMedia",
}


@dataclass
class P:
    """One source page: paper size, /Rotate as written (360, -90 allowed), image-only or text."""

    size: tuple[float, float] = letter
    rotate: int = 0
    image: bool = False
    text: str = ""  # extra text under the marker, e.g. a multilingual line
    noise: bool = False  # with image: a large, incompressible scan (~150 kB)


@dataclass
class Doc:
    doc_id: str
    pages: list[P] = field(default_factory=lambda: [P()])
    inherited_rotate: int | None = None  # put /Rotate on the page tree root instead
    crop: tuple[float, float, float, float] | None = None

    def marker(self, n: int) -> str:
        return f"MARK-{self.doc_id}-p{n}"


_JPEG: dict[bool, bytes] = {}


def _jpeg(noise: bool = False) -> bytes:
    if noise not in _JPEG:
        if noise:
            img = Image.effect_noise((600, 800), 64).convert("RGB")
        else:
            img = Image.linear_gradient("L").resize((300, 400)).convert("RGB")
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=70)
        _JPEG[noise] = buf.getvalue()
    return _JPEG[noise]


def _register_test_fonts() -> None:
    if "TestSans" not in pdfmetrics.getRegisteredFontNames():
        fonts.load_every_font()  # first: reportlab gives a later font of the same file the first's object
        pdfmetrics.registerFont(TTFont("TestSans", str(REPO / "resources/fonts/DejaVuSans.ttf")))
        pdfmetrics.registerFont(
            TTFont("TestCJK", str(REPO / "resources/fonts/DroidSansFallback.ttf"))
        )


def make_pdf(doc: Doc) -> bytes:
    """A source PDF whose page n shows `MARK-<id>-p<n>` inside its visible box."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    for n, page in enumerate(doc.pages, start=1):
        w, h = page.size
        c.setPageSize((w, h))
        if page.image:
            c.drawImage(ImageReader(io.BytesIO(_jpeg(page.noise))), 20, 20, w - 40, h - 40)
        else:
            c.setFont("Helvetica", 12)
            c.drawString(60, h / 2, doc.marker(n))
            if page.text:  # one font per run: DejaVu has no CJK, Droid no Cyrillic
                _register_test_fonts()
                x = 60.0
                for ch in page.text:
                    font = "TestCJK" if ord(ch) > 0x2E80 else "TestSans"
                    c.setFont(font, 12)
                    c.drawString(x, h / 2 - 20, ch)
                    x += pdfmetrics.stringWidth(ch, font, 12)
        c.showPage()
    c.save()
    pdf = pikepdf.open(io.BytesIO(buf.getvalue()))
    for page, spec in zip(pdf.pages, doc.pages):
        if doc.inherited_rotate is not None:
            if "/Rotate" in page.obj:
                del page.obj["/Rotate"]
        else:
            page.obj.Rotate = spec.rotate
        if doc.crop:
            page.obj.CropBox = pikepdf.Array(list(doc.crop))
    if doc.inherited_rotate is not None:
        pdf.Root.Pages.Rotate = doc.inherited_rotate
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def to_visible(x: float, y: float, rot: int, w: float, h: float) -> tuple[float, float]:
    """User-space point -> point on the page as seen (PDF /Rotate turns clockwise)."""
    return {0: (x, y), 90: (y, w - x), 180: (w - x, h - y), 270: (h - y, x)}[rot % 360]


class Readback:
    """A built bundle opened with pypdf, pikepdf and pdfium."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data = path.read_bytes()
        self.pypdf = pypdf.PdfReader(io.BytesIO(self.data))
        self.pike = pikepdf.open(io.BytesIO(self.data))
        self.pdfium = pdfium.PdfDocument(self.data)
        assert len(self.pypdf.pages) == len(self.pike.pages) == len(self.pdfium)
        self._chars: dict[int, list[tuple[str, float, float, float]]] = {}

    def __len__(self) -> int:
        return len(self.pdfium)

    def close(self) -> None:
        self.pdfium.close()
        self.pike.close()

    def chars(self, i: int) -> list[tuple[str, float, float, float]]:
        """(char, x, y, font size) of every character; x, y: box centre on the seen page."""
        if i not in self._chars:
            page = self.pdfium[i]
            text = page.get_textpage()
            x0, y0, x1, y1 = page.get_mediabox()
            rot = page.get_rotation()
            out = []
            for k in range(text.count_chars()):
                ch = text.get_text_range(k, 1)
                if not ch.strip():
                    continue
                left, bottom, right, top = text.get_charbox(k)
                size = pdfium_raw.FPDFText_GetFontSize(text.raw, k)
                out.append(
                    (
                        ch,
                        *to_visible(
                            (left + right) / 2 - x0, (bottom + top) / 2 - y0, rot, x1 - x0, y1 - y0
                        ),
                        size,
                    )
                )
            self._chars[i] = out
        return self._chars[i]

    def seen_size(self, i: int) -> tuple[float, float]:
        return self.pdfium[i].get_size()

    def _in_stamp(self, i: int, x: float, y: float, size: float, top: bool) -> bool:
        """Stamps: a 10 pt number in the bottom margin, an 8.5 pt header in the top margin
        (the default margin kept clear for them), right half."""
        w, h = self.seen_size(i)
        band = DEFAULT_MARGIN_MM * 72 / 25.4
        if not w / 2 < x < w - band:
            return False
        if top:
            return h - band < y < h and abs(size - 8.5) < 0.3
        return 0 < y < band and abs(size - 10) < 0.3

    def _region(self, i: int, top: bool) -> list[tuple[str, float, float]]:
        return [(c, x, y) for c, x, y, size in self.chars(i) if self._in_stamp(i, x, y, size, top)]

    def stamp(self, i: int) -> str:
        """The page-number stamp (bottom right of the seen page), read left to right."""
        return "".join(c for c, _x, _y in sorted(self._region(i, False), key=lambda t: t[1]))

    def header(self, i: int) -> str:
        """The header stamp (top right), read left to right; spaces are not read."""
        return "".join(c for c, _x, _y in sorted(self._region(i, True), key=lambda t: t[1]))

    def upright(self, i: int) -> bool:
        """The stamp's characters, in text order, advance left to right on one baseline."""
        pts = [(x, y) for _c, x, y in self._region(i, False)]
        return len(pts) > 0 and all(
            b[0] > a[0] and abs(b[1] - a[1]) < 3 for a, b in zip(pts, pts[1:])
        )

    def text(self, i: int) -> str:
        tp = self.pdfium[i].get_textpage()
        return tp.get_text_range(0, tp.count_chars())

    def labels(self) -> list[str]:
        ours = list(self.pypdf.page_labels)
        theirs = [self.pdfium.get_page_label(i) for i in range(len(self))]
        assert ours == theirs, "pypdf and pdfium disagree on page labels"
        return ours

    def page_index(self, obj: pikepdf.Object) -> int:
        return next(n for n, p in enumerate(self.pike.pages) if p.obj.objgen == obj.objgen)

    def links(self, i: int) -> list[tuple[tuple[float, ...], int]]:
        """(rect, target page) of every /Link with a /Dest on page i (via pikepdf)."""
        out = []
        for annot in self.pike.pages[i].obj.get("/Annots", []):
            if annot.get("/Subtype") == "/Link" and "/Dest" in annot:
                out.append((tuple(float(v) for v in annot.Rect), self.page_index(annot.Dest[0])))
        return out

    def text_in(self, i: int, rect: tuple[float, ...]) -> str:
        tp = self.pdfium[i].get_textpage()
        return tp.get_text_bounded(*rect)

    def outline(self) -> list[tuple[int, str, int]]:
        """(depth, title, page) from pypdf, checked equal to pdfium's."""
        ours: list[tuple[int, str, int]] = []

        def walk(items: list, depth: int) -> None:
            for item in items:
                if isinstance(item, list):
                    walk(item, depth + 1)
                else:
                    ours.append((depth, item.title, self.pypdf.get_destination_page_number(item)))

        walk(self.pypdf.outline, 0)
        theirs = [(b.level, b.get_title(), b.get_dest().get_index()) for b in self.pdfium.get_toc()]
        assert ours == theirs, "pypdf and pdfium disagree on bookmarks"
        return ours

    def forbidden(self) -> set[str]:
        return forbidden_names(self.pike)


def forbidden_names(pdf: pikepdf.Pdf) -> set[str]:
    """Executable or embedding features anywhere in the file: every object, nested ones too."""
    found: set[str] = set()

    def visit(obj: pikepdf.Object, depth: int) -> None:
        if depth > 50:
            return
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            for key in obj.keys():
                if key in FORBIDDEN:
                    found.add(key)
                value = obj.get(key)
                if (
                    key in ("/S", "/Type", "/Subtype")
                    and isinstance(value, pikepdf.Name)
                    and str(value) in FORBIDDEN
                ):
                    found.add(str(value))
                if isinstance(value, pikepdf.Object) and not value.is_indirect:
                    visit(value, depth + 1)
        elif isinstance(obj, pikepdf.Array):
            for item in obj:
                if isinstance(item, pikepdf.Object) and not item.is_indirect:
                    visit(item, depth + 1)

    for obj in pdf.objects:
        visit(obj, 0)
    visit(pdf.trailer, 0)
    return found


def check_bundle(
    rb: Readback, *, paper: str = "letter", first_number: int = 1, volume_column: bool = False
) -> dict[str, list[int]]:
    """Invariants every bundle must meet; returns tab label -> stamped numbers of its pages.

    - every page has the paper size (either orientation, after /Rotate);
    - every stamp is upright, and numbered pages count up by one from `first_number`;
    - page labels equal the stamps;
    - every index link's row names a tab and range that match the stamps and headers.
    """
    pw, ph = PAPER[paper]
    labels = rb.labels()
    expected = first_number
    tab_pages: dict[str, list[int]] = {}
    for i in range(len(rb)):
        w, h = rb.seen_size(i)
        assert sorted((round(w, 1), round(h, 1))) == sorted((round(pw, 1), round(ph, 1))), (i, w, h)
        stamp = rb.stamp(i)
        if stamp.isdigit():
            assert rb.upright(i), f"page {i}: stamp not upright"
            assert int(stamp) == expected, f"page {i}: stamp {stamp}, expected {expected}"
            assert labels[i] == stamp, f"page {i}: label {labels[i]} != stamp {stamp}"
            expected += 1
            match = re.search(r"Tab([^\u00b7]+)$", rb.header(i))  # spaces are not read
            if match:
                tab_pages.setdefault(match.group(1), []).append(int(stamp))
    for i in range(len(rb)):
        for rect, target in rb.links(i):
            row = rb.text_in(i, rect).split()
            if volume_column:
                row = row[:-1]
            rng = re.fullmatch(r"(\d+)(?:\u2013(\d+))?", row[-1])
            assert rng, f"index row without a page range: {row}"
            first, last = int(rng.group(1)), int(rng.group(2) or rng.group(1))
            if row[0] != "\u2013" and not row[0].startswith("("):
                assert tab_pages[row[0]][0] == first and tab_pages[row[0]][-1] == last, row
                assert rb.stamp(target) == str(first) or f"Tab {row[0]}" in rb.text(target), row
            else:
                assert rb.stamp(target) == str(first), (row, target)
    return tab_pages


@pytest.fixture
def build(tmp_path: Path) -> Callable[..., tuple[object, Readback]]:
    """build(spec, docs, name="bundle.pdf", **kw) -> (BuildResult, Readback of volume 1)."""
    from clinic_app.pdf.engine import build_bundle

    opened: list[Readback] = []

    def run(spec, docs: dict[str, bytes], name: str = "bundle.pdf", **kw):  # type: ignore[no-untyped-def]
        result = build_bundle(spec, lambda doc_id: docs[doc_id], tmp_path / name, **kw)
        rb = Readback(result.files[0])
        opened.append(rb)
        return result, rb

    yield run
    for rb in opened:
        rb.close()


@pytest.fixture
def french_catalog(monkeypatch: pytest.MonkeyPatch) -> None:
    """translate_for("fr", ...) reads the shipped French catalog afresh."""
    from clinic_app import i18n

    monkeypatch.setattr(i18n, "_others", {})
