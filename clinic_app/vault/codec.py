"""Domain dataclasses to JSON and back, driven by their type hints.

Stored JSON is re-validated on load, because constructing the dataclass runs its
checks: a record that fails them is reported as damage, never half-shown.
The `id` field is not stored in the JSON; it is the row's primary key.
"""

from __future__ import annotations

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
