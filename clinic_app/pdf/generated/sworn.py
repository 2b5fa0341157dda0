"""Drafts of documents a person must sign or swear, and the statement of official language.

Translator's declaration (IRB) and affidavit (IRCC), statement of service (RPD r. 34(2))
and affidavit of service (Federal Court): Haven fills in what it knows and leaves blank
lines for the rest. Each carries the DRAFT banner: only the signed or sworn document,
attached by the user, counts in a package.
"""

from __future__ import annotations

from clinic_app.domain.packages.output import OutputContext, TranslationLine
from clinic_app.i18n import N_
from clinic_app.pdf.generated.base import Doc
from clinic_app.pdf.generated.words import blank, date_text, language_name

OATH = N_("I, {name}, of the City of {city}, in the Province of {province}, MAKE OATH AND SAY "
          "(or SOLEMNLY AFFIRM) THAT:")
JURAT = N_("SWORN (or AFFIRMED) before me at {place}, on {date}.")


def court_heading(d: Doc, ctx: OutputContext) -> None:
    """Federal Court style of cause: court, file number, the parties."""
    d.add(ctx.forum_name.upper(), d.s_center)
    if ctx.file_number:
        d.add(d.t(N_("File No. {number}"), number=ctx.file_number), d.s_right)
    d.add(d.t(N_("BETWEEN:")), d.s_h2)
    d.add(ctx.client_name, d.s_center)
    d.add(d.t(N_("Applicant")), d.s_center)
    d.add(d.t(N_("and")), d.s_center)
    for minister in ctx.respondents:  # IMM r. 5(2): the Minister(s) responsible for the matter
        d.add(minister, d.s_center)
    d.add(d.t(N_("Respondents")) if len(ctx.respondents) > 1 else d.t(N_("Respondent")), d.s_center)
    d.space(10)


def _file_fields(d: Doc, ctx: OutputContext) -> None:
    d.add(ctx.forum_name, d.s_center)
    d.fields([(d.t(N_("Client")), ctx.client_name), (d.t(N_("UCI")), ctx.uci),
              (d.t(N_("File number")), ctx.file_number if ctx.file_number != ctx.uci else "")])


def _translations(ctx: OutputContext) -> list[TranslationLine | None]:
    return list(ctx.translations) or [None]


def _dialect(d: Doc, line: TranslationLine | None, source: str) -> None:
    """The original's language with its dialect: the client's own words for it when they name
    one ("Spanish (Honduras)"), else a blank for the translator to fill."""
    d.add(d.t(N_("Language and dialect of the original: {dialect}"),
              dialect=(line.dialect if line and line.dialect else "") or f"{source} ({blank(14)})"))


def translator_declaration(ctx: OutputContext) -> bytes:
    """One IRB declaration page per translation (a blank form when there are none)."""
    d = Doc(ctx.lang, N_("Translator's declaration"), draft=True)
    for n, line in enumerate(_translations(ctx)):
        if n:
            d.page_break()
        d.title(d.t(N_("Translator's declaration")))
        _file_fields(d, ctx)
        d.add(d.t(N_("I, {name}, declare that:"), name=blank(30)))
        source = language_name(ctx.lang, line.language) if line else blank(12)
        competent = (N_("1. I am competent to translate from {source} into French.") if ctx.lang == "fr"
                     else N_("1. I am competent to translate from {source} into English."))
        d.add(d.t(competent, source=source))
        _dialect(d, line, source)
        d.add(d.t(N_("2. I translated the document \"{original}\"; my translation is \"{translation}\"."),
                  original=line.original_title if line else blank(20),
                  translation=line.translation_title if line else blank(20)))
        d.add(d.t(N_("3. The translation is accurate and complete to the best of my knowledge and ability.")))
        d.signature([d.t(N_("Translator's signature")), d.t(N_("Date: {date}"), date=blank(16))])
    return d.render()


