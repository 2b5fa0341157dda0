"""The forum each matter type is heard by, as printed on covers (English and French)."""

from __future__ import annotations

from clinic_app.domain.matter import MatterType

_IRB_RPD = ("Immigration and Refugee Board of Canada, Refugee Protection Division",
            "Commission de l'immigration et du statut de réfugié du Canada, Section de la protection des réfugiés")
_IRB_RAD = ("Immigration and Refugee Board of Canada, Refugee Appeal Division",
            "Commission de l'immigration et du statut de réfugié du Canada, Section d'appel des réfugiés")
_FC = ("Federal Court", "Cour fédérale")
_IRCC = ("Immigration, Refugees and Citizenship Canada", "Immigration, Réfugiés et Citoyenneté Canada")
_CBSA = ("Canada Border Services Agency", "Agence des services frontaliers du Canada")

FORUMS: dict[MatterType, tuple[str, str]] = {
    MatterType.RPD_CLAIM: _IRB_RPD,
    MatterType.RAD_APPEAL: _IRB_RAD,
    MatterType.PRRA: _IRCC,
    MatterType.HC: _IRCC,
    MatterType.DEFERRAL: _CBSA,
    MatterType.FC_JR: _FC,
    MatterType.STAY_MOTION: _FC,
    MatterType.SPONSORSHIP: _IRCC,
    MatterType.MINISTERIAL_RELIEF: _CBSA,
    MatterType.STCA: _CBSA,
}


def forum_name(matter_type: MatterType, language: str) -> str:
    en, fr = FORUMS[matter_type]
    return fr if language == "fr" else en
