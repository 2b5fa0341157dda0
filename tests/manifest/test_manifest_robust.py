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


def _strings(node: Any) -> Iterator[str]:
    """Every string inside parsed records (dataclasses, containers), however deep."""
    import dataclasses
    import enum

    if isinstance(node, str) and not isinstance(node, enum.Enum):
        yield node
    elif dataclasses.is_dataclass(node) and not isinstance(node, type):
        for f in dataclasses.fields(node):
            yield from _strings(getattr(node, f.name))
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(key)
            yield from _strings(value)
    elif isinstance(node, list | tuple | set | frozenset):
        for value in node:
            yield from _strings(value)


def test_surrogate_halves_are_joined_or_refused_in_every_field(fixture_copy: Callable[[str], Path]) -> None:
    """JSON escapes an emoji as two halves ("\\ud83d\\udcf7"), which YAML reads as two lone
    surrogates; a lone half cannot be stored as UTF-8 and stopped the import with "Internal error"."""
    import re

    path = fixture_copy("small.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    halves = re.compile("[\ud800-\udfff]")
    joined = 0
    for field_path in _paths(data):
        for value, whole in (("Ana \ud83d\udcf7 Example", "Ana \U0001f4f7 Example"), ("Bad \ud800 name", None)):
            try:
                parsed = parse_manifest_data(_replace(data, field_path, value), base_dir=path.parent)
            except ValidationError as err:
                assert str(err), field_path
                continue
            texts = list(_strings(parsed))
            assert not any(halves.search(t) for t in texts), field_path
            joined += whole is not None and any(whole in t for t in texts)
    assert joined > 5  # free-text fields keep the emoji itself
