"""Served bundles, supplements and bundle settings from the command line, run as real
processes: a manifest re-import of a longer file never changes the served bundle, a
supplement continues its tabs and pages (with documents or a manifest), paper size and
the other settings come from the manifest and the options, and `--today` dates a cover
but cannot redate a served bundle."""

from __future__ import annotations

import json
from pathlib import Path

import pikepdf

from clinic_app.services.intake_bridge import analyzer
from clinic_app.services.manifest_import import import_manifest
from clinic_app.services.session import unlock

from served_fixture import SERVED_ON, labels, page_texts, replace_alpha, sha256, stamps, write_case
from support import ADMIN, ADMIN_PASS, run_cli

PAPER = {"a4": (595, 842), "legal": (612, 1008), "letter": (612, 792)}


def _size(path: Path, page: int) -> tuple[int, int]:
    with pikepdf.open(path) as pdf:
        box = pdf.pages[page].mediabox
        return round(float(box[2])), round(float(box[3]))


def test_served_bundle_supplements_settings_and_today(vault_folder: Path, tmp_path: Path) -> None:
    v = ("--vault", str(vault_folder), "--passphrase-stdin")

    def cli(*args: str):  # type: ignore[no-untyped-def]
        return run_cli(*v, *args, stdin=ADMIN_PASS + "\n")

    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as s, analyzer() as analyze:
        import_manifest(s, write_case(tmp_path, "m1"), analyze=analyze)  # b-s on A4, from the manifest
    served = tmp_path / "served.pdf"
    done = cli("serve", "b-s", "--out", str(served), "--to", "Minister's counsel", "--method", "email",
               "--date", SERVED_ON, "--json")
    assert done.returncode == 0, done.stderr
    assert (json.loads(done.stdout)["first_page"], json.loads(done.stdout)["last_page"]) == (1, 20)
    assert _size(served, 3) == PAPER["a4"] and "2 January 2030" in page_texts(served)[0]  # dated as served
    with unlock(vault_folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        replace_alpha(s, tmp_path)  # a manifest re-import replaces d-alpha's record with a longer file

    again = tmp_path / "again.pdf"
    done = cli("build", "m-1", "--bundle", "b-s", "--out", str(again), "--today", SERVED_ON)
    assert done.returncode == 0, done.stderr
    assert sha256(again) == sha256(served)
    refused = cli("build", "m-1", "--bundle", "b-s", "--out", str(tmp_path / "later.pdf"), "--today", "2031-01-01")
    assert refused.returncode == 4 and "b-s was served" in refused.stderr and SERVED_ON in refused.stderr
    assert not (tmp_path / "later.pdf").exists()

    done = cli("supplement", "b-s", "--new", "b-s2", "--title", "Supplementary disclosure", "--doc", "d-alpha",
               "--paper", "legal", "--no-header", "--json")
    assert done.returncode == 0, done.stderr
    made = json.loads(done.stdout)
    assert (made["tabs"], made["first_tab"], made["first_page"]) == (1, 3, 21)
    supp = tmp_path / "supp.pdf"
    done = cli("build", "m-1", "--bundle", "b-s2", "--out", str(supp), "--today", "2031-02-03")
    assert done.returncode == 0, done.stderr
    texts, found, pages = page_texts(supp), stamps(supp), labels(supp)
    assert "3 February 2031" in texts[0] and "Supplementary disclosure" in texts[0]
    separator = next(i for i, text in enumerate(texts) if "Tab 3" in text)  # the tab page of the new tab
    assert (found[separator], pages[separator]) == ("21", "21")
    assert (found[separator + 1], pages[separator + 1]) == ("22", "22")
    assert (found[-1], pages[-1]) == ("33", "33") and "NEWALPHA page 12" in texts[-1]
    assert "TB1-12345" not in texts[-1]  # --no-header: no file number over the page
    assert _size(supp, separator + 1) == PAPER["legal"]

    later = {"ref": "b-s3", "matter": "m-1", "title": "Second supplement", "settings": {"paper": "letter"},
             "tabs": ["d-bravo"]}
    done = cli("supplement", "b-s", "--new", "b-s3", "--manifest", str(write_case(tmp_path, "m3", bundle=later)),
               "--json")
    assert done.returncode == 0, done.stderr
    made = json.loads(done.stdout)
    assert (made["tabs"], made["first_tab"], made["first_page"]) == (1, 3, 21)
    done = cli("bundle-settings", "b-s3", "--split-max-pages", "40", "--json")
    assert done.returncode == 0, done.stderr
    settings = json.loads(done.stdout)["settings"]
    assert (settings["paper"], settings["header"], settings["split_max_pages"], settings["first_page"]) == (
        "letter", True, 40, 21)  # the manifest's paper, the served bundle's header, numbering continued
