"""Forum file numbers: UCI, IRB file, Federal Court docket, IRCC application number.

Formats follow docs `domain-rules.md` section 4. A wrong number on a filing sends a
document to another person's file, so numbers are checked strictly, after a
forgiving normalisation (spaces, case, typographic dashes, missing dashes).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from clinic_app.domain.common import set_attr, shown
from clinic_app.errors import ValidationError
from clinic_app.i18n import _

UCI_NONE = "N/A"  # "no UCI yet" is a real answer on IRCC forms, distinct from "not recorded"

UCI_RE = re.compile(r"^(?:\d{4}-\d{4}|\d{2}-\d{4}-\d{4})$")
# RPD/RAD file: two letters, a digit, a dash, five digits ("TB1-12345"). Only TB and
# MB prefixes are confirmed; any two letters are accepted without a warning.
IRB_RE = re.compile(r"^[A-Z]{2}\d-\d{5}$")
# Federal Court docket "IMM-<n>-<yy>", n is 1-5 digits and never zero-padded.
FC_RE = re.compile(r"^IMM-[1-9]\d{0,4}-\d{2}$")
FC_PADDED_RE = re.compile(r"^IMM-0\d*-\d{2}$")
IRCC_RE = re.compile(r"^[A-Z]\d{9}$")

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"), "-")


def _prepare(value: str) -> str:
    """NFKC (full-width digits become ASCII), typographic dashes to '-', trimmed, upper-case."""
    return unicodedata.normalize("NFKC", value).translate(_DASHES).strip().upper()


def normalise_uci(value: str, field: str = "uci") -> str:
    """A UCI as `0000-0000` or `00-0000-0000`, or "N/A"; digits without dashes are accepted."""
    text = _prepare(value)
    if text.replace(" ", "") in {"N/A", "NA", "N.A."}:
        return UCI_NONE
    digits = re.sub(r"[\s-]", "", text)
    if digits.isascii() and digits.isdigit():
        if len(digits) == 8:
            text = f"{digits[:4]}-{digits[4:]}"
        elif len(digits) == 10:
            text = f"{digits[:2]}-{digits[2:6]}-{digits[6:]}"
    if not UCI_RE.match(text):
        raise ValidationError(
            _("not a valid UCI: {value} (expected 0000-0000, 00-0000-0000 or N/A)").format(value=shown(value)),
            field=field,
        )
    return text


def normalise_irb_file(value: str, field: str = "irb") -> str:
    """An IRB RPD/RAD file number such as `TB1-12345` (the dash may be omitted)."""
    text = re.sub(r"\s*-\s*", "-", _prepare(value))
    if re.match(r"^[A-Z]{2}\d\d{5}$", text):
        text = f"{text[:3]}-{text[3:]}"
    if not IRB_RE.match(text):
        raise ValidationError(
            _(
                "not a valid IRB file number: {value} "
                "(expected two letters, a digit, a dash and five digits, like TB1-12345)"
            ).format(value=shown(value)),
            field=field,
        )
    return text


def normalise_fc_docket(value: str, field: str = "fc") -> str:
    """A Federal Court immigration docket such as `IMM-5360-23`."""
    text = re.sub(r"\s*-\s*|\s+", "-", _prepare(value))
    if FC_PADDED_RE.match(text):
        raise ValidationError(
            _(
                "not a valid Federal Court file number: {value} "
                "(the court does not pad the number with zeros: IMM-5360-23, not IMM-05360-23)"
            ).format(value=shown(value)),
            field=field,
        )
    if not FC_RE.match(text):
        raise ValidationError(
            _(
                "not a valid Federal Court file number: {value} "
                "(expected IMM-, 1 to 5 digits, a dash and a two-digit year, like IMM-5360-23)"
            ).format(value=shown(value)),
            field=field,
        )
    return text


def normalise_ircc_application(value: str, field: str = "ircc") -> str:
    """An IRCC application number: one letter and nine digits, like `W993830598`."""
    text = re.sub(r"[\s-]", "", _prepare(value))
    if not IRCC_RE.match(text):
        raise ValidationError(
            _(
                "not a valid IRCC application number: {value} (expected a letter and nine digits, like W993830598)"
            ).format(value=shown(value)),
            field=field,
        )
    return text


def _optional(value: str | None, check: Callable[[str, str], str], field: str) -> str | None:
    if value is None or not value.strip():
        return None
    return check(value, field)


@dataclass(frozen=True)
class FileNumbers:
    """The numbers a matter is known by at each forum; None = not recorded.

    Values are normalised on construction, so two spellings of the same number
    compare equal and what is printed on a filing is always the canonical form.
    """

    uci: str | None = None
    irb: str | None = None
    fc: str | None = None
    ircc: str | None = None

    def __post_init__(self) -> None:
        set_attr(self, "uci", _optional(self.uci, normalise_uci, "uci"))
        set_attr(self, "irb", _optional(self.irb, normalise_irb_file, "irb"))
        set_attr(self, "fc", _optional(self.fc, normalise_fc_docket, "fc"))
        set_attr(self, "ircc", _optional(self.ircc, normalise_ircc_application, "ircc"))

    @property
    def is_empty(self) -> bool:
        return not (self.uci or self.irb or self.fc or self.ircc)
