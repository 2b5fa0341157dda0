"""Typed readers for one manifest item: every problem names the item and the field.

A manifest is typed by hand or exported from a spreadsheet, so the reader is
strict where a mistake would be silent (unknown keys, a number where text was
meant, a YAML `no` read as false) and explains each error in the user's words.
The allowed keys of each kind are listed here, and mirrored in
`docs/manifest.schema.json` (a test keeps the two in step).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from clinic_app.domain.common import MAX_LINE, rewrap, shown, validate_ref
from clinic_app.errors import ValidationError
from clinic_app.domain.matter import KeyDate
from clinic_app.i18n import _

MAX_MANIFEST_BYTES = 20 * 1024 * 1024
MAX_ERRORS = 100
LIST_LIMITS = {"clients": 10_000, "matters": 20_000, "documents": 50_000, "letters": 20_000, "bundles": 2_000}
MAX_TABS = 5_000
MAX_CORRESPONDENCE = 2_000

TOP_LEVEL_KEYS = frozenset({"version", "$schema", *LIST_LIMITS})
SUPPORTED_VERSIONS = (1,)
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")

KEYS: dict[str, frozenset[str]] = {
    "clients": frozenset(
        "ref name aliases public_initials birth_date country languages uci contacts relatives narrative notes".split()
    ),
    "contact": frozenset("kind value safe_to_contact do_not_contact note".split()),
    "relative": frozenset(
        "name relationship location country in_country_of_origin include_in_outputs status_in_canada notes".split()
    ),
    "matters": frozenset(
        "ref client type title file_numbers language dates status counsel adverse_parties decision_maker "
        "deadline_options correspondence".split()
    ),
    "correspondence": frozenset("date direction party subject document note".split()),
    "file_numbers": frozenset("uci irb fc ircc".split()),
    "dates": frozenset(k.value for k in KeyDate),
    "adverse_party": frozenset("name description".split()),
    "documents": frozenset(
        "ref matter matters file title source date language category tags "
        "translation_of declaration_for exhibit_of password".split()
    ),
    "letters": frozenset(
        "ref matter writer relationship organisation writer_status contact date language signed id_copy "
        "translation_status themes key_quote status file document".split()
    ),
    "bundles": frozenset("ref matter title supplement_to settings tabs sections".split()),
    "section": frozenset("title tabs".split()),
    "tab_doc": frozenset("doc pages title deponent sworn".split()),
    "tab_section": frozenset({"section"}),
    "tab_reference": frozenset("reference title date".split()),
}

# Bundle settings: name -> (type, allowed values or None). Kept as plain data for
# the bundle builder (`domain/bundle.py`, another module) to map onto its spec.
BUNDLE_SETTINGS: dict[str, tuple[type, tuple[str, ...] | None]] = {
    "paper": (str, ("letter", "a4", "legal")),
    "language": (str, ("en", "fr")),
    "date": (date, None),
    "section_prefixes": (bool, None),
    "tab_sheets": (bool, None),
    "number_tab_sheets": (bool, None),
    "header": (bool, None),
    "front_matter_numbering": (str, ("none", "roman", "arabic")),
    "first_page": (int, None),
    "split_max_mb": (float, None),
    "split_max_pages": (int, None),
    "margin_mm": (float, None),
    "exhibit_marks": (str, ("letters", "numbers")),
    "index_heading": (str, ("index", "contents")),
}


def kind_of(value: object) -> str:
    """A user's word for a YAML/JSON value type, for "expected text, got a number"."""
    if isinstance(value, bool):
        return _("true/false")
    if isinstance(value, int | float):
        return _("a number")
    if isinstance(value, datetime):
        return _("a date and time")
    if isinstance(value, date):
        return _("a date")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a map of keys")
    if value is None:
        return _("nothing")
    return _("text")


