"""The working copy of a PDF: decrypted, inert, every page self-contained.

The original bytes are stored untouched by the caller; this copy is what goes into
hearing bundles. It is rewritten by pypdf (which drops earlier incremental
revisions and the encryption), stripped of everything that can run or smuggle
content (JavaScript, /OpenAction, /AA, /Launch and similar actions, embedded files,
media annotations, XFA), and each page carries its own /Rotate, /MediaBox,
/CropBox and /Resources so that copying pages one by one cannot lose an inherited
rotation. Runs in the child, in memory only.
"""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    RectangleObject,
)

from clinic_app.intake.errors import DamagedFile, FileTooLarge, Refusal
from clinic_app.intake.pdf_pages import (
    LETTER_BOX,
    inherited,
    normalised_rotation,
    page_box,
    resolve,
)
from clinic_app.intake.pdf_parse import is_size_limit

DANGEROUS_ACTIONS = {
    "/JavaScript": "javascript",
    "/Launch": "launch",
    "/SubmitForm": "submit_form",
    "/ImportData": "import_data",
    "/GoToE": "embedded_files",
    "/GoToR": "external_file_links",
    "/Rendition": "media",
    "/RichMediaExecute": "media",
    "/Sound": "media",
    "/Movie": "media",
}
DANGEROUS_ANNOTATIONS = {
    "/FileAttachment": "embedded_files",
    "/Screen": "media",
    "/Movie": "media",
    "/Sound": "media",
    "/RichMedia": "media",
    "/3D": "media",
}
ACTION_KEYS = ("/A", "/Next", "/PA")
MAX_WALK = 5_000_000


def build_working_copy(
    reader: PdfReader,
) -> tuple[bytes, list[str], list[tuple[str, dict[str, int]]]]:
    """Return (pdf bytes, sorted labels of removed content, warnings)."""
    warnings: list[tuple[str, dict[str, int]]] = []
    _repair_trailer_size(reader)
    try:
        return _rewrite(PdfWriter(clone_from=reader), reader) + (warnings,)
    except (MemoryError, Refusal):
        raise
    except Exception as exc:  # fall back to copying the pages alone
        if is_size_limit(exc):
            raise Refusal(FileTooLarge.key) from exc
    warnings.append(("structure_rebuilt", {}))
    try:
        writer = PdfWriter()
        for page in reader.pages:
            writer.add_page(page)
        pdf, removed = _rewrite(writer, reader)
        # The document-level parts were not copied; report what the original had there.
        dropped = catalog_active_content(resolve(reader.trailer.get("/Root")))
        return pdf, sorted(set(removed) | dropped), warnings
    except (MemoryError, Refusal):
        raise
    except Exception as exc:  # the pages themselves cannot be copied
        if is_size_limit(exc):
            raise Refusal(FileTooLarge.key) from exc
        raise Refusal(DamagedFile.key) from exc


def _repair_trailer_size(reader: PdfReader) -> None:
    """pypdf's clone needs the trailer's /Size, which damaged files often lack."""
    if "/Size" in reader.trailer:
        return
    numbers = [n for table in reader.xref.values() for n in table] + list(reader.xref_objStm)
    reader.trailer[NameObject("/Size")] = NumberObject(max(numbers, default=0) + 1)


def catalog_active_content(root: object) -> set[str]:
    """Labels of the document-level active content a catalog dictionary carries."""
    found: set[str] = set()
    if not isinstance(root, DictionaryObject):
        return found
    label = _open_action_label(root.get("/OpenAction"))
    if label:
        found.add(label)
    if "/AA" in root:
        found.add("additional_actions")
    names = resolve(root.get("/Names"))
    if isinstance(names, DictionaryObject):
        if "/JavaScript" in names:
            found.add("javascript")
        if "/EmbeddedFiles" in names:
            found.add("embedded_files")
    form = resolve(root.get("/AcroForm"))
    if isinstance(form, DictionaryObject) and "/XFA" in form:
        found.add("xfa")
    return found


def _open_action_label(value: object) -> str | None:
    """What an /OpenAction did, worth reporting; None for "open at this page" or nothing."""
    action = resolve(value)
    if not isinstance(action, DictionaryObject) or action.get("/S") == "/GoTo":
        return None
    return DANGEROUS_ACTIONS.get(str(action.get("/S", "")), "open_action")


def _rewrite(writer: PdfWriter, reader: PdfReader) -> tuple[bytes, list[str]]:
    removed = strip_active_content(writer)
    normalise_pages(writer, reader)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), sorted(removed)


