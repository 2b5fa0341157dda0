"""Domain dataclasses to JSON and back, driven by their type hints.

Stored JSON is re-validated on load, because constructing the dataclass runs its
checks: a record that fails them is reported as damage, never half-shown.
The `id` field is not stored in the JSON; it is the row's primary key.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import types
import typing
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def to_plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: to_plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.init and f.name != "id" and not f.name.startswith("_")
        }
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    return value


def dumps(obj: Any) -> str:
    return json.dumps(to_plain(obj), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _from_plain(tp: Any, value: Any) -> Any:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if tp is Any or value is None:
        return value
    if origin in (typing.Union, types.UnionType):
        non_none = [a for a in args if a is not type(None)]
        return _from_plain(non_none[0], value) if len(non_none) == 1 else value
    if origin is tuple:
        inner = args[0] if args else Any
        return tuple(_from_plain(inner, v) for v in value)
    if origin is list:
        return [_from_plain(args[0] if args else Any, v) for v in value]
    if origin is dict:
        vt = args[1] if len(args) == 2 else Any
        return {k: _from_plain(vt, v) for k, v in value.items()}
    if hasattr(tp, "__supertype__"):  # NewType
        return _from_plain(tp.__supertype__, value)
    if isinstance(tp, type):
        if dataclasses.is_dataclass(tp):
            return from_plain(tp, value)
        if issubclass(tp, Enum):
            return tp(value)
        if tp is datetime:
            return datetime.fromisoformat(value)
        if tp is date:
            return date.fromisoformat(value)
    return value


def from_plain(cls: type[T], data: dict[str, Any], **extra: Any) -> T:
    hints = _hints(cls)
    names = {f.name for f in dataclasses.fields(cls) if f.init}  # type: ignore[arg-type]
    kwargs = {k: _from_plain(hints[k], v) for k, v in data.items() if k in names}
    kwargs.update(extra)
    return cls(**kwargs)


def loads(cls: type[T], text: str, **extra: Any) -> T:
    return from_plain(cls, json.loads(text), **extra)


# --- plain data from outside the vault ------------------------------------------------


class ShapeError(ValueError):
    """Plain data that does not fit a dataclass's hints; `where` is the field's path, `problem`
    "missing", "type" (a wrong JSON type) or "value" (an unknown choice or a bad date)."""

    def __init__(self, where: str, problem: str = "type") -> None:
        super().__init__(where)
        self.where = where
        self.problem = problem


_SCALARS: dict[type, tuple[type, ...]] = {str: (str,), int: (int,), float: (int, float), bool: (bool,)}


def _check(tp: Any, value: Any, where: str) -> None:
    """Raise ShapeError unless `value` has the JSON type `tp` stands for."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp is Any:
        return
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return
        *earlier, last = [a for a in args if a is not type(None)]
        for option in earlier:
            with contextlib.suppress(ShapeError):
                _check(option, value, where)
                return
        _check(last, value, where)  # its error names the field
        return
    if origin in (tuple, list):
        if not isinstance(value, list):
            raise ShapeError(where)
        for i, item in enumerate(value):
            _check(args[0] if args else Any, item, f"{where}.{i}")
        return
    if origin is dict or tp is dict:
        if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
            raise ShapeError(where)
        for key, item in value.items():
            _check(args[1] if len(args) == 2 else Any, item, f"{where}.{key}")
        return
    if hasattr(tp, "__supertype__"):  # NewType
        _check(tp.__supertype__, value, where)
    elif dataclasses.is_dataclass(tp):
        check_plain(tp, value, where)
    else:
        _check_leaf(tp, value, where)


def _check_leaf(tp: Any, value: Any, where: str) -> None:
    if (isinstance(tp, type) and issubclass(tp, Enum)) or tp in (date, datetime):
        try:
            tp(value) if issubclass(tp, Enum) else tp.fromisoformat(value)
        except (ValueError, TypeError):
            raise ShapeError(where, "value") from None
        return
    allowed = _SCALARS.get(tp)
    if allowed is None:
        raise TypeError(f"no plain form for {tp!r}")  # a new hint: teach _check about it
    if not isinstance(value, allowed) or (tp is not bool and isinstance(value, bool)):
        raise ShapeError(where)


def check_plain(cls: type, data: Any, where: str = "") -> None:
    """Check JSON from outside (a case file) against `cls`'s hints, nested records included:
    a wrong type or a missing field is named by its path, before anything is built from it
    (from_plain trusts the types, so a wrong one failed later, far from its cause)."""
    if not isinstance(data, dict):
        raise ShapeError(where)
    hints = _hints(cls)
    for f in dataclasses.fields(cls):
        if not f.init or f.name == "id":
            continue
        path = f"{where}.{f.name}" if where else f.name
        if f.name in data:
            _check(hints[f.name], data[f.name], path)
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise ShapeError(path, "missing")


def from_outside(cls: type[T], data: Any) -> T:
    """`cls` built from JSON that came from outside the vault, its types checked first."""
    check_plain(cls, data)
    return from_plain(cls, data)
