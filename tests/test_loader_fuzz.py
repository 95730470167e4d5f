"""Property tests: malformed scenarios never escape as anything but a user error.

Random mutations of valid scenarios (dropped keys, swapped types, extreme values, random text,
unknown keys, broken YAML text) must load to a ``Scenario`` or raise ``UserInputError``, and a
loaded scenario must survive a dump → load round trip.
"""

from __future__ import annotations

import copy
import math
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.engine.runs import simulate
from simulator.errors import UserInputError
from simulator.scenario.check import check_scenario
from simulator.scenario.loader import dump_scenario, load_scenario
from simulator.scenario.schema import Scenario

VALID: list[dict[str, Any]] = [
    {
        "name": "Baseline",
        "base": "history",
        "horizon": 2030,
        "seed": 1,
        "growth": [
            {"years": "2026-2027", "dist": "normal", "mean": 0.19, "sd": 0.06},
            {"years": "2028-2030", "dist": "lognormal", "mean": 0.17, "sd": 0.08},
        ],
        "persistence": 0.4,
        "targets": "uraan",
    },
    {
        "name": "Everything",
        "description": "every section",
        "base": {"fiscal_year": 2025, "value": 3810},
        "horizon": 2029,
        "growth": [
            {"years": "2026-2027", "dist": "t", "mean": 0.15, "sd": 0.05, "df": 5},
            {"years": 2028, "dist": "split_normal", "mode": 0.1, "sd_low": 0.1, "sd_high": 0.03},
            {"years": 2029, "dist": "interval", "low": 0.05, "high": 0.25, "level": 0.8},
        ],
        "levers": [
            {
                "name": "ai",
                "years": "2027-2029",
                "dist": "pert",
                "low": 0,
                "mode": 0.02,
                "high": 0.05,
            },
            {"name": "policy", "years": 2026, "dist": "uniform", "low": 0, "high": 0.02},
        ],
        "shocks": [
            {
                "name": "slowdown",
                "years": "2027-2028",
                "probability": 0.2,
                "once": True,
                "impact": {"dist": "triangular", "low": -0.2, "mode": -0.1, "high": 0},
                "recovery": 0.5,
            }
        ],
        "limits": {"floor": -0.3, "cap": 0.6},
        "targets": [{"name": "five", "fiscal_year": 2026, "value": 5000}],
    },
    {
        "name": "Components",
        "base": {"fiscal_year": 2025, "value": 3810},
        "horizon": 2028,
        "growth": [{"years": "2026-2028", "dist": "normal", "mean": 0.18, "sd": 0.05}],
        "components": [
            {
                "name": "call_centres",
                "base": 328,
                "growth": [{"years": "2026-2028", "dist": "fixed", "value": 0.2}],
            },
            {"name": "telecom", "base": {"share": 0.15}},
            {"name": "rest", "base": "rest"},
        ],
        "correlation": [[1, 0.5, 0.2], [0.5, 1, 0.3], [0.2, 0.3, 1]],
        "levers": [
            {
                "name": "bpo",
                "years": 2027,
                "dist": "fixed",
                "value": 0.05,
                "components": ["call_centres"],
            }
        ],
    },
]

KEYS = [
    "name", "base", "horizon", "paths", "seed", "growth", "persistence", "targets", "components",
    "correlation", "levers", "shocks", "limits", "years", "dist", "mean", "sd", "df", "low",
    "mode", "high", "value", "share", "probability", "impact", "recovery", "once", "extends",
    "actuals", "fiscal_year", "level", "sd_low", "sd_high", "cap", "floor", "rest", "history",
]  # fmt: skip

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, 1, -1, 0.99, 1.0001, -0.999, 1e308, -1e308, 5e-324, 2026, 1999, 2101]),
    st.text(max_size=30),
    st.sampled_from([*KEYS, "2026-2030", "2030-2026", "FY2027", "uraan", "normal", "lognorm", ""]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner, max_size=4),
    ),
    max_leaves=8,
)


