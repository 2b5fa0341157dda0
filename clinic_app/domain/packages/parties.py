"""Who the parties to a Federal Court proceeding are: the applicant and the right Minister.

IMM Rules r. 5(2)(b): the respondent is "each Minister who is responsible for the
administration of [IRPA] in respect of the matter". CBSA answers to the Minister of
Public Safety and Emergency Preparedness, so a CBSA officer's refusal to defer removal
and a ministerial relief decision (IRPA s. 42.1) name that Minister; IRB refugee
decisions and IRCC decisions name the Minister of Citizenship and Immigration. Where
either may be responsible (the Immigration Division, the Immigration Appeal Division, a
stay motion whose decision maker is not recorded), both are named. Pure.
"""

from __future__ import annotations

from clinic_app.domain.matter import DecisionMaker, Matter, MatterType
from clinic_app.i18n import N_, translate_for

MCI = N_("The Minister of Citizenship and Immigration")
MPSEP = N_("The Minister of Public Safety and Emergency Preparedness")
APPLICANT = N_("{name}, Applicant")
RESPONDENT = N_("{minister}, Respondent")
RESPONDENTS = N_("{first} and {second}, Respondents")

_BY_DECISION_MAKER = {
    DecisionMaker.CBSA: (MPSEP,),
    DecisionMaker.RPD: (MCI,),
    DecisionMaker.RAD: (MCI,),
    DecisionMaker.IRCC: (MCI,),
    DecisionMaker.ID: (MCI, MPSEP),
    DecisionMaker.IAD: (MCI, MPSEP),
}


def respondents(matter: Matter) -> tuple[str, ...]:
    """The respondent Ministers (message ids), as IMM r. 5(2) names them for this matter."""
    if matter.decision_maker is not None:
        return _BY_DECISION_MAKER[matter.decision_maker]
    if matter.type is MatterType.MINISTERIAL_RELIEF:
        return (MPSEP,)
    if matter.type is MatterType.STAY_MOTION:
        return (MCI, MPSEP)  # who refused is not recorded: name both rather than the wrong one
    return (MCI,)


def respondent_names(matter: Matter, lang: str) -> tuple[str, ...]:
    return tuple(translate_for(lang, name) for name in respondents(matter))


def parties_line(matter: Matter, client_name: str, lang: str) -> list[str]:
    """The style of cause on a cover: the applicant, then the respondent(s)."""
    names = respondent_names(matter, lang)
    if len(names) == 1:
        respondent = translate_for(lang, RESPONDENT).format(minister=names[0])
    else:
        respondent = translate_for(lang, RESPONDENTS).format(first=names[0], second=names[1])
    return [translate_for(lang, APPLICANT).format(name=client_name), respondent]
