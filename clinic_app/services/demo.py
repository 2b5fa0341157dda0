"""The demo vault: fictional people only, so anyone can try Haven safely."""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from clinic_app.domain.roles import Role
from clinic_app.errors import VaultExists, VaultPlaceNotFolder
from clinic_app.paths import demo_vault_dir
from clinic_app.pdf.demo_pages import fictional_pdf
from clinic_app.domain.bundle import BundleSpec, Section, Tab
from clinic_app.i18n import _
from clinic_app.services import bundles, case_record, correspondence, demo_data, evidence, users
from clinic_app.services.bundle_specs import tab_for_document
from clinic_app.services.evidence import Analysis
from clinic_app.services.session import Session, create_vault, unlock
from clinic_app.services.vault_check import CheckReport, check
from clinic_app.vault.lockfile import VaultLock

DEMO_ADMIN = "demo"
DEMO_PASSPHRASE = "fictional clinic demo passphrase"
DEMO_USERS = {
    "lawyer": (Role.LAWYER, "fictional lawyer demo passphrase"),
    "volunteer": (Role.VOLUNTEER, "fictional volunteer demo passphrase"),
}


def populate(session: Session) -> None:
    """Fill an open vault with the fictional matters of `demo_data`, in one transaction."""
    with session.transaction():
        for client in demo_data.clients():
            case_record.save_client(session, client)
        for matter in demo_data.matters():
            case_record.save_matter(session, matter)
        for doc in demo_data.documents() + demo_data.mandamus_documents():
            data = fictional_pdf(doc.meta.title, list(doc.paragraphs), pages=doc.pages, a4=doc.a4)
            name = f"{doc.meta.ref}.pdf"
            # our own generated, trusted PDFs: their facts are known without parsing them
            facts = Analysis(text="\n".join((doc.meta.title, *doc.paragraphs)), page_count=doc.pages,
                             media_type="application/pdf", language_guess=doc.meta.language)
            evidence.store_document(session, io.BytesIO(data), doc.meta, doc.matters, original_filename=name,
                                    analysis=facts)
        for link in demo_data.translations():
            case_record.link_translation(session, link)
        for letter in demo_data.letters():
            case_record.save_letter(session, letter)
        for matter_ref, entry in demo_data.correspondence():
            correspondence.save_entry(session, matter_ref, entry)
        for ref, matter_ref, title, sections, references in demo_data.bundles():
            conn = session.vault.conn
            spec = BundleSpec(title=title, sections=[
                Section(name, [tab_for_document(conn, doc, pages=pages) for doc, pages in docs])
                for name, docs in sections])
            spec.sections[-1].tabs += [Tab(title=_("National Documentation Package"), reference=cite,
                                           date=date(2025, 4, 30)) for cite in references]
            bundles.save_project(session, ref, matter_ref, spec)


@dataclass(frozen=True)
class DemoVault:
    folder: Path
    recovery_key: str
    report: CheckReport
    users: dict[str, str]  # name -> role
    replaced: bool = False  # an earlier demo vault was there and was recreated


MARKER = "HAVEN-DEMO-VAULT.txt"
MARKER_TEXT = ("This folder holds Haven's demo vault: fictional people only. `clinic-app demo` deletes and "
               "recreates it. Keep nothing real in it.\n")


def clear_demo_folder(folder: Path) -> bool:
    """Empty `folder` for a fresh demo vault; True if an earlier demo was removed.

    Only an absent or empty folder, or one holding Haven's demo vault (its marker file),
    is ever touched: a real vault or anything else there is refused (VaultExists), and a
    demo open in a window is refused (VaultInUse) rather than pulled from under it.
    """
    if not folder.exists():
        return False
    if not folder.is_dir() and not folder.is_symlink():
        raise VaultPlaceNotFolder(str(folder))
    if not folder.is_dir() or folder.is_symlink():
        raise VaultExists(str(folder))
    if not any(folder.iterdir()):
        return False
    if not (folder / MARKER).is_file():
        raise VaultExists(str(folder))
    lock = VaultLock(folder)
    lock.acquire()
    lock.release()
    shutil.rmtree(folder)
    return True


def create_demo(folder: Path | None = None, *, kdf_profile: str = "standard") -> DemoVault:
    """The demo vault in `folder` (default: paths.demo_vault_dir()), replacing an earlier demo:
    its dates are counted from today, so a fresh one always has live deadlines."""
    target = Path(folder) if folder else demo_vault_dir()
    replaced = clear_demo_folder(target)
    session, recovery = create_vault(target, admin=DEMO_ADMIN, passphrase=DEMO_PASSPHRASE,
                                     kdf_profile=kdf_profile)
    (target / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    with session:
        for name, (role, passphrase) in DEMO_USERS.items():
            users.add_user(session, name, role, passphrase)
        populate(session)
    with unlock(target, user=DEMO_ADMIN, passphrase=DEMO_PASSPHRASE) as session:
        report = check(session)
        roster = {u.name: u.role.value for u in users.list_users(session)}
    return DemoVault(target, recovery, report, roster, replaced)