class ItemReader:
    """Reads the fields of one item (a map), checking keys and types."""

    def __init__(self, data: object, item: str, keys: frozenset[str], *, field: str = "") -> None:
        self.item = item
        self.prefix = field
        if not isinstance(data, dict):
            raise ValidationError(
                _("expected a map of keys, got {kind}").format(kind=kind_of(data)), item=item, field=field
            )
        self.data: Mapping[str, Any] = data
        for key in data:
            if not isinstance(key, str) or key not in keys:
                close = difflib.get_close_matches(str(key), sorted(keys), n=1)
                hint = _(" (did you mean {key}?)").format(key=close[0]) if close else ""
                raise ValidationError(
                    _("unknown key {key}{hint}").format(key=shown(key), hint=hint),
                    item=item,
                    field=self.path(str(key)),
                )

    def path(self, key: str) -> str:
        return f"{self.prefix}.{key}" if self.prefix else key

    def error(self, key: str, message: str) -> ValidationError:
        return ValidationError(message, item=self.item, field=self.path(key))

    def wrap(self, err: ValidationError, key: str = "") -> ValidationError:
        """A domain error re-attached to this item (the domain names the field)."""
        return rewrap(err, item=self.item, prefix=self.path(key) if key else self.prefix)

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def raw(self, key: str) -> Any:
        return self.data.get(key)

    def text(self, key: str, *, required: bool = False, max_len: int = MAX_LINE) -> str:
        value = self.data.get(key)
        if value is None:
            if required:
                raise self.error(key, _("is required"))
            return ""
        if not isinstance(value, str):
            raise self.error(key, _("expected text, got {kind} (put the value in quotes)").format(kind=kind_of(value)))
        if len(value) > max_len:
            raise self.error(
                key, _("is too long ({length} characters; at most {limit})").format(length=len(value), limit=max_len)
            )
        if required and not value.strip():
            raise self.error(key, _("is required"))
        return value

    def ref(self, key: str, *, required: bool = False) -> str | None:
        value = self.text(key, required=required, max_len=200)
        if not value:
            return None
        try:
            return validate_ref(value, key)
        except ValidationError as err:
            raise self.wrap(err) from None

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.data.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.error(key, _("expected true or false, got {value}").format(value=shown(value)))
        return value

    def date(self, key: str) -> date | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, datetime):
            raise self.error(key, _("give the date only, without a time: {value}").format(value=shown(str(value))))
        if isinstance(value, date):
            return value
        if isinstance(value, str) and _ISO_DATE.match(value.strip()):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise self.error(key, _("not a date: {value} (use YYYY-MM-DD)").format(value=shown(value)))

    def items(self, key: str, limit: int) -> list[Any]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(key, _("expected a list, got {kind}").format(kind=kind_of(value)))
        if len(value) > limit:
            raise self.error(
                key, _("has too many entries ({count}; at most {limit})").format(count=len(value), limit=limit)
            )
        return value

    def texts(self, key: str, limit: int = 50) -> tuple[str, ...]:
        """A list of texts; a single text is accepted as a list of one."""
        value = self.data.get(key)
        values = [value] if isinstance(value, str) else self.items(key, limit)
        for i, entry in enumerate(values):
            if not isinstance(entry, str):
                raise self.error(
                    f"{key}[{i}]", _("expected text, got {kind} (put the value in quotes)").format(kind=kind_of(entry))
                )
        return tuple(values)

    def sub(self, key: str, keys: frozenset[str]) -> ItemReader | None:
        """A reader for a nested map (e.g. `file_numbers`), or None when absent."""
        if self.data.get(key) is None:
            return None
        return ItemReader(self.data[key], self.item, keys, field=self.path(key))


def item_label(kind: str, index: int, data: object) -> str:
    """How errors name an item: `letters[2] (ref l-7)`, or `letters[2]` without a usable ref."""
    ref = data.get("ref") if isinstance(data, dict) else None
    if isinstance(ref, str) and ref.strip() and len(ref) <= 64:
        return f"{kind}[{index}] (ref {ref.strip()})"
    return f"{kind}[{index}]"
