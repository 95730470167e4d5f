"""Rare targets: importance sampling against closed forms at p near 1e-5, and the formatter."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pytest
from scipy import stats

from simulator.engine.runs import simulate
from simulator.present.text import hit_text, probability_text
from simulator.scenario.loader import load_scenario

RARE = """
name: rare target
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
limits: {{floor: -0.99, cap: 100, allow_large_growth: true}}  # cap 100: no cap
sampler: {sampler}
targets:
  - {{name: rare, fiscal_year: 2029, value: {value}}}
"""


def _closed_form(rho: float, years: int, p: float) -> float:
    """The FY2029 level that lognormal growth reaches with probability ``p``."""
    m, sd = 0.18, 0.07
    s2 = math.log1p((sd / (1 + m)) ** 2)
    mu = years * (math.log1p(m) - s2 / 2)
    var = s2 * sum(rho ** abs(i - j) for i in range(years) for j in range(years))
    return 3810 * math.exp(mu + math.sqrt(var) * float(stats.norm.isf(p)))


@pytest.mark.parametrize("sampler", ["mc", "sobol"])
@pytest.mark.parametrize("rho", [0.0, 0.6])
def test_rare_target_matches_closed_form(
    write_yaml: Callable[..., Path], rho: float, sampler: str
) -> None:
    p_exact = 1e-5
    level = _closed_form(rho, 4, p_exact)
    sc = load_scenario(write_yaml(RARE.format(rho=rho, sampler=sampler, value=level)))
    summary = simulate(sc, paths=20_000).summary().to_dict()
    t = summary["targets"][0]
    assert summary["run"]["sampler"] == sampler
    assert t["estimator"] == "importance"
    assert t["hits"] < 5  # the plain paths could not have said it
    assert 0 < t["p_hit_se"] < 0.1 * p_exact
    assert abs(t["p_hit"] - p_exact) < 4 * t["p_hit_se"]
    assert t["p_hit_sim_error"][0] < p_exact < t["p_hit_sim_error"][1]
    assert "importance" in t and t["importance"]["paths"] == 20_000


def test_rare_target_is_reproducible(write_yaml: Callable[..., Path]) -> None:
    sc = load_scenario(write_yaml(RARE.format(rho=0.3, sampler="mc", value=20_000)))
    a = simulate(sc, paths=5000, threads=1).summary().targets[0]
    b = simulate(sc, paths=5000, threads=2, chunk_size=1).summary().targets[0]
    assert a == b


def test_zero_hits_read_as_the_exact_upper_bound() -> None:
    n = 100_000
    text = probability_text(0.0, estimate=True, hits=0, paths=n)
    assert text == "below 0.0030% (95% upper bound, 0 of 100,000 paths)"
    assert math.isclose(1 - 0.05 ** (1 / n), 2.9957e-5, rel_tol=1e-4)
    top = probability_text(1.0, estimate=True, hits=n, paths=n)
    assert top == "above 99.9970% (95% lower bound, 100,000 of 100,000 paths)"
    t = {"estimator": "paths", "p_hit": 0.0, "p_hit_bound": {"hits": 0, "paths": n}}
    assert hit_text(t) == text


@pytest.mark.parametrize(
    ("p", "text"),
    [
        (2.1e-5, "0.0021%"),
        (0.00042, "0.042%"),
        (0.0123, "1.2%"),
        (0.37, "37.0%"),
        (0.99987, "99.987%"),
    ],
)
def test_small_and_large_probabilities_are_numbers(p: float, text: str) -> None:
    assert probability_text(p, estimate=True) == text
    assert "<" not in probability_text(p, estimate=True)


NEAR_CERTAIN = """
name: near certain
base: {fiscal_year: 2025, value: 3810}
horizon: 2030
seed: 5
nowcast: false
growth:
  - {years: 2026-2030, dist: normal, mean: 0.9, sd: 0.01}
persistence: 0
"""


def test_a_miss_too_far_for_importance_sampling_keeps_the_plain_count(
    write_yaml: Callable[..., Path],
) -> None:
    """Every path hits by a wide margin: the shift towards a miss would need weights of
    exp(-thousands), which used to surface as a RuntimeWarning and a NaN in summary.json.
    The summary keeps the plain count and its exact bound instead."""
    sc = load_scenario(write_yaml(NEAR_CERTAIN))
    summary = simulate(sc, paths=2000).summary()
    for t in summary.targets:
        assert t.hits == 2000
        assert t.estimator == "paths"
        assert math.isfinite(t.p_hit) and t.p_hit == 1.0
    assert "above 99.85%" in hit_text(summary.targets[0])
