"""Filing packages: definitions, checklist, pre-flight, layout and what outputs may show.

Public API:

* `PackageType`, `PACKAGES`, `get_package(name)`, `packages_for(matter_type)`: the nine
  package definitions (sections in the required order, with citations).
* `evaluate(package, PackageInputs) -> Checklist`: which records fill which item.
* `check_package(checklist, inputs, today=..., deadlines=..., pending=...)`: problems;
  `PackageNotReady` is raised by a build that pre-flight refuses.
* `layout_package(...) -> PackageLayout`: the BundleSpec of a package.
* `output_context(...) -> OutputContext`: the only view of a matter generated documents get.
* `completeness(documents, letters)`: support per H&C factor and what is missing.
"""

from __future__ import annotations

from clinic_app.domain.packages.catalog import PACKAGES, get_package, packages_for
from clinic_app.domain.packages.checklist import Checklist, Entry, ItemState, PackageInputs, evaluate
from clinic_app.domain.packages.factors import (
    EXPECTED,
    THEME_FACTORS,
    FactorCompleteness,
    completeness,
    document_factors,
    letter_factors,
)
from clinic_app.domain.packages.layout import DOC, GEN, PackageLayout, layout_package
from clinic_app.domain.packages.model import (
    DRAFT_LABELS,
    DRAFT_TAG,
    DRAFTS,
    FORUM_NAMES,
    ITEM_STATUS_LABELS,
    Forum,
    Generated,
    Item,
    ItemStatus,
    PackageDef,
    PackageType,
    Section,
    Source,
)
from clinic_app.domain.packages.output import Enclosure, OutputContext, display_name, output_context
from clinic_app.domain.packages.preflight import (
    ERROR,
    WARNING,
    PackageNotReady,
    PackageProblem,
    check_package,
    has_errors,
)

__all__ = [
    "DOC", "DRAFTS", "DRAFT_LABELS", "DRAFT_TAG", "ERROR", "EXPECTED", "FORUM_NAMES", "GEN", "ITEM_STATUS_LABELS", "PACKAGES",
    "THEME_FACTORS", "WARNING",
    "Checklist", "Enclosure", "Entry", "FactorCompleteness", "Forum", "Generated", "Item", "ItemState",
    "ItemStatus", "OutputContext", "PackageDef", "PackageInputs", "PackageLayout", "PackageNotReady",
    "PackageProblem", "PackageType", "Section", "Source",
    "check_package", "completeness", "display_name", "document_factors", "evaluate", "get_package",
    "has_errors", "layout_package", "letter_factors", "output_context", "packages_for",
]
