"""Source documents: fetched one at a time from the caller, opened defensively, made inert.

The caller (services) takes working copies out of the encrypted vault; they are
sanitised at import, but a bundle is filed with a court, so pages are cleaned again
here: annotations are flattened into the page (filled forms keep their values), only
plain web links survive, and page-level actions go. Copying a page takes its stream
data along (pikepdf's immediate copy), so the source is closed right after its pages
are copied: memory holds one source at a time, never the whole bundle's inputs.
"""

from __future__ import annotations

import contextlib

import pikepdf
from pikepdf import Array, Dictionary, Name

from clinic_app.pdf.normalize import inherited

_PAGE_DROP = ("/AA", "/B", "/Thumb", "/PieceInfo", "/StructParents", "/Tabs", "/Annots")
# pikepdf pushes inherited /Rotate, /CropBox, /MediaBox and /Resources onto pages when it
# opens a file; this fallback only covers the two a page cannot do without.
_INHERITABLE = ("/Resources", "/MediaBox")
_SAFE_SCHEMES = ("http://", "https://", "mailto:")
_BAD_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/GoToE",
    "/GoToR",
    "/ImportData",
    "/SubmitForm",
    "/ResetForm",
    "/Rendition",
    "/RichMediaExecute",
    "/Sound",
    "/Movie",
    "/Hide",
    "/Thread",
    "/SetOCGState",
    "/Trans",
    "/GoTo3DView",
}
_BAD_KEYS = frozenset(
    ("/JS", "/JavaScript", "/AA", "/OpenAction", "/EmbeddedFiles", "/EF", "/RichMediaContent")
)


def flatten_if_annotated(pdf: pikepdf.Pdf, pages: list[pikepdf.Page]) -> None:
    """Draw annotation appearances (form values, stamps, highlights) into the page content.

    A form whose /NeedAppearances is set (LibreOffice, browsers and many fillers set it)
    says its appearances may be stale; qpdf then flattens none of its fields, only warns,
    and the fields were dropped with the rest of /Annots: the filled values vanished from
    the bundle. So their appearances are generated from the values first, as a viewer does."""
    if not any("/Annots" in page.obj for page in pages):
        return
    form = pdf.Root.get("/AcroForm")
    if isinstance(form, pikepdf.Dictionary) and form.get("/NeedAppearances"):
        with contextlib.suppress(Exception):  # a broken form must not stop the bundle
            pdf.generate_appearance_streams()
    with contextlib.suppress(Exception):
        pdf.flatten_annotations("all")


_NOT_DRAWN_HERE = (Name.Link, Name.Widget, Name.Popup)  # links are kept; fields have their own path


def undrawable_annotations(page: pikepdf.Dictionary) -> int:
    """How many shown annotations of `page` (highlights, notes, stamps) have no appearance stream.

    Flattening draws an annotation's appearance into the page; one without (some tools
    write highlights and free-text notes bare, for the viewer to draw) has nothing to draw
    and goes with the rest of the annotations, so the person is told rather than left to
    find it missing from the filed bundle."""
    annots = page.get("/Annots") if "/Annots" in page else None
    if not isinstance(annots, pikepdf.Array):
        return 0
    count = 0
    for annot in annots:
        if not isinstance(annot, pikepdf.Dictionary) or annot.get("/Subtype") in _NOT_DRAWN_HERE:
            continue
        flags = annot.get("/F")
        if isinstance(flags, int) and flags & 0b10:  # hidden: no viewer draws it either
            continue
        appearance = annot.get("/AP")
        if not isinstance(appearance, pikepdf.Dictionary) or "/N" not in appearance:
            count += 1
    return count


def clean_page(page: pikepdf.Dictionary) -> None:
    """Pin inherited attributes, keep only http(s)/mailto links, drop page actions."""
    keys = page.keys()  # one question to qpdf instead of one per key
    if "/Parent" in keys:
        for key in _INHERITABLE:
            if key not in keys:  # normally pushed down by pikepdf already
                value = inherited(page, key)
                if value is not None:
                    page[key] = value
    links = _safe_links(page.get("/Annots")) if "/Annots" in keys else []
    for key in _PAGE_DROP:
        if key in keys:
            del page[key]
    if links:
        page[Name.Annots] = Array(links)


def _safe_links(annots: pikepdf.Object | None) -> list[Dictionary]:
    out: list[Dictionary] = []
    if not isinstance(annots, pikepdf.Array):
        return out
    for annot in annots:
        if not isinstance(annot, pikepdf.Dictionary) or annot.get("/Subtype") != Name.Link:
            continue
        action = annot.get("/A")
        if not isinstance(action, pikepdf.Dictionary) or action.get("/S") != Name.URI:
            continue
        uri = action.get("/URI")
        text = bytes(uri).decode("latin-1", "replace") if isinstance(uri, pikepdf.String) else ""
        if not text.lower().startswith(_SAFE_SCHEMES) or "/Rect" not in annot:
            continue
        out.append(
            Dictionary(
                Type=Name.Annot,
                Subtype=Name.Link,
                Rect=annot.Rect,
                Border=Array([0, 0, 0]),
                A=Dictionary(S=Name.URI, URI=pikepdf.String(text)),
            )
        )
    return out


def marker(pdf: pikepdf.Pdf) -> int:
    """The next object number `pdf` will allocate (objects are numbered in creation order)."""
    return pdf.make_indirect(Dictionary()).objgen[0]


def defuse(pdf: pikepdf.Pdf, first: int, end: int) -> None:
    """Remove anything executable or embedded from objects `first..end-1` (belt and braces:
    `clean_page` already dropped every entry that can lead to an action)."""
    for objid in range(first, end):
        obj = pdf.get_object(objid, 0)
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            _defuse(obj)


def _defuse(obj: pikepdf.Object) -> None:
    keys = obj.keys()
    for key in _BAD_KEYS.intersection(keys):
        del obj[key]
    kind = obj.get("/S") if "/S" in keys else None
    if (isinstance(kind, pikepdf.Name) and str(kind) in _BAD_ACTIONS) or (
        "/Type" in keys and obj.get("/Type") == Name.EmbeddedFile
    ):
        for key in list(obj.keys()):
            if key not in ("/Length", "/Filter", "/DecodeParms"):
                del obj[key]
        if isinstance(obj, pikepdf.Stream):
            obj.write(b"")
