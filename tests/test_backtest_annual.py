"""Tests of CRPS and the annual rolling-origin backtest."""

from __future__ import annotations

import math

import numpy as np
import pytest
from click.testing import CliRunner
from scipy import stats

from simulator.cli import cli
from simulator.questions.backtest import (
    ANNUAL_LEVELS,
    AnnualBacktest,
    annual_backtest,
    crps_samples,
)


def _crps_normal(mu: float, sigma: float, y: float) -> float:
    """Closed form (Gneiting & Raftery 2007): sigma [z (2 Phi(z) - 1) + 2 phi(z) - 1/sqrt(pi)]."""
    z = (y - mu) / sigma
    cdf, pdf = stats.norm.cdf(z), stats.norm.pdf(z)
    return float(sigma * (z * (2 * cdf - 1) + 2 * pdf - 1 / math.sqrt(math.pi)))


@pytest.mark.parametrize("y", [-3.0, 0.0, 0.7, 2.5, 10.0])
def test_crps_matches_normal_closed_form(y: float) -> None:
    mu, sigma, m = 1.0, 2.0, 40_000
    x = mu + sigma * np.random.default_rng(7).standard_normal(m)
    est = crps_samples(x, y)
    # MC error: the estimate is dominated by mean|X - y|, whose s.e. is sd|X - y| / sqrt(m).
    se = float(np.std(np.abs(x - y))) / math.sqrt(m) + sigma / math.sqrt(m)
    assert abs(est - _crps_normal(mu, sigma, y)) < 4 * se


def test_crps_point_forecast_and_invariants() -> None:
    assert crps_samples(np.array([3.0]), 1.0) == 2.0
    x = np.random.default_rng(1).standard_normal(501)
    assert crps_samples(x, 0.2) == pytest.approx(crps_samples(x[::-1].copy(), 0.2))
    assert crps_samples(x, 0.2) >= 0
    # A sharper forecast centred on the outcome scores better.
    assert crps_samples(0.1 * x, 0.0) < crps_samples(x, 0.0)
    with pytest.raises(ValueError):
        crps_samples(np.array([]), 0.0)


@pytest.fixture(scope="module")
def bt() -> AnnualBacktest:
    return annual_backtest(paths=2000, seed=1)


def test_backtest_shape_and_coverage(bt: AnnualBacktest) -> None:
    assert bt.origins == (2019, 2020, 2021, 2022, 2023, 2024)
    assert [r.horizon for r in bt.rows] == [1, 2, 3]
    assert [r.n_origins for r in bt.rows] == [6, 5, 4]
    assert len(bt.details) == 15
    for r in bt.rows:
        assert len(r.coverage) == len(ANNUAL_LEVELS)
        assert all(0.0 <= c <= 1.0 for c in r.coverage)
        assert list(r.coverage) == sorted(r.coverage)  # nested bands
        assert r.crps_rel >= 0 and r.ape_median >= 0
    assert {d.origin: d.n_fit for d in bt.details} == {o: o - 2016 for o in bt.origins}


def test_backtest_naive_rules_and_actuals(bt: AnnualBacktest) -> None:
    d = next(d for d in bt.details if d.origin == 2024 and d.horizon == 1)
    assert d.actual == 3810
    assert d.last_growth_rule == pytest.approx(3223 * 3223 / 2596)
    g = np.array([938.64, 1067, 1192, 1440, 2108, 2619, 2596, 3223])
    g_mean = float(np.mean(g / np.array([788.64, *g[:-1]]) - 1))
    assert d.mean_growth_rule == pytest.approx(3223 * (1 + g_mean))
    for d in bt.details:
        for lo, hi in d.intervals:
            assert lo <= d.median <= hi


def test_backtest_is_reproducible_and_checks_args(bt: AnnualBacktest) -> None:
    again = annual_backtest(paths=2000, seed=1, origins=(2024,))
    assert again.details[0] == next(d for d in bt.details if d.origin == 2024)
    with pytest.raises(ValueError, match="max_horizon"):
        annual_backtest(max_horizon=0)
    with pytest.raises(ValueError, match="no later actual"):
        annual_backtest(origins=(2025,))
    table = bt.format_table()
    assert table.startswith("| h | origins | cover 50% | cover 80% | cover 90% |")
    assert "Caution: 15 forecasts" in table
    assert bt.format_details().count("\n| FY") == 15


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cli_backtest_is_annual_by_default() -> None:
    code, out, err = invoke("backtest", "--paths", "1000", "--horizon", "2", "--details")
    assert code == 0, err
    assert "| h | origins | cover 50%" in out
    assert "| origin | FY | n fit |" in out
    code, out2, _ = invoke("backtest", "--annual", "--paths", "1000", "--horizon", "2")
    assert code == 0
    assert out2.splitlines()[:4] == out.splitlines()[:4]


def test_cli_backtest_rejects_nowcast_options_without_nowcast() -> None:
    code, _, err = invoke("backtest", "--growth-mean", "0.1")
    assert code == 2
    assert err == "--growth-mean applies to --nowcast only\n"
