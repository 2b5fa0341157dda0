"""Errors the bundle engine can show a user. Messages name tabs and parts, never client data."""

from __future__ import annotations

from clinic_app.domain.bundle import BundleSpecError, PageRangeError, VolumeLimitError
from clinic_app.errors import BadInput
from clinic_app.i18n import _

__all__ = [
    "BundleError",
    "BundleSpecError",
    "PageRangeError",
    "SourceChanged",
    "SourceEncrypted",
    "SourceMissing",
    "SourceUnreadable",
    "VolumeLimitError",
]


class BundleError(BadInput):
    """Base for problems with the documents of a bundle (as opposed to its spec)."""

    def __init__(self, message: str, *, where: str = "") -> None:
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)


class SourceMissing(BundleError):
    def __init__(self, where: str) -> None:
        super().__init__(_("The document could not be found in the vault."), where=where)


class SourceEncrypted(BundleError):
    def __init__(self, where: str) -> None:
        super().__init__(
            _("The document is protected by a password. Import an unprotected copy."), where=where
        )


class SourceUnreadable(BundleError):
    def __init__(self, where: str) -> None:
        super().__init__(
            _("The document is damaged or is not a PDF and cannot be added."), where=where
        )


class SourceChanged(BundleError):
    def __init__(self, where: str) -> None:
        super().__init__(
            _("The document changed while the bundle was being built. Build it again."),
            where=where,
        )
