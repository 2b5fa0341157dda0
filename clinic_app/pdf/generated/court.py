"""Drafts for Federal Court records: the applicant's affidavit (listing its exhibits) and a
mandamus memorandum built on the Apotex test and the Conille delay factors.

Both are drafts for counsel to argue and the applicant to swear: they carry the DRAFT
banner and never count as the signed document. The affidavit's exhibits are the ones the
package will file after it, with the marks they will have (A, B, C…); for mandamus the
chronology paragraphs come from the matter's correspondence log.
"""

from __future__ import annotations

from clinic_app.domain.correspondence import Direction, waiting_days
from clinic_app.domain.packages.output import OutputContext
from clinic_app.i18n import N_
from clinic_app.pdf.generated.base import Doc
from clinic_app.pdf.generated.sworn import JURAT, OATH, court_heading
from clinic_app.pdf.generated.words import blank, date_text

SENT = N_("On {date}, I sent {party} the following: {subject}.")
RECEIVED = N_("On {date}, I received from {party} the following: {subject}.")
ATTACHED = N_("Attached as Exhibit \u201c{mark}\u201d is a true copy of it.")
EXHIBIT_LINE = N_("Attached as Exhibit \u201c{mark}\u201d is a true copy of {title}{dated}.")
DATED = N_(", dated {date}")


def _marks(ctx: OutputContext) -> dict[str, str]:
    return {x.ref: x.mark for x in ctx.exhibits}


def applicant_affidavit(ctx: OutputContext) -> bytes:
    """The applicant's affidavit: facts to complete, the chronology from the correspondence
    log (mandamus), and one paragraph per exhibit, then the jurat and the list of exhibits."""
    d = Doc(ctx.lang, N_("Affidavit of the applicant"), draft=True)
    court_heading(d, ctx)
    d.title(d.t(N_("Affidavit of {name}"), name=ctx.client_name))
    d.add(d.t(OATH, name=ctx.client_name, city=blank(14), province=blank(14)))
    paragraphs = [d.t(N_("I am the applicant. I have personal knowledge of the facts below, except where I say "
                         "that I rely on information from someone else, whom I name, and which I believe to be "
                         "true (IMM Rules r. 12(1))."))]
    marks = _marks(ctx)
    cited: set[str] = set()
    for entry in ctx.correspondence:
        text = SENT if entry.direction is Direction.SENT else RECEIVED
        line = d.t(text, date=date_text(entry.day, ctx.lang), party=entry.party, subject=entry.subject)
        if entry.document_ref in marks:
            line += " " + d.t(ATTACHED, mark=marks[entry.document_ref])
            cited.add(entry.document_ref)
        paragraphs.append(line)
    waited = waiting_days(ctx.correspondence, ctx.today)
    if waited is not None:
        paragraphs.append(d.t(N_("As of {today}, {days} days have passed since my application, and I have not "
                                 "received a decision."), today=date_text(ctx.today, ctx.lang), days=waited))
    if not ctx.correspondence:
        paragraphs.append(d.t(N_("[State the facts, in the order they happened.]")))
    for exhibit in ctx.exhibits:
        if exhibit.ref in cited:
            continue
        dated = d.t(DATED, date=date_text(exhibit.date, ctx.lang)) if exhibit.date else ""
        paragraphs.append(d.t(EXHIBIT_LINE, mark=exhibit.mark, title=exhibit.title, dated=dated))
    for n, text in enumerate(paragraphs, start=1):
        d.add(f"{n}. {text}")
    d.add(d.t(JURAT, place=blank(16), date=blank(16)))
    d.signature([d.t(N_("A Commissioner for taking affidavits"))])
    d.signature([d.t(N_("Signature of the deponent"))])
    if ctx.exhibits:
        d.h1(d.t(N_("Exhibits to this affidavit")))
        d.table([d.t(N_("Exhibit")), d.t(N_("Document")), d.t(N_("Date"))],
                [[x.mark, x.title, date_text(x.date, ctx.lang)] for x in ctx.exhibits], [50, 320, 110])
    return d.render()


