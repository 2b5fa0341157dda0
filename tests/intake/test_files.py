"""Finding and opening evidence files: no link followed, no pipe waited on, no swap missed.

The races are played the way an attacker would win them: the file is swapped at the
exact moment between Haven's look (`lstat`) and its `open`, by wrapping `os.lstat`
so the swap happens right after the real look. Every open runs in a thread with a
deadline, so a regression fails here instead of hanging the suite.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from support import evidence_beside_secrets

from clinic_app.intake import files
from clinic_app.intake.errors import IntakeError, Refusal
from clinic_app.intake.limits import Limits
from clinic_app.intake.pipeline import read_input

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX links and named pipes")


def within(seconds: float, call: Callable[[], Any]) -> Any:
    """`call()`'s result or exception, or a failure if it is still blocked after `seconds`."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = call()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            box["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "blocked: the open waited on a pipe"
    if "error" in box:
        raise box["error"]
    return box["value"]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return evidence_beside_secrets(tmp_path)[0]


def test_walk_follows_no_link_at_any_depth_and_names_each(tree: Path) -> None:
    secret = tree.parent / "secret"
    (tree / "photos").symlink_to(secret)
    (tree / "sub" / "deeper" / "more").symlink_to(secret / "inner")
    (tree / "sub" / "s1.txt").symlink_to(secret / "s1.txt")
    (tree / ".hidden").symlink_to(secret)  # hidden: skipped without a word, as before
    found = files.walk([tree, tree.parent / "ev" / "photos"])
    names = [(f.path.relative_to(tree.parent).as_posix(), f.refusal.reason if f.refusal else "") for f in found]
    assert names == [
        ("ev/a.txt", ""), ("ev/photos", "link"), ("ev/sub/deeper/b.txt", ""), ("ev/sub/deeper/more", "link"),
        ("ev/sub/s1.txt", "link"), ("ev/photos", "link")]
    assert all(secret not in f.path.parents for f in found)


def test_special_files_are_refused_by_type_without_being_opened(tree: Path) -> None:
    os.mkfifo(tree / "pipe")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(tree / "sub" / "sock"))
        found = within(10, lambda: files.walk([tree, Path("/dev/null")]))
    kinds = {f.name: str(f.refusal) for f in found if f.refusal}
    assert "named pipe" in kinds["pipe"] and "socket" in kinds["sock"] and "device" in kinds["null"]
    for name in ("pipe", "null"):
        path = tree / name if name == "pipe" else Path("/dev/null")
        with pytest.raises(IntakeError) as refused:
            within(10, lambda p=path: files.open_regular(p))
        assert refused.value.reason == "special"


def swap_after_look(monkeypatch: pytest.MonkeyPatch, target: Path, swap: Callable[[], None]) -> None:
    """Win the race: `swap()` runs right after Haven's lstat of `target`, before its open."""
    real = os.lstat

    def look_then_swap(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        result = real(path, *args, **kwargs)
        if Path(path) == target:
            monkeypatch.setattr(os, "lstat", real)
            swap()
        return result

    monkeypatch.setattr(os, "lstat", look_then_swap)


def _replace_with_fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def _replace_with_link(path: Path, to: Path) -> None:
    path.unlink()
    path.symlink_to(to)


def test_a_file_swapped_for_a_pipe_after_the_look_is_refused_never_waited_on(
        tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tree / "a.txt"
    swap_after_look(monkeypatch, target, lambda: _replace_with_fifo(target))
    with pytest.raises(IntakeError) as refused:
        within(10, lambda: files.open_regular(target))
    assert refused.value.reason == "special" and "named pipe" in str(refused.value)


def test_a_file_swapped_for_a_link_after_the_look_is_not_followed(
        tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tree / "a.txt"
    swap_after_look(monkeypatch, target, lambda: _replace_with_link(target, tree.parent / "secret" / "s1.txt"))
    with pytest.raises(IntakeError) as refused:
        within(10, lambda: files.open_regular(target))
    assert refused.value.reason == "link"


def test_a_parent_folder_swapped_for_a_link_after_the_walk_is_caught(tree: Path) -> None:
    found = {f.name: f for f in files.walk([tree])}["b.txt"]
    moved = tree.parent / "moved"
    (tree / "sub" / "deeper").rename(moved)
    (tree / "sub" / "deeper").symlink_to(tree.parent / "secret")
    (tree.parent / "secret" / "b.txt").write_text("secret three")
    with pytest.raises(IntakeError) as refused:
        files.open_regular(found.path, identity=found.identity)
    assert refused.value.reason == "changed"
    with files.open_regular(moved / "b.txt") as fh:  # the real file is still readable where it went
        assert fh.read() == b"more evidence"


def test_the_sandbox_child_reads_through_the_same_door(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """read_input is what the parser child runs: a pipe swapped in is refused there too."""
    target = tree / "a.txt"
    assert read_input(target, Limits()) == b"the evidence itself"
    swap_after_look(monkeypatch, target, lambda: _replace_with_fifo(target))
    with pytest.raises(Refusal) as refused:
        within(10, lambda: read_input(target, Limits()))
    assert refused.value.key == "special"
