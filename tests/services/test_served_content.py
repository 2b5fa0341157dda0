"""A served bundle is a snapshot of content: replacing, retitling or purging documents never
changes what it rebuilds to; supplements continue its tabs and pages. Real vault, real
intake, PDFs read back."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pypdf
import pytest

from clinic_app.domain.bundle import BundleSpec, Section
from clinic_app.domain.client import Client
from clinic_app.domain.matter import Matter
from clinic_app.errors import BadInput, ValidationError
from clinic_app.services import bundles, case_record, evidence, purge
from clinic_app.services.intake_bridge import analyzer
from clinic_app.services.manifest_import import import_manifest
from clinic_app.services.served_content import ServedContentMissing, ServedDateFixed
from clinic_app.services.session import unlock
from clinic_app.vault.steps import m0006_served_content

from served_fixture import DAY, SERVED_ON, labels, page_texts, replace_alpha, serve_case, sha256, stamps, write_case
from support import ADMIN, ADMIN_PASS


def _blob_shas(s) -> set[str]:  # type: ignore[no-untyped-def]
    return {r[0] for r in s.vault.conn.execute("SELECT sha256 FROM blobs")}


def test_served_bundle_rebuilds_byte_identical_and_a_supplement_continues(admin_session, tmp_path: Path) -> None:
    s = admin_session
    entry, served = serve_case(s, tmp_path)
    assert (entry.first_page, entry.last_page) == (1, 20)  # Alpha 2-11, Bravo 13-20 after their tab pages
    replace_alpha(s, tmp_path)
    assert len(pypdf.PdfReader(io.BytesIO(evidence.read_working(s, "d-alpha"))).pages) == 12  # replaced for real
    evidence.update_metadata(s, "d-bravo", title="Bravo, retitled", doc_date=date(2029, 5, 5))
    again = tmp_path / "again.pdf"
    bundles.build(s, "b-s", again)  # no date given: the served date stands, whatever day it is
    assert sha256(again) == sha256(served)
    text = "".join(page_texts(again))
    assert "ALPHA page 10" in text and "NEWALPHA" not in text and "retitled" not in text
    assert bundles.changed_since_served(s, "m-1") == {"b-s": [("d-alpha", "Alpha")]}
    with pytest.raises(ServedDateFixed, match=SERVED_ON):
        bundles.build(s, "b-s", tmp_path / "other-day.pdf", today=date(2031, 1, 1))
    assert not (tmp_path / "other-day.pdf").exists()

    supp = bundles.create_supplementary(s, "b-s", "b-s2", "Supplementary disclosure", ["d-alpha"])
    assert (supp.settings.first_tab_number, supp.settings.first_page_number, supp.settings.paper) == (3, 21, "a4")
    out = tmp_path / "supp.pdf"
    result = bundles.build(s, "b-s2", out, today=date(2030, 3, 1))
    tab = result.tabs[0]
    assert (tab.label, tab.first_number, tab.last_number) == ("3", 22, 33)  # the new, 12-page version
    pages, found = labels(out), stamps(out)
    assert pages[tab.separator_physical - 1] == "21" == found[tab.separator_physical - 1]
    assert pages[tab.first_physical - 1] == "22" == found[tab.first_physical - 1]
    assert pages[tab.last_physical - 1] == "33" == found[tab.last_physical - 1]
    texts = page_texts(out)
    assert "NEWALPHA page 12" in texts[tab.last_physical - 1] and "Tab 3" in texts[tab.first_physical - 1]
    assert "22" in texts[1] and "33" in texts[1]  # the index lists tab 3 at its stamped pages


def test_a_served_bundle_whose_content_is_gone_is_refused_naming_the_document(admin_session, tmp_path: Path) -> None:
    s = admin_session
    entry, _served = serve_case(s, tmp_path)
    old = entry.snapshot["sources"]["d-alpha"]["sha256"]
    replace_alpha(s, tmp_path)
    assert old in _blob_shas(s)  # no document holds it any more; the served snapshot keeps it
    with s.transaction() as conn:  # as in a vault upgraded after the change, or damaged
        conn.execute("DELETE FROM blobs WHERE sha256 = ?", (old,))
    with pytest.raises(ServedContentMissing) as info:
        bundles.build(s, "b-s", tmp_path / "again.pdf")
    message = str(info.value)
    assert "d-alpha" in message and "“Alpha”" in message and "changed since it was served" in message
    assert "d-bravo" not in message and not (tmp_path / "again.pdf").exists()


def test_replaced_versions_go_with_their_client_and_are_kept_for_another_clients_service(
        admin_session, tmp_path: Path) -> None:
    s = admin_session
    entry, _served = serve_case(s, tmp_path)
    old = entry.snapshot["sources"]["d-alpha"]["sha256"]
    bravo = entry.snapshot["sources"]["d-bravo"]["sha256"]
    replace_alpha(s, tmp_path)
    # another client's matter served a bundle holding Bravo too: that service keeps Bravo's bytes
    case_record.save_client(s, Client(ref="c-2", legal_name="Other Client"))
    case_record.save_matter(s, Matter(ref="m-2", client_ref="c-2", type="rpd_claim", title="Other claim"))
    evidence.link_to_matter(s, "d-bravo", "m-2")
    bundles.save_project(s, "b-o", "m-2", BundleSpec(
        title="Other", sections=[Section(tabs=bundles.tabs_for_documents(s, ["d-bravo"]))]))
    result = bundles.build(s, "b-o", tmp_path / "other.pdf", today=DAY)
    bundles.mark_served(s, "b-o", served_to="Minister's counsel", method="email", served_on=DAY, result=result)
    with s.transaction() as conn:  # only b-o's service log still names Bravo's content: no link, no project
        conn.execute("DELETE FROM document_matters WHERE matter_id = (SELECT id FROM matters WHERE ref = 'm-2')")
        conn.execute("UPDATE bundles SET data = ? WHERE ref = 'b-o'",
                     (json.dumps(BundleSpec(title="Other", sections=[Section()]).to_dict()),))
    plan = purge.plan_deletion(s, "c-1")
    assert "d-bravo" in plan.documents_kept and "d-alpha" in plan.documents_deleted
    purge.delete_client(s, plan)
    shas = _blob_shas(s)
    assert old not in shas  # the replaced version went with its client's service log
    assert bravo in shas
    assert bundles.service_log(s, "m-2")[0].bundle_ref == "b-o"
    assert sha256(bundles.build(s, "b-o", tmp_path / "again.pdf").files[0]) == sha256(tmp_path / "other.pdf")


def test_manifest_supplement_keeps_the_served_settings_and_continues(admin_session, tmp_path: Path) -> None:
    s = admin_session
    serve_case(s, tmp_path)
    later = {"ref": "b-s2", "matter": "m-1", "title": "Supplementary", "supplement_to": "b-s",
             "settings": {"header": False}, "tabs": ["d-bravo"]}
    with analyzer() as analyze:
        import_manifest(s, write_case(tmp_path, "m3", bundle={}, extra_bundles=[later]), analyze=analyze)
        _m, spec = bundles.load_project(s, "b-s2")
        st = spec.settings
        assert (st.paper, st.header, st.first_tab_number, st.first_page_number) == ("a4", False, 3, 21)
        bad = dict(later, settings={"first_page": 5})
        with pytest.raises(ValidationError, match="first_page"):
            import_manifest(s, write_case(tmp_path, "m4", bundle={}, extra_bundles=[bad]), analyze=analyze)


def test_bundles_served_before_content_was_frozen_are_frozen_on_upgrade(vault_folder: Path, tmp_path: Path) -> None:
    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        entry, _served = serve_case(s, tmp_path)
        conn = s.vault.conn
        _m, project = bundles.load_project(s, "b-s")
        legacy = {"spec": project.to_dict(), "tabs": entry.snapshot["tabs"]}  # what schema 5 recorded
        with s.transaction():
            conn.execute("UPDATE bundle_service SET snapshot = ?", (json.dumps(legacy),))
        with s.transaction():  # what upgrading a schema-5 vault runs (later steps add unrelated tables)
            m0006_served_content.apply(conn)
    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        snapshot = bundles.service_log(s, "m-1")[0].snapshot
        assert set(snapshot["sources"]) == {"d-alpha", "d-bravo"}
        assert snapshot["sources"]["d-alpha"] == entry.snapshot["sources"]["d-alpha"]
        replace_alpha(s, tmp_path)
        out = bundles.build(s, "b-s", tmp_path / "legacy.pdf").files[0]
        text = "".join(page_texts(out))
        assert "ALPHA page 10" in text and "NEWALPHA" not in text
        assert "2 January 2030" in page_texts(out)[0]  # dated the day it was served, not the day rebuilt


def test_only_a_build_of_the_saved_project_can_be_marked_served(admin_session, tmp_path: Path) -> None:
    s = admin_session
    with analyzer() as analyze:
        import_manifest(s, write_case(tmp_path, "m1"), analyze=analyze)
    result = bundles.build(s, "b-s", tmp_path / "built.pdf", today=DAY)
    matter_ref, spec = bundles.load_project(s, "b-s")
    spec.sections[0].tabs.reverse()  # edited and saved after that build
    bundles.save_project(s, "b-s", matter_ref, spec)
    with pytest.raises(BadInput, match="changed after this build"):
        bundles.mark_served(s, "b-s", served_to="Minister's counsel", method="email", served_on=DAY, result=result)
    assert bundles.service_log(s, "m-1") == []