# The Apotex conditions, in the Federal Court of Appeal's order, each with what to show.
APOTEX = (
    (N_("There is a public legal duty to act."),
     N_("[Cite the provision that obliges the Minister to decide the application (e.g. IRPA s. 11, 21, 25).]")),
    (N_("The duty is owed to the applicant."), N_("[The applicant made the application the duty concerns.]")),
    (N_("There is a clear right to performance of that duty: the applicant met every condition precedent, "
        "demanded performance, allowed a reasonable time, and met an express refusal or an implied one "
        "through unreasonable delay."),
     N_("[Show the complete application and each follow-up demand: see the chronology above.]")),
    (N_("No other adequate remedy is available."), N_("[No appeal or other step will produce a decision.]")),
    (N_("The order sought will have practical value or effect."),
     N_("[A decision would end the applicant's uncertainty: family reunification, travel, work.]")),
    (N_("There is no equitable bar to the relief sought."), N_("[The applicant has acted in good faith.]")),
    (N_("The balance of convenience favours the order."),
     N_("[Weigh the harm of further delay against any burden on the respondent.]")),
)
CONILLE = (
    N_("the delay has been longer than the nature of the process requires, prima facie;"),
    N_("the applicant and counsel are not responsible for the delay;"),
    N_("the authority responsible has not given a satisfactory justification."),
)


def mandamus_memorandum(ctx: OutputContext) -> bytes:
    """Memorandum of argument for mandamus: facts with the delay chronology, the issue, the
    Apotex test with the Conille factors for delay, the order sought and the authorities."""
    d = Doc(ctx.lang, N_("Memorandum of argument (mandamus)"), draft=True)
    court_heading(d, ctx)
    d.title(d.t(N_("Memorandum of argument")))
    d.h1(d.t(N_("Part I \u2013 Facts")))
    d.add(d.t(N_("[Describe the application, its purpose and what remains to be decided.]")))
    marks = _marks(ctx)
    if ctx.correspondence:
        d.table([d.t(N_("Date")), d.t(N_("Sent or received")), d.t(N_("With")), d.t(N_("Subject")),
                 d.t(N_("Exhibit"))],
                [[date_text(e.day, ctx.lang), e.direction.label_in(ctx.lang), e.party, e.subject,
                  marks.get(e.document_ref or "", "")] for e in ctx.correspondence], [85, 70, 120, 170, 45])
    waited = waiting_days(ctx.correspondence, ctx.today)
    if waited is not None:
        d.add(d.t(N_("As of {today}, the application has been pending for {days} days (about {months} months)."),
                  today=date_text(ctx.today, ctx.lang), days=waited, months=waited * 12 // 365))
    d.h1(d.t(N_("Part II \u2013 Issue")))
    d.add(d.t(N_("Should the Court order the respondent to decide the applicant's application?")))
    d.h1(d.t(N_("Part III \u2013 Submissions")))
    d.h2(d.t(N_("The test for mandamus")))
    d.add(d.t(N_("Mandamus issues where each condition set out in Apotex Inc. v. Canada (Attorney General), "
                 "[1994] 1 FC 742 (FCA), aff'd [1994] 3 SCR 1100, is met:")))
    for n, (condition, hint) in enumerate(APOTEX, start=1):
        d.add(f"{n}. {d.t(condition)}")
        d.add(d.t(hint), d.s_bullet)
    d.h2(d.t(N_("Unreasonable delay")))
    d.add(d.t(N_("A delay is unreasonable where (Conille v. Canada (Minister of Citizenship and Immigration), "
                 "[1999] 2 FC 33 (TD)):")))
    d.bullets([d.t(text) for text in CONILLE])
    d.add(d.t(N_("[Apply each factor: the usual processing time, the applicant's prompt answers, the respondent's "
                 "silence or unexplained security screening.]")))
    d.h1(d.t(N_("Part IV \u2013 Order sought")))
    d.add(d.t(N_("An order of mandamus requiring the respondent to decide the application within {days} days of "
                 "the Court's order, and any other relief the Court considers just."), days=blank(4)))
    d.h1(d.t(N_("Part V \u2013 Authorities")))
    d.bullets(["Apotex Inc. v. Canada (Attorney General), [1994] 1 FC 742 (FCA)",
               "Conille v. Canada (Minister of Citizenship and Immigration), [1999] 2 FC 33 (TD)",
               d.t(N_("Immigration and Refugee Protection Act, s. 72"))])
    d.add(d.t(N_("Federal Courts Rules r. 70(4): at most 30 pages.")), d.s_small)
    d.signature([ctx.counsel or blank(), d.t(N_("Counsel for the applicant"))])
    return d.render()
