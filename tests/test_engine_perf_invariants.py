"""What the engine's speed must not cost: reproducibility, closed forms and bounded memory."""

from __future__ import annotations

import math
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from scipy import special

from simulator.engine.runs import simulate
from simulator.engine.streams import BLOCK, draw_normals
from simulator.scenario.loader import load_scenario
from simulator.scenario.schema import Scenario
from tests.oracle import plain_loop

COMPONENTS_YAML = """\
name: perf invariants
nowcast: false
base: {fiscal_year: 2025, value: 3810}
horizon: 2029
seed: 11
growth:
  - years: 2026-2029
    dist: normal
    mean: 0.17
    sd: 0.08
persistence: 0.4
components:
  - name: call_centres
    base: 328
    growth:
      - years: 2026-2029
        dist: lognormal
        mean: 0.10
        sd: 0.05
  - name: rest
    base: rest
correlation: [[1.0, 0.5], [0.5, 1.0]]
levers:
  - name: push
    years: 2027-2029
    dist: interval
    low: 0.0
    high: 0.04
shocks:
  - name: slowdown
    years: 2026-2029
    probability: 0.2
    impact: {dist: normal, mean: -0.08, sd: 0.03}
    recovery: 0.5
"""


def _load(tmp_path: Path, text: str) -> Scenario:
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return load_scenario(path)


def _lognormal_yaml(years: int, mean: float, sd: float, rho: float) -> str:
    return f"""\
name: lognormal closed form
nowcast: false
base: {{fiscal_year: 2025, value: 3810}}
horizon: {2025 + years}
growth:
  - years: 2026-{2025 + years}
    dist: lognormal
    mean: {mean}
    sd: {sd}
persistence: {rho}
limits: {{floor: -0.99, cap: 100, allow_large_growth: true}}  # cap 100: no cap
"""


@pytest.mark.parametrize(("threads", "chunk_size"), [(2, BLOCK), (3, 2 * BLOCK), (2, 10**9)])
def test_threads_and_chunks_do_not_change_results(
    tmp_path: Path, threads: int, chunk_size: int
) -> None:
    sc = _load(tmp_path, COMPONENTS_YAML)
    paths = 3 * BLOCK + 123  # a partial last block
    ref = simulate(sc, paths=paths, seed=3, threads=1, chunk_size=BLOCK)
    res = simulate(sc, paths=paths, seed=3, threads=threads, chunk_size=chunk_size)
    np.testing.assert_array_equal(res.values, ref.values)
    for name in ref.components:
        np.testing.assert_array_equal(res.components[name], ref.components[name])
    np.testing.assert_array_equal(res.floor_binds, ref.floor_binds)
    np.testing.assert_array_equal(res.cap_binds, ref.cap_binds)
    for name in ref.shock_hits:
        np.testing.assert_array_equal(res.shock_hits[name], ref.shock_hits[name])


def test_fewer_paths_are_a_prefix(tmp_path: Path) -> None:
    sc = _load(tmp_path, COMPONENTS_YAML)
    full = simulate(sc, paths=2 * BLOCK + 5, seed=3)
    part = simulate(sc, paths=BLOCK + 17, seed=3)
    np.testing.assert_array_equal(part.values, full.values[: BLOCK + 17])


def test_draw_normals_any_window_matches_whole_blocks() -> None:
    whole = draw_normals(9, "growth:total", 0, 3 * BLOCK, 4)
    for start, stop in [(5, 17), (BLOCK - 3, BLOCK + 4), (BLOCK, 2 * BLOCK), (7, 3 * BLOCK)]:
        part = draw_normals(9, "growth:total", start, stop, 4)
        np.testing.assert_array_equal(part, whole[:, start:stop])


def test_vectorised_equals_plain_loop(tmp_path: Path) -> None:
    sc = _load(tmp_path, COMPONENTS_YAML)
    res = simulate(sc, paths=40, seed=5)
    np.testing.assert_allclose(res.values, plain_loop(sc, paths=40, seed=5), rtol=1e-12)


