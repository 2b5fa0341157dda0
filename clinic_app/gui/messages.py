"""Long texts shown to users, in one place so translators find them together."""

from __future__ import annotations

from clinic_app.i18n import _, ngettext


def first_run_intro() -> str:
    return _(
        "Haven keeps your clinic's clients, matters and evidence in one encrypted vault on this "
        "computer. Choose who you are and a passphrase. You will become the vault's administrator "
        "and can add colleagues afterwards."
    )


def recovery_explained() -> str:
    return _(
        "This recovery key is shown only once. It is the only way back into the vault if every "
        "administrator forgets their passphrase. Print it or write it down now and keep it in the "
        "clinic's safe, never on this computer."
    )


def recovery_sheet_html(key: str, folder: str, admin: str, when: str) -> str:
    from html import escape

    title = _("Haven recovery key")
    folder_line = _("Vault folder: {folder}").format(folder=folder)
    admin_line = _("Administrator: {user}").format(user=admin)
    created = _("Created: {date}").format(date=when)
    usage = _("To use it: clinic-app recover --user ADMIN, then type this key.")
    return (
        f"<h1>{escape(title)}</h1>"
        f"<p>{escape(recovery_explained())}</p>"
        f"<p style='font-size:20pt; font-family:monospace'><b>{escape(key)}</b></p>"
        f"<p>{escape(folder_line)}<br>{escape(admin_line)}<br>{escape(created)}</p>"
        f"<p>{escape(usage)}</p>"
    )


def lock_limits() -> str:
    return _(
        "Haven locks after the inactivity delay below. On Linux it also locks when the screen "
        "locks or the computer goes to sleep, if the desktop announces it over D-Bus. On Windows "
        "and macOS only the inactivity delay applies: lock Haven yourself (Ctrl+L) before you "
        "leave the computer."
    )


def locked_after_idle() -> str:
    return _("Haven locked itself after a period of inactivity. Unlock to continue.")


def unsaved_discarded() -> str:
    return _("A form had changes that were not saved; they were discarded when Haven locked.")


def volunteer_note() -> str:
    return _("You are signed in as a volunteer: you can see and enter support letters.")


def built(pages: int, files: int, *, package: bool = False) -> str:
    """"Bundle built: 1 page in 1 file.", each count with its own plural."""
    in_pages = ngettext("{count} page", "{count} pages", pages).format(count=pages)
    in_files = ngettext("{count} file", "{count} files", files).format(count=files)
    text = _("Package built: {pages} in {files}.") if package else _("Bundle built: {pages} in {files}.")
    return text.format(pages=in_pages, files=in_files)
