"""Why an evidence file was refused, as errors a user can read and code can branch on.

Every intake error is a `BadInput` with a machine-readable `reason` (the GUI picks
a prompt from it: "encrypted" asks for a password, "needs_tool" offers an install
link) and a translatable message that names the file by the name the user gave it,
never by its content. The sandboxed child never builds these objects: it sends a
plain `key` and `params`, and the parent rebuilds the error with `error_from_child`,
so nothing the child says is unpickled and every message is translated in the UI's
language.
"""

from __future__ import annotations

import inspect
from typing import Any

from clinic_app.errors import BadInput
from clinic_app.i18n import _

REASONS = (
    "encrypted",
    "wrong_password",
    "damaged",
    "unsupported",
    "too_large",
    "timeout",
    "memory",
    "needs_tool",
    "unreadable",
    "link",
    "special",
    "changed",
)


class IntakeError(BadInput):
    """Base of every refusal of an evidence file; `str(err)` is the user message."""

    key = "intake"
    reason = "damaged"

    def __init__(self, name: str, message: str) -> None:
        self.file_name = name
        super().__init__(message)


class PasswordRequired(IntakeError):
    key = "password_required"
    reason = "encrypted"

    def __init__(self, name: str) -> None:
        super().__init__(
            name,
            _("{name} is protected with a password. Enter the password to import it.").format(
                name=name
            ),
        )


class WrongPassword(IntakeError):
    key = "wrong_password"
    reason = "wrong_password"

    def __init__(self, name: str) -> None:
        super().__init__(
            name,
            _("The password for {name} is not correct. Check it and try again.").format(name=name),
        )


class DamagedFile(IntakeError):
    key = "damaged"
    reason = "damaged"

    def __init__(self, name: str) -> None:
        super().__init__(
            name,
            _(
                "{name} is damaged and cannot be read. Ask the sender for a new copy, "
                "or open it in another program and save it as PDF again."
            ).format(name=name),
        )


class ContentDoesNotMatchName(IntakeError):
    """A file named like a PDF or image whose bytes are something else (or nothing)."""

    key = "content_mismatch"
    reason = "damaged"

    def __init__(self, name: str) -> None:
        super().__init__(
            name,
            _(
                "{name} does not contain what its name says (for example a PDF or a photo). "
                "It may be damaged, or be another kind of file."
            ).format(name=name),
        )


class FileUnreadable(IntakeError):
    key = "unreadable"
    reason = "unreadable"

    def __init__(self, name: str) -> None:
        super().__init__(
            name,
            _(
                "{name} could not be opened. It may have been moved or deleted, or you may not "
                "have permission to read it."
            ).format(name=name),
        )


class LinkRefused(IntakeError):
    """A symbolic link (or Windows junction): intake never follows one, file or folder."""

    key = "link"
    reason = "link"

    def __init__(self, name: str) -> None:
        super().__init__(
            name,
            _(
                "{name} is a link to another place; Haven does not follow links, so nothing "
                "was read from it. Import the file or folder it points to directly if you need it."
            ).format(name=name),
        )


class SpecialFile(IntakeError):
    """A named pipe, socket or device: refused by its type, before it is ever opened."""

    key = "special"
    reason = "special"

    def __init__(self, name: str, kind: str = "") -> None:
        messages = {
            "fifo": _("{name} is a named pipe (FIFO), not a document; Haven imports ordinary files only."),
            "socket": _("{name} is a socket, not a document; Haven imports ordinary files only."),
            "device": _("{name} is a device, not a document; Haven imports ordinary files only."),
        }
        default = _("{name} is not an ordinary file; Haven imports ordinary files only.")
        super().__init__(name, messages.get(kind, default).format(name=name))


class ChangedWhileReading(IntakeError):
    """The file read was not the one found, or its bytes changed between two reads."""

    key = "changed"
    reason = "changed"

    def __init__(self, name: str) -> None:
        super().__init__(
            name,
            _(
                "{name} was replaced or changed while Haven was reading it; nothing was imported "
                "from it. Import it again once nothing else is writing to it."
            ).format(name=name),
        )


class EmptyFile(IntakeError):
    key = "empty"
    reason = "damaged"

    def __init__(self, name: str) -> None:
        super().__init__(
            name,
            _("{name} is empty (it holds no data). Ask the sender for a new copy.").format(
                name=name
            ),
        )


class ReaderCrashed(IntakeError):
    key = "crashed"
    reason = "damaged"

    def __init__(self, name: str) -> None:
        super().__init__(
            name,
            _(
                "Haven's file reader stopped unexpectedly while reading {name}. "
                "The file is probably damaged. Nothing was imported."
            ).format(name=name),
        )


class UnsupportedFile(IntakeError):
    key = "unsupported"
    reason = "unsupported"

    def __init__(self, name: str) -> None:
        super().__init__(
            name,
            _(
                "Haven cannot import {name}: this kind of file is not supported. "
                "Save it as PDF, JPEG, PNG, TIFF or plain text and import that instead."
            ).format(name=name),
        )


class HeicNotSupported(IntakeError):
    """HEIC stays out: the only ready-made decoder wheels bundle GPL code (x265)."""

    key = "heic"
    reason = "unsupported"

    def __init__(self, name: str) -> None:
        super().__init__(
            name,
            _(
                "{name} is a HEIC photo (the iPhone's default format), which Haven cannot read. "
                "Convert it to JPEG and import the JPEG: on the iPhone, share it by e-mail or "
                "set Settings > Camera > Formats > Most Compatible; on a computer, open it and "
                "export it as JPEG."
            ).format(name=name),
        )


