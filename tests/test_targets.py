"""Target-gap statistics on known inputs."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from scipy import stats

from simulator.scenario.schema import Target
from simulator.stats.targets import first_crossing, required_cagr, target_stats, wilson_interval


def test_wilson_interval_matches_scipy() -> None:
    lo, hi = wilson_interval(37, 200)
    ci = stats.binomtest(37, 200).proportion_ci(confidence_level=0.95, method="wilson")
    assert math.isclose(lo, ci.low, rel_tol=1e-9)
    assert math.isclose(hi, ci.high, rel_tol=1e-9)


def test_wilson_interval_is_exactly_0_or_1_at_the_ends() -> None:
    # Analytically the lower bound is 0 with no hits and the upper bound 1 with all hits;
    # rounding left 1e-19 (shown as "<0.1%" beside a P(hit) of "0%") or 0.9999999999999998.
    for n in (100, 500, 1000, 2000, 4000, 20_000):
        assert wilson_interval(0, n)[0] == 0.0
        assert wilson_interval(n, n)[1] == 1.0


def test_required_cagr_from_base() -> None:
    t = Target(name="x", fiscal_year=2029, value=10_000)
    assert math.isclose(required_cagr(3810, 2025, t) or 0, (10_000 / 3810) ** 0.25 - 1)
    assert required_cagr(3810, 2025, Target(name="p", fiscal_year=2025, value=1)) is None


def test_target_stats_on_known_values() -> None:
    values = np.array([[4000.0], [5000.0], [6000.0], [3000.0]])
    years = np.array([2026])
    t = Target(name="five", fiscal_year=2026, value=5000)
    s = target_stats(values, years, t, base_year=2025, base_value=3810, history={})
    assert s.p_hit == 0.5
    assert s.p50 == 4500.0
    assert s.p50_gap == -500.0
    assert s.expected_shortfall == (1000 + 0 + 0 + 2000) / 4


def test_first_crossing_is_cumulative() -> None:
    values = np.array([[1.0, 5.0, 2.0], [1.0, 1.0, 1.0], [6.0, 1.0, 1.0]])
    out = first_crossing(values, np.array([2026, 2027, 2028]), 5.0)
    assert out == {2026: 1 / 3, 2027: 2 / 3, 2028: 2 / 3}


def test_past_target_uses_the_record() -> None:
    t = Target(name="old", fiscal_year=2025, value=4200)
    s = target_stats(
        np.ones((3, 1)),
        np.array([2026]),
        t,
        base_year=2025,
        base_value=3810,
        history={2025: 3810.0},
    )
    assert s.status == "observed"
    assert s.p_hit == 0.0
    assert s.p50_gap == 3810 - 4200


def test_one_headline_target_rule_for_report_charts_and_sensitivity(tmp_path: Path) -> None:
    """An 'unofficial estimate' is not an official target: the report, the chart titles and
    sensitivity all lead with the last projected official target."""
    from simulator.engine.runs import simulate
    from simulator.questions.sensitivity import sensitivity
    from simulator.report.brief import headline
    from simulator.scenario.loader import load_scenario
    from simulator.stats.summary import headline_of as chart_headline

    f = tmp_path / "s.yaml"
    f.write_text(
        "name: kinds\nbase: {fiscal_year: 2025, value: 3810}\nhorizon: 2030\nseed: 1\n"
        "nowcast: false\n"
        "growth:\n  - {years: 2026-2030, dist: normal, mean: 0.15, sd: 0.05}\n"
        "targets:\n"
        "  - {name: official, fiscal_year: 2029, value: 10000, kind: official target}\n"
        "  - {name: estimate, fiscal_year: 2030, value: 20000, kind: unofficial estimate}\n",
        encoding="utf-8",
    )
    sc = load_scenario(f)
    typed = simulate(sc, paths=500, seed=1, threads=1).summary()
    chart = chart_headline(typed.targets)
    assert chart is not None and chart.name == "official"
    assert "$10B by FY29" in headline([typed], None)
    assert sensitivity(sc, paths=300, seed=1, threads=1).headline.name == "official"
    assert [t.official for t in sc.targets] == [True, False]
