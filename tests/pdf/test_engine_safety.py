"""Nothing executable or embedded reaches a filed bundle; user text never becomes markup;
damaged inputs fail cleanly (the shared corpus)."""

from __future__ import annotations

import datetime as dt
import io
import time
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String

from clinic_app.domain.bundle import DEFAULT_MARGIN_MM, BundleSpec, DocumentPart, Section, Tab
from clinic_app.errors import HavenError
from clinic_app.pdf.engine import build_bundle

from .conftest import Doc, P, Readback, check_bundle, forbidden_names, make_pdf

INJECTIONS = [
    "<font color=\"[[[getattr(pow, __import__('os').system('touch /tmp/haven-pwned'))]]]\">X</font>",
    '<img src="file:///etc/passwd"/>',
    "Smith & Sons <Ltd> \"quoted\" 'single'",
    "\u05e9\u05dc\u05d5\u05dd \u05e2\u05dc\u05d9\u05db\u05dd",  # Hebrew (RTL)
    "\u0645\u0631\u062d\u0628\u0627",  # Arabic (RTL)
    "Emoji \U0001f600 \u2764\ufe0f",
    "</para><para>&amp;<b>bold?</b>",
]


def active_source() -> bytes:
    """A PDF carrying every kind of active or embedded content we strip."""
    pdf = pikepdf.open(io.BytesIO(make_pdf(Doc("act", [P(), P(letter_rotated := P().size, 90)]))))
    del letter_rotated
    js = Dictionary(S=Name.JavaScript, JS=String("app.alert('x')"))
    pdf.Root.OpenAction = pdf.make_indirect(js)
    pdf.Root.AA = Dictionary(WC=js)
    embedded = pdf.make_stream(b"secret attachment", Type=Name.EmbeddedFile)
    filespec = Dictionary(Type=Name.Filespec, F=String("a.txt"), EF=Dictionary(F=embedded))
    pdf.Root.Names = Dictionary(
        JavaScript=Dictionary(Names=Array([String("x"), pdf.make_indirect(js)])),
        EmbeddedFiles=Dictionary(Names=Array([String("a.txt"), pdf.make_indirect(filespec)])),
    )
    page = pdf.pages[0].obj
    page.AA = Dictionary(O=js)

    def link(action: Dictionary, rect: list[int]) -> Dictionary:
        return Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array(rect), A=action)

    page.Annots = pdf.make_indirect(
        Array(
            [
                link(Dictionary(S=Name.JavaScript, JS=String("this.print()")), [10, 10, 50, 50]),
                link(Dictionary(S=Name.Launch, F=String("calc.exe")), [60, 10, 100, 50]),
                link(Dictionary(S=Name.URI, URI=String("javascript:alert(1)")), [110, 10, 150, 50]),
                link(
                    Dictionary(S=Name.URI, URI=String("https://irb.gc.ca/")), [100, 600, 300, 700]
                ),
                Dictionary(
                    Type=Name.Annot,
                    Subtype=Name.FileAttachment,
                    Rect=Array([200, 10, 220, 30]),
                    FS=pdf.make_indirect(filespec),
                ),
                Dictionary(
                    Type=Name.Annot,
                    Subtype=Name.Link,
                    Rect=Array([300, 10, 320, 30]),
                    A=Dictionary(S=Name.GoToE, T=Dictionary(R=Name.C, N=String("a.txt"))),
                ),
            ]
        )
    )
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def one_tab(doc_id: str, **spec: object) -> BundleSpec:
    return BundleSpec(
        title="T", sections=[Section("", [Tab("X", None, [DocumentPart(doc_id)])])], **spec
    )  # type: ignore[arg-type]


def test_source_has_what_we_strip() -> None:
    """The fixture itself must contain the features, or the next test proves nothing."""
    found = forbidden_names(pikepdf.open(io.BytesIO(active_source())))
    assert {
        "/JS",
        "/AA",
        "/OpenAction",
        "/EmbeddedFiles",
        "/JavaScript",
        "/EmbeddedFile",
        "/Launch",
        "/GoToE",
    } <= found


def test_active_content_is_removed_and_web_links_kept(build) -> None:  # type: ignore[no-untyped-def]
    result, rb = build(one_tab("act"), {"act": active_source()})
    assert rb.forbidden() == set()
    assert b"secret attachment" not in rb.data
    assert rb.pdfium.count_attachments() == 0
    page = result.tabs[0].first_physical - 1
    annots = list(rb.pike.pages[page].obj.get("/Annots", []))
    assert [str(a.A.URI) for a in annots] == ["https://irb.gc.ca/"]
    # The link moved with the content: letter to letter, shrunk into the stamps' margin
    # (the width binds) and centred.
    band = DEFAULT_MARGIN_MM * 72 / 25.4
    scale = (612 - 2 * band) / 612
    tx, ty = (612 - 612 * scale) / 2, (792 - 792 * scale) / 2
    expected = [scale * 100 + tx, scale * 600 + ty, scale * 300 + tx, scale * 700 + ty]
    assert [float(v) for v in annots[0].Rect] == pytest.approx(expected, abs=1e-3)
    check_bundle(rb)


