"""Warnings about an imported file, as translatable sentences.

The child reports warnings as (code, integer params); the parent turns them into
sentences here, in the UI's language, with the file's display name. Unknown codes
and non-integer params from the child are dropped: the child reads hostile files
and is not trusted to write text a user will see.
"""

from __future__ import annotations

from typing import Any

from clinic_app.i18n import N_, _, ngettext
from clinic_app.intake.limits import ocr_switched_off

OCR_OFF_HINT = N_("Text recognition is switched off on this computer (HAVEN_OCR=off); import the file "
                  "again with it on to make such pages searchable.")
TESSERACT_HINT = N_(
    "Install Tesseract OCR (free) so Haven can make such pages searchable: on Linux "
    "'apt install tesseract-ocr tesseract-ocr-fra tesseract-ocr-spa'; on Windows or macOS, "
    "the installer linked from the Tesseract project's page. Then import the file again."
)

TEMPLATES: dict[str, str] = {
    "name_mismatch": N_(
        "The content of {name} does not match the kind of file its name suggests; "
        "Haven imported it according to its content."
    ),
    "encrypted_opened": N_(
        "{name} is password-protected. The original is stored as it is; the working copy "
        "used for bundles is not protected."
    ),
    "page_size_missing": N_("Page {page} of {name} has no valid page size; US Letter was assumed."),
    "text_truncated": N_(
        "{name} holds more text than Haven keeps for searching ({limit_mb} million characters); "
        "only the first part is searchable."
    ),
    "page_text_unreadable": N_(
        "The text of page {page} of {name} could not be read; the page itself is kept."
    ),
    "form_unreadable": N_("The form fields of {name} could not be read; the pages are kept."),
    "structure_rebuilt": N_(
        "{name} has a damaged internal structure; Haven rebuilt it from its pages. Bookmarks "
        "and form fields may be missing from the working copy: compare it with the original."
    ),
    "xfa": N_(
        "{name} contains an XFA form, whose content may only appear in Adobe Reader and can be "
        "missing from the working copy and from bundles. Check its pages; if something is "
        "missing, open it in Adobe Reader, print it to PDF and import that file."
    ),
    "signature": N_(
        "{name} is digitally signed. The original is stored unchanged with its signature; "
        "the working copy used for bundles cannot carry a valid signature."
    ),
    "active_content_removed": N_(
        "Haven removed scripts, automatic actions or media from the working copy of {name}. "
        "The original is stored unchanged."
    ),
    "embedded_files": N_(
        "{name} has files attached inside it. They are kept only in the stored original: "
        "open the original in a PDF reader to see them, and import any that are evidence."
    ),
    "ocr_unavailable": "",  # counted: see _counted
    "ocr_applied": "",
    "ocr_incomplete": "",  # counted: see _counted
    "ocr_page_failed": N_(
        "Text recognition failed on page {page} of {name}; it is not searchable."
    ),
    "ocr_renderer_missing": N_(
        "Text recognition is not available because Haven's page renderer (pypdfium2) is missing."
    ),
    "text_not_utf8": N_(
        "{name} is not saved as UTF-8; Haven read it as Western European text (Windows-1252). "
        "If letters look wrong, save it as UTF-8 and import it again."
    ),
}

_INT_PARAMS = ("page", "limit_mb", "count", "done", "total")
_COUNTED = {"ocr_unavailable": "count", "ocr_applied": "count", "ocr_incomplete": "total"}


def _counted(code: str, count: int) -> str:
    """A warning whose words follow its count ("1 page … is", "3 pages … are")."""
    if code == "ocr_unavailable":
        return ngettext("{count} page of {name} is a scanned image without searchable text.",
                        "{count} pages of {name} are scanned images without searchable text.", count)
    if code == "ocr_incomplete":
        return ngettext("Text recognition stopped after {done} of {total} scanned page of {name} because it "
                        "was taking too long; the other pages are not searchable.",
                        "Text recognition stopped after {done} of {total} scanned pages of {name} because it "
                        "was taking too long; the other pages are not searchable.", count)
    return ngettext("The text of {count} scanned page of {name} was recognised automatically (OCR) and "
                    "may contain mistakes.",
                    "The text of {count} scanned pages of {name} was recognised automatically (OCR) and "
                    "may contain mistakes.", count)


def render_warnings(raw: Any, name: str) -> tuple[str, ...]:
    """Translate the child's [(code, params), ...] into sentences, in order, without repeats."""
    sentences: list[str] = []
    if not isinstance(raw, list):
        return ()
    for item in raw:
        if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], str)):
            continue
        code, params = item
        template = TEMPLATES.get(code)
        if template is None:
            continue
        values = {"name": name}
        if isinstance(params, dict):
            for key in _INT_PARAMS:
                value = params.get(key)
                if isinstance(value, int) and not isinstance(value, bool):
                    values[key] = str(value)
        try:
            counted = _counted(code, int(values[_COUNTED[code]])) if code in _COUNTED else _(template)
            sentence = counted.format(**values)
        except (KeyError, IndexError, ValueError):
            continue  # a param the child did not send: drop the warning, never crash
        if code == "ocr_unavailable":  # switched off on purpose: installing Tesseract would not help
            sentence = f"{sentence} {_(OCR_OFF_HINT) if ocr_switched_off() else _(TESSERACT_HINT)}"
        if sentence not in sentences:
            sentences.append(sentence)
    return tuple(sentences)
