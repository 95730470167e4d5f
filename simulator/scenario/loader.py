"""Read scenario YAML files: safe parsing, line numbers, ``extends`` and clear errors.

Every problem becomes a :class:`~simulator.errors.ScenarioError` that names the file, the line
and the key path, such as ``scenarios/fast.yaml:14: growth[1].sd: must be >= 0 (got -0.02)``
(the wording of validation errors is :mod:`simulator.scenario.issues`).

``extends: other.yaml`` (resolved relative to the file) inherits everything from the other file.
Maps merge key by key; the named lists merge item by item: ``components``, ``levers``, ``shocks``
and ``targets`` by ``name``, ``growth`` by year (a child's range replaces the parent's growth for
the years it covers). A child item that names a ``dist`` replaces the parent's distribution
parameters; otherwise its keys override the parent's one by one. A key set to ``null`` removes
the inherited value. A cycle is an error that names the chain.
"""

from __future__ import annotations

import hashlib
import math
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from simulator.errors import (
    ScenarioError,
    ScenarioErrors,
    did_you_mean,
)
from simulator.scenario.distributions import DISTRIBUTIONS
from simulator.scenario.issues import drop_hinted_missing, shown, to_error
from simulator.scenario.schema import (
    FILE_CHECKS,
    LARGE_GROWTH_KEY,
    Provenance,
    Scenario,
)

MAX_BYTES = 1_000_000
MAX_DEPTH = 40
MAX_NODES = 100_000
MAX_ALIASES = 100
MAX_EXTENDS = 20
NAMED_LISTS = {"components": "name", "levers": "name", "shocks": "name", "targets": "name"}
Where = tuple[str, int]  # (file, 1-based line)


class LDict(dict[str, Any]):
    """A dict that remembers, per key, the file and line it came from."""

    where: Where
    lines: dict[str, Where]


class LList(list[Any]):
    """A list that remembers, per item, the file and line it came from."""

    where: Where
    lines: list[Where]


def load_scenario(path: str | Path) -> Scenario:
    """Load and validate a scenario file, following ``extends``.

    Parameters
    ----------
    path : str or Path
        A YAML scenario file.

    Returns
    -------
    Scenario
        Frozen; ``scenario.file`` and ``scenario.sha256`` record where it came from.

    Raises
    ------
    ScenarioError
        For the first problem found (``ScenarioErrors`` when there are several), each with file,
        line and key path.

    Examples
    --------
    >>> sc = load_scenario("scenarios/baseline.yaml")  # doctest: +SKIP
    >>> sc.horizon  # doctest: +SKIP
    2030
    """
    name = str(path)
    data, digest = _load_chain(Path(path), name, ())
    return _validate(data, name, digest)


# -- reading -----------------------------------------------------------------------------------


def _load_chain(path: Path, name: str, chain: tuple[str, ...]) -> tuple[LDict, str]:
    resolved = str(path.resolve())
    raw = _read(path, name)
    data = _parse(raw, name)
    digest = hashlib.sha256(raw).hexdigest()
    parent_ref = data.get("extends")
    if "actuals" in data and isinstance(data["actuals"], str):
        data["actuals"] = str((path.parent / data["actuals"]).as_posix())
    if parent_ref is None:
        return data, digest
    f, line = data.lines["extends"]
    if not isinstance(parent_ref, str) or not parent_ref.strip():
        raise ScenarioError(
            "must be a file name such as baseline.yaml (relative to this file)",
            file=f,
            line=line,
            key="extends",
        )
    parent_path = path.parent / parent_ref
    if not parent_path.exists():
        raise ScenarioError(f"file not found: {parent_path}", file=f, line=line, key="extends")
    if parent_path.is_dir():
        raise ScenarioError(
            f"{parent_path} is a directory; expected a scenario file",
            file=f,
            line=line,
            key="extends",
        )
    here = (*chain, resolved)
    if str(parent_path.resolve()) in here:
        names = [*here, str(parent_path.resolve())]
        pretty = " -> ".join(Path(c).name for c in names)
        raise ScenarioError(f"cycle: {pretty}", file=f, line=line, key="extends")
    if len(here) >= MAX_EXTENDS:
        raise ScenarioError(
            f"extends chain longer than {MAX_EXTENDS} files", file=f, line=line, key="extends"
        )
    parent, parent_digest = _load_chain(parent_path, str(parent_path), here)
    merged = _merge(parent, data)
    assert isinstance(merged, LDict)
    return merged, hashlib.sha256((parent_digest + digest).encode()).hexdigest()


def _read(path: Path, name: str) -> bytes:
    if not path.exists():
        raise ScenarioError("file not found", file=name)
    if path.is_dir():
        raise ScenarioError("is a directory; expected a YAML scenario file", file=name)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ScenarioError(f"cannot read: {exc.strerror}", file=name) from exc
    if len(raw) > MAX_BYTES:
        raise ScenarioError(f"file too large ({len(raw)} bytes; limit {MAX_BYTES})", file=name)
    if b"\x00" in raw:
        raise ScenarioError("binary file; expected YAML text", file=name)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            f"not UTF-8 text (bad byte at offset {exc.start}); save the file as UTF-8", file=name
        ) from None
    return raw