def test_markup_injection_renders_literally(build, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pwned = Path("/tmp/haven-pwned")
    pwned.unlink(missing_ok=True)
    spec = one_tab(
        "d",
        parties=INJECTIONS,
        counsel=INJECTIONS[0],
        forum=INJECTIONS[2],
        file_number="<b>IMM-1-25</b>",
    )
    spec.sections[0].title = INJECTIONS[1]
    spec.sections[0].tabs[0].title = INJECTIONS[6]
    spec.sections[0].tabs[0].date = dt.date(2025, 1, 1)
    result, rb = build(spec, {"d": make_pdf(Doc("d"))})

    def flat(text: str) -> str:  # long names wrap onto several lines
        return " ".join(text.split())

    cover = flat(rb.text(0))
    for text in INJECTIONS:
        assert flat(text) in cover, text
    index = flat(rb.text(1))
    assert flat(INJECTIONS[1]) in index and flat(INJECTIONS[6]) in index
    assert "<b>IMM-1-25</b>" in cover
    assert not pwned.exists()
    for i in range(result.tabs[0].first_physical - 1):  # generated pages hold no image
        assert rb.pike.pages[i].get_images() == {}
    assert b"root:" not in rb.data
    check_bundle(rb)


def test_filled_form_values_stay_visible(build, corpus_dir: Path) -> None:  # type: ignore[no-untyped-def]
    src = (corpus_dir / "qpdf_acroform-filled-by-acrobat.pdf").read_bytes()
    before = pikepdf.open(io.BytesIO(src))
    assert any("/Annots" in p.obj for p in before.pages)
    result, rb = build(one_tab("f"), {"f": src})
    for i in range(result.tabs[0].first_physical - 1, len(rb)):
        assert all(a.get("/Subtype") == Name.Link for a in rb.pike.pages[i].obj.get("/Annots", []))
    import pypdfium2 as pdfium

    original = pdfium.PdfDocument(src)
    tab = result.tabs[0]
    assert len(original) == tab.last_number - tab.first_number + 1
    assert len(original) == len(rb) - tab.first_physical + 1
    assert result.numbered_pages == len(original) + 1  # the tab's separator is numbered too
    assert rb.stamp(tab.separator_physical - 1) == str(tab.first_number - 1)
    for n in range(len(original)):
        words = original[n].get_textpage().get_text_range()
        if words.strip():
            assert words.split()[0] in rb.text(result.tabs[0].first_physical - 1 + n)
    check_bundle(rb)


CORPUS_ACTIVE = [
    "pdfium_document-javascript.pdf",
    "pdfium_embedded-attachments.pdf",
    "pdfium_launch-action.pdf",
    "pdfium_xfa-with-javascript.pdf",
    "qpdf_digitally-signed.pdf",
    "qpdf_inherited-rotate.pdf",
    "qpdf_rotated-20-pages.pdf",
    "qpdf_mixed-sizes-big-small.pdf",
    "qpdf_fax-scans-mixed-sizes.pdf",
    "pysf_arabic-rotated-cid.pdf",
    "qpdf_enc-aes128-V4_empty-user-password.pdf",
    "pysf_tiny-4pt-pages-images.pdf",
]


def test_corpus_bundle(build, corpus_dir: Path) -> None:  # type: ignore[no-untyped-def]
    present = [name for name in CORPUS_ACTIVE if (corpus_dir / name).is_file()]
    if len(present) < len(CORPUS_ACTIVE):
        pytest.skip(f"corpus incomplete: {sorted(set(CORPUS_ACTIVE) - set(present))}")
    spec = BundleSpec(
        title="Corpus",
        file_number="TB1-00001",
        sections=[Section("", [Tab(name, None, [DocumentPart(name)]) for name in present])],
    )
    data = {name: (corpus_dir / name).read_bytes() for name in present}
    counts = {name: len(pikepdf.open(io.BytesIO(b)).pages) for name, b in data.items()}
    result, rb = build(spec, data)
    assert result.numbered_pages == sum(counts.values()) + len(present)  # one separator per tab
    assert rb.forbidden() == set()
    assert rb.pike.check_pdf_syntax() == []
    check_bundle(rb)


def test_every_corpus_file_builds_or_fails_cleanly(tmp_path: Path, corpus_dir: Path) -> None:
    files = sorted(corpus_dir.glob("*.pdf"))
    assert files
    outcomes = {}
    for path in files:
        started = time.monotonic()
        try:
            result = build_bundle(
                one_tab(path.name), lambda _i, p=path: p.read_bytes(), tmp_path / "out.pdf"
            )
            rb = Readback(result.files[0])
            assert rb.forbidden() == set(), path.name
            rb.close()
            outcomes[path.name] = "built"
        except HavenError as exc:  # a clear, translatable refusal
            outcomes[path.name] = type(exc).__name__
        assert time.monotonic() - started < 30, path.name
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".haven-tmp")] == []
    assert outcomes.get("pdfium_truncated-82-bytes.pdf", "SourceUnreadable") == "SourceUnreadable"
    assert outcomes.get("pdfium_document-javascript.pdf", "built") == "built"
    encrypted = [n for n in outcomes if n.startswith(("pysf_enc-", "qpdf_enc-rc4"))]
    assert all(outcomes[n] == "SourceEncrypted" for n in encrypted)
