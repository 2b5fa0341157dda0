"""`clinic-app --self-check` from the source tree (the frozen build runs the same code in
test_frozen_build.py): it passes, says so, and leaves nothing behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from clinic_app import selfcheck


def test_self_check_passes_and_leaves_nothing(tmp_path: Path) -> None:
    home, tmp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    tmp.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HAVEN_", "XDG_", "QT_"))}
    env.update(HOME=str(home), TMPDIR=str(tmp), TEMP=str(tmp), TMP=str(tmp), HAVEN_GUI="0", HAVEN_LANG="en")
    done = subprocess.run([sys.executable, "-m", "clinic_app", "--self-check"], env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    lines = done.stdout.strip().splitlines()
    assert done.returncode == 0, done.stdout + done.stderr
    assert lines[-1] == f"self-check: all {len(selfcheck.CHECKS)} checks passed"
    assert [line.split()[1].rstrip(":") for line in lines[:-1]] == [name for name, _c in selfcheck.CHECKS]
    assert all(line.startswith("ok ") for line in lines[:-1])
    assert list(home.iterdir()) == [] and list(tmp.iterdir()) == []


def test_failures_are_named_and_the_rest_still_runs(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken(ctx: selfcheck.Context) -> str:
        raise RuntimeError("a missing plugin")

    seen: list[Path] = []
    monkeypatch.setattr(selfcheck, "CHECKS", [("first", broken), ("second", lambda ctx: seen.append(ctx.root) or "fine")])
    out: list[str] = []
    assert selfcheck.run(out.append) == 1
    assert out[0] == "FAILED first: RuntimeError: a missing plugin"
    assert out[1].startswith("ok     second: fine")
    assert out[-1] == "self-check: 1 of 2 checks failed: first"
    assert seen and not seen[0].exists()  # the temporary folder is gone


def test_the_environment_is_restored(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere/else")
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setattr(selfcheck, "CHECKS", [("env", lambda ctx: os.environ["XDG_CACHE_HOME"])])
    out: list[str] = []
    assert selfcheck.run(out.append) == 0
    assert "/somewhere/else" not in out[0] and "haven-self-check-" in out[0]
    assert os.environ["XDG_CACHE_HOME"] == "/somewhere/else" and "XDG_RUNTIME_DIR" not in os.environ