def strip_active_content(writer: PdfWriter) -> set[str]:
    """Remove everything that can execute, launch, submit or carry hidden files."""
    removed: set[str] = set()
    root = writer.root_object
    if "/OpenAction" in root:
        label = _open_action_label(root["/OpenAction"])
        del root["/OpenAction"]  # even a harmless "open at page 1": bundles set their own view
        if label:
            removed.add(label)
    if "/AA" in root:
        del root["/AA"]
        removed.add("additional_actions")
    names = resolve(root.get("/Names"))
    if isinstance(names, DictionaryObject):
        for key, label in (("/JavaScript", "javascript"), ("/EmbeddedFiles", "embedded_files")):
            if key in names:
                del names[key]
                removed.add(label)
    form = resolve(root.get("/AcroForm"))
    if isinstance(form, DictionaryObject) and "/XFA" in form:
        del form["/XFA"]  # XFA packets can hold scripts; the AcroForm fields stay
        removed.add("xfa")
    _walk(writer, removed)
    return removed


def _walk(writer: PdfWriter, removed: set[str]) -> None:
    """Clean every object reachable from the catalog and /Info, then drop all others.

    Cloning copied objects that the removals above made unreachable (the script of a
    deleted action, say); a reader never sees them, but they would still sit in the
    file's bytes, so they are freed before writing.
    """
    starts: list[object] = [writer.root_object.indirect_reference]
    info = writer._info
    if info is not None and info.indirect_reference is not None:
        starts.append(info.indirect_reference)
    stack = starts
    seen: set[int] = set()
    reachable: set[int] = set()
    steps = 0
    while stack:
        steps += 1
        if steps > MAX_WALK:
            raise Refusal(DamagedFile.key)
        item = stack.pop()
        if isinstance(item, IndirectObject) and item.pdf is writer:
            reachable.add(item.idnum)
        node = resolve(item)
        if id(node) in seen:
            continue
        if isinstance(node, DictionaryObject):
            seen.add(id(node))
            _clean_dictionary(node, removed)
            stack.extend(node.values())
        elif isinstance(node, ArrayObject):
            seen.add(id(node))
            stack.extend(node)
    objects = writer._objects  # pypdf writes None entries as free xref slots
    for index in range(len(objects)):
        if index + 1 not in reachable:
            objects[index] = None


def _clean_dictionary(node: DictionaryObject, removed: set[str]) -> None:
    for key, label in (
        ("/AA", "additional_actions"),
        ("/JS", "javascript"),
        ("/EF", "embedded_files"),
    ):
        if key in node:
            del node[key]
            removed.add(label)
    for key in ACTION_KEYS:
        if key not in node:
            continue
        value = resolve(node[key])
        if isinstance(value, ArrayObject):
            kept = [item for item in value if not _dangerous_action(item, removed)]
            if len(kept) != len(value):
                node[NameObject(key)] = ArrayObject(kept)
        elif _dangerous_action(value, removed):
            del node[key]
    annots = resolve(node.get("/Annots"))
    if isinstance(annots, ArrayObject):
        kept = [a for a in annots if not _dangerous_annotation(a, removed)]
        if len(kept) != len(annots):
            node[NameObject("/Annots")] = ArrayObject(kept)


def _dangerous_action(value: object, removed: set[str]) -> bool:
    action = resolve(value)
    if not isinstance(action, DictionaryObject):
        return False
    label = DANGEROUS_ACTIONS.get(str(action.get("/S", "")))
    if label:
        removed.add(label)
    return label is not None


def _dangerous_annotation(value: object, removed: set[str]) -> bool:
    annotation = resolve(value)
    if not isinstance(annotation, DictionaryObject):
        return False
    label = DANGEROUS_ANNOTATIONS.get(str(annotation.get("/Subtype", "")))
    if label:
        removed.add(label)
    return label is not None


def normalise_pages(writer: PdfWriter, reader: PdfReader) -> None:
    """Give every page its own rotation, boxes and resources, as the reader saw them."""
    for page, source in zip(writer.pages, reader.pages, strict=False):
        page[NameObject("/Rotate")] = NumberObject(normalised_rotation(source))
        media = page_box(source, "/MediaBox") or LETTER_BOX
        page[NameObject("/MediaBox")] = RectangleObject(media)
        crop = page_box(source, "/CropBox")
        if crop is not None:
            page[NameObject("/CropBox")] = RectangleObject(crop)
        if "/Resources" not in page:
            resources = inherited(page, "/Resources")
            page[NameObject("/Resources")] = (
                resources if isinstance(resources, DictionaryObject) else DictionaryObject()
            )
