"""Tests of the real-time nowcast backtest (questions/backtest_nowcast.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from simulator.cli import cli
from simulator.data.history import load_annual, load_monthly
from simulator.plotting.backtest import plot_pit
from simulator.plotting.style import new_figure
from simulator.questions.backtest_nowcast import (
    LEVELS,
    NowcastBacktest,
    backtest_years,
    clopper_pearson,
    nowcast_backtest,
    record_prior,
)


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def bt() -> NowcastBacktest:
    return nowcast_backtest(load_monthly(), paths=2000, seed=0)


def test_replays_every_year_the_model_can_forecast() -> None:
    # FY2022 cannot be replayed: July and August 2020 were never reported, so its July and
    # August seasonal factors are unknown before it.
    assert backtest_years(load_monthly()) == (2023, 2024, 2025)


def test_prior_is_real_time_student_t() -> None:
    annual = load_annual()
    m, s, df = record_prior(annual).params(2024)
    lg = np.log(annual.values[1:] / annual.values[:-1])[annual.fiscal_years[1:] < 2024]
    assert df == lg.size - 1 == 6
    assert m == pytest.approx(lg.mean())
    assert s == pytest.approx(lg.std(ddof=1) * np.sqrt(1 + 1 / lg.size))
    # Growth at the median score is exp(m) - 1; the later record does not move it.
    g = record_prior(annual)(2024, np.zeros(1))
    assert g[0] == pytest.approx(np.expm1(m))
    assert record_prior(annual).params(2023)[2] == 5


def test_rows_cells_and_scores(bt: NowcastBacktest) -> None:
    assert [r.k for r in bt.rows] == [*range(1, 12), 0]
    assert len(bt.cells) == 33
    pooled = bt.rows[-1]
    assert pooled.n == 33
    for c in bt.cells:
        assert 0.0 <= c.pit <= 1.0
        assert c.crps >= 0 and c.crps_prior >= 0
        assert 0.0 <= c.weight <= 1.0
        for (lo, hi), (plo, phi) in zip(c.intervals, c.prior_intervals, strict=True):
            assert lo <= hi and plo <= phi
            # the nowcast never widens the prior's bands
            assert hi - lo <= phi - plo + 1e-9
    for r in bt.rows:
        for h, (lo, hi) in zip(r.hits, r.coverage_ci, strict=True):
            assert lo <= h / r.n <= hi
    # wider intervals cover at least as often
    assert list(pooled.hits) == sorted(pooled.hits)
    assert len(pooled.hits) == len(LEVELS)


def test_weight_on_the_prior_falls_as_months_arrive(bt: NowcastBacktest) -> None:
    for fy in bt.fiscal_years:
        w = [c.weight for c in bt.cells if c.fiscal_year == fy]
        assert np.all(np.diff(w) <= 1e-12)


def test_clopper_pearson_matches_beta_quantiles() -> None:
    lo, hi = clopper_pearson(25, 33)
    assert 0.57 < lo < 25 / 33 < hi < 0.9
    assert clopper_pearson(33, 33)[1] == 1.0


def test_table_details_and_reproducible(bt: NowcastBacktest) -> None:
    table = bt.format_table()
    assert table.splitlines()[0].startswith("| k | cells | cover 50%")
    assert "| all | 33 |" in table
    assert "Replayed FY2023, FY2024, FY2025" in table
    assert "| FY2024 | 4 |" in bt.format_details()
    again = nowcast_backtest(load_monthly(), paths=2000, seed=0)
    assert again.format_table() == table


def test_a_prior_rule_can_be_plugged_in() -> None:
    out = nowcast_backtest(
        load_monthly(), prior=lambda fy, z: 0.2 + 0.0 * z, prior_label="fixed", paths=500
    )
    # A point prior is dogmatic: w = 1, and the year is the prior whatever the months say.
    assert all(c.weight == 1.0 for c in out.cells)
    assert "prior: fixed" in out.format_table()


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="paths must be >= 100"):
        nowcast_backtest(load_monthly(), paths=10)


def test_pit_chart(bt: NowcastBacktest) -> None:
    _, ax = new_figure()
    plot_pit(bt.pits, ax=ax)
    assert sum(p.get_height() for p in ax.patches) == 33
    assert ax.get_xlim() == (0.0, 1.0)
    assert "PIT" in ax.get_title()


def test_cli_backtest_nowcast(tmp_path: Path) -> None:
    chart = tmp_path / "pit.png"
    code, out, err = invoke(
        "backtest", "--nowcast", "--paths", "1000", "--details", "--pit-chart", str(chart)
    )
    assert code == 0, err
    assert "| k | cells | cover 50%" in out
    assert "| FY2025 | 11 |" in out
    assert chart.read_bytes()[:4] == b"\x89PNG"
    code, out, err = invoke(
        "backtest", "--nowcast", "--paths", "1000", "--growth-mean", "0.15", "--growth-sd", "0.1"
    )
    assert code == 0, err
    assert "prior: Normal(0.15, 0.1) growth every year" in out
    code, _, err = invoke("backtest", "--pit-chart", str(chart))
    assert code == 2
    assert err == "--pit-chart applies to --nowcast only\n"
