"""The engine against closed forms, plain compounding, a plain loop, and its own seeding rules."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from simulator.engine.runs import simulate
from simulator.engine.streams import BLOCK
from simulator.scenario.loader import load_scenario
from tests.oracle import plain_loop

IID = """
name: closed form
base: {{fiscal_year: 2025, value: 3810}}
horizon: 2029
seed: 11
growth:
  - years: 2026-2029
    dist: lognormal
    mean: 0.18
    sd: 0.07
persistence: {rho}
nowcast: false
targets:
  - {{name: ten, fiscal_year: 2029, value: 8000}}
"""


def _lognormal_closed_form(rho: float, years: int) -> tuple[float, float, float]:
    """(mu, sigma of ln(total growth factor), s) for the IID template."""
    m, sd = 0.18, 0.07
    s2 = math.log1p((sd / (1 + m)) ** 2)
    mu = math.log1p(m) - s2 / 2
    var = s2 * sum(rho ** abs(i - j) for i in range(years) for j in range(years))
    return years * mu, math.sqrt(var), math.sqrt(s2)


@pytest.mark.parametrize("rho", [0.0, 0.5])
def test_lognormal_matches_closed_form(write_yaml: Callable[..., Path], rho: float) -> None:
    sc = load_scenario(write_yaml(IID.format(rho=rho)))
    paths = 200_000
    res = simulate(sc, paths=paths)
    mu, sig, _ = _lognormal_closed_form(rho, 4)
    target = 8000.0
    p_exact = 1 - stats.norm.cdf((math.log(target / 3810) - mu) / sig)
    p_mc = res.summary().targets[0].p_hit
    se = math.sqrt(p_exact * (1 - p_exact) / paths)
    assert abs(p_mc - p_exact) < 4 * se
    median_exact = 3810 * math.exp(mu)
    # The sample median's standard error: 1 / (2 f(m) sqrt(n)), f the lognormal density at m.
    f_m = stats.lognorm(sig, scale=median_exact).pdf(median_exact)
    se_med = 1 / (2 * f_m * math.sqrt(paths))
    assert abs(np.median(res.values[:, -1]) - median_exact) < 4 * se_med


def test_persistence_links_years_as_ar1(write_yaml: Callable[..., Path]) -> None:
    sc = load_scenario(write_yaml(IID.format(rho=0.5)))
    res = simulate(sc, paths=100_000)
    logs = np.diff(np.log(np.column_stack([np.full(res.paths, 3810.0), res.values])), axis=1)
    r = np.corrcoef(logs[:, 0], logs[:, 1])[0, 1]
    assert abs(r - 0.5) < 4 * (1 - 0.25) / math.sqrt(res.paths)


def test_zero_sd_reproduces_compounding_exactly(write_yaml: Callable[..., Path]) -> None:
    path = write_yaml(
        """
name: flat
nowcast: false
base: {fiscal_year: 2025, value: 3810}
horizon: 2030
growth:
  - {years: 2026-2027, dist: normal, mean: 0.2, sd: 0}
  - {years: 2028-2030, dist: lognormal, mean: 0.15, sd: 0}
persistence: 0.3
"""
    )
    res = simulate(load_scenario(path), paths=1000, seed=1)
    expected = 3810.0
    out = []
    for g in (0.2, 0.2, 0.15, 0.15, 0.15):
        expected = expected * (1 + g)
        out.append(expected)
    assert np.all(res.values == res.values[0])
    np.testing.assert_allclose(res.values[0], out, rtol=1e-14, atol=0)


def test_same_seed_same_output_and_different_seed_differs() -> None:
    sc = load_scenario(Path("scenarios/baseline.yaml"))
    a = simulate(sc, paths=5000, seed=7).values
    b = simulate(sc, paths=5000, seed=7).values
    c = simulate(sc, paths=5000, seed=8).values
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_unseeded_run_records_entropy_that_replays_it() -> None:
    sc = load_scenario(Path("scenarios/baseline.yaml"))
    first = simulate(sc, paths=2000, seed=None)
    replay = simulate(sc, paths=2000, seed=first.seed_entropy)
    np.testing.assert_array_equal(first.values, replay.values)


def test_chunked_and_threaded_runs_equal_one_chunk() -> None:
    sc = load_scenario(Path("scenarios/baseline.yaml"))
    paths = 3 * BLOCK + 123
    one = simulate(sc, paths=paths, seed=5, chunk_size=paths, threads=1).values
    many = simulate(sc, paths=paths, seed=5, chunk_size=BLOCK, threads=2).values
    np.testing.assert_array_equal(one, many)


def test_fewer_paths_are_a_prefix_of_more() -> None:
    sc = load_scenario(Path("scenarios/baseline.yaml"))
    small = simulate(sc, paths=100, seed=3).values
    big = simulate(sc, paths=BLOCK + 10, seed=3).values
    np.testing.assert_array_equal(small, big[:100])


def test_vectorised_engine_equals_plain_loop(write_yaml: Callable[..., Path]) -> None:
    path = write_yaml(
        """
name: tiny
nowcast: false
base: {fiscal_year: 2025, value: 3810}
horizon: 2029
persistence: 0.4
growth:
  - {years: 2026-2027, dist: t, mean: 0.19, sd: 0.06, df: 5}
  - {years: 2028-2029, dist: split_normal, mode: 0.17, sd_low: 0.1, sd_high: 0.04}
levers:
  - {name: ai, years: 2027-2029, dist: uniform, low: 0.0, high: 0.05}
shocks:
  - name: slowdown
    years: 2026-2029
    probability: 0.3
    impact: {dist: triangular, low: -0.2, mode: -0.1, high: 0.0}
    recovery: 0.5
limits: {floor: -0.1, cap: 0.3}
"""
    )
    sc = load_scenario(path)
    fast = simulate(sc, paths=40, seed=9).values
    slow = plain_loop(sc, paths=40, seed=9)
    np.testing.assert_allclose(fast, slow, rtol=1e-12)


def test_values_shape_and_years() -> None:
    sc = load_scenario(Path("scenarios/baseline.yaml"))
    res = simulate(sc, paths=1000, seed=1)
    assert res.values.shape == (1000, 5)
    assert res.years.tolist() == [2026, 2027, 2028, 2029, 2030]
    assert res.values.dtype == np.float64


def test_progress_counts_every_path_and_changes_nothing() -> None:
    sc = load_scenario(Path("scenarios/baseline.yaml"))
    seen: list[int] = []
    paths = 2 * BLOCK + 99
    with_bar = simulate(sc, paths=paths, seed=4, threads=2, chunk_size=BLOCK, progress=seen.append)
    without = simulate(sc, paths=paths, seed=4)
    assert sum(seen) == paths
    assert len(seen) == 3
    np.testing.assert_array_equal(with_bar.values, without.values)
