"""Lists built from the matter's evidence: the list of documents, the H&C evidence index
by factor, and the skeleton of H&C submissions organised by the same factors.

The index and the skeleton read the same rows, so the evidence a submission cites
under "Establishment" is exactly the evidence the index files under it. Tabs refer
to the package being built ("" when the document is not in it).
"""

from __future__ import annotations

from clinic_app.domain.packages.output import OutputContext
from clinic_app.i18n import N_
from clinic_app.pdf.generated.base import Doc
from clinic_app.pdf.generated.words import FACTOR_TITLES, blank, date_text, tr

FACTORS = tuple(FACTOR_TITLES)

_HINTS = {
    "establishment": N_("[Employment, finances, studies, volunteering and community ties; how long and how "
                        "deeply the applicant is established in Canada.]"),
    "best_interests_child": N_("[Each child directly affected: age, schooling, health, ties in Canada, and what "
                               "removal would mean for the child (Kanthasamy, 2015 SCC 61, para. 35-41).]"),
    "hardship_country_conditions": N_("[Hardship on return: conditions in the country of origin and the "
                                      "applicant's own circumstances. Risk under IRPA s. 96-97 is not "
                                      "considered (s. 25(1.3)); hardship is.]"),
    "family_ties": N_("[Family in Canada and in the country of origin; the effect of separation.]"),
    "health": N_("[Physical and mental health, treatment in Canada, and whether it is available on return.]"),
}


def _header(d: Doc, ctx: OutputContext) -> None:
    d.fields([(d.t(N_("Client")), ctx.client_name), (d.t(N_("UCI")), ctx.uci),
              (d.t(N_("File number")), ctx.file_number if ctx.file_number != ctx.uci else ""),
              (d.t(N_("Date")), date_text(ctx.today, ctx.lang))])


def _factor_rows(ctx: OutputContext, factor: str) -> list[list[str]]:
    """Documents then ready letters supporting `factor`, in tab order (inside a package:
    only what the package holds)."""
    in_package = bool(ctx.enclosures)
    rows = [(doc.tab, doc.title, date_text(doc.date, ctx.lang), doc.source)
            for doc in ctx.documents if factor in doc.factors and (doc.tab or not in_package)]
    for letter in ctx.letters:
        if factor in letter.factors and letter.ready and (letter.tab or not in_package):
            who = ", ".join(p for p in (letter.relationship, letter.organisation) if p)
            title = d_letter(ctx.lang, letter.writer)
            rows.append((letter.tab, title, date_text(letter.date, ctx.lang), who))
    rows.sort(key=lambda r: (not r[0], _tab_key(r[0]), r[1]))
    return [list(r) for r in rows]


def _tab_key(label: str) -> tuple[int, str]:
    return (int(label), "") if label.isdigit() else (10**9, label)


def d_letter(lang: str, writer: str) -> str:
    return tr(lang, N_("Letter from {writer}")).format(writer=writer)


def _factor_table(d: Doc, ctx: OutputContext, factor: str) -> None:
    rows = _factor_rows(ctx, factor)
    if not rows:
        d.add(d.t(N_("No evidence for this factor yet.")), d.s_small)
        return
    d.table([d.t(N_("Tab")), d.t(N_("Evidence")), d.t(N_("Date")), d.t(N_("Source"))], rows, [40, 250, 90, 120])


def document_list(ctx: OutputContext) -> bytes:
    """The list of documents, section by section, with tab, title and date."""
    d = Doc(ctx.lang, N_("List of documents"))
    d.title(d.t(N_("List of documents")))
    d.add(ctx.forum_name, d.s_center)
    if ctx.package_title:
        d.add(ctx.package_title, d.s_center)
    d.space(6)
    _header(d, ctx)
    rows: list[list[str]] = []
    sections: list[int] = []
    for enclosure in ctx.enclosures:
        sections.append(len(rows))
        rows.append([enclosure.section, "", ""])
        rows += [[label, title, date_text(when, ctx.lang)] for label, title, when in enclosure.tabs]
    if not rows:
        rows = [["", doc.title, date_text(doc.date, ctx.lang)] for doc in ctx.documents]
    d.table([d.t(N_("Tab")), d.t(N_("Document")), d.t(N_("Date"))], rows, [40, 320, 110], sections)
    return d.render()


def hc_evidence_index(ctx: OutputContext) -> bytes:
    """Evidence index by H&C factor: one table per factor, tabs pointing into the package."""
    d = Doc(ctx.lang, N_("Evidence index by factor"))
    d.title(d.t(N_("Evidence index by factor")))
    _header(d, ctx)
    d.add(d.t(N_("A document may support several factors; it is filed once, under the tab shown.")), d.s_small)
    for factor in FACTORS:
        d.h1(d.t(FACTOR_TITLES[factor]))
        _factor_table(d, ctx, factor)
    return d.render()


def hc_submissions(ctx: OutputContext) -> bytes:
    """A skeleton of H&C submissions: one heading per factor, what to argue, and the evidence."""
    d = Doc(ctx.lang, N_("Submissions on humanitarian and compassionate grounds"), draft=True)
    d.title(d.t(N_("Submissions on humanitarian and compassionate grounds")))
    d.add(ctx.forum_name, d.s_center)
    _header(d, ctx)
    d.h1(d.t(N_("Introduction")))
    d.add(d.t(N_("[Who the applicant is, the request, and the factors relied on.]")))
    d.h1(d.t(N_("The test")))
    d.add(d.t(N_("[IRPA s. 25(1): whether the circumstances would excite in a reasonable person in a civilized "
                 "community a desire to relieve the misfortunes of another, weighing all the factors together "
                 "(Kanthasamy v. Canada, 2015 SCC 61).]")))
    for number, factor in enumerate(FACTORS, start=1):
        d.h1(f"{number}. {d.t(FACTOR_TITLES[factor])}")
        d.add(d.t(_HINTS[factor]))
        quotes = [x for x in ctx.letters if factor in x.factors and x.ready and x.key_quote]
        for letter in quotes:
            d.add(f"\u201c{letter.key_quote}\u201d \u2014 {letter.writer}", d.s_bullet)
        _factor_table(d, ctx, factor)
    d.h1(d.t(N_("Conclusion")))
    d.add(d.t(N_("[Weighing all the factors together, the request for an exemption should be granted.]")))
    d.signature([ctx.counsel or blank(), d.t(N_("Counsel")) if ctx.counsel else ""])
    return d.render()
