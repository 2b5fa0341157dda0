"""Text, reference and language-code rules shared by every domain record.

One place decides what a "clean" name or title is (NFC, trimmed, no control
characters), so the GUI, the vault and the manifest agree, and a name typed on a
Mac (decomposed accents) equals the same name typed on Windows.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from enum import StrEnum
from typing import ClassVar, TypeVar

from clinic_app.errors import ValidationError
from clinic_app.i18n import _

# A ref is a short, stable, human-readable key ("c-garcia", "m-2024-017"): the
# manifest's cross-reference and re-import key. The vault generates one for records
# created in the GUI.
REF_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
LANGUAGE_CODE_RE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$")
OFFICIAL_LANGUAGES = frozenset({"en", "fr"})

E = TypeVar("E", bound=StrEnum)

MAX_NAME = 300
MAX_LINE = 1000
MAX_SHORT_LIST = 50
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_LINE_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def shown(value: object, limit: int = 40) -> str:
    """Quote a rejected value for an error message, cut short so that a pasted
    narrative never ends up whole in a message or a log."""
    text = value if isinstance(value, str) else repr(value)
    text = _LINE_CONTROL.sub(" ", text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f'"{text}"'


def message_of(err: ValidationError) -> str:
    """The bare message of `err`, without the "item field: " prefix it was given."""
    where = " ".join(p for p in (err.item, err.field) if p)
    text = str(err)
    return text[len(where) + 2 :] if where and text.startswith(where + ": ") else text


def rewrap(err: ValidationError, *, item: str = "", prefix: str = "") -> ValidationError:
    """The same error placed inside an item and under a field prefix
    (e.g. field "irb" under prefix "file_numbers" becomes "file_numbers.irb")."""
    field = err.field
    if prefix:
        field = f"{prefix}.{field}" if field and not field.startswith("[") else f"{prefix}{field}"
    return ValidationError(message_of(err), item=item or err.item, field=field)


def next_ref(prefix: str, taken: Iterable[str]) -> str:
    """The next free "<prefix>-NNN" ref: readable, and never derived from a name."""
    pattern = re.compile(rf"^{re.escape(prefix)}-(\d+)$")
    used = set(taken)
    numbers = [int(m.group(1)) for ref in used if (m := pattern.match(ref))]
    n = max(numbers, default=0) + 1
    while f"{prefix}-{n:03d}" in used:
        n += 1
    return f"{prefix}-{n:03d}"


def validate_ref(value: str, field: str = "ref") -> str:
    """Check a ref: letters, digits, '.', '_' and '-', 1-64 characters."""
    ref = value.strip() if isinstance(value, str) else value
    if not isinstance(ref, str) or not REF_RE.match(ref):
        raise ValidationError(
            _(
                "not a valid ref: {value} (use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit)"
            ).format(value=shown(value)),
            field=field,
        )
    return ref


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _whole_unicode(value: str, field: str) -> str:
    """`value` with UTF-16 surrogate halves joined into the characters they encode.

    JSON writes an emoji as two escaped halves (`"\\ud83d\\udcf7"`), which YAML and
    `json.loads` read as two lone surrogates; they cannot be stored as UTF-8, and used to
    stop an import with "Internal error". A pair is joined; a lone half is refused."""
    if not _SURROGATE.search(value):
        return value
    joined = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    if joined.count("\ufffd") > value.count("\ufffd"):
        raise ValidationError(_("contains half of a character (a lone UTF-16 surrogate), so the text was "
                                "damaged where it was written"), field=field)
    return joined


def clean_line(value: str, field: str, *, required: bool = False, max_len: int = MAX_LINE) -> str:
    """A one-line text: NFC, trimmed, inner runs of spaces collapsed, no line breaks."""
    text = unicodedata.normalize("NFC", _whole_unicode(value, field)).strip()
    if _LINE_CONTROL.search(text):
        raise ValidationError(_("must be a single line of text without control characters"), field=field)
    text = re.sub(r"\s{2,}", " ", text)
    if required and not text:
        raise ValidationError(_("is required"), field=field)
    if len(text) > max_len:
        raise ValidationError(
            _("is too long ({length} characters; at most {limit})").format(length=len(text), limit=max_len),
            field=field,
        )
    return text


def clean_text(value: str, field: str, *, max_len: int) -> str:
    """A multi-line text (narrative, notes): NFC, line breaks kept, trimmed."""
    text = unicodedata.normalize("NFC", _whole_unicode(value, field)).replace("\r\n", "\n").replace("\r", "\n").strip()
    if _CONTROL.search(text):
        raise ValidationError(_("contains control characters"), field=field)
    if len(text) > max_len:
        raise ValidationError(
            _("is too long ({length} characters; at most {limit})").format(length=len(text), limit=max_len),
            field=field,
        )
    return text


def clean_names(values: tuple[str, ...], field: str, *, max_items: int = MAX_SHORT_LIST) -> tuple[str, ...]:
    """A list of one-line texts: cleaned, empties dropped, duplicates (ignoring case) dropped."""
    if len(values) > max_items:
        raise ValidationError(
            _("has too many entries ({count}; at most {limit})").format(count=len(values), limit=max_items),
            field=field,
        )
    out: list[str] = []
    seen: set[str] = set()
    for i, value in enumerate(values):
        text = clean_line(value, f"{field}[{i}]", max_len=MAX_NAME)
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            out.append(text)
    return tuple(out)


def language_code(value: str, field: str = "language") -> str:
    """A language code such as "en", "fr", "es", "ru", "zh" or "zh-hant" ("" = unknown)."""
    code = value.strip().lower().replace("_", "-")
    if code and not LANGUAGE_CODE_RE.match(code):
        raise ValidationError(
            _("not a language code: {value} (use a two- or three-letter code such as en, fr, es, ru or zh)").format(
                value=shown(value)
            ),
            field=field,
        )
    return code


def is_official(code: str) -> bool:
    """True for English or French (any regional variant): no translation needed to file."""
    return code.split("-")[0] in OFFICIAL_LANGUAGES


def set_attr(obj: object, name: str, value: object) -> None:
    """Store a normalised value on a frozen dataclass during `__post_init__`."""
    object.__setattr__(obj, name, value)


def parse_enum(kind: type[E], value: object, field: str) -> E:
    """`value` as a member of `kind`, or an error listing the accepted values."""
    if isinstance(value, kind):
        return value
    if isinstance(value, str) and value in kind._value2member_map_:
        return kind(value)
    choices = ", ".join(m.value for m in kind)
    raise ValidationError(
        _("unknown value {value} (use one of: {choices})").format(value=shown(value), choices=choices),
        field=field,
    )


class SafeRepr:
    """A repr that shows only non-identifying fields (ref, id, kind), so a record
    that lands in a log line or a traceback does not carry a name or a story.
    Use with `@dataclass(repr=False)`."""

    _repr_fields: ClassVar[tuple[str, ...]] = ("ref", "id")

    def __repr__(self) -> str:
        parts = [f"{name}={getattr(self, name)!r}" for name in self._repr_fields]
        return f"{type(self).__name__}({', '.join([*parts, '…'])})"
