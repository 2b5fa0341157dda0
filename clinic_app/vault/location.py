"""Is a folder on a network share or inside a cloud-synced folder?

SQLite's guarantees assume a local disk and working locks: network file systems
break locking and WAL's shared memory, and sync clients copy files mid-write
and upload them (https://www.sqlite.org/howtocorrupt.html). This module only
observes: it reads the mount table (Linux `/proc/mounts`, or the BSD/macOS
`mount` output format) and the folder's path, and names what it found. The
mount table can be passed in, so tests need no real share.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path, PurePath

NETWORK_FS = frozenset({
    "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "fuse.sshfs", "sshfs", "afs", "afpfs",
    "webdav", "davfs", "fuse.davfs2", "ncpfs", "9p", "ceph", "fuse.ceph", "glusterfs", "fuse.glusterfs",
    "lustre", "gpfs", "beegfs", "fuse.rclone", "fuse.s3fs", "fuse.gcsfuse", "fuse.goofys",
    "fuse.onedriver", "fuse.google-drive-ocamlfuse", "fuse.dropbox",
})
_NETWORK_PREFIXES = ("nfs", "smb", "cifs", "fuse.sshfs")

# Folder names that sync clients create; compared case-insensitively, as a prefix
# where the client appends an account name ("OneDrive - Clinic", "Dropbox (Clinic)").
CLOUD_PREFIXES = ("dropbox", "onedrive", "google drive", "googledrive", "icloud drive", "icloud~",
                  "pcloud", "nextcloud", "owncloud", "megasync", "box sync", "synologydrive", "tresorit")
CLOUD_EXACT = ("my drive", "mobile documents", "cloudstorage", "icloud", "box", "seafile", "yandex.disk")


@dataclass(frozen=True)
class Mount:
    mountpoint: str
    fstype: str


@dataclass(frozen=True)
class Finding:
    kind: str  # "network" or "cloud"
    detail: str  # the file-system type, or the folder name that looks synced


def _unescape(field: str) -> str:
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def parse_mounts(text: str) -> list[Mount]:
    """Mounts from `/proc/mounts` lines or `mount` output ("dev on /x (smbfs, ...)")."""
    mounts = []
    for line in text.splitlines():
        bsd = re.match(r"^.+? on (.+) \(([^,)]+)", line)
        if bsd:
            mounts.append(Mount(bsd.group(1), bsd.group(2).strip().lower()))
            continue
        fields = line.split()
        if len(fields) >= 3:
            mounts.append(Mount(_unescape(fields[1]), fields[2].lower()))
    return mounts


def find_mount(path: str, mounts: list[Mount]) -> Mount | None:
    """The mount that holds `path`: the longest mount point that is a prefix of it."""
    best: Mount | None = None
    for mount in mounts:
        point = mount.mountpoint.rstrip("/") or "/"
        if path == point or path.startswith(point if point.endswith("/") else point + "/"):
            if best is None or len(point) >= len(best.mountpoint.rstrip("/") or "/"):
                best = mount
    return best


def is_network_fs(fstype: str) -> bool:
    return fstype in NETWORK_FS or fstype.startswith(_NETWORK_PREFIXES)


def _synced_name(name: str) -> bool:
    if name in CLOUD_EXACT:
        return True
    for prefix in CLOUD_PREFIXES:
        rest = name[len(prefix):]
        if name.startswith(prefix) and (not rest or not prefix[-1].isalnum() or not rest[0].isalnum()):
            return True  # "OneDrive - Clinic", "Dropbox (Team)", not "dropboxes"
    return False


def cloud_component(path: PurePath) -> str | None:
    for part in path.parts:
        if _synced_name(part.strip().lower()):
            return part
    return None


def existing_ancestor(folder: Path) -> Path:
    """The folder itself if it exists, else its nearest existing parent, links resolved."""
    folder = Path(os.path.abspath(folder))
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent
    return Path(os.path.realpath(folder))


def read_mount_table() -> str | None:
    """The system's mount table as text, or None where it cannot be read."""
    if sys.platform.startswith("linux"):
        try:
            return Path("/proc/self/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    if sys.platform == "darwin" or "bsd" in sys.platform:
        try:
            done = subprocess.run(["/sbin/mount"], capture_output=True, text=True, timeout=5, check=False)
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout
    return None


def _windows_remote(path: Path) -> bool:
    text = str(path)
    if text.startswith(("\\\\", "//")) and not text.startswith(("\\\\?\\", "\\\\.\\")):
        return True
    if os.name != "nt" or len(text) < 2 or text[1] != ":":
        return False
    import ctypes

    drive_remote = 4
    return bool(ctypes.windll.kernel32.GetDriveTypeW(text[:2] + "\\") == drive_remote)  # type: ignore[attr-defined]


def assess(folder: Path, *, mounts: str | None = None, use_system_mounts: bool = True) -> list[Finding]:
    """What makes `folder` unsafe for a vault; an empty list when nothing was found."""
    real = existing_ancestor(Path(folder))
    findings: list[Finding] = []
    if _windows_remote(real) or _windows_remote(Path(os.path.abspath(folder))):
        findings.append(Finding("network", "network drive"))
    table = mounts if mounts is not None else (read_mount_table() if use_system_mounts else None)
    if table:
        mounts_found = parse_mounts(table)
        for text in (str(real), os.path.abspath(folder)):
            mount = find_mount(text, mounts_found)
            if mount is not None and is_network_fs(mount.fstype):
                findings.append(Finding("network", mount.fstype))
                break
    for candidate in (Path(os.path.abspath(folder)), real):
        name = cloud_component(candidate)
        if name is not None:
            findings.append(Finding("cloud", name))
            break
    return findings
