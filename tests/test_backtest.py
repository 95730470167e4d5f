"""Tests of the nowcast backtest."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.data.history import load_monthly
from simulator.questions.backtest import LEVELS, NowcastBacktest, backtest_years, nowcast_backtest


@pytest.fixture(scope="module")
def bt() -> NowcastBacktest:
    return nowcast_backtest(load_monthly(), growth_mean=0.15, growth_sd=0.10, paths=2000, seed=1)


def test_replays_years_with_references() -> None:
    assert backtest_years(load_monthly()) == (2023, 2024, 2025)


def test_rows_and_coverage(bt: NowcastBacktest) -> None:
    assert [r.k for r in bt.rows] == list(range(1, 12))
    assert len(bt.details) == 3 * 11
    for r in bt.rows:
        assert r.n_years == 3
        assert len(r.coverage) == len(LEVELS)
        assert all(0.0 <= c <= 1.0 for c in r.coverage)
        # Nested intervals: a wider interval covers at least as often.
        assert list(r.coverage) == sorted(r.coverage)
        assert r.ape_nowcast >= 0 and r.ape_ytd >= 0 and r.ape_scenario >= 0
    for d in bt.details:
        lo = [iv[0] for iv in d.intervals]
        hi = [iv[1] for iv in d.intervals]
        assert lo == sorted(lo, reverse=True) and hi == sorted(hi)
        assert lo[0] <= d.median <= hi[0]
    # FY2023 has only FY2022 before it: the documented defaults apply.
    assert {d.model_source for d in bt.details if d.fiscal_year == 2023} == {"default"}
    assert {d.model_source for d in bt.details if d.fiscal_year > 2023} == {"fitted"}


def test_naive_rules(bt: NowcastBacktest) -> None:
    d = next(d for d in bt.details if d.fiscal_year == 2025 and d.k == 4)
    assert d.actual == 3808
    assert d.scenario_rule == pytest.approx(3223 * 1.15)
    assert d.ytd_rule == pytest.approx(3223 * (286 + 298 + 292 + 330) / (214 + 235 + 206 + 238))
    # The scenario rule ignores k.
    assert len({round(r.ape_scenario, 12) for r in bt.rows}) == 1


def test_table_and_reproducible(bt: NowcastBacktest) -> None:
    table = bt.format_table()
    assert table.splitlines()[0].startswith("| k | years | cover 50%")
    assert len([ln for ln in table.splitlines() if ln.startswith("| ")]) == 1 + 11 + 1
    again = nowcast_backtest(load_monthly(), growth_mean=0.15, growth_sd=0.10, paths=2000, seed=1)
    assert again == bt


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="paths"):
        nowcast_backtest(load_monthly(), growth_mean=0.1, growth_sd=0.1, paths=0)
    with pytest.raises(ValueError, match="growth_sd"):
        nowcast_backtest(load_monthly(), growth_mean=0.1, growth_sd=-0.1)
    assert np.isfinite(LEVELS).all()
