"""Whatever a spreadsheet export puts in a field, the parser answers with a
ValidationError naming the place, never with a crash."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from clinic_app.errors import ValidationError
from clinic_app.services.manifest import load_manifest, parse_manifest_data

ODD_VALUES: list[Any] = [None, 0, -1, True, 1.5, "", "x" * 2000, [], [1], {}, {"x": 1}, date(2024, 1, 1),
                         datetime(2024, 1, 1, 9), "../../etc/passwd", "\x00", "María"]


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*prefix, key)
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield (*prefix, i)
            yield from _paths(value, (*prefix, i))


def _replace(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    changed = copy.deepcopy(data)
    target = changed
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return changed


def test_every_field_replaced_by_odd_values_fails_cleanly(fixture_copy: Callable[[str], Path]) -> None:
    path = fixture_copy("small.yaml")
    load_manifest(path)  # the untouched fixture is valid
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    outcomes = {"ok": 0, "refused": 0}
    for field_path in _paths(data):
        for value in ODD_VALUES:
            try:
                parse_manifest_data(_replace(data, field_path, value), base_dir=path.parent)
                outcomes["ok"] += 1
            except ValidationError as err:
                assert str(err), field_path
                outcomes["refused"] += 1
    assert outcomes["refused"] > 500  # most odd values are refused…
    assert outcomes["ok"] > 10  # …but optional text fields accept text and blanks


@pytest.mark.parametrize("value", ODD_VALUES)
def test_odd_top_level_values(tmp_path: Path, value: Any) -> None:
    with pytest.raises(ValidationError):
        parse_manifest_data({"clients": value} if value not in (None, []) else value, base_dir=tmp_path)
