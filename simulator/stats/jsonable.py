"""The JSON edge of the typed results: a frozen dataclass as the JSON object its file holds.

A result's ``to_dict()`` is :func:`json_fields` of itself, so the keys are its fields in
the order they are declared, not a second hand-kept list that can drift from them. A nested
result with a ``to_dict()`` of its own writes itself (its file format may differ from its
fields, e.g. a 128-bit entropy as a string); other dataclasses are written field by field,
tuples become lists and mapping keys strings, as JSON has them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import fields, is_dataclass
from typing import Any

#: A JSON object as written to a file (the only place dicts of Any are allowed).
JSONDict = dict[str, Any]


def json_value(value: object) -> Any:
    """``value`` as JSON data: results through their ``to_dict()`` (or field by field), scenario
    models through ``model_dump()``, tuples and lists as lists, mappings with string keys;
    anything else as it is."""
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    model_dump = getattr(value, "model_dump", None)  # a frozen scenario model (a Target)
    if callable(model_dump):
        return model_dump()
    if is_dataclass(value) and not isinstance(value, type):
        return json_fields(value)
    if isinstance(value, (tuple, list)):
        return [json_value(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): json_value(v) for k, v in value.items()}
    return value


def json_fields(obj: object, *, omit: Collection[str] = ()) -> JSONDict:
    """The JSON object of the dataclass ``obj``: its fields in order, less those in ``omit``.

    Examples
    --------
    >>> from dataclasses import dataclass
    >>> @dataclass(frozen=True)
    ... class Share:
    ...     scenario: str
    ...     interval: tuple[float, float]
    >>> json_fields(Share("Baseline", (0.1, 0.2)))
    {'scenario': 'Baseline', 'interval': [0.1, 0.2]}
    """
    if not is_dataclass(obj) or isinstance(obj, type):
        raise TypeError(f"not a dataclass instance: {obj!r}")
    return {f.name: json_value(getattr(obj, f.name)) for f in fields(obj) if f.name not in omit}