class TooManyPages(IntakeError):
    key = "too_many_pages"
    reason = "too_large"

    def __init__(self, name: str, pages: int = 0, limit: int = 0) -> None:
        if pages > 0:
            message = _(
                "{name} has {pages} pages; Haven imports at most {limit} pages from one file. "
                "Split it into smaller files and import those."
            ).format(name=name, pages=pages, limit=limit)
        else:
            message = _(
                "{name} has more than {limit} pages, the most Haven imports from one file. "
                "Split it into smaller files and import those."
            ).format(name=name, limit=limit)
        super().__init__(name, message)


class ImageTooLarge(IntakeError):
    key = "image_too_large"
    reason = "too_large"

    def __init__(self, name: str, width: int = 0, height: int = 0, limit_mpx: int = 0) -> None:
        if width > 0 and height > 0:
            message = _(
                "{name} is an image of {width} x {height} pixels, more than the {limit_mpx} "
                "megapixels Haven accepts. Save a smaller copy of it and import that."
            ).format(name=name, width=width, height=height, limit_mpx=limit_mpx)
        else:
            message = _(
                "{name} is an image larger than the {limit_mpx} megapixels Haven accepts. "
                "Save a smaller copy of it and import that."
            ).format(name=name, limit_mpx=limit_mpx)
        super().__init__(name, message)


class FileTooLarge(IntakeError):
    key = "file_too_large"
    reason = "too_large"

    def __init__(self, name: str, limit_mb: int = 0) -> None:
        if limit_mb > 0:
            message = _(
                "{name} is too large to import safely (the limit is {limit_mb} MB, or it "
                "expands to more than that when read). Split it or save a smaller copy."
            ).format(name=name, limit_mb=limit_mb)
        else:
            message = _(
                "{name} is too large to import safely, or expands to too much data when read. "
                "Split it or save a smaller copy."
            ).format(name=name)
        super().__init__(name, message)


class ParseTimeout(IntakeError):
    key = "timeout"
    reason = "timeout"

    def __init__(self, name: str, seconds: int = 0) -> None:
        super().__init__(
            name,
            _(
                "Reading {name} took longer than {seconds} seconds and was stopped. The file "
                "may be damaged or built to slow readers down. Nothing was imported."
            ).format(name=name, seconds=seconds),
        )


class ParseOutOfMemory(IntakeError):
    key = "memory"
    reason = "memory"

    def __init__(self, name: str, limit_mb: int = 0) -> None:
        super().__init__(
            name,
            _(
                "Reading {name} needed more than the {limit_mb} MB of memory allowed and was "
                "stopped. Very large files can need more; otherwise the file may be damaged or "
                "built to exhaust memory. Nothing was imported."
            ).format(name=name, limit_mb=limit_mb),
        )


class OfficeToolMissing(IntakeError):
    key = "needs_soffice"
    reason = "needs_tool"

    def __init__(self, name: str) -> None:
        super().__init__(
            name,
            _(
                "{name} is a word-processing document. To import it, install LibreOffice "
                "(free, from libreoffice.org) and try again, or open it in your word processor "
                "and save it as PDF."
            ).format(name=name),
        )


class OfficeConversionFailed(IntakeError):
    key = "office_failed"
    reason = "damaged"

    def __init__(self, name: str) -> None:
        super().__init__(
            name,
            _(
                "LibreOffice could not convert {name} to PDF. Open it in your word processor, "
                "save it as PDF and import the PDF."
            ).format(name=name),
        )


_BY_KEY: dict[str, type[IntakeError]] = {
    cls.key: cls
    for cls in (
        PasswordRequired,
        WrongPassword,
        DamagedFile,
        ContentDoesNotMatchName,
        EmptyFile,
        FileUnreadable,
        LinkRefused,
        SpecialFile,
        ChangedWhileReading,
        ReaderCrashed,
        UnsupportedFile,
        HeicNotSupported,
        TooManyPages,
        ImageTooLarge,
        FileTooLarge,
        ParseTimeout,
        ParseOutOfMemory,
        OfficeToolMissing,
        OfficeConversionFailed,
    )
}

_INT_PARAMS = ("pages", "limit", "width", "height", "limit_mpx", "limit_mb", "seconds")


class Refusal(Exception):
    """Raised inside the child: a refusal to send back as (key, params), never pickled."""

    def __init__(self, key: str, **params: int) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def error_from_child(key: Any, params: Any, name: str) -> IntakeError:
    """Rebuild the user-facing error from the child's untrusted (key, params) pair."""
    cls = _BY_KEY.get(key if isinstance(key, str) else "", DamagedFile)
    safe: dict[str, int] = {}
    if isinstance(params, dict):
        for k in _INT_PARAMS:
            value = params.get(k)
            if isinstance(value, int) and not isinstance(value, bool):
                safe[k] = value
    accepted = inspect.signature(cls.__init__).parameters
    build: Any = cls  # each class takes its own subset of the integer params
    return build(name, **{k: v for k, v in safe.items() if k in accepted})  # type: ignore[no-any-return]
