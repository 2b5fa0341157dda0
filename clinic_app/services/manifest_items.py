"""One parser per manifest item kind: raw YAML/JSON map in, domain record out.

Each parser checks one item in isolation (keys, types, domain rules, that its file
exists inside the manifest folder); references between items are checked later,
in `manifest.py`, once every ref is known.
"""

from __future__ import annotations

import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from clinic_app.domain.client import (
    MAX_CONTACTS,
    MAX_NARRATIVE,
    MAX_NOTES,
    MAX_RELATIVES,
    Client,
    ContactPoint,
    Relative,
)
from clinic_app.domain.common import MAX_NAME, is_official, language_code, shown, validate_ref
from clinic_app.domain.correspondence import CorrespondenceEntry
from clinic_app.domain.document import DocumentCategory, DocumentMeta
from clinic_app.domain.identifiers import FileNumbers
from clinic_app.domain.letter import SupportLetter, TranslationStatus
from clinic_app.domain.matter import MAX_ADVERSE_PARTIES, AdverseParty, KeyDates, Matter
from clinic_app.errors import ValidationError
from clinic_app.i18n import _
from clinic_app.services.deadline_options import check_options
from clinic_app.services.deadline_rules import load_rules_cached
from clinic_app.services.deadline_settings import rules_folder
from clinic_app.services.manifest_schema import KEYS, MAX_CORRESPONDENCE, ItemReader

MAX_PATH = 4096
MAX_MATTERS_PER_DOCUMENT = 1000


@dataclass(frozen=True)
class DocumentEntry:
    """A document to import: its metadata, where its bytes are, what it links to."""

    meta: DocumentMeta
    file: Path  # resolved, inside the manifest folder, a regular file when parsed
    matter_refs: tuple[str, ...]
    translation_of: str | None = None
    declaration_for: str | None = None
    password: str | None = field(default=None, repr=False)  # for a protected PDF; never logged
    exhibit_of: str | None = None  # an affidavit: this document is its next exhibit

    @property
    def ref(self) -> str:
        return self.meta.ref


@dataclass(frozen=True)
class LetterEntry:
    """A support letter, and the scan of it to import (if any)."""

    letter: SupportLetter
    file: Path | None = None

    @property
    def ref(self) -> str:
        return self.letter.ref


T = TypeVar("T")


def _build(reader: ItemReader, factory: Callable[..., T], key: str = "", /, **values: Any) -> T:
    """Construct a domain record, re-attaching its errors to this item and field."""
    try:
        return factory(**values)
    except ValidationError as err:
        raise reader.wrap(err, key) from None


def parse_client(data: object, label: str) -> Client:
    r = ItemReader(data, label, KEYS["clients"])
    contacts = [_contact(r, i, c) for i, c in enumerate(r.items("contacts", MAX_CONTACTS))]
    relatives = [_relative(r, i, c) for i, c in enumerate(r.items("relatives", MAX_RELATIVES))]
    return _build(
        r,
        Client,
        ref=r.ref("ref", required=True),
        legal_name=r.text("name", required=True, max_len=MAX_NAME),
        aliases=r.texts("aliases"),
        public_initials=r.text("public_initials"),
        birth_date=r.date("birth_date"),
        country=r.text("country"),
        languages=r.texts("languages"),
        uci=r.text("uci") or None,
        contacts=tuple(contacts),
        relatives=tuple(relatives),
        narrative=r.text("narrative", max_len=MAX_NARRATIVE),
        notes=r.text("notes", max_len=MAX_NOTES),
    )


def _contact(parent: ItemReader, index: int, data: object) -> ContactPoint:
    key = f"contacts[{index}]"
    r = ItemReader(data, parent.item, KEYS["contact"], field=key)
    return _build(
        parent,
        ContactPoint,
        key,
        kind=r.text("kind", required=True),
        value=r.text("value", required=True),
        safe_to_contact=r.flag("safe_to_contact"),
        do_not_contact=r.flag("do_not_contact"),
        note=r.text("note"),
    )


def _relative(parent: ItemReader, index: int, data: object) -> Relative:
    key = f"relatives[{index}]"
    r = ItemReader(data, parent.item, KEYS["relative"], field=key)
    text_fields = ("relationship", "location", "country", "status_in_canada")
    return _build(
        parent,
        Relative,
        key,
        name=r.text("name", required=True),
        **{name: r.text(name) for name in text_fields},
        in_country_of_origin=r.flag("in_country_of_origin"),
        include_in_outputs=r.flag("include_in_outputs"),
        notes=r.text("notes", max_len=MAX_NOTES),
    )


