"""The forum each matter type is heard by, as printed on bundle covers.

The names themselves live with the package definitions (FORUM_NAMES), translated
through the catalog, so a cover and a package never name a forum differently.
"""

from __future__ import annotations

from clinic_app.domain.matter import MatterType
from clinic_app.domain.packages.model import FORUM_NAMES, Forum
from clinic_app.i18n import translate_for

MATTER_FORUMS: dict[MatterType, Forum] = {
    MatterType.RPD_CLAIM: Forum.RPD,
    MatterType.RAD_APPEAL: Forum.RAD,
    MatterType.PRRA: Forum.IRCC,
    MatterType.HC: Forum.IRCC,
    MatterType.DEFERRAL: Forum.CBSA,
    MatterType.FC_JR: Forum.FC,
    MatterType.STAY_MOTION: Forum.FC,
    MatterType.SPONSORSHIP: Forum.IRCC,
    MatterType.MINISTERIAL_RELIEF: Forum.CBSA,
    MatterType.STCA: Forum.CBSA,
    MatterType.MANDAMUS: Forum.FC,
}


def forum_name(matter_type: MatterType, language: str) -> str:
    return translate_for(language, FORUM_NAMES[MATTER_FORUMS[matter_type]])
