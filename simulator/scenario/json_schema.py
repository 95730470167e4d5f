"""The JSON Schema of scenario files (draft 2020-12), for editors, yaml-language-server and
``simulator schema``.

It is pydantic's schema of :class:`~simulator.scenario.schema.Scenario` with the shorthands the
validators expand (``targets: uraan``, ``growth: record``, a component's ``base: 328``), and a
partial copy of the format for files with ``extends`` (nothing required, null allowed).
"""

from __future__ import annotations

from typing import Any

from simulator.scenario.schema import Scenario


def _partial(node: Any) -> Any:
    """The partial form of a JSON Schema node, for ``extends`` files (see :func:`json_schema`)."""
    if isinstance(node, list):
        return [_partial(n) for n in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for k, v in node.items():
        if k in ("required", "discriminator", "default", "not"):
            continue
        if k == "$ref":
            out[k] = "#/$defs/Partial" + str(v).rsplit("/", 1)[-1]
        elif k == "oneOf":
            out["anyOf"] = _partial(v)  # partial members overlap: any one may match
        elif k == "properties":
            out[k] = {name: {"anyOf": [_partial(p), {"type": "null"}]} for name, p in v.items()}
        else:
            out[k] = _partial(v)
    return out


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a scenario file, for editors and yaml-language-server.

    Examples
    --------
    >>> json_schema()["$defs"]["Scenario"]["properties"]["persistence"]["maximum"]
    0.99
    """
    schema = Scenario.model_json_schema()
    # Shorthands that validators expand before the models see them: ``targets: uraan`` and a
    # component ``base: 328`` (USD million).
    props = schema["properties"]
    props["targets"] = {
        "anyOf": [{"const": "uraan", "type": "string"}, props["targets"]],
        "description": "'uraan' (the default set) or a list of {name, fiscal_year, value}",
    }
    props["growth"] = {
        "anyOf": [{"const": "record", "type": "string"}, props["growth"]],
        "description": (
            "'record' (the record rule, estimated from the annual record up to the base year), "
            "{rule: record, window, tails}, or a list of year ranges, each with a dist"
        ),
    }
    cbase = schema["$defs"]["Component"]["properties"]["base"]
    cbase["oneOf"] = [{"type": "number", "minimum": 0}, *cbase["oneOf"]]
    cbase["description"] = "USD million, {value}, {share} (0-1), or 'rest'"
    # A file with ``extends`` may override any part of what it inherits and set any key to
    # null (to remove it), so it is checked against a partial copy of the format: nothing
    # required, null allowed everywhere, distributions matched by their keys alone. A file
    # without ``extends`` must also match the full format (the ``else`` branch).
    defs = schema.pop("$defs")
    # A component's base gives exactly one of value and share (null counts as not given).
    defs["ComponentBase"]["oneOf"] = [
        {
            "required": [k],
            "properties": {k: {"type": "number"}},
            "not": {"required": [o], "properties": {o: {"type": "number"}}},
        }
        for k, o in (("value", "share"), ("share", "value"))
    ]
    for name, d in defs.items():
        # The loader picks a distribution by its ``dist`` tag, so the tag is required (pydantic
        # lists it as optional because each class has it as a default). A level assumption is
        # picked by its ``level`` key instead.
        dist = d.get("properties", {}).get("dist", {})
        if "const" in dist and name != "LevelRange":
            d["required"] = sorted({*d.get("required", []), "dist"})
    full = {k: v for k, v in schema.items() if k != "title"}
    partial_defs = {f"Partial{k}": _partial(v) for k, v in defs.items()}
    top = _partial(full)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **top,
        "$defs": {**defs, **partial_defs, "Scenario": full},
        "if": {"required": ["extends"]},
        "else": {"$ref": "#/$defs/Scenario"},
        "title": "simulator scenario",
        "description": (
            "Assumptions for projecting Pakistan's IT exports. Growth is a fraction "
            "(0.19 = +19%), money is USD million, years are fiscal years (2026 = FY2026). "
            "See docs/scenario-reference.md."
        ),
    }