@dataclass(frozen=True)
class MatterEntry:
    """A matter and its correspondence log."""

    matter: Matter
    correspondence: tuple[CorrespondenceEntry, ...] = ()

    @property
    def ref(self) -> str:
        return self.matter.ref


def parse_matter_entry(data: object, label: str) -> MatterEntry:
    r = ItemReader(data, label, KEYS["matters"])
    items = [_correspondence(r, i, c) for i, c in enumerate(r.items("correspondence", MAX_CORRESPONDENCE))]
    return MatterEntry(parse_matter(data, label), tuple(items))


def _correspondence(parent: ItemReader, index: int, data: object) -> CorrespondenceEntry:
    key = f"correspondence[{index}]"
    r = ItemReader(data, parent.item, KEYS["correspondence"], field=key)
    day = r.date("date")
    if day is None:
        raise r.error("date", _("is required"))
    return _build(parent, CorrespondenceEntry, key, entry="manifest", day=day,
                  direction=r.text("direction", required=True), party=r.text("party", required=True),
                  subject=r.text("subject", required=True), document_ref=r.ref("document"),
                  note=r.text("note", max_len=2000))


def parse_matter(data: object, label: str) -> Matter:
    r = ItemReader(data, label, KEYS["matters"])
    numbers = r.sub("file_numbers", KEYS["file_numbers"])
    file_numbers = FileNumbers()
    if numbers:
        file_numbers = _build(
            r, FileNumbers, "file_numbers", **{k: numbers.text(k) or None for k in KEYS["file_numbers"]}
        )
    dates = r.sub("dates", KEYS["dates"])
    key_dates = KeyDates()
    if dates:
        key_dates = _build(r, KeyDates, "dates", **{k: dates.date(k) for k in KEYS["dates"]})
    parties = [_adverse(r, i, p) for i, p in enumerate(r.items("adverse_parties", MAX_ADVERSE_PARTIES))]
    matter = _build(
        r,
        Matter,
        ref=r.ref("ref", required=True),
        client_ref=r.ref("client", required=True),
        type=r.text("type", required=True),
        title=r.text("title", required=True),
        file_numbers=file_numbers,
        language=r.text("language") or "en",
        dates=key_dates,
        status=r.text("status") or "open",
        counsel=r.text("counsel"),
        adverse_parties=tuple(parties),
        decision_maker=r.text("decision_maker") or None,
        deadline_options=_options(r),
    )
    try:
        check_options(matter, load_rules_cached(rules_folder()))
    except ValidationError as err:
        raise r.wrap(err) from None
    return matter


def _options(r: ItemReader) -> dict[str, str]:
    """`deadline_options`: a map of rule ids to the option chosen (`rpd.boc: inland`)."""
    value = r.data.get("deadline_options")
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise r.error("deadline_options", _("must map rule ids to options, e.g. rpd.boc: inland"))
    return {k.strip(): v.strip() for k, v in value.items()}


def _adverse(parent: ItemReader, index: int, data: object) -> AdverseParty:
    key = f"adverse_parties[{index}]"
    if isinstance(data, str):
        return _build(parent, AdverseParty, key, name=data)
    r = ItemReader(data, parent.item, KEYS["adverse_party"], field=key)
    return _build(parent, AdverseParty, key, name=r.text("name", required=True), description=r.text("description"))


def resolve_file(reader: ItemReader, key: str, base_dir: Path) -> Path:
    """The file named by `key`, relative to the manifest folder.

    Refused: absolute paths, drive letters, and any path that resolves outside the
    folder (`../`, or a symbolic link pointing out), so a manifest received from
    elsewhere cannot pull in arbitrary files from the computer. Both / and \\ are
    separators, so one manifest works on Windows, macOS and Linux.
    """
    text = reader.text(key, required=True, max_len=MAX_PATH).strip().replace("\\", "/")
    if "\x00" in text or text.startswith("/") or re.match(r"^[A-Za-z]:", text):
        raise reader.error(
            key, _("must be a path relative to the manifest's folder: {value}").format(value=shown(text))
        )
    base = base_dir.resolve()
    try:
        target = (base / text).resolve()
    except (UnicodeError, ValueError):  # half a character (a lone surrogate) names no file on disk
        raise reader.error(key, _("is not a file name this computer can use: {value}").format(
            value=shown(text))) from None
    if not target.is_relative_to(base):
        raise reader.error(key, _("leads outside the manifest's folder: {value}").format(value=shown(text)))
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        raise reader.error(key, _("file not found: {value}").format(value=shown(text))) from None
    except OSError:
        raise reader.error(key, _("file cannot be read: {value}").format(value=shown(text))) from None
    if not stat.S_ISREG(mode):
        raise reader.error(key, _("is not a regular file: {value}").format(value=shown(text)))
    return target


