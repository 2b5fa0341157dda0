"""A window killed while its build child works: the child notices, cancels, removes its
temp file and exits; no output appears and the vault is untouched. Killed together
(kill -9 of the whole process group), the two leave no file either: the output has no
name until it is finished (clinic_app/fsutil.py)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from clinic_app.temp_journal import FOLDER

from rel_support import soundness
from support import ADMIN, ADMIN_PASS

SCRIPT = textwrap.dedent("""
    import sys
    from pathlib import Path
    from clinic_app.services.build_process import build_in_child
    from clinic_app.services.session import unlock

    def main():
        folder, out = Path(sys.argv[1]), Path(sys.argv[2])
        with unlock(folder, user=sys.argv[3], passphrase=sys.argv[4]) as session:
            def progress(done, total, label):
                print("progress", done, total, flush=True)
            build_in_child(session, "b-1", out, progress=progress)
            print("finished", flush=True)

    if __name__ == "__main__":
        main()
""")


def _children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.fixture(scope="module")
def bundle_vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A vault whose bundle takes several seconds to build (3,200 pages)."""
    import io

    from reportlab.pdfgen import canvas

    from clinic_app.domain.bundle import BundleSpec, DocumentPart, Section, Tab
    from clinic_app.domain.client import Client
    from clinic_app.domain.document import DocumentMeta
    from clinic_app.domain.matter import Matter
    from clinic_app.services import bundles, case_record, evidence
    from clinic_app.services.evidence import Analysis
    from clinic_app.services.session import create_vault

    folder = tmp_path_factory.mktemp("build-child") / "vault"
    session, _recovery = create_vault(folder, admin=ADMIN, passphrase=ADMIN_PASS, kdf_profile="fast")
    with session as s:
        case_record.save_client(s, Client(ref="c-1", legal_name="Client"))
        case_record.save_matter(s, Matter(ref="m-1", client_ref="c-1", type="hc", title="H&C"))
        buf = io.BytesIO()
        pdf = canvas.Canvas(buf, invariant=1)
        for p in range(400):
            pdf.drawString(72, 700, f"page {p + 1} " + "x" * 60)
            pdf.showPage()
        pdf.save()
        evidence.store_document(s, io.BytesIO(buf.getvalue()), DocumentMeta(ref="d-1", title="Doc"), ["m-1"],
                                analysis=Analysis(page_count=400))
        tabs = [Tab(f"Copy {n}", parts=[DocumentPart("d-1")]) for n in range(8)]  # 3,200 pages
        bundles.save_project(s, "b-1", "m-1", BundleSpec(title="Record", sections=[Section("", tabs)]))
    return folder


@pytest.mark.parametrize("killed", ["parent", "parent and child"])
def test_killing_the_parent_stops_the_build_child(bundle_vault: Path, tmp_path: Path, killed: str) -> None:
    folder = tmp_path / "vault"
    shutil.copytree(bundle_vault, folder)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    script = tmp_path / "build_script.py"
    script.write_text(SCRIPT, encoding="utf-8")
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    proc = subprocess.Popen([sys.executable, str(script), str(folder), str(out_dir / "b.pdf"), ADMIN, ADMIN_PASS],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path,
                            start_new_session=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()  # the child is building once progress arrives
    assert line.startswith("progress"), (line, proc.stderr.read() if proc.stderr else "")
    children = _children_of(proc.pid)
    assert children, "the build runs in a child process"
    if killed == "parent":
        proc.send_signal(signal.SIGKILL)
    else:  # at once, as a crash or a power-off of the session would
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    deadline = time.monotonic() + 60
    while any(Path(f"/proc/{c}").exists() and "Z" not in Path(f"/proc/{c}/stat").read_text().split()[2]
              for c in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    alive = [c for c in children if Path(f"/proc/{c}").exists()
             and "Z" not in Path(f"/proc/{c}/stat").read_text().split()[2]]
    assert alive == [], "the build child outlived its parent"
    assert list(out_dir.iterdir()) == []  # no output, no temp file: removed by the cancel, or never named
    in_flight = Path(os.environ["HAVEN_STATE_DIR"]) / FOLDER
    assert not in_flight.is_dir() or os.listdir(in_flight) == []
    found = soundness(folder)  # the vault is whole, and no build was recorded
    assert found.problems == [] and len(found.documents) == 1
    from clinic_app.services import audit_log
    from clinic_app.services.session import unlock

    with unlock(folder, user=ADMIN, passphrase=ADMIN_PASS) as s:
        assert [e for e in audit_log.entries(s) if e.action == "bundle_built"] == []
