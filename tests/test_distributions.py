"""Each distribution's sampled marginal matches scipy's; fast routes match the generic one."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from pydantic import TypeAdapter
from scipy import special, stats

from simulator.scenario.distributions import DISTRIBUTIONS, Distribution, DistributionBase

SPECS: list[dict[str, Any]] = [
    {"dist": "normal", "mean": 0.19, "sd": 0.06},
    {"dist": "lognormal", "mean": 0.19, "sd": 0.12},
    {"dist": "t", "mean": 0.15, "sd": 0.08, "df": 4},
    {"dist": "log_t", "loc": 0.175, "scale": 0.104, "df": 8},
    {"dist": "percentiles", "p10": 0.05, "p50": 0.12, "p90": 0.25},
    {"dist": "triangular", "low": -0.05, "mode": 0.15, "high": 0.35},
    {"dist": "pert", "low": -0.05, "mode": 0.2, "high": 0.3},
    {"dist": "uniform", "low": 0.0, "high": 0.06},
    {"dist": "split_normal", "mode": 0.17, "sd_low": 0.10, "sd_high": 0.04},
    {"dist": "split_normal", "mode": 0.17, "sd_low": 0.03, "sd_high": 0.09},
    {"dist": "interval", "low": 0.10, "high": 0.28, "level": 0.8},
]

ADAPTER: TypeAdapter[Any] = TypeAdapter(Distribution)


def make(spec: dict[str, Any]) -> DistributionBase:
    dist = ADAPTER.validate_python(spec)
    assert isinstance(dist, DistributionBase)
    return dist


def scores(n: int = 20_000, seed: int = 12345) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(n)


def test_every_registered_distribution_is_covered() -> None:
    covered = {s["dist"] for s in SPECS} | {"fixed"}
    assert covered == set(DISTRIBUTIONS)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s["dist"])
def test_marginal_matches_scipy(spec: dict[str, Any]) -> None:
    dist = make(spec)
    draws = dist.from_normal(scores())
    assert draws.shape == (20_000,)
    assert np.isfinite(draws).all()
    result = stats.kstest(draws, dist.scipy_dist().cdf)
    assert result.pvalue > 0.01, result


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s["dist"])
def test_mean_and_median_match_the_draws(spec: dict[str, Any]) -> None:
    dist = make(spec)
    draws = dist.from_normal(scores(200_000, seed=7))
    se = draws.std() / np.sqrt(draws.size)
    if spec["dist"] == "log_t":  # E[exp(T)] diverges: no finite mean to match
        assert dist.mean() == np.inf
    else:
        assert abs(draws.mean() - dist.mean()) < 5 * se + 1e-12
    assert dist.median() == pytest.approx(float(dist.from_normal(np.zeros(1))[0]), abs=1e-9)


#: Every spec with a finite sd of g (log_t's g has none: see test_sensitivity), and fixed.
FINITE_SD = [*(s for s in SPECS if s["dist"] != "log_t"), {"dist": "fixed", "value": 0.1}]


@pytest.mark.parametrize("spec", FINITE_SD, ids=lambda s: s["dist"])
def test_std_matches_the_draws(spec: dict[str, Any]) -> None:
    # Each distribution says its own sd (sensitivity swings a growth range by it): the draws'
    # sd within 5%, over ten standard errors of a sample sd at 200,000 draws for these shapes.
    dist = make(spec)
    draws = dist.from_normal(scores(200_000, seed=11))
    assert dist.std() == pytest.approx(float(draws.std()), rel=0.05, abs=1e-12)


def test_split_normal_cdf_against_numerical_integration() -> None:
    """The two-piece normal (Wallis 2004): density A·exp(-(x-m)²/2σ²) with σ by side."""
    from scipy import integrate

    m, s1, s2 = 0.17, 0.10, 0.04
    a = np.sqrt(2 / np.pi) / (s1 + s2)

    def pdf(x: float) -> float:
        s = s1 if x < m else s2
        return float(a * np.exp(-((x - m) ** 2) / (2 * s * s)))

    rv = make({"dist": "split_normal", "mode": m, "sd_low": s1, "sd_high": s2}).scipy_dist()
    for x in (-0.1, 0.1, 0.17, 0.2, 0.25):
        exact = integrate.quad(pdf, -2.0, x, points=[m] if x > m else None)[0]
        assert float(rv.cdf(x)) == pytest.approx(exact, abs=1e-7)


@pytest.mark.parametrize(
    "spec",
    [
        {"dist": "normal", "mean": 0.19, "sd": 0.06},
        {"dist": "lognormal", "mean": 0.19, "sd": 0.12},
        {"dist": "uniform", "low": -0.02, "high": 0.06},
        {"dist": "interval", "low": 0.10, "high": 0.28},
        {"dist": "split_normal", "mode": 0.17, "sd_low": 0.10, "sd_high": 0.04},
    ],
    ids=lambda s: s["dist"],
)
def test_fast_route_equals_generic_route(spec: dict[str, Any]) -> None:
    dist = make(spec)
    z = np.linspace(-5, 5, 1001)
    fast = dist.from_normal(z)
    generic = DistributionBase.from_normal(dist, z)
    slow = np.asarray(dist.scipy_dist().ppf(special.ndtr(z)))
    np.testing.assert_allclose(fast, generic, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(fast, slow, rtol=1e-9, atol=1e-9)


def test_interval_matches_its_central_interval() -> None:
    dist = make({"dist": "interval", "low": 0.10, "high": 0.28, "level": 0.9})
    rv = dist.scipy_dist()
    assert float(rv.ppf(0.05)) == pytest.approx(0.10)
    assert float(rv.ppf(0.95)) == pytest.approx(0.28)


def test_t_has_the_stated_sd() -> None:
    dist = make({"dist": "t", "mean": 0.1, "sd": 0.05, "df": 5})
    assert float(dist.scipy_dist().std()) == pytest.approx(0.05)


def test_lognormal_gross_rate_is_lognormal_with_stated_moments() -> None:
    dist = make({"dist": "lognormal", "mean": 0.19, "sd": 0.12})
    rv = dist.scipy_dist()
    assert float(rv.mean()) == pytest.approx(0.19)
    assert float(rv.std()) == pytest.approx(0.12)
    assert float(rv.ppf(1e-12)) > -1


@pytest.mark.parametrize(
    "spec",
    [
        {"dist": "fixed", "value": 0.12},
        {"dist": "normal", "mean": 0.12, "sd": 0.0},
        {"dist": "lognormal", "mean": 0.12, "sd": 0.0},
        {"dist": "triangular", "low": 0.12, "mode": 0.12, "high": 0.12},
        {"dist": "pert", "low": 0.12, "mode": 0.12, "high": 0.12},
        {"dist": "uniform", "low": 0.12, "high": 0.12},
        {"dist": "split_normal", "mode": 0.12, "sd_low": 0.0, "sd_high": 0.0},
        {"dist": "interval", "low": 0.12, "high": 0.12},
    ],
    ids=lambda s: s["dist"],
)
def test_degenerate_distributions_are_constant(spec: dict[str, Any]) -> None:
    draws = make(spec).from_normal(scores(1000))
    np.testing.assert_allclose(draws, 0.12, atol=1e-12)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s["dist"])
def test_from_normal_is_monotone(spec: dict[str, Any]) -> None:
    z = np.linspace(-6, 6, 2001)
    assert (np.diff(make(spec).from_normal(z)) >= -1e-12).all()


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s["dist"])
def test_shifted_moves_the_mean(spec: dict[str, Any]) -> None:
    dist = make(spec)
    if spec["dist"] == "percentiles":  # the three percentiles move; the log-space shape changes
        z = np.array([special.ndtri(0.1), 0.0, special.ndtri(0.9)])
        np.testing.assert_allclose(dist.shifted(0.03).from_normal(z), dist.from_normal(z) + 0.03)
        return
    assert dist.shifted(0.03).mean() == pytest.approx(dist.mean() + 0.03)
