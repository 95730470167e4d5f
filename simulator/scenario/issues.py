"""Validation errors in the reader's words: each pydantic error on a scenario becomes one
:class:`~simulator.errors.ScenarioError` naming the file, the line, the key path and what is
allowed, such as ``scenarios/fast.yaml:14: growth[1].sd: must be >= 0 (got -0.02)``.

An unknown key lists the keys allowed where it stands (read from the scenario's JSON Schema)
with the closest one; an unknown ``dist`` lists the distributions.
"""

from __future__ import annotations

import functools
from typing import Any

from simulator.errors import ScenarioError, did_you_mean, format_path
from simulator.scenario.distributions import DISTRIBUTIONS
from simulator.scenario.schema import Provenance, Scenario, SchemaIssue

Path_ = tuple[str | int, ...]


def to_error(err: Any, data: object, name: str) -> ScenarioError:
    """One pydantic error (``ValidationError.errors()`` item) on ``data`` as a
    :class:`ScenarioError` naming the file, the line, the key path and what is allowed.

    ``data`` is what was validated: the loaded YAML mapping (its line map gives the line) or
    plain scenario data (no line).
    """
    loc: tuple[Any, ...] = tuple(err["loc"])
    path = _data_path(loc, data)
    etype = err["type"]
    ctx = err.get("ctx") or {}
    issue = ctx.get("error")
    if isinstance(issue, SchemaIssue):
        path = path + issue.path
        message = str(issue)
    elif etype == "extra_forbidden":
        bad = str(loc[-1])
        allowed = _allowed_keys(path[:-1] if path and path[-1] == bad else path, data)
        path = path if path and path[-1] == bad else (*path, bad)
        message = f"unknown key '{bad}'{did_you_mean(bad, allowed)}"
        if allowed:
            message += f"; allowed: {', '.join(sorted(allowed))}"
    elif etype == "union_tag_invalid":
        tag = ctx.get("tag", "?")
        expected = list(DISTRIBUTIONS)
        path = (*path, "dist")
        message = (
            f"unknown dist '{tag}'{did_you_mean(str(tag), expected)}; expected one of: "
            + ", ".join(expected)
        )
    elif etype == "union_tag_not_found":
        path = (*path, "dist")
        message = "required key is missing; expected one of: " + ", ".join(DISTRIBUTIONS)
    elif etype == "missing":
        message = "required key is missing"
    else:
        message = _plain(err, path)
        value = _value_at(data, path)
        repeated = isinstance(value, str) and repr(value) in message
        if value is not _MISSING and etype not in _NO_GOT and not repeated:
            message += f" (got {shown(value)})"
    f, line = Provenance(lines=data).locate(path)

    return ScenarioError(message, file=f or name, line=line, key=format_path(path) or None)


def drop_hinted_missing(errors: list[ScenarioError]) -> list[ScenarioError]:
    """Drop "required key is missing" for ``a.b`` when an unknown key next to it hints at ``b``."""
    hinted = set()
    for e in errors:
        if e.key and "(did you mean '" in e.message and e.message.startswith("unknown key"):
            parent = e.key.rsplit(".", 1)[0] if "." in e.key else ""
            guess = e.message.split("(did you mean '", 1)[1].split("'", 1)[0]
            hinted.add(f"{parent}.{guess}" if parent else guess)
    return [e for e in errors if not (e.message == "required key is missing" and e.key in hinted)]


#: pydantic error types whose own message already says everything.
_NO_GOT = {"finite_number", "value_error", "assertion_error"}

#: pydantic error type -> "what is allowed" (``{...}`` filled from the error's context).
_MESSAGES = {
    "greater_than_equal": "must be >= {ge}",
    "greater_than": "must be > {gt}",
    "less_than_equal": "must be <= {le}",
    "less_than": "must be < {lt}",
    "finite_number": "must be a finite number (not NaN or inf)",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "string_type": "must be text",
    "string_too_short": "must not be empty",
    "list_type": "must be a list",
    "tuple_type": "must be a list",
    "dict_type": "must be a mapping of keys",
    "model_type": "must be a mapping of keys",
    "model_attributes_type": "must be a mapping of keys",
    "literal_error": "must be {expected}",
    "none_required": "must be null",
}

#: Clearer messages for keys whose allowed forms a bare type error would hide.
_BY_KEY = {
    ("base", "literal_error"): "must be 'history' or a mapping {fiscal_year, value}",
    ("base", "Word"): "must be 'rest', a value in USD million, or a mapping {value} or {share}",
}