class _GuardedLoader(yaml.SafeLoader):
    """SafeLoader that refuses alias bombs and absurd nesting before constructing anything."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._aliases = 0
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise yaml.YAMLError(f"more than {MAX_ALIASES} aliases at line {mark.line + 1}")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise _TooDeep(mark.line + 1)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


# YAML 1.1 (PyYAML) reads ``1e-3`` and ``6e4`` as text because they have no dot; YAML 1.2 and
# every analyst read them as numbers, so the loader does too.
_GuardedLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)


class _TooDeep(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


def _parse(raw: bytes, name: str) -> LDict:
    text = raw.decode("utf-8")
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise ScenarioError("empty file; expected a YAML mapping with name, growth, ...", file=name)
    try:
        loader = _GuardedLoader(text)
    except yaml.reader.ReaderError as exc:
        at = text.count("\n", 0, exc.position) + 1
        raise ScenarioError(
            f"character U+{exc.character:04X} is not allowed in YAML; remove it",
            file=name,
            line=at,
        ) from None
    try:
        node = loader.get_single_node()
        if node is None:
            raise ScenarioError("empty file; expected a YAML mapping", file=name)
        counter = [0]
        data = _build(loader, node, name, counter, 0)
    except _TooDeep as exc:
        raise ScenarioError(
            f"nesting deeper than {MAX_DEPTH} levels", file=name, line=exc.line
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = (exc.problem or "invalid YAML").strip()
        if "could not determine a constructor" in problem:
            tag = problem.split("for the tag")[-1].strip()
            raise ScenarioError(
                f"YAML tag refused: {tag}; only plain YAML (mappings, lists, text, numbers)",
                file=name,
                line=line,
            ) from None
        raise ScenarioError(f"YAML syntax: {problem}", file=name, line=line) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(f"YAML: {exc}", file=name) from None
    finally:
        loader.dispose()
    if not isinstance(data, LDict):
        raise ScenarioError(
            f"top level must be a mapping of keys (name, growth, ...); got {shown(data)}",
            file=name,
            line=node.start_mark.line + 1,
        )
    return data


_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


def _build(
    loader: yaml.SafeLoader, node: yaml.Node, name: str, counter: list[int], depth: int
) -> Any:
    counter[0] += 1
    if counter[0] > MAX_NODES:
        raise ScenarioError(f"more than {MAX_NODES} YAML nodes (alias bomb?)", file=name)
    if depth > MAX_DEPTH:
        raise _TooDeep(node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.tag not in _PLAIN_TAGS:
        raise ScenarioError(
            f"YAML tag refused: '{node.tag}'; only plain YAML (mappings, lists, text, numbers)",
            file=name,
            line=node.start_mark.line + 1,
        )
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        out = LDict()
        out.where = (name, node.start_mark.line + 1)
        out.lines = {}
        for knode, vnode in node.value:
            key = loader.construct_object(knode, deep=True)
            if not isinstance(key, str):
                key = str(key)
            if key in out:
                raise ScenarioError(
                    f"duplicate key (first on line {out.lines[key][1]})",
                    file=name,
                    line=knode.start_mark.line + 1,
                    key=key,
                )
            out[key] = _build(loader, vnode, name, counter, depth + 1)
            out.lines[key] = (name, knode.start_mark.line + 1)
        return out
    if isinstance(node, yaml.SequenceNode):
        lst = LList()
        lst.where = (name, node.start_mark.line + 1)
        lst.lines = []
        for item in node.value:
            lst.append(_build(loader, item, name, counter, depth + 1))
            lst.lines.append((name, item.start_mark.line + 1))
        return lst
    return loader.construct_object(node, deep=True)


# -- extends -----------------------------------------------------------------------------------

_DIST_KEYS = {
    alias
    for cls in DISTRIBUTIONS.values()
    for fname, f in cls.model_fields.items()
    for alias in (f.alias or fname,)
}


def _merge(parent: Any, child: Any, key: str | None = None) -> Any:
    if isinstance(parent, LDict) and isinstance(child, LDict):
        out = LDict()
        out.where, out.lines = child.where, {}
        dist_replaced = "dist" in child and "dist" in parent
        for k, v in parent.items():
            if k in child:
                continue
            if dist_replaced and k in _DIST_KEYS:
                continue
            out[k], out.lines[k] = v, parent.lines[k]
        for k, v in child.items():
            if v is None:
                continue
            out[k] = _merge(parent[k], v, k) if k in parent and k != "extends" else v
            out.lines[k] = child.lines[k]
        return out
    if isinstance(parent, LList) and isinstance(child, LList):
        if key in NAMED_LISTS:
            return _merge_named(parent, child, NAMED_LISTS[key], key)
        if key == "growth":
            return _merge_growth(parent, child)
    return child


#: Keys a new item of a named list needs; a child item without them that is not named like an
#: inherited item is most likely a misspelt override.
_NEW_ITEM_NEEDS = {
    "components": ("base",),
    "levers": ("years", "dist"),
    "shocks": ("years", "probability", "impact"),
    "targets": ("fiscal_year", "value"),
}


def _merge_named(parent: LList, child: LList, field: str, key: str) -> LList:
    """Merge lists of named items: a child item with a parent's name overrides that item.

    Raises
    ------
    ScenarioError
        When a child item names no inherited item, lacks what a new item needs, and its name is
        close to an inherited one (a misspelt override such as ``ai_services_pus``).
    """
    inherited = [n for n in (_name_of(item, field) for item in parent) if n is not None]
    for i, c in enumerate(child):
        nm = _name_of(c, field)
        if nm is None or nm in inherited:
            continue
        missing = [k for k in _NEW_ITEM_NEEDS.get(key, ()) if k not in c]
        hint = did_you_mean(nm, inherited)
        if missing and hint:
            f, line = child.lines[i]
            raise ScenarioError(
                f"no inherited {key[:-1]} named '{nm}'{hint} to override; a new one needs "
                + ", ".join(missing),
                file=f,
                line=line,
                key=f"{key}[{i}].{field}",
            )
    out = LList()
    out.where, out.lines = child.where, []
    child_by_name: dict[str, int] = {}
    for i, c in enumerate(child):
        nm = _name_of(c, field)
        if nm is not None:
            child_by_name.setdefault(nm, i)
    merged: set[int] = set()
    for item, where in zip(parent, parent.lines, strict=True):
        i = child_by_name.get(_name_of(item, field) or "", -1)
        if i >= 0 and i not in merged:
            out.append(_merge(item, child[i]))
            out.lines.append(child.lines[i])
            merged.add(i)
        else:
            out.append(item)
            out.lines.append(where)
    for i, (item, where) in enumerate(zip(child, child.lines, strict=True)):
        if i not in merged:
            out.append(item)
            out.lines.append(where)
    return out


def _name_of(item: Any, field: str) -> str | None:
    """The name of a named-list item, or None when it has no usable (text) name."""
    nm = item.get(field) if isinstance(item, dict) else None
    return nm if isinstance(nm, str) else None


def _span(item: Any) -> tuple[int, int] | None:
    from simulator.scenario.parts import _parse_years

    try:
        a, b = _parse_years(item.get("years"))
        return int(a), int(b)
    except (ValueError, TypeError, AttributeError):
        return None


def _merge_growth(parent: LList, child: LList) -> LList:
    """A child's ranges replace the parent's growth for the years they cover."""
    covered = [s for s in (_span(c) for c in child) if s is not None]
    out = LList()
    out.where, out.lines = child.where, []
    for item, where in zip(parent, parent.lines, strict=True):
        span = _span(item)
        if span is None:
            continue
        years = [y for y in range(span[0], span[1] + 1) if not any(a <= y <= b for a, b in covered)]
        for a, b in _runs(years):
            piece = LDict(item)
            piece.where, piece.lines = item.where, dict(item.lines)
            piece["years"] = f"{a}-{b}" if a != b else a
            out.append(piece)
            out.lines.append(where)
    for item, where in zip(child, child.lines, strict=True):
        out.append(item)
        out.lines.append(where)
    return out


def _runs(years: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for y in years:
        if runs and runs[-1][1] == y - 1:
            runs[-1] = (runs[-1][0], y)
        else:
            runs.append((y, y))
    return runs


# -- validation and error messages -------------------------------------------------------------


def _validate(data: LDict, name: str, digest: str) -> Scenario:
    try:
        scenario = Scenario.model_validate(data, context={FILE_CHECKS: True})
    except ValidationError as exc:
        errors = drop_hinted_missing([to_error(err, data, name) for err in exc.errors()])
        errors = list({str(e): e for e in errors}.values())
        errors.sort(key=lambda e: (e.file != name, e.file or "", e.line or 0))
        raise (ScenarioErrors(errors) if len(errors) > 1 else errors[0]) from None
    return scenario.with_provenance(Provenance(file=name, sha256=digest, lines=data))


def dump_scenario(scenario: Scenario) -> str:
    """YAML text of a scenario that loads back to an equal scenario."""
    data = scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
    _drop_false(data, LARGE_GROWTH_KEY)
    for key in ("growth", "levers"):
        items = data.get(key)
        for item in items if isinstance(items, list) else []:
            item["years"] = _years_text(item["years"])
    for comp in data.get("components") or []:
        for item in comp.get("growth") or []:
            item["years"] = _years_text(item["years"])
    for shock in data.get("shocks") or []:
        shock["years"] = _years_text(shock["years"])
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def _drop_false(data: Any, key: str) -> None:
    """Remove ``key: false`` (the default) everywhere in a dumped scenario, in place."""
    if isinstance(data, dict):
        if data.get(key) is False:
            del data[key]
        for v in data.values():
            _drop_false(v, key)
    elif isinstance(data, list):
        for v in data:
            _drop_false(v, key)


def _years_text(span: list[int]) -> str:
    return f"{span[0]}-{span[1]}"


__all__ = ["dump_scenario", "load_scenario"]
_ = math
