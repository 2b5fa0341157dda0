"""The notice of a package built despite pre-flight errors (`build --force`, "Build anyway").

Such a package must never be mistaken for a filing: every page carries "DRAFT — not
ready to file" and its cover lists what is missing, in the matter's language (the
package's), not the user's. Pure.
"""

from __future__ import annotations

from collections.abc import Iterable

from clinic_app.domain.draft_notice import DraftNotice
from clinic_app.domain.packages.checklist import Checklist
from clinic_app.domain.packages.preflight import ERROR, PackageProblem
from clinic_app.i18n import N_, translate_for

MARK = N_("DRAFT \u2014 not ready to file")
HEADING = N_("Not ready to file. Missing or wrong:")
_BY_CODE = {
    "untranslated": N_("{ref}: no translation linked"),
    "no_declaration": N_("{ref}: the translation has no translator's declaration or affidavit"),
    "empty": N_("The package has no documents yet."),
    "wrong_matter_type": N_("This package is not for this kind of matter."),
    "loose_evidence": N_("Evidence is not yet attached as exhibits to a sworn affidavit."),
}
OTHER = N_("Another problem found by the pre-flight check ({code})")


def forced_notice(checklist: Checklist, problems: Iterable[PackageProblem], lang: str) -> DraftNotice:
    """The mark and the cover's list: each missing required item, then the other errors."""
    lines = [translate_for(lang, N_("Missing: {item}")).format(item=e.item.label_in(lang))
             for e in checklist.missing()]
    for p in problems:
        if p.severity != ERROR or p.code == "missing_item":
            continue
        message = _BY_CODE.get(p.code)
        lines.append(translate_for(lang, message).format(ref=p.ref) if message
                     else translate_for(lang, OTHER).format(code=p.code))
    return DraftNotice(translate_for(lang, MARK), translate_for(lang, HEADING), tuple(lines))
