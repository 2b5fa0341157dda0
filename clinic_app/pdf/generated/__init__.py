"""Documents Haven writes for packages: cover letters, lists, drafts, guidance.

`render(kind, ctx)` is the one entry point; `ctx` is a domain OutputContext, already
stripped of whatever must not be printed (see domain/packages/output.py).
"""

from __future__ import annotations

from collections.abc import Callable

from clinic_app.domain.packages.model import Generated
from clinic_app.domain.packages.output import OutputContext
from clinic_app.pdf.generated import court, evidence, guidance, letters, sworn

_RENDERERS: dict[Generated, Callable[[OutputContext], bytes]] = {
    Generated.COVER_LETTER: letters.cover_letter,
    Generated.DEFERRAL_REQUEST: letters.deferral_request,
    Generated.DOCUMENT_LIST: evidence.document_list,
    Generated.HC_EVIDENCE_INDEX: evidence.hc_evidence_index,
    Generated.HC_SUBMISSIONS: evidence.hc_submissions,
    Generated.TRANSLATOR_DECLARATION: sworn.translator_declaration,
    Generated.TRANSLATOR_AFFIDAVIT: sworn.translator_affidavit,
    Generated.SERVICE_STATEMENT: sworn.service_statement,
    Generated.AFFIDAVIT_OF_SERVICE: sworn.affidavit_of_service,
    Generated.LANGUAGE_STATEMENT: sworn.language_statement,
    Generated.LETTER_GUIDANCE: lambda ctx: guidance.letter_guidance(ctx.lang),
    Generated.APPLICANT_AFFIDAVIT: court.applicant_affidavit,
    Generated.MANDAMUS_MEMORANDUM: court.mandamus_memorandum,
}
assert set(_RENDERERS) == set(Generated)


def render(kind: Generated | str, ctx: OutputContext) -> bytes:
    """PDF bytes of the generated document `kind` for the matter described by `ctx`."""
    return _RENDERERS[Generated(kind)](ctx)


__all__ = ["render", "guidance"]
