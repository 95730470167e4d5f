"""The record rule (growth: record): fit, exact Student-t case, scenario resolution, schema."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from simulator.data.history import load_annual
from simulator.engine.runs import simulate
from simulator.errors import ScenarioError, UserInputError
from simulator.scenario.loader import load_scenario
from simulator.scenario.schema import ExplicitBase, RecordGrowth, Scenario
from simulator.stats.record_rule import MEAN_LEVER, MIN_POINTS, fit_record, resolve_scenario

ROOT = Path(__file__).resolve().parents[1]


def _history(n: int, *, mu: float = 0.15, sigma: float = 0.1, seed: int = 3) -> tuple:
    """A synthetic record: n iid normal log growth rates from 100 in FY2000."""
    gen = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed)))
    r = mu + sigma * gen.standard_normal(n)
    years = np.arange(2000, 2001 + n)
    values = 100.0 * np.exp(np.concatenate([[0.0], np.cumsum(r)]))
    return years, values


def test_fit_is_the_sample_mean_sd_and_the_autoreg_phi() -> None:
    a = load_annual()
    fit = fit_record(a.fiscal_years, a.values)
    r = np.log(a.values[1:] / a.values[:-1])
    assert fit.n == 9 and fit.df == 8 and fit.span == "FY2017–FY2025"
    assert fit.centre == pytest.approx(r.mean(), abs=1e-15)
    assert fit.spread == pytest.approx(r.std(ddof=1), abs=1e-15)
    # statsmodels AutoReg agrees with OLS of r_t on (1, r_{t-1}).
    x = np.column_stack([np.ones(8), r[:-1]])
    assert fit.phi == pytest.approx(np.linalg.lstsq(x, r[1:], rcond=None)[0][1], abs=1e-12)
    # The record's phi (about -0.02) is far smaller than its s.e. (about 0.35): shrunk to 0.
    assert fit.phi_se is not None and abs(fit.phi) < fit.phi_se
    assert fit.persistence == 0.0


def test_strong_persistence_survives_the_shrinkage() -> None:
    gen = np.random.Generator(np.random.PCG64(np.random.SeedSequence(11)))
    z = np.zeros(60)
    for t in range(1, 60):
        z[t] = 0.8 * z[t - 1] + 0.05 * gen.standard_normal()
    values = 100 * np.exp(np.cumsum(np.concatenate([[0.0], 0.1 + z])))
    fit = fit_record(np.arange(1950, 2011), values)
    assert fit.phi is not None and fit.phi_se is not None
    shrink = 1 - fit.phi_se**2 / fit.phi**2
    assert fit.persistence == pytest.approx(fit.phi * shrink)
    assert 0.6 < fit.persistence < fit.phi


def test_origin_window_and_errors() -> None:
    a = load_annual()
    fit = fit_record(a.fiscal_years, a.values, 2020)
    assert fit.years.tolist() == [2017, 2018, 2019, 2020] and fit.origin_value == 1440
    assert fit.phi is None and fit.persistence == 0.0
    assert fit_record(a.fiscal_years, a.values, window=5).years.tolist() == [
        2021,
        2022,
        2023,
        2024,
        2025,
    ]
    with pytest.raises(UserInputError, match=f"at least {MIN_POINTS} annual growth rates"):
        fit_record(a.fiscal_years, a.values, 2019)
    with pytest.raises(UserInputError, match="consecutive"):
        fit_record([2016, 2018, 2019, 2020, 2021], [1.0, 2, 3, 4, 5])
    with pytest.raises(UserInputError, match="unknown tails"):
        fit_record(a.fiscal_years, a.values, tails="cauchy")


def _replay(years: np.ndarray, values: np.ndarray, horizon: int, **rule: object) -> Scenario:
    """growth: record on a synthetic record, persistence set to 0 (the closed form's case)."""
    origin = int(years[-1])
    sc = Scenario(
        name="synthetic",
        persistence=0.0,
        growth=RecordGrowth(**rule),  # type: ignore[arg-type]
        base=ExplicitBase(fiscal_year=origin, value=float(values[-1])),
        horizon=origin + horizon,
        targets=[],
        nowcast=False,
    )
    return resolve_scenario(sc, years, values, first_year=origin + 1)


@pytest.mark.parametrize(("n", "horizons"), [(9, (1,)), (40, (1, 3, 5))])
def test_bands_match_the_closed_form_student_t_predictive(n: int, horizons: tuple) -> None:
    """Exact case: on a normal history the engine's bands are the Jeffreys Student-t predictive.

    One year ahead the representation (year t plus per-path mean lever) matches the closed
    form for any n; over several years it matches when n is large (with n = 9 the five-year
    10-90% band differs by about 4% of its width: docs/calibration.md).
    """
    years, values = _history(n)
    sc = _replay(years, values, max(horizons))
    fit = sc.growth_rule
    assert fit is not None and fit.n == n
    paths = 20_000
    res = simulate(sc, paths=paths, seed=7)
    qs = np.array([0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95])
    for h in horizons:
        exact = fit.predictive_quantiles(qs, h)
        # Share of paths below each closed-form quantile, against its binomial error.
        below = (res.values[:, h - 1][:, None] <= exact[None, :]).mean(axis=0)
        se = np.sqrt(qs * (1 - qs) / paths)
        assert np.all(np.abs(below - qs) < 4 * se), (h, below, qs)


def test_predictive_quantiles_are_the_t_formula() -> None:
    years, values = _history(9)
    fit = fit_record(years, values)
    q = fit.predictive_quantiles([0.1, 0.9], 2)
    scale = fit.spread * math.sqrt(2 + 4 / 9)
    expected = values[-1] * np.exp(2 * fit.centre + scale * stats.t.ppf([0.1, 0.9], 8))
    np.testing.assert_allclose(q, expected, rtol=1e-12)


def test_resolution_keeps_the_file_and_what_it_set(tmp_path: Path) -> None:
    sc = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    assert isinstance(sc.growth, RecordGrowth)
    a = load_annual()
    out = resolve_scenario(sc, a.fiscal_years, a.values, first_year=2026)
    assert out.file == sc.file and out.sha256 == sc.sha256
    assert out.growth_rule is not None and out.growth_rule.n == 9
    assert isinstance(out.growth, list) and out.growth[0].dist == "log_t"
    assert out.growth[0].years == (2026, 2030)
    assert [lv.name for lv in out.levers] == [MEAN_LEVER]
    assert "persistence" not in out.model_fields_set
    # A file that sets persistence keeps it; options reach the fit.
    path = tmp_path / "v.yaml"
    path.write_text(
        f"extends: {ROOT / 'scenarios' / 'baseline.yaml'}\nname: v\npersistence: 0.3\n"
        "growth: {rule: record, window: 6, tails: normal}\n"
    )
    v = resolve_scenario(load_scenario(path), a.fiscal_years, a.values, first_year=2026)
    assert v.persistence == 0.3 and v.growth_rule.window == 6 and v.growth_rule.n == 6
    assert v.growth[0].dist == "lognormal"


def test_components_get_the_mean_lever_only_where_they_follow_the_rule() -> None:
    sc = load_scenario(ROOT / "scenarios" / "call-centres.yaml")
    res = simulate(sc, paths=2000, seed=1)
    lever = [lv for lv in res.scenario.levers if lv.name == MEAN_LEVER]
    assert len(lever) == 1 and lever[0].components == ["rest_of_ict"]


def test_schema_errors_name_the_key(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("name: s\ngrowth: recrod\n")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert "unknown growth rule 'recrod' (did you mean 'record'?)" in str(err.value)
    assert str(err.value).startswith(f"{path}:2: growth: ")
    path.write_text("name: s\ngrowth: {rule: record, window: 2}\n")
    with pytest.raises(ScenarioError, match=r"growth.window: must be >= 4"):
        load_scenario(path)
    # Too short a record up to an explicit base: located at growth.
    path.write_text("name: s\ngrowth: record\nbase: {fiscal_year: 2019, value: 1192}\n")
    with pytest.raises(ScenarioError, match="growth: the record rule needs at least 4"):
        simulate(load_scenario(path), paths=10, seed=0)
