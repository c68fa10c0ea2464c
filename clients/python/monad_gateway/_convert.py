"""Turns parsed JSON into the protocol's dataclasses, driven by their type annotations.

The wire protocol is forward compatible: servers add keys and enum values without a version bump.
So unknown keys are kept in the dataclass's `extra` dict instead of being rejected, and string
vocabularies (stages, reasons, codes) are typed `str`, not closed enums. Only the shape is checked:
a missing required key or a wrong JSON type raises DecodeError with the path to the value.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from functools import lru_cache
from typing import Any, TypeVar, Union

from .errors import DecodeError

T = TypeVar("T")
_NONE = type(None)


def from_json(cls: type[T], value: Any, path: str = "$") -> T:
    """Converts `value` (from json.loads) into `cls`, recursively."""
    return typing.cast(T, _convert(cls, value, path))


@lru_cache(maxsize=None)
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _convert(tp: Any, value: Any, path: str) -> Any:
    if tp is Any:
        return value
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        args = typing.get_args(tp)
        if value is None and _NONE in args:
            return None
        errors = []
        for arg in args:
            if arg is _NONE:
                continue
            try:
                return _convert(arg, value, path)
            except DecodeError as e:
                errors.append(str(e))
        raise DecodeError("; ".join(errors))
    if origin is list:
        (item,) = typing.get_args(tp)
        _expect(isinstance(value, list), "an array", value, path)
        return [_convert(item, v, f"{path}[{i}]") for i, v in enumerate(value)]
    if origin is tuple:
        args = typing.get_args(tp)
        _expect(isinstance(value, list) and len(value) == len(args), f"an array of {len(args)}", value, path)
        return tuple(_convert(a, v, f"{path}[{i}]") for i, (a, v) in enumerate(zip(args, value)))
    if origin is dict:
        _, item = typing.get_args(tp)
        _expect(isinstance(value, dict), "an object", value, path)
        if item is Any:
            return value  # event payloads: nothing to check per key, and they are the bulk of the stream
        return {k: _convert(item, v, f"{path}.{k}") for k, v in value.items()}
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _dataclass(tp, value, path)
    if tp is bool:
        _expect(isinstance(value, bool), "a boolean", value, path)
        return value
    if tp is int:
        # bool is an int subclass in Python; JSON true is not a number.
        _expect(isinstance(value, int) and not isinstance(value, bool), "an integer", value, path)
        return value
    if tp is float:
        _expect(isinstance(value, (int, float)) and not isinstance(value, bool), "a number", value, path)
        return float(value)
    if tp is str:
        _expect(isinstance(value, str), "a string", value, path)
        return value
    raise TypeError(f"unsupported annotation {tp!r} at {path}")


def _dataclass(cls: type, value: Any, path: str) -> Any:
    _expect(isinstance(value, dict), "an object", value, path)
    hints = _hints(cls)
    kwargs: dict[str, Any] = {}
    known = set()
    has_extra = False
    for f in dataclasses.fields(cls):
        if not f.init:
            continue
        if f.name == "extra":
            has_extra = True
            continue
        known.add(f.name)
        if f.name in value:
            kwargs[f.name] = _convert(hints[f.name], value[f.name], f"{path}.{f.name}")
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise DecodeError(f"{path}: missing required key {f.name!r}")
    if has_extra:
        kwargs["extra"] = {k: v for k, v in value.items() if k not in known}
    return cls(**kwargs)


def _expect(ok: bool, what: str, value: Any, path: str) -> None:
    if not ok:
        raise DecodeError(f"{path}: expected {what}, got {type(value).__name__} {value!r:.80}")