def parse_document(data: object, label: str, base_dir: Path) -> DocumentEntry:
    r = ItemReader(data, label, KEYS["documents"])
    ref = r.ref("ref", required=True)
    if r.has("matter") and r.has("matters"):
        raise r.error("matters", _("give either matter or matters, not both"))
    if r.has("matter"):
        matter_refs: tuple[str, ...] = (r.ref("matter", required=True) or "",)
    else:
        matter_refs = tuple(_refs(r, "matters", MAX_MATTERS_PER_DOCUMENT))
    if not matter_refs:
        raise r.error("matter", _("is required: a document belongs to at least one matter"))
    translation_of, declaration_for = r.ref("translation_of"), r.ref("declaration_for")
    if translation_of and declaration_for:
        raise r.error(
            "declaration_for", _("a document is either a translation or a translator's declaration, not both")
        )
    default = (
        DocumentCategory.TRANSLATION
        if translation_of
        else DocumentCategory.DECLARATION
        if declaration_for
        else DocumentCategory.OTHER
    )
    path = resolve_file(r, "file", base_dir)
    meta = _build(
        r,
        DocumentMeta,
        ref=ref,
        title=r.text("title", required=True),
        source=r.text("source"),
        doc_date=r.date("date"),
        language=r.text("language"),
        category=r.text("category") or default,
        tags=r.texts("tags"),
        original_filename=path.name,
    )
    exhibit_of = r.ref("exhibit_of")
    if exhibit_of and (translation_of or declaration_for):
        raise r.error("exhibit_of", _("a translation or a declaration travels with its original; make the original "
                                      "the exhibit"))
    if exhibit_of == ref:
        raise r.error("exhibit_of", _("a document cannot be an exhibit to itself"))
    return DocumentEntry(meta, path, matter_refs, translation_of, declaration_for, r.text("password") or None,
                         exhibit_of)


def _refs(r: ItemReader, key: str, limit: int) -> list[str]:
    out: list[str] = []
    for i, value in enumerate(r.texts(key, limit)):
        try:
            ref = validate_ref(value, f"{key}[{i}]")
        except ValidationError as err:
            raise r.wrap(err) from None
        if ref not in out:
            out.append(ref)
    return out


def parse_letter(data: object, label: str, base_dir: Path) -> LetterEntry:
    r = ItemReader(data, label, KEYS["letters"])
    if r.has("file") and r.has("document"):
        raise r.error("document", _("give either file or document, not both"))
    language = r.text("language") or "en"
    translation = r.text("translation_status")
    if not translation:  # default: a letter outside English and French needs one
        try:
            needed = not is_official(language_code(language) or "en")
        except ValidationError as err:
            raise r.wrap(err) from None
        translation = TranslationStatus.NEEDED if needed else TranslationStatus.NOT_NEEDED
    letter = _build(
        r,
        SupportLetter,
        ref=r.ref("ref", required=True),
        matter_ref=r.ref("matter", required=True),
        writer=r.text("writer", required=True),
        relationship=r.text("relationship"),
        organisation=r.text("organisation"),
        writer_status=r.text("writer_status") or "unknown",
        contact=r.text("contact"),
        letter_date=r.date("date"),
        language=language,
        signed=r.flag("signed"),
        id_copy_attached=r.flag("id_copy"),
        translation_status=translation,
        themes=r.texts("themes"),
        key_quote=r.text("key_quote", max_len=2000),
        status=r.text("status") or "requested",
        document_ref=r.ref("document"),
    )
    return LetterEntry(letter, resolve_file(r, "file", base_dir) if r.has("file") else None)
