"""Tests of the seasonal nowcast: the fit, the prior-data update and the simulated months."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from numpy.typing import NDArray
from scipy import stats

from simulator.data.history import MonthlySeries, load_monthly
from simulator.engine.nowcast import (
    FLAT_LEVEL_VAR,
    LEVEL_READINGS,
    N_SCORES,
    condition,
    score_roles,
    simulate_remaining,
    year_total,
)
from simulator.engine.seasonal import CurrentYear, SeasonalModel, current_year, fit_nowcast

PATHS = 20_000
FloatArray = NDArray[np.float64]


@pytest.fixture(scope="module")
def monthly() -> MonthlySeries:
    return load_monthly()


@pytest.fixture(scope="module")
def fy2025(monthly: MonthlySeries) -> CurrentYear:
    cy = current_year(monthly, 2025)
    assert cy is not None
    return cy


@pytest.fixture(scope="module")
def model2025(monthly: MonthlySeries) -> SeasonalModel:
    model = fit_nowcast(monthly, fiscal_year=2025)
    assert model is not None
    return model


def scores(seed: int, n: int = PATHS) -> FloatArray:
    return np.random.default_rng(seed).standard_normal((N_SCORES, n))


def normal_prior(mean: float, sd: float, base: float, seed: int = 7, n: int = PATHS) -> FloatArray:
    z = np.random.default_rng(seed).standard_normal(n)
    out: FloatArray = base * (1.0 + mean + sd * z)
    return out


def run(
    cy: CurrentYear,
    model: SeasonalModel,
    prior: FloatArray,
    z: FloatArray,
    readings: tuple[float, ...] = LEVEL_READINGS,
) -> FloatArray:
    nm = condition(model, cy, prior_total=prior, readings=readings)
    return year_total(cy, simulate_remaining(cy, nm, prior_total=prior, z=z))


def width(x: FloatArray, level: float) -> float:
    lo, hi = np.quantile(x, [(1 - level) / 2, (1 + level) / 2])
    return float(hi - lo)


# --- current_year and the fit -----------------------------------------------------------------


def test_current_year_fy2026(monthly: MonthlySeries) -> None:
    cy = current_year(monthly, 2026)
    assert cy is not None
    assert cy.months_observed == 4
    assert cy.observed.tolist() == [354.0, 337.0, 366.0, 386.0]
    assert cy.observed_total == 1443.0
    assert cy.ytd_growth == pytest.approx(1443 / (286 + 298 + 292 + 330) - 1)


def test_first_truncates(fy2025: CurrentYear) -> None:
    cy = fy2025.first(3)
    assert cy.months_observed == 3
    assert cy.observed.tolist() == fy2025.observed[:3].tolist()
    assert math.isnan(fy2025.first(0).ytd_growth)
    with pytest.raises(ValueError, match=r"k must be in 0\.\.12"):
        fy2025.first(13)


def test_fit_uses_months_before_the_year_and_masks_completed_episodes(
    monthly: MonthlySeries,
) -> None:
    m26 = fit_nowcast(monthly, fiscal_year=2026)
    m23 = fit_nowcast(monthly, fiscal_year=2023)
    assert m26 is not None and m23 is not None
    # FY2026: all months through June 2025 (53 from July 2021 and 13 sparse earlier ones,
    # minus the two masked); FY2023: through June 2022, and March-April 2023 not yet history.
    assert m26.n_months == 12 * 4 + 13 - 2
    assert m26.masked == ("2023-03", "2023-04")
    assert m23.n_months == 12 + 13
    assert m23.masked == ()
    assert m26.param_names == ("sigma2.irregular", "sigma2.level")
    assert all(p > 0 for p in m26.params)
    assert m26.mean.shape == (64, 12) and m26.cov.shape == (64, 12, 12)


def test_fit_refuses_a_year_whose_months_were_never_seen(monthly: MonthlySeries) -> None:
    # July and August 2020 are missing, so before FY2022 the July seasonal factor is unknown.
    assert fit_nowcast(monthly, fiscal_year=2022) is None
    assert fit_nowcast(monthly, fiscal_year=2021) is None


def test_fit_ignores_the_years_own_months(monthly: MonthlySeries) -> None:
    a = fit_nowcast(monthly, fiscal_year=2025)
    keep = monthly.fiscal_years < 2025
    cut = dataclasses.replace(
        monthly,
        years=monthly.years[keep],
        months=monthly.months[keep],
        values=monthly.values[keep],
    )
    b = fit_nowcast(cut, fiscal_year=2025)
    assert a is not None and b is not None
    np.testing.assert_allclose(a.mean, b.mean)
    np.testing.assert_allclose(a.params, b.params)


# --- what must hold ---------------------------------------------------------------------------


def test_twelve_months_is_the_observed_sum(fy2025: CurrentYear, model2025: SeasonalModel) -> None:
    prior = normal_prior(0.18, 0.08, fy2025.last_year_total)
    total = run(fy2025, model2025, prior, scores(1))
    assert np.all(total == fy2025.observed_total)


def test_zero_months_is_the_prior(fy2025: CurrentYear, model2025: SeasonalModel) -> None:
    prior = normal_prior(0.18, 0.08, fy2025.last_year_total)
    cy0 = fy2025.first(0)
    nm = condition(model2025, cy0, prior_total=prior)
    rest = simulate_remaining(cy0, nm, prior_total=prior, z=scores(2))
    assert nm.weight == 1.0
    assert rest.shape == (12, PATHS)
    np.testing.assert_allclose(year_total(cy0, rest), prior, rtol=1e-12)


PRIORS = {
    "normal sd 0.06": lambda base: normal_prior(0.19, 0.06, base),
    "normal sd 0.15": lambda base: normal_prior(0.19, 0.15, base),
    "lognormal": lambda base: (
        base * np.exp(0.15 + 0.12 * np.random.default_rng(3).standard_normal(PATHS))
    ),
    "shock mixture": lambda base: (
        base
        * (
            1.0
            + 0.19
            + 0.05 * np.random.default_rng(4).standard_normal(PATHS)
            - 0.15 * (np.random.default_rng(5).random(PATHS) < 0.2)
        )
    ),
}


@pytest.mark.parametrize("fy", [2024, 2025])
@pytest.mark.parametrize("name", list(PRIORS))
def test_more_months_never_widen_and_never_exceed_the_prior(
    monthly: MonthlySeries, fy: int, name: str
) -> None:
    full = current_year(monthly, fy)
    model = fit_nowcast(monthly, fiscal_year=fy)
    assert full is not None and model is not None
    prior = PRIORS[name](full.last_year_total)
    z = scores(11)
    sds, widths = [], []
    for k in range(13):
        total = run(full.first(k), model, prior, z)
        sds.append(float(total.std()))
        widths.append([width(total, lv) for lv in (0.5, 0.8, 0.9)])
    w = np.asarray(widths)
    prior_w = np.asarray([width(prior, lv) for lv in (0.5, 0.8, 0.9)])
    assert np.all(w <= prior_w[None, :] + 1e-9), (name, w[:, 1], prior_w[1])
    assert np.all(np.diff(w, axis=0) <= 1e-9), (name, w[:, 1])
    assert np.all(np.diff(sds) <= 1e-9)
    assert sds[-1] == 0.0


def test_variance_is_w_times_the_priors(fy2025: CurrentYear, model2025: SeasonalModel) -> None:
    prior = normal_prior(0.19, 0.10, fy2025.last_year_total, n=100_000)
    z = scores(5, 100_000)
    weights = []
    for k in range(1, 12):
        cy = fy2025.first(k)
        nm = condition(model2025, cy, prior_total=prior)
        total = year_total(cy, simulate_remaining(cy, nm, prior_total=prior, z=z))
        weights.append(nm.weight)
        # Var(T) = w^2 v0 + (1 - w)^2 Var(Y) = w v0, up to sampling error of ~1.5% in a variance
        assert total.var() == pytest.approx(nm.weight * nm.prior_var, rel=0.03)
        assert total.mean() == pytest.approx(
            nm.weight * nm.prior_mean + (1 - nm.weight) * nm.signal_mean, rel=2e-3
        )
    assert all(0 < w < 1 for w in weights)
    assert np.all(np.diff(weights) <= 0)


def test_monthly_quantiles_ordered_and_medians_add_up(
    fy2025: CurrentYear, model2025: SeasonalModel
) -> None:
    n = 100_000
    prior = normal_prior(0.19, 0.08, fy2025.last_year_total, n=n)
    for k in (1, 4, 9):
        cy = fy2025.first(k)
        nm = condition(model2025, cy, prior_total=prior)
        rest = simulate_remaining(cy, nm, prior_total=prior, z=scores(6, n))
        q = np.quantile(rest, [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95], axis=1)
        assert np.all(np.diff(q, axis=0) >= 0)
        total = year_total(cy, rest)
        # the sample median's standard error: sqrt(pi / 2) sd / sqrt(n)
        se = math.sqrt(math.pi / 2) * total.std() / math.sqrt(n)
        assert abs(cy.observed_total + q[3].sum() - np.median(total)) < 4 * se


def test_remaining_months_add_up_to_the_updated_total(
    fy2025: CurrentYear, model2025: SeasonalModel
) -> None:
    cy = fy2025.first(5)
    prior = normal_prior(0.19, 0.08, fy2025.last_year_total)
    z = scores(8)
    nm = condition(model2025, cy, prior_total=prior)
    rest = simulate_remaining(cy, nm, prior_total=prior, z=z)
    assert np.all(rest > 0)
    # the same update by hand: T = w prior + (1 - w) Y with Y the model months' total
    # 64 parameter draws, each conditioned under both level readings
    n_draws = 64 * len(LEVEL_READINGS)
    assert nm.rest_mean.shape[0] == n_draws
    j = np.minimum((stats.norm.cdf(z[13]) * n_draws).astype(int), n_draws - 1)
    v = np.exp(nm.rest_mean.T[:, j] + nm.rest_load.T[:, j] * z[0])
    expected = nm.weight * prior + (1 - nm.weight) * (cy.observed_total + v.sum(axis=0))
    # the signal is read off a table: linear interpolation errs by < 1e-5
    np.testing.assert_allclose(year_total(cy, rest), expected, rtol=1e-5)


def test_reproducible_and_no_mutation(fy2025: CurrentYear, model2025: SeasonalModel) -> None:
    cy = fy2025.first(4)
    prior = normal_prior(0.19, 0.08, fy2025.last_year_total, n=2000)
    z = scores(9, 2000)
    keep_prior, keep_z, keep_obs = prior.copy(), z.copy(), cy.observed.copy()
    a = run(cy, model2025, prior, z)
    b = run(cy, model2025, prior, z)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(prior, keep_prior)
    np.testing.assert_array_equal(z, keep_z)
    np.testing.assert_array_equal(cy.observed, keep_obs)
    # Rows of reported months are not read.
    z2 = z.copy()
    z2[1:5] = 99.0
    np.testing.assert_array_equal(run(cy, model2025, prior, z2), a)
    assert [r for r, _ in score_roles(4)] == [0, 5, 6, 7, 8, 9, 10, 11, 12, 13]
    assert len({role for _, role in score_roles(0)}) == N_SCORES


def test_bad_shapes_raise(fy2025: CurrentYear, model2025: SeasonalModel) -> None:
    cy = fy2025.first(4)
    prior = normal_prior(0.19, 0.08, fy2025.last_year_total, n=100)
    nm = condition(model2025, cy, prior_total=prior)
    with pytest.raises(ValueError, match="z must have shape"):
        simulate_remaining(cy, nm, prior_total=prior, z=np.zeros((3, 100)))
    with pytest.raises(ValueError, match="prior_total must have shape"):
        simulate_remaining(cy, nm, prior_total=np.zeros((2, 50)), z=np.zeros((N_SCORES, 100)))
    with pytest.raises(ValueError, match="conditioned on k = 4"):
        simulate_remaining(fy2025.first(5), nm, prior_total=prior, z=np.zeros((N_SCORES, 100)))
    with pytest.raises(ValueError, match="not FY2026"):
        condition(model2025, dataclasses.replace(cy, fiscal_year=2026), prior_total=prior)


# --- calibration on data generated from the model itself --------------------------------------

TRUE_PARAMS = (0.003, 0.0015)  # sigma2.irregular, sigma2.level (log points squared)
SEASONAL = np.array([-0.06, -0.03, -0.05, -0.02, 0.0, 0.07, -0.05, -0.04, 0.06, 0.04, 0.02, 0.06])


def synthetic_series(rng: np.random.Generator, years: int) -> MonthlySeries:
    """Log months = random-walk level + fixed seasonal + irregular, from July 2019."""
    n = 12 * years
    level = np.log(200.0) + np.cumsum(rng.normal(0.0, math.sqrt(TRUE_PARAMS[1]), n))
    y = level + np.tile(SEASONAL - SEASONAL.mean(), years)
    y += rng.normal(0.0, math.sqrt(TRUE_PARAMS[0]), n)
    idx = np.arange(n) + 2019 * 12 + 6
    return MonthlySeries(
        years=(idx // 12).astype(np.int64),
        months=(idx % 12 + 1).astype(np.int64),
        values=np.exp(y),
        file="synthetic",
        sha256="",
    )


def test_replayed_intervals_cover_at_nominal_rates_on_model_data() -> None:
    """The model's own prior and likelihood: the update is Bayes, so coverage is nominal.

    The prior here is the model's forecast from the level the filter reached by June, so the
    likelihood that goes with it is the anchored reading alone.
    """
    rng = np.random.default_rng(2024)
    n_rep, paths = 220, 2000
    z = scores(12, paths)
    zp = np.random.default_rng(13).standard_normal((12, paths))
    levels = (0.5, 0.8, 0.95)
    hits = np.zeros(len(levels), dtype=int)
    for r in range(n_rep):
        ms = synthetic_series(rng, years=5)
        fy = 2024  # the last of the five fiscal years FY2020-FY2024
        model = fit_nowcast(ms, fiscal_year=fy, params=TRUE_PARAMS)
        full = current_year(ms, fy)
        assert model is not None and full is not None
        # The prior is the model's own forecast of the year from the months before it.
        chol = np.linalg.cholesky(model.point_cov)
        prior = np.exp(model.point_mean[:, None] + chol @ zp).sum(axis=0)
        k = 1 + r % 11  # one k per replicate: independent cells
        total = run(full.first(k), model, prior, z, readings=(0.0,))
        for i, lv in enumerate(levels):
            lo, hi = np.quantile(total, [(1 - lv) / 2, (1 + lv) / 2])
            hits[i] += int(lo <= full.observed_total <= hi)
    for i, lv in enumerate(levels):
        lo = stats.beta.ppf(0.005, hits[i], n_rep - hits[i] + 1) if hits[i] else 0.0
        hi = stats.beta.ppf(0.995, hits[i] + 1, n_rep - hits[i]) if hits[i] < n_rep else 1.0
        assert lo <= lv <= hi, (lv, hits[i], n_rep)


# --- the two readings of where the year starts ------------------------------------------------


def _signal(monthly: MonthlySeries, readings: tuple[float, ...], *, scale: float = 1.0) -> float:
    """``Y``'s mean for FY2026 with four months, pre-year months multiplied by ``scale``."""
    before = (monthly.years * 12 + monthly.months) < 2025 * 12 + 7
    values = np.where(before, monthly.values * scale, monthly.values)
    ms = dataclasses.replace(monthly, values=values)
    model = fit_nowcast(ms, fiscal_year=2026)
    cy = current_year(ms, 2026)
    assert model is not None and cy is not None
    return condition(
        model, cy, prior_total=np.array([3000.0, 5000.0]), readings=readings
    ).signal_mean


