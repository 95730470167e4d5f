"""What the winning paths looked like: inputs reproduced from the seed, and contrasts that point
the right way (real engine, small runs)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from simulator.engine.runs import simulate
from simulator.scenario.loader import load_scenario
from simulator.scenario.schema import Target
from simulator.stats.winning import random_inputs, winning_paths

ROOT = Path(__file__).resolve().parent.parent

FIXED = """\
name: Fixed growth and a lever
base: history
horizon: 2030
growth:
  - years: 2026-2030
    dist: fixed
    value: 0.10
levers:
  - name: push
    years: 2027-2030
    dist: uniform
    low: 0.0
    high: 0.06
shocks:
  - name: slump
    years: 2028-2029
    probability: 0.3
    once: true
    impact: {dist: fixed, value: -0.1}
targets: uraan
"""


@pytest.fixture(scope="module")
def fixed_run(tmp_path_factory: pytest.TempPathFactory) -> object:
    path = tmp_path_factory.mktemp("winning") / "fixed.yaml"
    path.write_text(FIXED, encoding="utf-8")
    return simulate(load_scenario(path), paths=4000, seed=9, threads=1)


def test_inputs_are_the_ones_the_engine_used(fixed_run: object) -> None:
    inputs = {name: x for name, _, x in random_inputs(fixed_run, 2030)}  # type: ignore[arg-type]
    # FY27: fixed 10% plus the lever, exactly (no shock window, no limit binds).
    np.testing.assert_allclose(inputs["growth FY27"], 0.10 + inputs["lever push"], atol=1e-12)
    # FY28: the slump takes 10% off the level in the paths where it struck that year.
    struck = inputs["shock slump struck"]
    assert 0.3 < struck.mean() < 0.6  # 1 - 0.7^2 = 51% by FY29
    g28 = inputs["growth FY28"]
    expected_free = 0.10 + inputs["lever push"]
    hit28 = ~np.isclose(g28, expected_free, atol=1e-12)
    np.testing.assert_allclose(g28[hit28], (1 + expected_free[hit28]) * 0.9 - 1, atol=1e-12)


def test_winning_paths_had_more_lever_and_fewer_slumps(fixed_run: object) -> None:
    values = fixed_run.values  # type: ignore[attr-defined]
    target = Target(name="mid", fiscal_year=2029, value=float(np.median(values[:, 3])))
    res = winning_paths(fixed_run, target)  # type: ignore[arg-type]
    assert res is not None and 0 < res.hits < res.paths
    by = {c.name: c for c in res.inputs}
    assert by["lever push"].hit > by["lever push"].overall and by["lever push"].diff_sd > 0.3
    assert by["shock slump struck"].hit < by["shock slump struck"].overall
    assert by["growth to FY29 (a year)"].diff_sd > 0.5


def test_an_unprojected_or_missed_target(fixed_run: object) -> None:
    far = Target(name="far", fiscal_year=2040, value=1.0)
    assert winning_paths(fixed_run, far) is None  # type: ignore[arg-type]
    huge = Target(name="huge", fiscal_year=2029, value=1e9)
    res = winning_paths(fixed_run, huge)  # type: ignore[arg-type]
    assert res is not None and res.hits == 0 and res.inputs == ()
