"""Tests of the growth calibration and the `calibrate` command."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from simulator.cli import cli
from simulator.engine.runs import simulate
from simulator.errors import UserInputError
from simulator.questions.calibrate import (
    MEAN_LEVER,
    calibrate,
    calibrated_scenario,
    fit_growth,
    parse_fiscal_year,
    scenario_yaml,
)
from simulator.scenario.distributions import LogNormal
from simulator.scenario.loader import load_scenario


def _synthetic(
    mu: float, sd: float, rho: float, n: int, seed: int
) -> tuple[list[int], list[float]]:
    """Levels whose log growth is a stationary AR(1) with mean mu, marginal sd sd, lag-1 rho."""
    rng = np.random.default_rng(seed)
    e = rng.standard_normal(n)
    z = np.empty(n)
    z[0] = e[0]
    for t in range(1, n):
        z[t] = rho * z[t - 1] + math.sqrt(1 - rho * rho) * e[t]
    y = mu + sd * z
    values = 100.0 * np.exp(np.concatenate([[0.0], np.cumsum(y)]))
    return list(range(1900, 1900 + n + 1)), values.tolist()


def test_fit_recovers_known_mean_sd_and_persistence() -> None:
    years, values = _synthetic(0.15, 0.08, 0.5, 2000, seed=3)
    fit = fit_growth(years, values)
    assert fit.n == 2000
    # The mean's true s.e. under AR(1) is inflated by sqrt((1 + rho) / (1 - rho)) = sqrt(3).
    assert abs(fit.mu - 0.15) < 4 * fit.mu_se * math.sqrt(3)
    assert abs(fit.sd - 0.08) < 0.08 * 0.08
    assert fit.ar_phi is not None and fit.ar_phi_se is not None
    assert abs(fit.ar_phi - 0.5) < 4 * fit.ar_phi_se
    assert fit.persistence == pytest.approx(fit.ar_phi)
    assert fit.ar_resid_sd == pytest.approx(0.08 * math.sqrt(1 - 0.25), rel=0.08)


def test_independent_growth_gives_small_persistence() -> None:
    years, values = _synthetic(0.10, 0.05, 0.0, 2000, seed=5)
    fit = fit_growth(years, values)
    assert fit.ar_phi is not None and fit.ar_phi_se is not None
    assert abs(fit.ar_phi) < 4 * fit.ar_phi_se
    assert 0.0 <= fit.persistence <= 4 * fit.ar_phi_se


def test_persistence_is_clipped() -> None:
    years, values = _synthetic(0.10, 0.05, -0.6, 400, seed=1)
    assert fit_growth(years, values).persistence == 0.0
    years, values = _synthetic(0.10, 0.05, 0.97, 4000, seed=1)
    assert fit_growth(years, values).persistence == 0.9


def test_lognormal_translation_matches_the_log_fit() -> None:
    fit = calibrate()
    mu, s = LogNormal(mean=fit.growth_mean, sd=fit.growth_sd).log_params
    assert mu == pytest.approx(fit.mu)
    assert s == pytest.approx(fit.sd)
    assert fit.mean_se == pytest.approx((1 + fit.growth_mean) * fit.sd / 3)


def test_bundled_fit() -> None:
    fit = calibrate()
    assert fit.n == 9
    assert fit.span == "FY2017–FY2025"
    assert fit.years.tolist() == list(range(2017, 2026))
    assert fit.base_year == 2025 and fit.base_value == 3810
    assert fit.mu == pytest.approx(0.1750, abs=1e-4)
    assert fit.sd == pytest.approx(0.1039, abs=1e-4)
    assert fit.mu_se == pytest.approx(fit.sd / 3)
    assert fit.ar_phi == pytest.approx(-0.0226, abs=1e-4)
    assert fit.persistence == 0.0
    table = fit.format_table()
    assert "n = 9" in table and "Caution: only 9 data points" in table
    assert "| AR(1) | phi (lag-1 coefficient) | -0.0226 | 0.3536 |" in table


def test_window_and_too_few_points() -> None:
    fit = calibrate(last=2020)
    assert fit.years.tolist() == [2017, 2018, 2019, 2020]
    assert fit.ar_phi is None and fit.persistence == 0.0
    assert "not fitted" in fit.format_table()
    with pytest.raises(UserInputError, match="at least 3"):
        calibrate(first=2017, last=2018)
    with pytest.raises(UserInputError, match="FY2017–FY2025 only"):
        calibrate(first=2016)
    with pytest.raises(UserInputError, match="FY2017–FY2025 only"):
        calibrate(last=2026)


def test_parse_fiscal_year() -> None:
    assert parse_fiscal_year("FY2017") == parse_fiscal_year("2017") == parse_fiscal_year("fy17")
    with pytest.raises(UserInputError, match="--from: bad fiscal year"):
        parse_fiscal_year("17a", option="--from")


def test_yaml_round_trips_and_runs(tmp_path: Path) -> None:
    fit = calibrate()
    text = scenario_yaml(fit)
    path = tmp_path / "cal.yaml"
    path.write_text(text)
    sc = load_scenario(path)
    expected = calibrated_scenario(fit, first_year=2026)
    assert sc.model_dump() == expected.model_dump()
    assert sc.base == "history" and sc.nowcast
    assert [lv.name for lv in sc.levers] == [MEAN_LEVER]
    assert sc.growth is not None and sc.growth[0].dist == "lognormal"
    # Every number in the file has a comment above it saying where it came from.
    assert text.count("\n#") + text.count("\n  #") >= 10
    res = simulate(sc, paths=2000, seed=1)
    assert res.years.tolist() == [2026, 2027, 2028, 2029, 2030]
    assert np.all(np.isfinite(res.values)) and np.all(res.values > 0)


def test_explicit_base_scenario_runs_without_nowcast() -> None:
    fit = calibrate(last=2022)
    sc = calibrated_scenario(
        fit, base={"fiscal_year": 2022, "value": 2619.0}, horizon=2024, nowcast=False
    )
    res = simulate(sc, paths=1000, seed=0)
    assert res.years.tolist() == [2023, 2024]


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cli_prints_fit_and_yaml() -> None:
    code, out, err = invoke("calibrate")
    assert code == 0, err
    assert "| iid | mean of ln(1+g) | 0.1750 | 0.0346 |" in out
    assert "dist: lognormal" in out and "persistence: 0.0" in out


def test_cli_write_force_and_errors(tmp_path: Path) -> None:
    path = tmp_path / "calibrated.yaml"
    code, out, err = invoke("calibrate", "--write", str(path), "--to", "FY2024")
    assert code == 0, err
    assert f"Wrote {path}" in out
    assert "dist: lognormal" not in out
    sc = load_scenario(path)
    assert sc.name == "Calibrated to FY2017–FY2024"
    first = path.read_text()
    code, out, err = invoke("calibrate", "--write", str(path))
    assert code == 2
    assert err == f"{path}: exists; add --force to overwrite it\n"
    assert path.read_text() == first
    code, _, err = invoke("calibrate", "--write", str(path), "--force")
    assert code == 0, err
    assert load_scenario(path).name == "Calibrated to FY2017–FY2025"
    assert not [p for p in tmp_path.iterdir() if p.name != path.name]
    code, _, err = invoke("calibrate", "--from", "2016")
    assert code == 2
    assert err.count("\n") == 1 and "FY2017–FY2025 only" in err
