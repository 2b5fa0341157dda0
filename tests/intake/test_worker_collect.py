"""Between jobs a worker frees the cycles the last job left and freezes what survived, so
its memory stays that of one job and the next collection walks only new objects."""

from __future__ import annotations

import gc
import weakref

from clinic_app.intake import worker


class _Node:
    other: object = None


def test_a_jobs_cycles_are_freed_before_the_survivors_are_frozen() -> None:
    first, second = _Node(), _Node()
    first.other, second.other = second, first  # what parsers leave: garbage only a collection finds
    gone = weakref.ref(first)
    del first, second
    survivor = _Node()  # still referenced: a library's cache, a module
    frozen_before = gc.get_freeze_count()
    try:
        worker._collect()
        assert gone() is None, "the cycle must be collected, not frozen for the worker's life"
        assert gc.get_freeze_count() > frozen_before
        assert not any(obj is survivor for obj in gc.get_objects()), "survivors leave the generations walked"
    finally:
        gc.unfreeze()
    assert any(obj is survivor for obj in gc.get_objects())
