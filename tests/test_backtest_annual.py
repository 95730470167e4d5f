"""Tests of CRPS and the annual rolling-origin backtest of the record rule."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from scipy import stats

from simulator.cli import cli
from simulator.data.history import load_annual
from simulator.questions.backtest import (
    ANNUAL_LEVELS,
    RecordBacktest,
    calibration_for,
    coverage,
    crps_samples,
    record_backtest,
)
from simulator.scenario.loader import load_scenario
from simulator.scenario.schema import RecordGrowth


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


ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bt() -> RecordBacktest:
    return record_backtest(paths=2000, seed=1)


def test_every_origin_the_data_allow(bt: RecordBacktest) -> None:
    # Four growth rates (FY2017-FY2020) before the first origin, one actual after the last.
    assert bt.origins == (2020, 2021, 2022, 2023, 2024)
    assert len(bt.forecasts) == 5 + 4 + 3 + 2 + 1
    assert {f.horizon for f in bt.forecasts} == {1, 2, 3, 4, 5}
    a = load_annual()
    for f in bt.forecasts:
        assert f.actual == a.value(f.fiscal_year) and f.n_fit == f.origin - 2016
        lo50, hi50 = f.intervals[0]
        lo90, hi90 = f.intervals[-1]
        assert lo90 <= lo50 <= f.median <= hi50 <= hi90
        assert 0.0 <= f.pit <= 1.0 and f.crps > 0 and f.crps_rw > 0 and f.crps_ets > 0
    assert len(bt.pit_one_year) == 5


def test_coverage_counts_and_clopper_pearson(bt: RecordBacktest) -> None:
    for i, c in enumerate(bt.coverage):
        inside = [f.intervals[i][0] <= f.actual <= f.intervals[i][1] for f in bt.forecasts]
        assert c.level == ANNUAL_LEVELS[i] and c.n == 15 and c.hits == sum(inside)
        ci = stats.binomtest(c.hits, c.n).proportion_ci(method="exact")
        assert (c.ci_low, c.ci_high) == (ci.low, ci.high)
        assert c.ci_low <= c.rate <= c.ci_high
    assert coverage(0.8, [True, False]).to_dict()["rate"] == 0.5
    text = bt.format_table()
    assert "5 independent origins" in text and "15 forecasts" in text and "PIT" in text


def test_real_time_a_later_year_does_not_move_earlier_origins() -> None:
    a = load_annual()
    changed = a.values.copy()
    changed[a.fiscal_years == 2023] *= 1.5
    kw = {"paths": 1000, "seed": 3, "naive": False}
    before = record_backtest(years=a.fiscal_years, values=a.values, **kw)
    after = record_backtest(years=a.fiscal_years, values=changed, **kw)
    early = [(f, g) for f, g in zip(before.forecasts, after.forecasts, strict=True)]
    assert all(f.origin == g.origin and f.horizon == g.horizon for f, g in early)
    for f, g in early:
        if f.origin < 2023:  # origins that could not have seen FY2023
            assert (f.median, f.intervals) == (g.median, g.intervals)
        else:
            assert f.intervals != g.intervals


def test_reproducible_and_scenario_options(bt: RecordBacktest) -> None:
    again = record_backtest(paths=2000, seed=1)
    assert again.to_dict() == bt.to_dict()
    # The baseline file is growth: record with the defaults: the same replay.
    from_file = record_backtest(
        load_scenario(ROOT / "scenarios" / "baseline.yaml"), paths=2000, seed=1
    )
    assert from_file.forecasts == bt.forecasts
    normal = record_backtest(
        load_scenario(ROOT / "scenarios" / "baseline.yaml").model_copy(
            update={"growth": RecordGrowth(tails="normal")}
        ),
        paths=2000,
        seed=1,
    )
    assert "tails normal" in normal.method
    # Normal tails are thinner: the 90% band of every forecast is narrower.
    assert all(
        (g.intervals[-1][1] - g.intervals[-1][0]) < (f.intervals[-1][1] - f.intervals[-1][0])
        for f, g in zip(bt.forecasts, normal.forecasts, strict=True)
    )
    with pytest.raises(ValueError, match="max_horizon"):
        record_backtest(max_horizon=0)


def test_calibration_block_is_the_backtest(tmp_path: Path) -> None:
    a = load_annual()
    sc = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    cal = calibration_for(sc, a.fiscal_years, a.values)
    full = record_backtest()
    assert cal.applies and cal.coverage == full.coverage and cal.origins == full.origins
    c80 = full.coverage_at(0.8)
    assert f"80% bands held {c80.hits} of {c80.n} outcomes" in cal.sentence()
    assert cal.to_dict()["sentence"] == cal.sentence()
    explicit = tmp_path / "e.yaml"
    explicit.write_text(
        "name: e\ngrowth:\n  - years: 2026-2030\n    dist: normal\n    mean: 0.2\n    sd: 0.05\n"
    )
    other = calibration_for(load_scenario(explicit), a.fiscal_years, a.values)
    assert not other.applies and other.coverage == cal.coverage
    assert other.sentence().startswith("This scenario's growth is set by hand")


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cli_backtest_writes_table_json_and_chart(tmp_path: Path) -> None:
    out = tmp_path / "bt"
    code, stdout, err = invoke(
        "backtest", str(ROOT / "scenarios" / "ai-push.yaml"), "--paths", "1000", "--out", str(out)
    )
    assert code == 0, err
    assert "| 80% |" in stdout and "CRPS ETS" in stdout
    assert (out / "backtest.png").stat().st_size > 10_000
    assert (out / "backtest.json").read_text().startswith("{")


def test_cli_backtest_rejects_hand_set_growth_and_nowcast_options(tmp_path: Path) -> None:
    explicit = tmp_path / "e.yaml"
    explicit.write_text(
        "name: e\ngrowth:\n  - years: 2026-2030\n    dist: normal\n    mean: 0.2\n    sd: 0.05\n"
    )
    code, _, err = invoke("backtest", str(explicit))
    assert code == 2 and err.count("\n") == 1
    assert err.startswith(f"{explicit}: the annual backtest replays a growth rule")
    code, _, err = invoke("backtest", "--growth-sd", "0.1")
    assert code == 2 and err == "--growth-sd applies to --nowcast only\n"


def test_backtest_figure_keeps_its_title_and_legends_clear(bt: RecordBacktest) -> None:
    """The title wraps inside the figure (it ran off the right edge), and neither legend sits
    on data: the PIT legend has headroom above the tallest bar, the coverage legend sits clear
    of the nominal line."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.patches import Rectangle
    from matplotlib.text import Text

    from simulator.report.charts import backtest_figure

    fig = backtest_figure(bt)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    box = fig.bbox
    title = fig.get_suptitle()
    assert "origins" in title
    (text,) = [t for t in fig.findobj(Text) if t.get_text() == title]
    extent = text.get_window_extent(renderer)
    assert box.x0 <= extent.x0 and extent.x1 <= box.x1, "title runs off the figure"
    left, right = fig.axes[:2]
    bars = [p for p in right.patches if isinstance(p, Rectangle) and p.get_height() > 0]
    assert right.get_ylim()[1] >= 1.3 * max(p.get_height() for p in bars)
    legend = right.get_legend().get_window_extent(renderer)
    for p in bars:
        assert not legend.overlaps(p.get_window_extent(renderer)), "PIT legend on a bar"
    nominal = left.get_lines()[0]
    xy = left.transData.transform(nominal.get_xydata())
    coverage_legend = left.get_legend().get_window_extent(renderer)
    inside = [
        coverage_legend.x0 <= x <= coverage_legend.x1
        and coverage_legend.y0 <= y <= coverage_legend.y1
        for x, y in xy
    ]
    assert not any(inside), "coverage legend on the nominal line"