def test_flat_reading_uses_the_profile_not_the_level_reached_before_the_year(
    monthly: MonthlySeries,
) -> None:
    # Scaling every month before the year leaves the seasonal profile and the variances as
    # they were (a log shift), so the flat reading's signal does not move; the anchored one does.
    flat = (FLAT_LEVEL_VAR,)
    assert _signal(monthly, flat, scale=0.9) == pytest.approx(_signal(monthly, flat), rel=1e-4)
    assert _signal(monthly, (0.0,), scale=0.9) > _signal(monthly, (0.0,)) * 1.02
    # flat means flat: a hundred times more variance changes nothing that shows
    assert _signal(monthly, (FLAT_LEVEL_VAR * 100,)) == pytest.approx(
        _signal(monthly, flat), rel=1e-6
    )


def test_the_nowcast_mixes_the_two_readings_equally(monthly: MonthlySeries) -> None:
    anchored, flat = _signal(monthly, (0.0,)), _signal(monthly, (FLAT_LEVEL_VAR,))
    # FY2026: Jul-Oct ran above the forecast; anchored reads a ramp that continues
    assert anchored > flat * 1.05
    assert _signal(monthly, LEVEL_READINGS) == pytest.approx((anchored + flat) / 2, rel=1e-9)


def test_the_fit_does_not_move_with_the_last_bits_of_the_data() -> None:
    """Another processor's arithmetic moved the maximum-likelihood variances by ~1e-4 (and
    every current-year number with them); the fit keeps FIT_DIGITS significant digits, so a
    perturbation of that size leaves the parameters exactly as they were."""
    import dataclasses

    from simulator.data.history import load_monthly
    from simulator.engine.seasonal import FIT_DIGITS, fit_nowcast

    monthly = load_monthly()
    a = fit_nowcast(monthly, fiscal_year=2026)
    b = fit_nowcast(
        dataclasses.replace(monthly, values=monthly.values * (1 + 1e-12)), fiscal_year=2026
    )
    assert a is not None and b is not None
    assert a.params == b.params
    assert all(float(f"{p:.{FIT_DIGITS}g}") == p for p in a.params)
