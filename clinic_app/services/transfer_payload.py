"""The shape of a case file's records, checked whole before anything is imported.

A case file is sealed by a passphrase, not by Haven: whoever knows the passphrase
(a hostile sender, or another program's bug) can seal any JSON. So every part is
checked against the dataclasses below and the domain's own records (their types,
then their validation), and refs must be unique within the file (a second document
under one ref was counted as imported and never stored). Any failure is
TransferInvalid naming the part ("letter 3: ..."), and nothing is written; the
importer then reads each part in its validated form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from clinic_app.domain.bundle import BundleSpec
from clinic_app.domain.client import Client
from clinic_app.domain.common import validate_ref
from clinic_app.domain.document import DocumentMeta
from clinic_app.domain.letter import SupportLetter
from clinic_app.domain.matter import Matter
from clinic_app.domain.translation import TranslationLink
from clinic_app.errors import ValidationError
from clinic_app.i18n import N_, _
from clinic_app.vault import codec
from clinic_app.vault.errors import TransferInvalid, TransferTooNew

_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Stream:
    """Bytes that follow the records: a document's original or working copy, or served content."""

    sha256: str
    size: int

    def __post_init__(self) -> None:
        if not _SHA256.fullmatch(self.sha256):
            raise ValidationError(_("not a SHA-256"), field="sha256")
        if self.size < 0:
            raise ValidationError(_("a size cannot be negative"), field="size")


@dataclass(frozen=True)
class DocumentEntry:
    meta: DocumentMeta
    original: Stream
    working: Stream | None = None
    linked: bool = False
    text: str = ""


@dataclass(frozen=True)
class ServedEntry:
    """One line of a bundle's service log (the fields bundle_service.record takes)."""

    served_on: str
    served_to: str
    method: str
    first_page: int
    last_page: int
    output_sha256: str
    snapshot: dict[str, Any]
    recorded_by: str


@dataclass(frozen=True)
class BundleEntry:
    ref: str
    spec: dict[str, Any]
    served: tuple[ServedEntry, ...] = ()

    def __post_init__(self) -> None:
        validate_ref(self.ref)
        BundleSpec.from_dict(self.spec)


# payload key -> (record type, how a person is told which one: "letter 3")
_SINGLE = {"client": (Client, N_("client")), "matter": (Matter, N_("matter"))}
_LISTS = {
    "documents": (DocumentEntry, N_("document {n}")),
    "letters": (SupportLetter, N_("letter {n}")),
    "translations": (TranslationLink, N_("translation {n}")),
    "bundles": (BundleEntry, N_("bundle {n}")),
    "served_content": (Stream, N_("served content {n}")),
}
# list -> the ref that must be unique in it, and the record's name for the message
_UNIQUE = {"documents": (lambda d: d.meta.ref, N_("document {ref}")),
           "letters": (lambda x: x.ref, N_("letter {ref}")),
           "translations": (lambda t: t.translation_ref, N_("translation {ref}")),
           "bundles": (lambda b: b.ref, N_("bundle {ref}"))}


def _record(cls: type, raw: Any, name: str, part: str) -> Any:
    """One record, or TransferInvalid naming the part and what is wrong with it."""
    try:
        return codec.from_outside(cls, raw)
    except codec.ShapeError as exc:
        if not exc.where:
            problem = _("not a record")
        elif exc.problem == "missing":
            problem = _("{field} is missing").format(field=exc.where)
        elif exc.problem == "value":
            problem = _("{field} holds a value Haven does not recognise").format(field=exc.where)
        else:
            problem = _("{field} has the wrong type").format(field=exc.where)
    except ValidationError as exc:
        problem = str(exc)
    except (TypeError, ValueError, AttributeError, KeyError):  # a domain check meeting odd data
        problem = _("not a valid record")
    raise TransferInvalid(name, f"{part}: {problem}")


def _unique(key: str, parsed: list[Any], name: str) -> None:
    ref_of, label = _UNIQUE[key]
    seen: set[str] = set()
    for record in parsed:
        ref = ref_of(record)
        if ref in seen:
            raise TransferInvalid(name, _("{record} is in the file twice").format(record=_(label).format(ref=ref)))
        seen.add(ref)


def _moment(value: Any) -> str:
    """The export time as Haven writes it (ISO 8601), or "" for anything else: the preview
    shows it, and a sender's text there (a line break, "No conflict!") must not reach it."""
    if not isinstance(value, str) or len(value) > 40:
        return ""
    try:
        return datetime.fromisoformat(value).isoformat()
    except ValueError:
        return ""


def check(payload: Any, name: str, *, format_name: str, readable: tuple[int, ...]) -> dict[str, Any]:
    """The payload with every part in its validated plain form (see module doc); version 1
    files get the parts they lack."""
    version = payload.get("version") if isinstance(payload, dict) else None
    if (isinstance(payload, dict) and payload.get("format") == format_name and type(version) is int
            and version > max(readable)):
        raise TransferTooNew(name, version)
    if (not isinstance(payload, dict) or payload.get("format") != format_name or isinstance(version, bool)
            or version not in readable):
        raise TransferInvalid(name, "records")
    payload.setdefault("served_content", [])  # version 1 files carry none
    out = dict(payload)
    out["exported_at"] = _moment(payload.get("exported_at"))
    for key, (cls, label) in _SINGLE.items():
        out[key] = codec.to_plain(_record(cls, payload.get(key), name, _(label)))
    for key, (cls, label) in _LISTS.items():
        items = payload.get(key)
        if not isinstance(items, list):
            raise TransferInvalid(name, _("{part} is not a list").format(part=key))
        parsed = [_record(cls, raw, name, _(label).format(n=i + 1)) for i, raw in enumerate(items)]
        if key in _UNIQUE:
            _unique(key, parsed, name)
        out[key] = [codec.to_plain(record) for record in parsed]
    return out
