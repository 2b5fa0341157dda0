"""The stamp margin from the command line: a manifest's `settings.margin_mm`, then
`bundle-settings --margin-mm`, each seen in the PDF that `build` writes (real processes)."""

from __future__ import annotations

from pathlib import Path

import yaml
from stamp_readback import corner_marks, edge_to_edge_pdf, overlaps, pdfium_pages, union

from support import ADMIN_PASS, run_cli

MM = 72 / 25.4


def _content_box(path: Path) -> tuple[tuple[float, float, float, float], float, float]:
    """The union of the source page's glyph boxes, and the page's size; stamps checked clear of it."""
    (page,) = [p for p in pdfium_pages(path) if corner_marks("EDGE")[0] in p.content_text()]
    region = union([b for _c, b in page.content])
    assert page.stamp_text(top=False).isdigit()
    assert not any(overlaps(box, region) for _c, box in page.stamps)
    assert all(mark in page.content_text() for mark in corner_marks("EDGE"))
    return region, page.width, page.height


def test_margin_from_the_manifest_and_from_bundle_settings(vault_folder: Path, tmp_path: Path) -> None:
    (tmp_path / "edge.pdf").write_bytes(edge_to_edge_pdf([("EDGE", 595.2756, 841.8898)]))
    manifest = {
        "version": 1,
        "clients": [{"ref": "c-1", "name": "Test Client"}],
        "matters": [{"ref": "m-1", "client": "c-1", "type": "rpd_claim", "title": "Claim"}],
        "documents": [{"ref": "d-edge", "matter": "m-1", "file": "edge.pdf", "title": "Edges"}],
        "bundles": [{"ref": "b-1", "matter": "m-1", "title": "Disclosure", "settings": {"margin_mm": 20},
                     "tabs": ["d-edge"]}],
    }
    (tmp_path / "case.yaml").write_text(yaml.safe_dump(manifest), encoding="utf-8")
    v = ("--vault", str(vault_folder), "--passphrase-stdin")
    done = run_cli(*v, "import", str(tmp_path / "case.yaml"), stdin=ADMIN_PASS + "\n")
    assert done.returncode == 0, done.stderr
    out = tmp_path / "twenty.pdf"
    done = run_cli(*v, "build", "m-1", "--bundle", "b-1", "--out", str(out), stdin=ADMIN_PASS + "\n")
    assert done.returncode == 0, done.stderr
    region, width, height = _content_box(out)
    assert 20 * MM - 0.5 <= region[0] and region[2] <= width - 20 * MM + 0.5
    assert 20 * MM - 0.5 <= region[1] and region[3] <= height - 20 * MM + 0.5
    assert region[3] - region[1] > 0.96 * (height - 40 * MM)  # A4 on Letter: the height binds

    done = run_cli(*v, "bundle-settings", "b-1", "--margin-mm", "35", stdin=ADMIN_PASS + "\n")
    assert done.returncode == 0, done.stderr
    assert "margin_mm: 35" in done.stdout
    wide = tmp_path / "thirty-five.pdf"
    done = run_cli(*v, "build", "m-1", "--bundle", "b-1", "--out", str(wide), stdin=ADMIN_PASS + "\n")
    assert done.returncode == 0, done.stderr
    inner, width, height = _content_box(wide)
    assert 35 * MM - 0.5 <= inner[0] and inner[2] <= width - 35 * MM + 0.5 and inner[0] > region[0] + 20

    manifest["bundles"][0]["settings"] = {"margin_mm": 100}
    (tmp_path / "case.yaml").write_text(yaml.safe_dump(manifest), encoding="utf-8")
    refused = run_cli(*v, "import", str(tmp_path / "case.yaml"), stdin=ADMIN_PASS + "\n")
    assert refused.returncode == 4 and "settings.margin_mm" in refused.stderr, refused.stderr
