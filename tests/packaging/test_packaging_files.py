"""The files the builds ship besides the program: icons, the Linux desktop entry and
AppStream metadata, the Windows installer script; and the spec's promises."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from clinic_app import __version__

REPO = Path(__file__).resolve().parents[2]
ICONS = REPO / "resources" / "icons"
LINUX = REPO / "resources" / "linux"
APP_ID = "ca.haven.Haven"


def test_icon_renders_match_their_names() -> None:
    assert (ICONS / "haven.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        with Image.open(ICONS / f"haven-{size}.png") as image:
            assert image.size == (size, size) and image.mode == "RGBA"
    with Image.open(ICONS / "haven.ico") as ico:
        assert {(256, 256), (48, 48), (16, 16)} <= set(ico.info["sizes"])
    with Image.open(ICONS / "haven.icns") as icns:
        assert icns.size == (1024, 1024)


def test_desktop_entry() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(LINUX / f"{APP_ID}.desktop", encoding="utf-8")
    d = entry["Desktop Entry"]
    assert (d["Type"], d["Name"], d["Exec"], d["Icon"], d["Terminal"]) == (
        "Application", "Haven", "clinic-app", APP_ID, "false")
    assert "Office" in d["Categories"].split(";")
    if shutil.which("desktop-file-validate"):
        done = subprocess.run(["desktop-file-validate", str(LINUX / f"{APP_ID}.desktop")], capture_output=True,
                              text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr


def test_appstream_metadata() -> None:
    path = LINUX / f"{APP_ID}.metainfo.xml"
    root = ET.parse(path).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.find("launchable").text == f"{APP_ID}.desktop"  # type: ignore[union-attr]
    assert root.find("provides/binary").text == "clinic-app"  # type: ignore[union-attr]
    releases = [r.get("version") for r in root.findall("releases/release")]
    assert releases and releases[0] == __version__, "add a <release> for the new version"
    if shutil.which("appstreamcli"):
        done = subprocess.run(["appstreamcli", "validate", "--no-net", str(path)], capture_output=True,
                              text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr


def test_inno_setup_script_packs_the_built_folder() -> None:
    iss = (REPO / "packaging" / "windows" / "haven.iss").read_text(encoding="utf-8")
    assert 'Source: "{#Root}\\dist\\clinic-app\\*"' in iss
    assert re.search(r"AppId=\{\{[0-9A-F-]{36}\}", iss)
    assert "PrivilegesRequired=lowest" in iss and "Haven.exe" in iss


def test_spec_collects_what_is_loaded_by_name() -> None:
    spec = (REPO / "packaging" / "haven.spec").read_text(encoding="utf-8")
    for needed in ('collect_submodules("clinic_app")', 'collect_submodules("holidays")',
                   'collect_dynamic_libs("pypdfium2_raw")', "_argon2_cffi_bindings", "sqlcipher3._sqlite3",
                   "qtbase_(en|fr)", "haven_main.py", 'name="clinic-app"', "BUNDLE(",
                   '(ROOT / "docs").rglob("*")', '".md", ".png"', '(str(ROOT / "LICENSE"), ".")'):
        assert needed in spec, needed  # the last three: the user guide and licence for the Help menu
    steps = sorted(p.stem for p in (REPO / "clinic_app" / "vault" / "steps").glob("m[0-9]*.py"))
    assert steps, "collect_submodules must find the schema steps"


@pytest.mark.parametrize("script", ["build", "smoke-test", "linux/make-archive", "linux/install.sh"])
def test_scripts_are_valid_shell(script: str) -> None:
    path = REPO / "packaging" / script
    assert path.stat().st_mode & 0o111, f"{script} is not executable"
    shell = "sh" if script.endswith(".sh") else "bash"
    done = subprocess.run([shell, "-n", str(path)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
