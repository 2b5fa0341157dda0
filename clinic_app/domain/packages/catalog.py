"""Every package type by name, and which ones fit a matter."""

from __future__ import annotations

from clinic_app.domain.common import parse_enum
from clinic_app.domain.matter import MatterType
from clinic_app.domain.packages.defs_applications import APPLICATION_PACKAGES
from clinic_app.domain.packages.defs_tribunals import TRIBUNAL_PACKAGES
from clinic_app.domain.packages.model import PackageDef, PackageType

PACKAGES: dict[PackageType, PackageDef] = {p.type: p for p in TRIBUNAL_PACKAGES + APPLICATION_PACKAGES}
assert set(PACKAGES) == set(PackageType), "every package type needs a definition"


def get_package(name: str | PackageType) -> PackageDef:
    """The definition of `name`, or ValidationError listing the package types."""
    return PACKAGES[parse_enum(PackageType, name, "package")]


def packages_for(matter_type: MatterType | str) -> list[PackageDef]:
    """The packages that can be built for a matter of this type, in catalog order."""
    kind = MatterType(matter_type)
    return [p for p in PACKAGES.values() if kind in p.matter_types]
