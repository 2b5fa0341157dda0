"""The start-up warm-up names modules that exist: a renamed module would silently bring
back the window stalls it prevents (benchmarks/gui_startup.py)."""

from __future__ import annotations

import sys

from clinic_app.gui import warmup


def test_every_warmed_module_loads() -> None:
    assert warmup.preload() == []
    assert all(name in sys.modules for name in warmup.MODULES)


def test_start_runs_the_follow_up_on_its_thread() -> None:
    called = []
    thread = warmup.start(then=lambda: called.append(True))
    thread.join(timeout=60)
    assert not thread.is_alive() and called == [True]