def _containers(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(node, dict | list):
        yield path, node
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for k, v in items:
            yield from _containers(v, (*path, k))


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    data = copy.deepcopy(draw(st.sampled_from(VALID)))
    for _ in range(draw(st.integers(1, 4))):
        spots = list(_containers(data))
        _, node = spots[draw(st.integers(0, len(spots) - 1))]
        keys = list(node.keys()) if isinstance(node, dict) else list(range(len(node)))
        op = draw(st.sampled_from(["drop", "replace", "replace", "add", "rename", "duplicate"]))
        if op == "add" or not keys:
            if isinstance(node, dict):
                node[draw(st.sampled_from(KEYS) | st.text(max_size=10))] = draw(values)
            else:
                node.append(draw(values))
            continue
        key = keys[draw(st.integers(0, len(keys) - 1))]
        if op == "drop":
            del node[key]
        elif op == "replace":
            node[key] = draw(values)
        elif op == "rename" and isinstance(node, dict):
            node[draw(st.sampled_from(KEYS) | st.text(max_size=10))] = node.pop(key)
        elif op == "duplicate" and isinstance(node, list):
            node.append(copy.deepcopy(node[key]))
    return data


@st.composite
def broken_text(draw: st.DrawFn) -> str:
    """Valid YAML text with a few characters inserted, deleted or replaced."""
    text = yaml.safe_dump(draw(st.sampled_from(VALID)), sort_keys=False)
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(text)))
        piece = draw(
            st.sampled_from(
                [
                    "",
                    ":",
                    "-",
                    "[",
                    "{",
                    "&a ",
                    "*a",
                    "!!",
                    "'",
                    '"',
                    "\t",
                    "\n  ",
                    "#",
                    "%",
                    "|",
                    "? ",
                ]
            )
            | st.text(max_size=3)
        )
        j = i + draw(st.integers(0, 3))
        text = text[:i] + piece + text[j:]
    return text


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as d:
        yield Path(d)


def check(path: Path) -> None:
    try:
        sc = load_scenario(path)
    except UserInputError as exc:
        message = str(exc)
        assert message.startswith(str(path)), message
        assert "Traceback" not in message and "pydantic" not in message.lower()
        return
    assert isinstance(sc, Scenario)
    try:  # every check ``run`` makes, as ``validate`` does
        plan = check_scenario(sc)
    except UserInputError as exc:
        assert "Traceback" not in str(exc)
        return
    # What passes ``validate`` runs: no user error may come up now.
    res = simulate(plan, paths=4, seed=1, threads=1)
    assert np.isfinite(res.values).all()
    assert (res.values > 0).all()


FUZZ = settings(
    max_examples=3000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=True,
)


@FUZZ
@given(data=mutated())
def test_mutated_scenarios_load_or_fail_cleanly(scratch: Path, data: dict[str, Any]) -> None:
    path = scratch / "fuzz.yaml"
    try:
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    except (yaml.YAMLError, ValueError):  # pragma: no cover - unrepresentable draws
        return
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    check(path)


@settings(FUZZ, max_examples=1000)
@given(text=broken_text())
def test_broken_yaml_text_fails_cleanly(scratch: Path, text: str) -> None:
    path = scratch / "broken.yaml"
    path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
    check(path)


finite = st.floats(min_value=-0.5, max_value=0.5, allow_nan=False)
positive = st.floats(min_value=0, max_value=0.5, allow_nan=False)


@st.composite
def valid_scenarios(draw: st.DrawFn) -> dict[str, Any]:
    data = copy.deepcopy(draw(st.sampled_from(VALID)))
    for item in data["growth"]:
        if "sd" in item:
            item["sd"] = draw(positive)
        if "mean" in item:
            item["mean"] = draw(finite)
    data["persistence"] = draw(st.floats(min_value=-0.99, max_value=0.99))
    data["seed"] = draw(st.none() | st.integers(0, 2**63))
    data["description"] = draw(st.text(max_size=40))
    if draw(st.booleans()):
        data["limits"] = {"floor": draw(st.floats(-0.99, 0)), "cap": draw(st.floats(0, 1))}
    return data


@settings(FUZZ, max_examples=300)
@given(data=valid_scenarios())
def test_dump_load_round_trip(scratch: Path, data: dict[str, Any]) -> None:
    first = scratch / "first.yaml"
    first.write_text(
        yaml.safe_dump(data, sort_keys=False), encoding="utf-8", errors="surrogatepass"
    )
    sc = load_scenario(first)
    again_path = scratch / "again.yaml"
    again_path.write_text(dump_scenario(sc), encoding="utf-8", errors="surrogatepass")
    again = load_scenario(again_path)
    assert again.model_dump() == sc.model_dump()
    assert dump_scenario(again) == dump_scenario(sc)
    _ = math
