"""Runs: prepare once, simulate a plan without reading files, and one rule for shared draws."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from simulator.engine.runs import common_random_numbers, prepare, simulate
from simulator.questions.compare import simulate_all
from simulator.questions.goalseek import goal_seek, shift_growth
from simulator.questions.sensitivity import sensitivity
from simulator.scenario.loader import load_scenario

PATHS = 1_000

_opened: list[str] = []
_watching = [False]


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _watching[0] and event == "open" and isinstance(args[0], str | Path):
        name = str(args[0])
        if name.endswith((".csv", ".yaml", ".yml")):
            _opened.append(name)


sys.addaudithook(_audit)  # hooks cannot be removed; this one only records while watching


@contextmanager
def _data_files_opened() -> Iterator[list[str]]:
    """Data files (CSV, YAML) opened inside the block, seen by a Python audit hook."""
    _opened.clear()
    _watching[0] = True
    try:
        yield _opened
    finally:
        _watching[0] = False


def test_a_plan_runs_without_reading_a_file(baseline_file: Path) -> None:
    plan = prepare(load_scenario(baseline_file))
    with _data_files_opened() as opened:
        res = simulate(plan, paths=PATHS, seed=3, threads=1)
    assert opened == []
    again = simulate(load_scenario(baseline_file), paths=PATHS, seed=3, threads=1)
    np.testing.assert_array_equal(res.values, again.values)


def test_preparing_reads_the_actuals(baseline_file: Path) -> None:
    sc = load_scenario(baseline_file)
    with _data_files_opened() as opened:
        prepare(sc)
    assert any(name.endswith(".csv") for name in opened)


def test_goal_seek_and_sensitivity_read_no_file_after_prepare(baseline_file: Path) -> None:
    plan = prepare(load_scenario(baseline_file))
    target = plan.scenario.targets[1]
    with _data_files_opened() as opened:
        goal_seek(plan, target=target, probability=0.5, paths=PATHS, seed=1, threads=1)
        sensitivity(plan, paths=PATHS, seed=1, threads=1)
    assert opened == []


def test_a_variant_prepared_like_its_parent_equals_one_prepared_afresh(
    baseline_file: Path,
) -> None:
    sc = load_scenario(baseline_file)
    plan = prepare(sc)
    variant = shift_growth(sc, 0.02)
    crn = common_random_numbers(plan, paths=PATHS, seed=5, threads=1)
    reused = crn.simulate(prepare(variant, like=plan))
    fresh = simulate(variant, paths=PATHS, seed=5, threads=1)
    np.testing.assert_array_equal(reused.values, fresh.values)
    # The fitted seasonal model is reused; each plan conditions it on its own prior.
    assert reused.plan.seasonal is plan.seasonal


def test_unseeded_shared_runs_report_no_seed_and_one_entropy(baseline_file: Path) -> None:
    """One rule everywhere: an unseeded set reports seed None and the entropy that replays it."""
    sc = load_scenario(baseline_file).model_copy(update={"seed": None})
    projections = simulate_all([sc, sc, sc], paths=PATHS, threads=1)
    assert [p.seed for p in projections] == [None, None, None]
    assert len({p.seed_entropy for p in projections}) == 1
    entropy = projections[0].seed_entropy
    replay = simulate(sc, paths=PATHS, seed=entropy, threads=1)
    np.testing.assert_array_equal(replay.values, projections[0].values)

    res = goal_seek(sc, target=sc.targets[1], probability=0.5, paths=PATHS, threads=1)
    assert res.seed is None
    assert res.to_dict()["seed_entropy"] == str(res.seed_entropy)
    sens = sensitivity(sc, paths=PATHS, threads=1)
    assert sens.seed is None and sens.seed_entropy > 0
