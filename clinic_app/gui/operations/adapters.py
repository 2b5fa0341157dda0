"""Adapters for services other engineers are still building.

Each one imports its service lazily, under the name the service is expected to
have, so the window works today and picks the service up the day it lands.
When it is missing the adapter raises `NotAvailable` with a polite message and
`available()` lets pages disable the action instead. Every adapter runs on the
vault thread with the session, like any other service call.
"""

from __future__ import annotations

import importlib
import importlib.util
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

from clinic_app.errors import HavenError
from clinic_app.i18n import _

SERVICES = {
    "backup": "clinic_app.services.backup",
    "deadlines": "clinic_app.services.deadlines",
    "bundles": "clinic_app.services.bundles",
    "packages": "clinic_app.services.packages",
}


class NotAvailable(HavenError):
    """A feature whose service is not part of this version yet."""

    def __init__(self, feature: str) -> None:
        super().__init__(_("{feature} is not available in this version of Haven yet.").format(feature=feature))


def available(name: str) -> bool:
    try:
        return importlib.util.find_spec(SERVICES[name]) is not None
    except (ImportError, ValueError):
        return False


def _module(name: str, feature: str) -> ModuleType:
    try:
        return importlib.import_module(SERVICES[name])
    except ImportError:
        raise NotAvailable(feature) from None


def _function(module: ModuleType, names: tuple[str, ...], feature: str) -> Any:
    for name in names:
        fn = getattr(module, name, None)
        if callable(fn):
            return fn
    raise NotAvailable(feature)


def auto_backup(session: Any, folder: Path | None) -> str:
    """services.backup.auto_backup(session, folder) on lock and exit; "" when there is none yet."""
    if folder is None or not available("backup"):
        return ""
    module = _module("backup", _("Automatic backup"))
    result = _function(module, ("auto_backup",), _("Automatic backup"))(session, Path(folder))
    return "; ".join(getattr(result, "warnings", ()) or ())


def agenda(session: Any, today: date) -> Any:
    """services.deadlines.agenda(session, today=...) -> domain.deadlines.Agenda."""
    module = _module("deadlines", _("The deadline agenda"))
    return _function(module, ("agenda",), _("The deadline agenda"))(session, today=today)


def matter_deadlines(session: Any, matter_ref: str) -> list[Any]:
    """services.deadlines.for_matter(session, ref).deadlines -> list of domain Deadline."""
    module = _module("deadlines", _("Deadlines"))
    fn = _function(module, ("for_matter", "deadlines_for_matter"), _("Deadlines"))
    found = fn(session, matter_ref)
    return list(getattr(found, "deadlines", found))


_UPDATE_NAMES = ("update_metadata", "update_document_meta", "update_document")


def can_update_documents() -> bool:
    module = importlib.import_module("clinic_app.services.evidence")
    return any(callable(getattr(module, name, None)) for name in _UPDATE_NAMES)


def update_document_meta(session: Any, ref: str, fields: dict[str, Any]) -> Any:
    """services.evidence.update_metadata(session, ref, **fields): change what a document is
    (title, doc_date, language, category), keeping its bytes and every other field."""
    module = importlib.import_module("clinic_app.services.evidence")
    return _function(module, _UPDATE_NAMES, _("Editing document details"))(session, ref, **fields)


def bundle_projects(session: Any, matter_ref: str) -> list[tuple[str, Any]]:
    """services.bundles.projects(session, ref) -> [(bundle ref, BundleSpec)]."""
    module = _module("bundles", _("Bundles"))
    return list(_function(module, ("projects",), _("Bundles"))(session, matter_ref))


def save_bundle(session: Any, ref: str, matter_ref: str, spec: Any) -> Any:
    """services.bundles.save_project(session, ref, matter_ref, spec)."""
    module = _module("bundles", _("Bundles"))
    return _function(module, ("save_project",), _("Bundles"))(session, ref, matter_ref, spec)


def preflight(session: Any, bundle_ref: str) -> list[Any]:
    """services.bundles.check(session, ref) -> problems with .severity/.message/.tab."""
    module = _module("bundles", _("The pre-flight check"))
    return list(_function(module, ("check", "preflight"), _("The pre-flight check"))(session, bundle_ref))


def build_bundle(session: Any, bundle_ref: str, out_path: Path, progress: Any, cancel: Any) -> Any:
    """Build in a child process (services.build_process), so the window never stutters."""
    from clinic_app.services.build_process import build_in_child

    return build_in_child(session, bundle_ref, out_path, progress=progress, cancel=cancel)


def packages_of_matter(session: Any, matter_ref: str) -> list[Any]:
    """services.packages.available_packages(session, ref) -> the filing packages a matter can use."""
    module = _module("packages", _("Filing packages"))
    return list(_function(module, ("available_packages",), _("Filing packages"))(session, matter_ref))
