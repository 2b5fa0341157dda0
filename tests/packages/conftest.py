"""Vaults seeded with one matter per package type, a French catalog, and a PDF read-back.

Read-back uses pypdf for labels and bookmarks and pdfium (an independent engine) for
page text, character positions and bookmarks again; pikepdf gives the link
annotations. Nothing here reads the plan the builder used.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pypdf
import pypdfium2 as pdfium
import pytest
from support import ADMIN, ADMIN_PASS

from .seed import Case, seed

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Seeded:
    session: object
    folder: Path
    cases: dict[str, Case]  # by package type
    out: Path


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    """One vault per test module, every fixture matter in it, the admin session open."""
    from clinic_app.services.session import create_vault

    base = tmp_path_factory.mktemp("packages")
    mp = pytest.MonkeyPatch()
    mp.setenv("HAVEN_STATE_DIR", str(base / "state"))
    mp.setenv("HAVEN_CONFIG_DIR", str(base / "config"))
    session, _recovery = create_vault(base / "vault", admin=ADMIN, passphrase=ADMIN_PASS, kdf_profile="fast")
    cases = {c.package: c for c in seed(session)}
    (base / "out").mkdir()
    try:
        yield Seeded(session, base / "vault", cases, base / "out")
    finally:
        session.lock()
        mp.undo()


@pytest.fixture
def fresh(vault_folder: Path) -> Callable[..., object]:
    """fresh(*packages, without=(refs...)) -> an admin session on a new vault holding only
    those fixture cases, minus the documents named in `without`."""
    from clinic_app.services.session import unlock

    from .seed import cases

    opened = []

    def make(*packages: str, open_session: bool = True, without: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
        session = unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS)
        chosen = [c for c in cases() if c.package in packages]
        for case in chosen:
            case.docs = [m for m in case.docs if m.ref not in without]
        seed(session, chosen)
        if not open_session:
            session.lock()
            return chosen
        opened.append(session)
        return session

    yield make
    for session in opened:
        session.lock()


@pytest.fixture
def french_catalog(monkeypatch: pytest.MonkeyPatch) -> None:
    """translate_for("fr", ...) reads the shipped French catalog afresh."""
    from clinic_app import i18n

    monkeypatch.setattr(i18n, "_others", {})


class Readback:
    """A PDF opened with pypdf, pikepdf and pdfium."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pypdf = pypdf.PdfReader(io.BytesIO(data))
        self.pike = pikepdf.open(io.BytesIO(data))
        self.pdfium = pdfium.PdfDocument(data)
        assert len(self.pypdf.pages) == len(self.pike.pages) == len(self.pdfium)

    def close(self) -> None:
        self.pdfium.close()
        self.pike.close()

    def __len__(self) -> int:
        return len(self.pdfium)

    def text(self, i: int) -> str:
        tp = self.pdfium[i].get_textpage()
        return tp.get_text_range(0, tp.count_chars())

    def all_text(self) -> str:
        return "\n".join(self.text(i) for i in range(len(self)))

    def pypdf_text(self) -> str:
        return "\n".join(page.extract_text() or "" for page in self.pypdf.pages)

    def labels(self) -> list[str]:
        ours = list(self.pypdf.page_labels)
        assert ours == [self.pdfium.get_page_label(i) for i in range(len(self))]
        return ours

    def outline(self) -> list[tuple[int, str, int]]:
        """(depth, title, page) from pypdf, checked equal to pdfium's."""
        ours: list[tuple[int, str, int]] = []

        def walk(items: list, depth: int) -> None:  # type: ignore[type-arg]
            for item in items:
                if isinstance(item, list):
                    walk(item, depth + 1)
                else:
                    ours.append((depth, item.title, self.pypdf.get_destination_page_number(item)))

        walk(self.pypdf.outline, 0)
        assert ours == [(b.level, b.get_title(), b.get_dest().get_index()) for b in self.pdfium.get_toc()]
        return ours

    def page_of(self, needle: str) -> int:
        hits = [i for i in range(len(self)) if needle in self.text(i)]
        assert len(hits) == 1, (needle, hits)
        return hits[0]

    def index_rows(self) -> list[tuple[str, int, int, int]]:
        """(row text, first, last, target page) for every linked index row, in order.

        The page range is read from the characters in the rightmost inch of the row:
        the Pages column.
        """
        rows = []
        for i in range(len(self)):
            links = [a for a in self.pike.pages[i].obj.get("/Annots", []) if a.get("/Subtype") == "/Link"]
            if i and not links:  # the cover has none; the first page after the index has none either
                break
            page = self.pdfium[i]
            tp = page.get_textpage()
            for annot in links:
                if annot.get("/Subtype") != "/Link" or "/Dest" not in annot:
                    continue
                x0, y0, x1, y1 = (float(v) for v in annot.Rect)
                target = next(n for n, p in enumerate(self.pike.pages) if p.obj.objgen == annot.Dest[0].objgen)
                pages = tp.get_text_bounded(x1 - 66, y0, x1, y1).strip()
                match = re.fullmatch(r"(\d+)(?:\s*\u2013\s*(\d+))?", pages)
                assert match, (pages, tp.get_text_bounded(x0, y0, x1, y1))
                first = int(match.group(1))
                rows.append((" ".join(tp.get_text_bounded(x0, y0, x1, y1).split()), first,
                             int(match.group(2) or first), target))
        return rows


@pytest.fixture
def readback() -> Iterator[Callable[[Path | bytes], Readback]]:
    opened: list[Readback] = []

    def open_(source: Path | bytes) -> Readback:
        rb = Readback(source if isinstance(source, bytes) else Path(source).read_bytes())
        opened.append(rb)
        return rb

    yield open_
    for rb in opened:
        rb.close()
