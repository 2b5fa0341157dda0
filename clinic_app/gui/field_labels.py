"""The words the window uses for the fields a ValidationError names.

Domain checks name fields as the code and the manifest do ("translation_of",
"status", "birth_date"); a person in the window sees "Original", "Statut",
"Date de naissance". `shown_error` swaps one for the other, in the interface
language; a page may pass its own words where the same name means something else
there (a client's "name" is their legal name). A code name with no label is left
out rather than shown: the message still says what is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from clinic_app.domain.common import message_of
from clinic_app.domain.matter import KeyDate
from clinic_app.errors import ValidationError
from clinic_app.i18n import N_, _

FIELD_LABELS: dict[str, str] = {
    # clients (client form, contacts and relatives tables)
    "name": N_("Name"), "legal_name": N_("Legal name"), "aliases": N_("Aliases"),
    "public_initials": N_("Public initials"), "birth_date": N_("Birth date"), "country": N_("Country"),
    "languages": N_("Languages"), "uci": N_("UCI"), "narrative": N_("Narrative"), "notes": N_("Notes"),
    "note": N_("Note"), "contacts": N_("Contacts"), "relatives": N_("Relatives"),
    "value": N_("Address, phone or email"), "kind": N_("Kind"), "do_not_contact": N_("Do not contact"),
    "relationship": N_("Relationship"), "location": N_("Location"), "status_in_canada": N_("Status in Canada"),
    # matters (matter form)
    "client": N_("Client"), "type": N_("Type"), "title": N_("Title"), "counsel": N_("Counsel"),
    "adverse_parties": N_("Adverse parties"), "description": N_("Description"), "irb": N_("IRB file"),
    "fc": N_("Federal Court file"), "ircc": N_("IRCC application"), "dates": N_("Key dates"),
    "deadline_options": N_("Deadline options"),
    "matter_type": N_("Type"),
    # documents and translations (documents and translations tabs)
    "date": N_("Date"), "language": N_("Language"), "language_guess": N_("Language"),
    "category": N_("Category"), "tags": N_("Tags"), "source": N_("Source"), "original_filename": N_("File"),
    "media_type": N_("File"), "sha256": N_("File"), "size": N_("File"), "pages_without_text": N_("Pages"),
    "translation_of": N_("Original"), "declaration_for": N_("Declaration"), "ref": N_("Ref"),
    # support letters (letter form)
    "matter": N_("Matter"), "writer": N_("Writer"), "organisation": N_("Organisation"),
    "writer_status": N_("Writer's status"), "contact": N_("Contact"), "translation_status": N_("Translation"),
    "themes": N_("Themes"), "key_quote": N_("Key quote"), "status": N_("Status"), "document": N_("Scanned letter"),
    "decision_maker": N_("Decision maker"),
    # bundles, packages, exhibits and correspondence
    "reference": N_("Citation"), "margin_mm": N_("Margin for the stamps (mm)"), "role": N_("Role"),
    "text": N_("Text"), "package": N_("Package"), "item": N_("Checklist item"),
    "supplement_to": N_("Supplement to"), "parts": N_("Parts"), "deponent": N_("Deponent"),
    "exhibit_of": N_("Affidavit"), "exhibits": N_("Exhibits"), "entry": N_("Entry"), "direction": N_("Direction"),
    "party": N_("Sent to or received from"), "subject": N_("Subject"),
    # deadline rules
    "trigger": N_("Trigger"), "trigger.rule": N_("Trigger"), "variants": N_("Variant"), "id": N_("Rule"),
}
_CODE_NAME = re.compile(r"^[a-z_][a-z0-9_]*(?:\[\d+\])?(?:\.[a-z_][a-z0-9_]*(?:\[\d+\])?)*$")
_INDEX = re.compile(r"\[(\d+)\]")
_KEY_DATES = frozenset(k.value for k in KeyDate)  # a matter's key dates, labelled as the matter form does


def field_label(field: str, own: Mapping[str, str] | None = None) -> str | None:
    """The label for a code name ("contacts[1].value" -> "Address, phone or email"), None
    when there is none; a field that is not a code name (already words) comes back as is."""
    if not field:
        return None
    if not _CODE_NAME.match(field):
        return field
    for candidate in (field, _INDEX.sub("", field), _INDEX.sub("", field).rsplit(".", 1)[-1]):
        if own and candidate in own:
            return own[candidate]
        if candidate in FIELD_LABELS:
            return _(FIELD_LABELS[candidate])
        if candidate in _KEY_DATES:
            return KeyDate(candidate).label
    return None


def shown_error(err: ValidationError, own: Mapping[str, str] | None = None) -> str:
    """The error as the window says it: "Statut : ne peut pas…", never "status: …"."""
    message = message_of(err)
    label = field_label(err.field, own)
    where = " ".join(p for p in (err.item, label) if p)
    return _("{field}: {message}").format(field=where, message=message) if where else message