def _plain(err: Any, path: Path_) -> str:
    etype = err["type"]
    ctx = err.get("ctx") or {}
    if path and path[-1] == "base" and etype == "literal_error":
        key = "Word" if "rest" in str(ctx.get("expected")) else etype
        return _BY_KEY[("base", key)]
    template = _MESSAGES.get(etype)
    if template is not None:
        try:
            return template.format(**{k: _num(v) for k, v in ctx.items()})
        except (KeyError, IndexError):
            pass
    msg = str(err["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    msg = msg.replace("Input should be", "must be").replace("input should be", "must be")
    return msg[0].lower() + msg[1:] if msg else msg


def _num(v: Any) -> Any:
    return f"{v:g}" if isinstance(v, float) else v


def shown(value: Any) -> str:
    """A value as a message quotes it: true, null, a mapping, or its repr (cut at 60)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


_MISSING = object()


def _value_at(data: Any, path: Path_) -> Any:
    cur = data
    for p in path:
        if (isinstance(cur, dict) and p in cur) or (
            isinstance(cur, list) and isinstance(p, int) and 0 <= p < len(cur)
        ):
            cur = cur[p]  # type: ignore[index]
        else:
            return _MISSING
    return cur


def _data_path(loc: tuple[Any, ...], data: Any) -> Path_:
    """Keep the parts of a pydantic location that exist in the YAML data (drop union tags)."""
    out: list[str | int] = []
    cur = data
    for p in loc:
        if (isinstance(cur, dict) and isinstance(p, str) and p in cur) or (
            isinstance(cur, list) and isinstance(p, int) and 0 <= p < len(cur)
        ):
            out.append(p)
            cur = cur[p]  # type: ignore[index]
        elif isinstance(cur, dict) and isinstance(p, str) and p.endswith("_") and p[:-1] in cur:
            out.append(p[:-1])
            cur = cur[p[:-1]]
        elif isinstance(cur, dict | list) and isinstance(p, str) and not _looks_like_tag(p):
            # a missing key (kept); tags and model names that pydantic inserts are dropped
            out.append(p)
            cur = None
    return tuple(out)


def _looks_like_tag(p: str) -> bool:
    return (
        p in DISTRIBUTIONS
        or "[" in p
        or p
        in {
            "ComponentBase",
            "ExplicitBase",
            "literal['history']",
            "literal['rest']",
            "list[...]",
            "str",
            "int",
        }
        or (p[:1].isupper())
    )


@functools.cache
def _json_schema() -> dict[str, Any]:
    return Scenario.model_json_schema()


def _allowed_keys(path: Path_, data: Any) -> list[str]:
    """Keys allowed at ``path``, read from the JSON schema along the data."""
    schema = _json_schema()
    defs = schema.get("$defs", {})
    node: Any = schema
    cur: Any = data
    for p in path:
        node = _resolve(node, defs, cur)
        if isinstance(p, int):
            node = node.get("items", {})
            cur = cur[p] if isinstance(cur, list) and p < len(cur) else None
        else:
            node = node.get("properties", {}).get(p, {})
            cur = cur.get(p) if isinstance(cur, dict) else None
    node = _resolve(node, defs, cur)
    return list(node.get("properties", {}))


def _resolve(node: Any, defs: dict[str, Any], cur: Any) -> Any:
    for _ in range(10):
        if "$ref" in node:
            node = defs[node["$ref"].split("/")[-1]]
            continue
        options = node.get("oneOf") or node.get("anyOf")
        if options:
            mapping = (node.get("discriminator") or {}).get("mapping", {})
            if (
                isinstance(cur, dict)
                and isinstance(cur.get("dist"), str)
                and cur["dist"] in mapping
            ):
                node = defs[mapping[cur["dist"]].split("/")[-1]]
                continue
            objs = [
                o
                for o in options
                if "$ref" in o or o.get("type") in {"object", "array"} or "oneOf" in o
            ]
            if isinstance(cur, dict) and isinstance(cur.get("dist"), str):
                # A growth item with a dist is a distribution, not a level assumption.
                tagged = [
                    o
                    for o in objs
                    if cur["dist"] in (o.get("discriminator") or {}).get("mapping", {})
                ]
                objs = tagged or objs
            pick = [o for o in objs if ("array" in str(o)) == isinstance(cur, list)]
            node = (pick or objs or [{}])[0]
            continue
        return node
    return node