def test_lognormal_with_persistence_matches_closed_form(tmp_path: Path) -> None:
    """ln(level / base) is normal: mean T*mu, variance s^2 * sum_ij rho^|i-j| (AR(1) scores)."""
    years, mean, sd, rho = 4, 0.15, 0.10, 0.5
    sc = _load(tmp_path, _lognormal_yaml(years, mean, sd, rho))
    paths = 1_000_000
    res = simulate(sc, paths=paths, seed=2)
    s2 = math.log1p((sd / (1 + mean)) ** 2)
    mu = math.log1p(mean) - s2 / 2
    var = s2 * sum(rho ** abs(i - j) for i in range(years) for j in range(years))
    loc, scale = math.log(3810) + years * mu, math.sqrt(var)
    fy2029 = res.values[:, -1]
    # P(hit) against a target near the upper quartile.
    target = 7500.0
    p_exact = float(special.ndtr((loc - math.log(target)) / scale))
    p_mc = float(np.mean(fy2029 >= target))
    se = math.sqrt(p_exact * (1 - p_exact) / paths)
    assert abs(p_mc - p_exact) < 4 * se
    # Median: the sample median's sd is 1 / (2 f(m) sqrt(n)) with f the lognormal density.
    median_exact = math.exp(loc)
    density = 1 / (median_exact * scale * math.sqrt(2 * math.pi))
    se_median = 1 / (2 * density * math.sqrt(paths))
    assert abs(float(np.median(fy2029)) - median_exact) < 4 * se_median


def test_independent_components_means_add_up(tmp_path: Path) -> None:
    text = """\
name: independent components
nowcast: false
base: {fiscal_year: 2025, value: 3810}
horizon: 2028
components:
  - name: a
    base: 328
    growth:
      - {years: 2026-2028, dist: lognormal, mean: 0.10, sd: 0.05}
  - name: b
    base: rest
    growth:
      - {years: 2026-2028, dist: normal, mean: 0.18, sd: 0.06}
limits: {floor: -0.99, cap: 100, allow_large_growth: true}  # cap 100: no cap
"""
    sc = _load(tmp_path, text)
    paths = 200_000
    res = simulate(sc, paths=paths, seed=4)
    exact = 328 * 1.10**3 + (3810 - 328) * 1.18**3
    total = res.values[:, -1]
    assert abs(total.mean() - exact) < 4 * total.std() / math.sqrt(paths)
    np.testing.assert_allclose(
        res.values, res.components["a"] + res.components["b"], rtol=1e-15, atol=0
    )


def test_working_memory_does_not_grow_with_paths(tmp_path: Path) -> None:
    """Beyond its results, the engine only holds chunk-sized arrays (per worker).

    This is what keeps any per-path, per-month work (such as a nowcast of the current fiscal
    year) chunk-local: the traced peak minus the result arrays must not depend on ``paths``.
    """
    sc = _load(tmp_path, COMPONENTS_YAML)
    simulate(sc, paths=BLOCK, seed=1, threads=1)  # warm caches and imports

    def overhead(paths: int) -> int:
        tracemalloc.start()
        try:
            res = simulate(sc, paths=paths, seed=1, threads=1, chunk_size=BLOCK)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        results = res.values.nbytes + sum(c.nbytes for c in res.components.values())
        return peak - results

    small, large = overhead(4 * BLOCK), overhead(16 * BLOCK)
    per_block_row = 8 * BLOCK
    assert large - small < per_block_row  # no array grows with paths beyond the results
    assert large < 40 * per_block_row * len(sc.series_names)  # about a block per year row


@pytest.mark.parametrize(
    ("low", "mode", "high"), [(-0.1, 0.05, 0.4), (0.0, 0.0, 0.3), (0.0, 0.3, 0.3)]
)
def test_triangular_fast_route_equals_scipy(low: float, mode: float, high: float) -> None:
    from simulator.scenario.distributions import Triangular

    dist = Triangular(low=low, mode=mode, high=high)
    z = np.concatenate([np.random.default_rng(0).standard_normal(10_000), [-40, -8, 0, 8, 40]])
    generic = dist.scipy_dist().ppf(special.ndtr(z))
    np.testing.assert_array_equal(dist.from_normal(z), generic)
