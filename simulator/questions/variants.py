"""Scenario variants: the keys of a scenario a sweep may vary, and the scenario with keys set.

A **key** is a dotted path to a number in a scenario: ``growth[0].mean``, ``persistence``,
``levers.ai_services_push.high``, ``shocks.global_tech_slowdown.probability``, ``limits.floor``;
named items (levers, shocks, components) are addressed by name and growth ranges by position.
Every growth range, lever and shock impact also has a ``.shift`` key: the whole distribution
moved by that much (growth as a fraction), whatever its ``dist`` (``DistributionBase.shifted``).
:func:`sweepable_keys` lists a scenario's keys and :func:`resolve_key` turns one into its
:data:`KeyPath` in the scenario's data.

Overrides are applied to the scenario as plain data (``model_dump(by_alias=True)``, typed
:data:`ScenarioData`) and the result is validated through the schema again, so a value the
scenario format does not allow is a user error naming the key (:func:`variant`).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any, TypeAlias

from pydantic import TypeAdapter

from simulator.errors import ScenarioError, UserInputError, did_you_mean, format_path
from simulator.scenario.issues import to_error
from simulator.scenario.schema import Distribution, GrowthRange, Lever, Scenario

#: A value of scenario data before validation, as YAML or ``model_dump`` gives it.
DataValue: TypeAlias = "str | int | float | bool | list[DataValue] | dict[str, DataValue] | None"
#: A scenario (or one of its entries) as plain data, ``model_dump(by_alias=True)``.
ScenarioData: TypeAlias = "dict[str, DataValue]"
#: Where a key lives in :data:`ScenarioData`: field names and list positions.
KeyPath = tuple[str | int, ...]
#: The pseudo-field that moves a whole distribution by the value.
SHIFT = "shift"
#: The pseudo-field that replaces a lever by a fixed value (the explorer's ``levers.NAME``).
FIXED = "fixed"
#: Fields of a distribution entry that are not its parameters.
NOT_PARAMETERS = frozenset({"dist", "years", "name", "components", "description"})


class SweepError(UserInputError):
    """A sweep cannot be run as asked (unknown key, bad range, bad design)."""


# --- Walking scenario data --------------------------------------------------------------------


def child(node: DataValue, key: str | int) -> DataValue:
    """``node[key]`` for a mapping entry or a list item of scenario data.

    Raises
    ------
    KeyError
        When ``node`` has no such entry (a path that does not fit the data).
    """
    if isinstance(node, dict) and isinstance(key, str):
        return node[key]
    if isinstance(node, list) and isinstance(key, int):
        return node[key]
    raise KeyError(key)


def walk(node: DataValue, path: KeyPath) -> DataValue:
    """The value at ``path`` below ``node``."""
    for p in path:
        node = child(node, p)
    return node


def entry(node: DataValue, path: KeyPath) -> ScenarioData:
    """The mapping at ``path`` below ``node`` (a growth range, a lever, a shock, ``limits``)."""
    node = walk(node, path)
    if not isinstance(node, dict):
        raise KeyError(format_path(path))
    return node


def is_number(v: DataValue) -> bool:
    """True for an int or float that is not a bool."""
    return isinstance(v, int | float) and not isinstance(v, bool)


def as_list(v: DataValue) -> list[DataValue]:
    """``v`` if it is a list (a section such as ``levers``), else an empty one."""
    return v if isinstance(v, list) else []


# --- Keys -------------------------------------------------------------------------------------


def _dist_keys(prefix: str, path: KeyPath, item: ScenarioData) -> dict[str, KeyPath]:
    out: dict[str, KeyPath] = {
        f"{prefix}.{k}": (*path, k)
        for k, v in item.items()
        if k not in NOT_PARAMETERS and is_number(v)
    }
    out[f"{prefix}.{SHIFT}"] = (*path, SHIFT)
    return out


def sweepable_keys(scenario: Scenario) -> dict[str, KeyPath]:
    """Every key a sweep may vary, mapped to its path in the scenario's data.

    Returns
    -------
    dict of str to tuple — such as ``{"growth[0].mean": ("growth", 0, "mean"), ...}``, in
    the order of the scenario file's sections. Growth given as a rule (not a list of
    ranges) has no growth keys.
    """
    data: ScenarioData = scenario.model_dump(by_alias=True)
    keys: dict[str, KeyPath] = {}
    for i, _ in enumerate(as_list(data.get("growth"))):
        keys.update(_dist_keys(f"growth[{i}]", ("growth", i), entry(data, ("growth", i))))
    keys["persistence"] = ("persistence",)
    for i, _ in enumerate(as_list(data.get("components"))):
        c = entry(data, ("components", i))
        for j, _ in enumerate(as_list(c.get("growth"))):
            prefix = f"components.{c['name']}.growth[{j}]"
            keys.update(_dist_keys(prefix, ("components", i, "growth", j), entry(c, ("growth", j))))
    for i, _ in enumerate(as_list(data.get("levers"))):
        lv = entry(data, ("levers", i))
        keys.update(_dist_keys(f"levers.{lv['name']}", ("levers", i), lv))
    for i, _ in enumerate(as_list(data.get("shocks"))):
        sh = entry(data, ("shocks", i))
        base = f"shocks.{sh['name']}"
        keys[f"{base}.probability"] = ("shocks", i, "probability")
        keys[f"{base}.recovery"] = ("shocks", i, "recovery")
        keys.update(_dist_keys(f"{base}.impact", ("shocks", i, "impact"), entry(sh, ("impact",))))
    keys["limits.floor"] = ("limits", "floor")
    keys["limits.cap"] = ("limits", "cap")
    return keys


def resolve_key(scenario: Scenario, key: str) -> KeyPath:
    """The data path of a sweep key, or a :class:`SweepError` with "did you mean" and the list.

    Raises
    ------
    SweepError
        For a key that is not a number in this scenario; the message names the closest key and
        lists every sweepable one.
    """
    keys = sweepable_keys(scenario)
    if key in keys:
        return keys[key]
    raise SweepError(
        f"unknown key '{key}'{did_you_mean(key, keys)}; sweepable keys: {', '.join(keys)}",
        file=scenario.file,
        key="--vary",
    )


def base_value(scenario: Scenario, path: KeyPath) -> float:
    """The value a key has in the scenario as written (0 for a ``.shift`` key)."""
    if path[-1] == SHIFT:
        return 0.0
    cur = walk(scenario.model_dump(by_alias=True), path)
    assert isinstance(cur, int | float)  # a sweepable key names a number
    return float(cur)


# --- Overrides --------------------------------------------------------------------------------


def _shifted_entry(path: KeyPath, item: ScenarioData, delta: float) -> ScenarioData:
    """A distribution entry (growth range, lever or shock impact) moved by ``delta``."""
    kind: Any = GrowthRange
    if path[-1] == "impact":
        kind = Distribution
    elif path[0] == "levers":
        kind = Lever
    dist = TypeAdapter(kind).validate_python(item)
    out: ScenarioData = dist.shifted(delta).model_dump(by_alias=True)
    return out


def _fixed_entry(item: ScenarioData, value: float) -> ScenarioData:
    """A lever entry replaced by ``dist: fixed`` at ``value`` (its name, years and notes kept)."""
    kept = {k: item[k] for k in NOT_PARAMETERS - {"dist"} if k in item}
    return {**kept, "dist": "fixed", "value": float(value)}


def apply_overrides(
    data: Mapping[str, DataValue], overrides: Sequence[tuple[KeyPath, float]]
) -> ScenarioData:
    """A copy of scenario data (``model_dump(by_alias=True)``) with each path set to its value.

    A path ending in :data:`SHIFT` moves the distribution it names by the value instead; one
    ending in :data:`FIXED` replaces the lever it names by a fixed value. The result is plain
    data: validate it with ``Scenario.model_validate``.
    """
    out: ScenarioData = copy.deepcopy(dict(data))
    for path, value in overrides:
        if path[-1] in (SHIFT, FIXED):
            parent = walk(out, path[:-2])
            item = entry(parent, path[-2:-1])
            if path[-1] == SHIFT:
                new = _shifted_entry(path[:-1], item, float(value))
            else:
                new = _fixed_entry(item, float(value))
            _set(parent, path[-2], new)
        else:
            _set(walk(out, path[:-1]), path[-1], float(value))
    return out


def _set(node: DataValue, key: str | int, value: DataValue) -> None:
    if isinstance(node, dict) and isinstance(key, str):
        node[key] = value
        return
    if isinstance(node, list) and isinstance(key, int):
        node[key] = value
        return
    raise KeyError(key)


def variant(
    scenario: Scenario,
    overrides: Sequence[tuple[KeyPath, float]],
    *,
    data: Mapping[str, DataValue] | None = None,
    labels: Sequence[str] | None = None,
) -> Scenario:
    """The scenario with each override applied, validated through the schema.

    ``labels`` name the overrides in a message (default: their data paths).

    Raises
    ------
    ScenarioError
        One line naming the scenario file, the key and what is allowed, when a value is one the
        scenario format refuses (a negative sd, a probability above 1, a PERT mode above its
        high).
    """
    from pydantic import ValidationError

    new = apply_overrides(scenario.model_dump(by_alias=True) if data is None else data, overrides)
    try:
        out = Scenario.model_validate(new)
    except ValidationError as exc:
        name = scenario.file or "<scenario>"
        err = to_error(exc.errors()[0], new, name)
        names = labels or [format_path(p) for p, _ in overrides]
        where = ", ".join(f"{k}={v:g}" for k, (_, v) in zip(names, overrides, strict=True))
        path = overrides[0][0] if len(overrides) == 1 else ()
        if path and path[-1] == SHIFT:
            path = path[:-1]
        file, line = scenario.provenance.locate(path) if path else (scenario.file, None)
        raise ScenarioError(
            f"not allowed in a sweep ({where}): {err.message}",
            file=file or scenario.file,
            line=line,
            key=err.key,
        ) from None
    return out.with_provenance(scenario.provenance.derive())
