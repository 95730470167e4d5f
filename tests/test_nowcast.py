"""Tests of the current-year nowcast on the bundled SBP monthly series."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from simulator.data.history import MonthlySeries, load_monthly
from simulator.engine.nowcast import (
    MIN_FIT_YEARS,
    N_SCORES,
    CurrentYear,
    NowcastModel,
    current_year,
    default_model,
    fit_nowcast,
    simulate_remaining,
    year_total,
)

PATHS = 20_000


@pytest.fixture(scope="module")
def monthly() -> MonthlySeries:
    return load_monthly()


@pytest.fixture(scope="module")
def model(monthly: MonthlySeries) -> NowcastModel:
    return fit_nowcast(monthly)


@pytest.fixture(scope="module")
def fy2025(monthly: MonthlySeries) -> CurrentYear:
    cy = current_year(monthly, 2025)
    assert cy is not None
    return cy


def scores(seed: int, n: int = PATHS) -> NDArray[np.float64]:
    return np.random.default_rng(seed).standard_normal((N_SCORES, n))


# --- current_year -----------------------------------------------------------------------------


def test_current_year_fy2026(monthly: MonthlySeries) -> None:
    cy = current_year(monthly, 2026)
    assert cy is not None
    assert cy.months_observed == 4
    np.testing.assert_array_equal(cy.observed, [354, 337, 366, 386])
    assert cy.observed_total == 1443
    assert cy.last_year.shape == (12,)
    assert cy.last_year_total == 3808
    assert cy.ytd_growth == pytest.approx(1443 / (286 + 298 + 292 + 330) - 1)


def test_current_year_none_without_months_or_references(monthly: MonthlySeries) -> None:
    assert current_year(monthly, 2027) is None  # nothing observed
    assert current_year(monthly, 2022) is None  # Jul/Aug 2020 missing
    assert current_year(monthly, 2021) is None  # Jul/Aug 2020 missing, FY2020 sparse


def test_first_truncates(fy2025: CurrentYear) -> None:
    assert fy2025.months_observed == 12
    cy3 = fy2025.first(3)
    np.testing.assert_array_equal(cy3.observed, fy2025.observed[:3])
    assert cy3.ytd_growth == pytest.approx((286 + 298 + 292) / (214 + 235 + 206) - 1)
    assert np.isnan(fy2025.first(0).ytd_growth)
    with pytest.raises(ValueError, match=r"0\.\.12"):
        fy2025.first(13)


# --- fit_nowcast ------------------------------------------------------------------------------


def test_fit_uses_complete_years(model: NowcastModel) -> None:
    assert model.source == "fitted"
    assert model.fiscal_years == (2022, 2023, 2024, 2025)
    assert model.n_years == 4
    assert len(model.weights) == 13 and model.weights[0] == 0.0
    w = np.asarray(model.weights)
    assert np.all((w >= 0) & (w <= 1))
    assert np.all(np.diff(w) >= 0)
    assert model.month_sd > 0 and model.drift_sd >= 0
    assert np.isfinite(model.slope_se)


def test_fit_before_fy_excludes_later_years(monthly: MonthlySeries) -> None:
    m = fit_nowcast(monthly, before_fy=2025)
    assert m.fiscal_years == (2022, 2023, 2024)
    # Changing FY2025 and later must not change a model fitted before FY2025.
    later = monthly.fiscal_years >= 2025
    altered = dataclasses.replace(
        monthly, values=np.where(later, monthly.values * 3, monthly.values)
    )
    assert fit_nowcast(altered, before_fy=2025) == m
    assert fit_nowcast(altered) != fit_nowcast(monthly)


def test_fit_falls_back_to_defaults(monthly: MonthlySeries) -> None:
    m = fit_nowcast(monthly, before_fy=2023)  # only FY2022 before it
    assert MIN_FIT_YEARS > 1
    d = default_model()
    assert (m.weights, m.drift_sd, m.month_sd) == (d.weights, d.drift_sd, d.month_sd)
    assert np.isnan(m.slope_se)
    assert m.source == "default" and m.n_years == 0


def test_fit_emits_no_warnings(monthly: MonthlySeries) -> None:
    # pytest runs with filterwarnings=error; this would raise on any statsmodels warning.
    for before in (2024, 2025, None):
        fit_nowcast(monthly, before_fy=before)


# --- simulate_remaining: required properties --------------------------------------------------


def test_all_months_observed_is_exact(fy2025: CurrentYear, model: NowcastModel) -> None:
    g = np.random.default_rng(0).normal(0.15, 0.1, 1000)
    rest = simulate_remaining(fy2025, model, growth=g, z=scores(1, 1000))
    assert rest.shape == (0, 1000)
    total = year_total(fy2025, rest)
    assert np.all(total == 3808.0)
    assert total.std() == 0.0


def test_zero_months_falls_back_to_scenario(fy2025: CurrentYear, model: NowcastModel) -> None:
    cy0 = fy2025.first(0)
    mean_g, sd_g = 0.15, 0.08
    g = np.random.default_rng(2).normal(mean_g, sd_g, PATHS)
    rest = simulate_remaining(cy0, model, growth=g, z=scores(3))
    assert rest.shape == (12, PATHS)
    total = year_total(cy0, rest)
    ly = cy0.last_year_total
    # The mean is the scenario's: E[total] = L (1 + E[g]); the drift and month noise add zero-mean
    # spread with sd L s_0, so Var = L^2 (sd_g^2 + s_0^2).
    s0 = model.rest_growth_sd(0, cy0.last_year)
    sd_exact = ly * np.hypot(sd_g, s0)
    assert abs(total.mean() - ly * (1 + mean_g)) < 4 * sd_exact / np.sqrt(PATHS)
    assert total.std() == pytest.approx(sd_exact, rel=0.03)
    # Path by path the total is the scenario's L (1 + g) plus the drift score: month noise moves
    # value between months only.
    z = scores(3)
    np.testing.assert_allclose(total, ly * (1 + g + s0 * z[0]), rtol=1e-12)


def test_zero_noise_model_reproduces_scenario_exactly(fy2025: CurrentYear) -> None:
    quiet = dataclasses.replace(default_model(), drift_sd=0.0, month_sd=0.0)
    g = np.random.default_rng(4).normal(0.15, 0.1, 500)
    total = year_total(
        fy2025.first(0), simulate_remaining(fy2025.first(0), quiet, growth=g, z=scores(5, 500))
    )
    np.testing.assert_allclose(total, 3223.0 * (1 + g), rtol=1e-12)  # FY2024 total


@pytest.mark.parametrize("sd_g", [0.0, 0.05, 0.10, 0.30])
def test_more_months_never_widen(fy2025: CurrentYear, model: NowcastModel, sd_g: float) -> None:
    g = 0.15 + sd_g * np.random.default_rng(6).standard_normal(PATHS)
    z = scores(7)
    widths = []
    for k in range(12):
        cy = fy2025.first(k)
        q5, q95 = np.quantile(
            year_total(cy, simulate_remaining(cy, model, growth=g, z=z)), [0.05, 0.95]
        )
        widths.append(q95 - q5)
    assert np.all(np.diff(widths) <= 1e-9), widths


def test_variance_formula_matches_and_is_monotone(
    monthly: MonthlySeries, model: NowcastModel
) -> None:
    """Var(total) = R_k^2 [(1 - w_k)^2 tau^2 + a^2] + sigma^2 sum_{m>k} L_m^2, non-increasing."""
    tau = 0.07
    g = 0.12 + tau * np.random.default_rng(8).standard_normal(PATHS)
    z = scores(9)
    for fy in (2023, 2024, 2025, 2026):
        cy_full = current_year(monthly, fy)
        assert cy_full is not None
        var = []
        for k in range(cy_full.months_observed):
            cy = cy_full.first(k)
            ly_rest = cy.last_year[k:]
            r = ly_rest.sum()
            w = model.weight(k)
            v = r**2 * ((1 - w) ** 2 * tau**2 + model.drift_sd**2)
            v += model.month_sd**2 * np.sum(ly_rest**2)
            total = year_total(cy, simulate_remaining(cy, model, growth=g, z=z))
            assert total.std() == pytest.approx(np.sqrt(v), rel=0.03)
            signal = cy.ytd_growth if k else 0.0
            mean = cy.observed_total + r * (1 + 0.12 + w * (signal - 0.12))
            assert abs(total.mean() - mean) < 4 * np.sqrt(v / PATHS)
            var.append(v)
        assert np.all(np.diff(var) <= 1e-9)


def test_monthly_quantiles_ordered_and_medians_add_up(
    monthly: MonthlySeries, model: NowcastModel
) -> None:
    cy = current_year(monthly, 2026)
    assert cy is not None
    g = np.random.default_rng(10).normal(0.15, 0.05, PATHS)
    rest = simulate_remaining(cy, model, growth=g, z=scores(11))
    assert rest.shape == (8, PATHS)
    assert np.all(rest >= 0)
    q = np.quantile(rest, [0.05, 0.25, 0.5, 0.75, 0.95], axis=1)
    assert np.all(np.diff(q, axis=0) >= 0)
    total = year_total(cy, rest)
    # Median of a normal sample has se 1.2533 sd / sqrt(n); bound the sum of month medians' errors
    # by the sum of their standard errors.
    se = 1.2533 * (total.std() + rest.std(axis=1).sum()) / np.sqrt(PATHS)
    assert abs(cy.observed_total + q[2].sum() - np.median(total)) < 4 * se


def test_month_noise_keeps_remaining_total(fy2025: CurrentYear, model: NowcastModel) -> None:
    """Remaining months sum to R_k (1 + G) exactly: month noise only redistributes."""
    cy = fy2025.first(5)
    g = np.full(1000, 0.1)
    z = scores(12, 1000)
    rest = simulate_remaining(cy, model, growth=g, z=z)
    r = cy.last_year[5:].sum()
    level = (
        0.1 + model.weight(5) * (cy.ytd_growth - 0.1) + model.rest_growth_sd(5, cy.last_year) * z[0]
    )
    np.testing.assert_allclose(rest.sum(axis=0), r * (1 + level), rtol=1e-12)
    assert rest.std(axis=1).min() > 0


def test_vectorised_equals_loop(fy2025: CurrentYear, model: NowcastModel) -> None:
    cy = fy2025.first(7)
    g = np.array([0.1, 0.2, -0.05])
    z = scores(13, 3)
    fast = simulate_remaining(cy, model, growth=g, z=z)
    ly = cy.last_year[7:]
    s = model.rest_growth_sd(7, cy.last_year)
    w = model.weight(7)
    for i in range(3):
        level = g[i] + w * (cy.ytd_growth - g[i]) + s * z[0, i]
        eps = z[8:13, i]
        eps = eps - ly * (ly @ eps) / (ly @ ly)
        for j in range(5):
            assert fast[j, i] == pytest.approx(
                max(0.0, ly[j] * (1 + level + model.month_sd * eps[j]))
            )


def test_reproducible_and_no_mutation(fy2025: CurrentYear, model: NowcastModel) -> None:
    cy = fy2025.first(4)
    g = np.random.default_rng(14).normal(0.15, 0.1, 100)
    z = scores(15, 100)
    g0, z0, obs0 = g.copy(), z.copy(), cy.observed.copy()
    a = simulate_remaining(cy, model, growth=g, z=z)
    b = simulate_remaining(cy, model, growth=g, z=z)
    np.testing.assert_array_equal(a, b)
    c = simulate_remaining(cy, model, growth=g, z=scores(16, 100))
    assert not np.array_equal(a, c)
    np.testing.assert_array_equal(g, g0)
    np.testing.assert_array_equal(z, z0)
    np.testing.assert_array_equal(cy.observed, obs0)


def test_bad_shapes_raise(fy2025: CurrentYear, model: NowcastModel) -> None:
    g = np.zeros(10)
    with pytest.raises(ValueError, match="z must have shape"):
        simulate_remaining(fy2025.first(3), model, growth=g, z=np.zeros((N_SCORES - 1, 10)))
    with pytest.raises(ValueError, match="z must have shape"):
        simulate_remaining(fy2025.first(3), model, growth=g, z=np.zeros((N_SCORES, 9)))
    with pytest.raises(ValueError, match="growth must have shape"):
        simulate_remaining(
            fy2025.first(3), model, growth=np.zeros((2, 5)), z=np.zeros((N_SCORES, 10))
        )


@settings(max_examples=50, deadline=None)
@given(
    slope=st.floats(-2, 5),
    drift=st.floats(0, 0.5),
    month=st.floats(0, 0.5),
    tau=st.floats(0, 0.5),
)
def test_variance_non_increasing_for_any_parameters(
    slope: float, drift: float, month: float, tau: float
) -> None:
    """The construction, not the fitted numbers, makes the interval shrink with k."""
    m = dataclasses.replace(
        default_model(),
        slope=slope,
        weights=tuple(float(np.clip(slope * k / 12, 0, 1)) for k in range(13)),
        drift_sd=drift,
        month_sd=month,
    )
    ly = load_monthly().year(2025)
    var = []
    for k in range(12):
        r = ly[k:].sum()
        s = m.rest_growth_sd(k, ly)
        var.append(r**2 * ((1 - m.weight(k)) ** 2 * tau**2 + s**2))
    assert np.all(np.diff(var) <= 1e-9 * var[0] + 1e-12)