def translator_affidavit(ctx: OutputContext) -> bytes:
    """One IRCC translator's affidavit per translation, with the commissioner's jurat."""
    d = Doc(ctx.lang, N_("Affidavit of translator"), draft=True)
    for n, line in enumerate(_translations(ctx)):
        if n:
            d.page_break()
        d.title(d.t(N_("Affidavit of translator")))
        _file_fields(d, ctx)
        d.add(d.t(OATH, name=blank(30), city=blank(14), province=blank(14)))
        fluent = (N_("1. I am fluent in {source} and in French.") if ctx.lang == "fr"
                  else N_("1. I am fluent in {source} and in English."))
        source = language_name(ctx.lang, line.language) if line else blank(12)
        d.add(d.t(fluent, source=source))
        _dialect(d, line, source)
        d.add(d.t(N_("2. The document attached as Exhibit \"A\" is a true and complete translation of the "
                     "document \"{original}\", a copy of which is attached as Exhibit \"B\"."),
                  original=line.original_title if line else blank(20)))
        d.add(d.t(JURAT, place=blank(16), date=blank(16)))
        d.signature([d.t(N_("A Commissioner for taking affidavits"))])
        d.signature([d.t(N_("Translator's signature"))])
    return d.render()


def service_statement(ctx: OutputContext) -> bytes:
    """RPD r. 34(2): how and when the documents were provided to the other party."""
    d = Doc(ctx.lang, N_("Statement of service"), draft=True)
    d.title(d.t(N_("Statement of service")))
    _file_fields(d, ctx)
    d.add(d.t(N_("I, {name}, counsel for the claimant {client}, state that:"),
              name=ctx.counsel or blank(24), client=ctx.client_name))
    d.add(d.t(N_("1. On {date}, I provided a copy of the {document} to the Minister's counsel by {method}, "
                 "at {address}."), date=blank(14), document=ctx.package_title or blank(20),
              method=blank(14), address=blank(24)))
    d.add(d.t(N_("2. On {date}, I provided the same documents to the Refugee Protection Division by {method}."),
              date=blank(14), method=blank(14)))
    d.signature([ctx.counsel or d.t(N_("Counsel")), d.t(N_("Date: {date}"), date=blank(16))])
    return d.render()


def affidavit_of_service(ctx: OutputContext) -> bytes:
    """Federal Court affidavit of service, with the style of cause filled in."""
    d = Doc(ctx.lang, N_("Affidavit of service"), draft=True)
    court_heading(d, ctx)
    d.title(d.t(N_("Affidavit of service")))
    d.add(d.t(OATH, name=blank(30), city=blank(14), province=blank(14)))
    d.add(d.t(N_("1. On {date}, at {time}, I served the {document} on the respondent by {method}, at the "
                 "following address: {address}."), date=blank(14), time=blank(8),
              document=ctx.package_title or blank(20), method=blank(14), address=blank(24)))
    d.add(d.t(N_("2. Attached as Exhibit \"A\" is a true copy of the confirmation of service.")))
    d.add(d.t(JURAT, place=blank(16), date=blank(16)))
    d.signature([d.t(N_("A Commissioner for taking affidavits"))])
    d.signature([d.t(N_("Signature of the deponent"))])
    return d.render()


def language_statement(ctx: OutputContext) -> bytes:
    """The official language of the hearing and of the applicant's documents (IMM Rules r.
    10(2)(a)(vii) asks for both), placed in the record."""
    d = Doc(ctx.lang, N_("Statement of official language"))
    court_heading(d, ctx)
    d.title(d.t(N_("Statement of official language")))
    d.add(d.t(N_("The applicant wishes the hearing of this application to be conducted in French.")
              if ctx.lang == "fr" else
              N_("The applicant wishes the hearing of this application to be conducted in English.")))
    d.add(d.t(N_("The applicant's documents are in French, the official language chosen for them.")
              if ctx.lang == "fr" else
              N_("The applicant's documents are in English, the official language chosen for them.")))
    d.add(d.t(N_("(Federal Courts Citizenship, Immigration and Refugee Protection Rules, r. 10(2)(a)(vii))")),
          d.s_small)
    d.add(date_text(ctx.today, ctx.lang))
    d.signature([ctx.counsel or blank(), d.t(N_("Counsel for the applicant"))])
    return d.render()
