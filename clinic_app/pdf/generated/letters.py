"""Letters Haven writes: the cover letter of a package and the skeleton of a deferral request.

The cover letter is filed as it is (counsel's typed name closes it); the deferral
request is a draft for counsel to argue, so it carries the DRAFT banner and never
counts as the request itself.
"""

from __future__ import annotations

from clinic_app.domain.packages.output import DocLine, OutputContext
from clinic_app.i18n import N_
from clinic_app.pdf.generated.base import Doc
from clinic_app.pdf.generated.words import blank, date_text

_REMOVAL_PACKAGES = ("hc_application", "prra_submissions", "deferral_request", "ministerial_relief", "stay_motion")


def _letterhead(d: Doc, ctx: OutputContext, subject: str) -> None:
    d.add(date_text(ctx.today, ctx.lang), d.s_right)
    d.add(ctx.forum_name)
    d.space(6)
    d.add(d.t(N_("Re: {subject}"), subject=subject), d.s_h2)
    d.fields([
        (d.t(N_("Client")), ctx.client_name),
        (d.t(N_("UCI")), ctx.uci),
        (d.t(N_("File number")), ctx.file_number if ctx.file_number != ctx.uci else ""),
        (d.t(N_("Scheduled removal")), date_text(ctx.removal, ctx.lang) if ctx.package in _REMOVAL_PACKAGES
         else ""),
    ])


def _closing(d: Doc, ctx: OutputContext) -> None:
    d.add(d.t(N_("Yours truly,")))
    d.signature([ctx.counsel or blank(), d.t(N_("Counsel")) if ctx.counsel else ""])


def cover_letter(ctx: OutputContext) -> bytes:
    """The letter that goes on top of a package: what is enclosed, for whom, and why now."""
    d = Doc(ctx.lang, N_("Cover letter"))
    _letterhead(d, ctx, ctx.package_title or ctx.matter_type)
    d.add(d.t(N_("Dear Sir or Madam,")))
    d.add(d.t(N_("Please find enclosed, for {client}: {package}."), package=ctx.package_title or ctx.matter_type,
              client=ctx.client_name))
    if ctx.package == "rpd_disclosure" and ctx.hearing:
        d.add(d.t(N_("These documents are disclosed for the hearing scheduled on {date} (RPD Rules, r. 34)."),
                  date=date_text(ctx.hearing, ctx.lang)))
    if ctx.removal and ctx.package in _REMOVAL_PACKAGES:
        d.add(d.t(N_("Removal is scheduled for {date}. We ask that this application be considered before "
                     "that date."), date=date_text(ctx.removal, ctx.lang)))
    if ctx.package == "stca_exception" and ctx.relatives:
        rel = ctx.relatives[0]
        d.add(d.t(N_("The claimant's family member in Canada is {name} ({relationship}), {status}."),
                  name=rel.name, relationship=rel.relationship or blank(8), status=rel.status_in_canada or blank(8)))
    if ctx.enclosures:
        d.add(d.t(N_("The enclosed documents are listed below; their pages are numbered consecutively.")))
        rows: list[list[str]] = []
        sections: list[int] = []
        for enclosure in ctx.enclosures:
            sections.append(len(rows))
            rows.append([enclosure.section, "", ""])
            rows += [[label, title, date_text(when, ctx.lang)] for label, title, when in enclosure.tabs]
        d.table([d.t(N_("Tab")), d.t(N_("Document")), d.t(N_("Date"))], rows, [40, 300, 110], sections)
    if not ctx.counsel and ctx.address:
        d.add(d.t(N_("Address for correspondence: {address}"), address=ctx.address))
    d.add(d.t(N_("Please contact the undersigned with any question about this file.")))
    _closing(d, ctx)
    return d.render()


# (checklist item, title, factors, tags, categories, what counsel must explain)
_GROUNDS = (
    ("medical", N_("Medical grounds"), ("health",), (), ("medical", "psychological"),
     N_("[Explain the treatment under way, why it cannot continue or be interrupted, and for how long.]")),
    ("pending", N_("Pending applications"), (), ("pending_application", "hc_receipt", "sponsorship",
                                                 "prra_receipt"), ("notice",),
     N_("[Identify each pending application, its date and the expected decision.]")),
    ("children", N_("Best interests of the child"), ("best_interests_child",), (), ("education",),
     N_("[Explain the child's short-term interests: school term, care, health.]")),
    ("risk", N_("Risk not yet assessed"), ("hardship_country_conditions",), ("new_evidence",),
     ("country_conditions",), N_("[Explain the new risk and why it has not been assessed.]")),
)
_GROUND_ITEMS = frozenset(g[0] for g in _GROUNDS)


def _for_ground(docs: tuple[DocLine, ...], item: str, factors: tuple[str, ...], tags: tuple[str, ...],
                categories: tuple[str, ...]) -> list[DocLine]:
    """The evidence the package files under this ground's item, else what looks like it."""
    return [doc for doc in docs if doc.item == item or doc.item not in _GROUND_ITEMS and (
        set(doc.factors) & set(factors) or set(doc.tags) & set(tags) or doc.category in categories)]


def deferral_request(ctx: OutputContext) -> bytes:
    """Skeleton of a request to defer removal, with the evidence listed under each ground."""
    d = Doc(ctx.lang, N_("Request to defer removal"), draft=True)
    _letterhead(d, ctx, d.t(N_("Request to defer removal")))
    d.add(d.t(N_("Dear Officer,")))
    d.add(d.t(N_("We ask that the removal of {client}, scheduled for {date}, be deferred until {until}, "
                 "a limited period, for the reasons below."), client=ctx.client_name,
              date=date_text(ctx.removal, ctx.lang) or blank(12), until=blank(12)))
    for number, (item, title, factors, tags, categories, hint) in enumerate(_GROUNDS, start=1):
        d.h1(f"{number}. {d.t(title)}")
        d.add(d.t(hint))
        docs = _for_ground(ctx.documents, item, factors, tags, categories)
        if docs:
            d.table([d.t(N_("Tab")), d.t(N_("Evidence")), d.t(N_("Date"))],
                    [[doc.tab, doc.title, date_text(doc.date, ctx.lang)] for doc in docs], [40, 330, 110])
    letters = [x for x in ctx.letters if x.ready]
    if letters:
        d.h1("{n}. {title}".format(n=len(_GROUNDS) + 1, title=d.t(N_("Support letters"))))
        d.bullets([", ".join(p for p in (x.writer, x.relationship, x.organisation) if p) for x in letters])
    d.h1(d.t(N_("The officer's discretion")))
    d.add(d.t(N_("[The officer may defer removal for a short time where there are compelling reasons "
                 "(IRPA s. 48(2); Baron v. Canada, 2009 FCA 81). Apply that test to the grounds above.]")))
    d.h1(d.t(N_("Request")))
    d.add(d.t(N_("For these reasons, we ask that removal be deferred until {until}."), until=blank(12)))
    _closing(d, ctx)
    return d.render()
