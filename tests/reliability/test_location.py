"""Location guard: network shares refused, cloud-synced folders warned about (fake mount tables)."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from clinic_app.services.location_guard import assess_vault_folder, backup_folder_warnings, guard_vault_folder
from clinic_app.vault import location
from clinic_app.vault.errors import LocationRefused

from rel_support import haven, vault_args
from support import ADMIN_PASS

LINUX = """\
/dev/sda1 / ext4 rw,relatime 0 0
proc /proc proc rw 0 0
//files.clinic.local/share {share} cifs rw,vers=3.0 0 0
server:/export {nfs} nfs4 rw 0 0
user@host:/srv {sshfs} fuse.sshfs rw 0 0
tmpfs {tmp} tmpfs rw 0 0
"""

MACOS = """\
/dev/disk3s1s1 on / (apfs, sealed, local, read-only, journaled)
//ana@nas.local/Clinic on {share} (smbfs, nodev, nosuid, mounted by ana)
"""


@pytest.mark.parametrize("kind", ["share", "nfs", "sshfs"])
def test_network_mounts_are_refused(tmp_path: Path, kind: str) -> None:
    points = {k: str(tmp_path / k) for k in ("share", "nfs", "sshfs", "tmp")}
    for point in points.values():
        Path(point).mkdir()
    table = LINUX.format(**points)
    folder = tmp_path / kind / "Haven" / "vault"  # not created yet: its parent decides
    with pytest.raises(LocationRefused) as info:
        guard_vault_folder(folder, mounts=table)
    assert "network" in str(info.value)
    assert backup_folder_warnings(folder, mounts=table)  # backups there: a warning, not a refusal
    assert guard_vault_folder(tmp_path / "tmp" / "vault", mounts=table) == []


def test_mount_points_with_spaces_and_the_bsd_format(tmp_path: Path) -> None:
    spaced = tmp_path / "Clinic Share"
    table = f"//nas/c {str(spaced).replace(' ', chr(92) + '040')} cifs rw 0 0\n"
    assert [f.kind for f in location.assess(spaced / "v", mounts=table)] == ["network"]
    mac = MACOS.format(share=str(tmp_path / "Volumes" / "Clinic"))
    assert location.assess(tmp_path / "Volumes" / "Clinic" / "v", mounts=mac)[0].detail == "smbfs"
    assert location.assess(tmp_path / "Volumes" / "Other", mounts=mac) == []


def test_the_longest_mount_point_wins(tmp_path: Path) -> None:
    table = f"srv:/x {tmp_path} nfs rw 0 0\n/dev/sdb1 {tmp_path / 'local'} ext4 rw 0 0\n"
    (tmp_path / "local").mkdir()
    assert location.assess(tmp_path / "local" / "vault", mounts=table) == []
    assert location.assess(tmp_path / "localx", mounts=table)[0].kind == "network"


@pytest.mark.parametrize("parts", [
    ("Dropbox", "Clinic"), ("Dropbox (Clinic Legal)",), ("OneDrive - Clinique juridique", "Dossiers"),
    ("Google Drive", "My Drive"), ("Library", "Mobile Documents", "com~apple~CloudDocs"),
    ("Library", "CloudStorage", "OneDrive-Personal"), ("iCloud Drive",), ("Nextcloud",),
])
def test_cloud_synced_folders_are_warned_about(tmp_path: Path, parts: tuple[str, ...]) -> None:
    folder = tmp_path.joinpath(*parts, "HavenVault")
    check = assess_vault_folder(folder, mounts="")
    assert not check.refused and len(check.warnings) == 1
    assert guard_vault_folder(folder, mounts="") == list(check.warnings)


def test_ordinary_folders_pass(tmp_path: Path) -> None:
    for parts in (("Documents", "Haven"), ("dropboxes-are-not-clouds",), ("Boxing club",)):
        assert assess_vault_folder(tmp_path.joinpath(*parts), mounts="").ok
    assert location.cloud_component(PurePosixPath("/home/ana/Documents/Haven")) is None


def test_a_symlink_into_a_share_is_followed(tmp_path: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    (tmp_path / "innocent").symlink_to(share)
    table = f"//nas/c {share} cifs rw 0 0\n"
    with pytest.raises(LocationRefused):
        guard_vault_folder(tmp_path / "innocent" / "vault", mounts=table)


def test_this_machine_reads_its_mount_table() -> None:
    table = location.read_mount_table()
    if table is None:
        pytest.skip("no readable mount table on this platform")
    assert location.find_mount("/", location.parse_mounts(table)) is not None


def test_cli_warns_for_a_cloud_folder(new_vault, tmp_path: Path) -> None:
    folder, _recovery = new_vault("Dropbox")  # a vault inside a folder named like a sync root
    done = haven(*vault_args(folder), "backup", str(tmp_path / "b.havenbak"), stdin=ADMIN_PASS + "\n")
    assert done.returncode == 0, done.stderr
    assert "cloud-synced" in done.stderr
