"""The hybrid logical clock's stamps stay readable and ordered at the edge of their format."""

from __future__ import annotations

import pytest

from clinic_app.services.sync.hlc import MAX_AHEAD_MS, MAX_COUNTER, Clock, check_received, parse


def test_a_full_counter_ticks_the_clock_instead_of_growing_a_seventh_digit() -> None:
    """A member's stamp with counter 999999 (or one far ahead) used to make the next local stamp
    `...-1000000-...`, which no laptop parses: this one could then not even start its clock."""
    clock = Clock("a1", now_ms=lambda: 1_000)
    clock.observe(f"0000000005000-{MAX_COUNTER:06d}-b2")
    stamps = [clock.stamp() for _ in range(3)]
    assert stamps == ["0000000005001-000000-a1", "0000000005001-000001-a1", "0000000005001-000002-a1"]
    assert stamps == sorted(stamps) and all(s > f"0000000005000-{MAX_COUNTER:06d}-b2" for s in stamps)
    assert Clock("a1", stamps[-1]).last == stamps[-1]  # what is saved reads back


@pytest.mark.parametrize("stamp", ["not-a-stamp", "0000000005000-1000000-b2", "5000-000000-b2", ""])
def test_anything_else_is_not_a_stamp(stamp: str) -> None:
    with pytest.raises(ValueError):
        parse(stamp)


def test_a_received_stamp_more_than_a_day_ahead_is_refused() -> None:
    now = 1_800_000_000_000
    check_received(f"{now + MAX_AHEAD_MS:013d}-000000-b2", now_ms=now)  # a laptop a day fast still syncs
    for ahead in (MAX_AHEAD_MS + 1, 10 ** 13 - 1 - now):
        with pytest.raises(ValueError, match="too far ahead"):
            check_received(f"{now + ahead:013d}-999999-b2", now_ms=now)
