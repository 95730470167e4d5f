"""What the months say before conditioning: the seasonal model, and the year's reported months.

:func:`fit_nowcast` fits a structural time-series model of log monthly exports on every month
before a fiscal year (Harvey 1989; statsmodels ``UnobservedComponents``: a local level, fixed
seasonal factors, an irregular) and forecasts the year's twelve log months, with parameter
draws; it is cached per data set and year. :func:`current_year` reads what the actuals hold of
a fiscal year that is under way. :mod:`simulator.engine.nowcast` conditions the one on the
other and simulates the months still to come; ``docs/nowcast.md`` has the equations.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, TypedDict

import numpy as np
from numpy.typing import NDArray

from simulator.data.history import MONTHS_PER_YEAR, MonthlySeries

logger = logging.getLogger(__name__)

FloatArray = NDArray[np.float64]

N_PARAM_DRAWS: int = 64
"""Draws of the model's variances from their fitted covariance, carried into the paths."""

PARAM_SEED: int = 20_260_111
"""Seed of the parameter draws: a fixed constant, so a fit is a pure function of the data."""

EPISODES: tuple[tuple[int, int], ...] = ((2023, 3), (2023, 4))
"""Calendar months (year, month) of a named one-off episode, treated as missing by the fit once
their fiscal year is complete: March–April 2023, the exchange-rate gap (interbank vs open
market) when exporters held receipts abroad (-13% and -23% on a year earlier)."""

FIT_DIGITS: int = 2
"""Significant digits kept of the fitted variances and their covariance.

The diffuse Kalman likelihood is flat and slightly noisy at its optimum: the same data on another
processor (another BLAS kernel, rounding the last bit differently) moves the maximum-likelihood
variances by about 1e-4 relative, and with them every number of the current year. Two
significant digits moves a variance by at most 5%, an eighth of its own standard error (about
40% on the bundled data), and makes the fit, and so a seeded run, the same on every machine
(short of the last bits of ordinary arithmetic)."""


def significant(x: FloatArray, digits: int = FIT_DIGITS) -> FloatArray:
    """``x`` rounded to ``digits`` significant digits, element by element (zeros stay zero).

    Examples
    --------
    >>> significant(np.array([0.00291175, -5.2157e-07, 0.0]))
    array([ 2.9e-03, -5.2e-07,  0.0e+00])
    """
    # Through the decimal text, so 0.0029 is the float nearest 0.0029 (not 0.0029000000000000002).
    flat = [float(f"{v:.{digits}g}") for v in np.asarray(x, dtype=np.float64).ravel()]
    return np.asarray(flat, dtype=np.float64).reshape(np.shape(x))


MIN_FIT_MONTHS: int = 24
"""Fewest observed months before the fiscal year that :func:`fit_nowcast` fits on."""


class Spec(TypedDict):
    """Keyword arguments of ``statsmodels``' ``UnobservedComponents`` (the model's form)."""

    level: str
    seasonal: int
    stochastic_seasonal: bool


SPEC: Spec = {"level": "llevel", "seasonal": 12, "stochastic_seasonal": False}
"""The ``UnobservedComponents`` specification: irregular + local level (random walk), with
fixed seasonal dummies (``docs/nowcast.md`` compares it with a fixed drift)."""

# -- fitting -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeasonalModel:
    """The seasonal model's forecast of one fiscal year's twelve log months, before any is seen.

    Attributes
    ----------
    fiscal_year : int
        The year forecast.
    params : tuple of float
        Fitted variances (log scale): ``sigma2.irregular``, ``sigma2.level``.
    param_names : tuple of str
    param_se : tuple of float
        Standard errors of the variances (from the fit's covariance).
    mean : ndarray, shape (J, 12)
        Mean of the year's log months for each of ``J`` parameter draws (log USD million).
    cov : ndarray, shape (J, 12, 12)
        Their covariance, including the uncertainty of level, drift and seasonal factors.
    point_mean, point_cov : ndarray, shapes (12,), (12, 12)
        The same at the fitted parameters.
    n_months : int
        Months observed before the year that the fit used.
    masked : tuple of str
        Months (``YYYY-MM``) of :data:`EPISODES` treated as missing.
    """

    fiscal_year: int
    params: tuple[float, ...]
    param_names: tuple[str, ...]
    param_se: tuple[float, ...]
    mean: FloatArray
    cov: FloatArray
    point_mean: FloatArray
    point_cov: FloatArray
    n_months: int
    masked: tuple[str, ...]

    @property
    def n_draws(self) -> int:
        """Number of parameter draws ``J``."""
        return int(self.mean.shape[0])

    @property
    def irregular_sd(self) -> float:
        """Sd of the irregular (month-specific) noise at the fitted parameters (log points)."""
        return float(np.sqrt(self.params[0]))

    @property
    def level_sd(self) -> float:
        """Sd of the monthly level innovation at the fitted parameters (log points)."""
        return float(np.sqrt(self.params[1]))


def _log_series(
    monthly: MonthlySeries, fiscal_year: int
) -> tuple[FloatArray, int, int, tuple[str, ...]]:
    """Log values from the first month on record to June of ``fiscal_year - 1``; NaN for gaps.

    Returns the series, the calendar (year, month) index of its first month, and the masked
    episode months.
    """
    idx = monthly.years.astype(np.int64) * 12 + (monthly.months.astype(np.int64) - 1)
    first = int(idx.min())
    end = (fiscal_year - 1) * 12 + 6  # July of calendar year fiscal_year - 1: the FY start
    n = max(end - first, 0)
    y = np.full(n, np.nan)
    keep = idx < end
    y[idx[keep] - first] = np.log(np.maximum(monthly.values[keep], 1e-9))
    masked: list[str] = []
    for yy, mm in EPISODES:
        j = yy * 12 + (mm - 1) - first
        if 0 <= j < n and not np.isnan(y[j]):
            y[j] = np.nan
            masked.append(f"{yy:04d}-{mm:02d}")
    return y, first, end, tuple(masked)


def _year_forecast(mod: Any, params: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Mean (12,) and covariance (12, 12) of the next twelve log months at ``params``."""
    res = mod.filter(params)
    a = np.asarray(res.predicted_state[:, -1], dtype=np.float64)
    p = np.asarray(res.predicted_state_cov[:, :, -1], dtype=np.float64)
    ssm = mod.ssm
    z = np.asarray(ssm["design"], dtype=np.float64).reshape(ssm.k_endog, ssm.k_states)[0]
    t = np.asarray(ssm["transition"], dtype=np.float64).reshape(ssm.k_states, ssm.k_states)
    r = np.asarray(ssm["selection"], dtype=np.float64).reshape(ssm.k_states, -1)
    q = np.asarray(ssm["state_cov"], dtype=np.float64).reshape(r.shape[1], r.shape[1])
    h = float(np.asarray(ssm["obs_cov"], dtype=np.float64).ravel()[0])
    rqr = r @ q @ r.T
    m = MONTHS_PER_YEAR
    means = np.empty(m)
    cov = np.empty((m, m))
    # State covariances V_h and the loadings Z T^(h-g) for h >= g.
    states = [a]
    vs = [p]
    for _ in range(1, m):
        states.append(t @ states[-1])
        vs.append(t @ vs[-1] @ t.T + rqr)
    for i in range(m):
        means[i] = z @ states[i]
        load = z.copy()  # Z T^(i-g), built backwards from g = i
        for g in range(i, -1, -1):
            c = float(load @ vs[g] @ z)
            cov[i, g] = cov[g, i] = c
            load = load @ t
        cov[i, i] += h
    return means, cov


@lru_cache(maxsize=32)
def _fit_cached(values_key: bytes, index_key: bytes, fiscal_year: int) -> SeasonalModel | None:
    years_months = np.frombuffer(index_key, dtype=np.int64).reshape(2, -1)
    values = np.frombuffer(values_key, dtype=np.float64)
    monthly = MonthlySeries(years_months[0], years_months[1], values, file="", sha256="")
    return _fit(monthly, fiscal_year, None)


def fit_nowcast(
    monthly: MonthlySeries, *, fiscal_year: int, params: Sequence[float] | None = None
) -> SeasonalModel | None:
    """Fit the seasonal model on the months before ``fiscal_year`` and forecast that year.

    Log monthly exports follow ``y_t = mu_t + gamma_t + eps_t`` with a local level
    ``mu_{t+1} = mu_t + xi_t``, fixed seasonal dummies
    ``gamma`` (twelve months, summing to zero), ``eps ~ N(0, sigma2.irregular)`` and
    ``xi ~ N(0, sigma2.level)``; missing months (the sparse months before July 2021, and
    :data:`EPISODES` once their fiscal year is complete) are skipped by the Kalman filter with
    exact diffuse initialisation (statsmodels ``UnobservedComponents``). Only months before the
    fiscal year enter the fit: the year's own months enter later, through the likelihood
    (:func:`condition`), so adding a reported month never changes the parameters.

    Parameters
    ----------
    monthly : MonthlySeries
        Monthly actuals, USD million.
    fiscal_year : int
        The year to forecast (e.g. 2026); months from July of that year on are ignored.
    params : sequence of float, optional
        Fixed variances ``(sigma2.irregular, sigma2.level)`` instead of the maximum-likelihood
        fit, and no parameter draws (synthetic tests).

    Returns
    -------
    SeasonalModel or None
        None when fewer than :data:`MIN_FIT_MONTHS` months precede the year, or some fiscal
        month (e.g. July) has never been observed, so its seasonal factor is unknown.

    Examples
    --------
    >>> from simulator.data.history import load_monthly
    >>> model = fit_nowcast(load_monthly(), fiscal_year=2026)
    >>> model.n_months, model.masked
    (59, ('2023-03', '2023-04'))
    """
    if params is not None:
        return _fit(monthly, fiscal_year, tuple(float(p) for p in params))
    key_idx = np.stack([monthly.years, monthly.months]).astype(np.int64)
    return _fit_cached(
        np.ascontiguousarray(monthly.values, dtype=np.float64).tobytes(),
        np.ascontiguousarray(key_idx).tobytes(),
        int(fiscal_year),
    )


def _fit(
    monthly: MonthlySeries, fiscal_year: int, fixed: tuple[float, ...] | None
) -> SeasonalModel | None:
    y, first, _end, masked = _log_series(monthly, fiscal_year)
    n_obs = int(np.sum(~np.isnan(y)))
    if n_obs < MIN_FIT_MONTHS:
        logger.info("nowcast: %d months before FY%d; not conditioning", n_obs, fiscal_year)
        return None
    fiscal_month = (np.arange(y.size) + first - 6) % 12  # July = 0
    seen = np.unique(fiscal_month[~np.isnan(y)])
    if seen.size < MONTHS_PER_YEAR:
        logger.info("nowcast: a fiscal month is never observed before FY%d", fiscal_year)
        return None
    # lazy: statsmodels costs ~0.5 s to import and only runs when a year is partly reported
    from statsmodels.tsa.statespace.structural import UnobservedComponents

    mod = UnobservedComponents(y, **SPEC)
    names = tuple(str(n) for n in mod.param_names)
    with warnings.catch_warnings():
        # the optimiser's convergence chatter and the diffuse start's numerical notes
        warnings.simplefilter("ignore")
        if fixed is None:
            res = mod.fit(disp=False)
            theta = significant(np.asarray(res.params, dtype=np.float64))
            cov_p = significant(np.asarray(res.cov_params(), dtype=np.float64))
        else:
            theta = np.asarray(fixed, dtype=np.float64)
            cov_p = np.zeros((theta.size, theta.size))
        point_mean, point_cov = _year_forecast(mod, theta)
        # Draws on the log scale (variances stay positive): Var(log s2) = Var(s2) / s2^2.
        if fixed is None:
            scale = np.where(theta > 0, theta, np.nan)
            log_cov = cov_p / np.outer(scale, scale)
            log_cov = np.where(np.isfinite(log_cov), log_cov, 0.0)
            rng = np.random.default_rng(np.random.SeedSequence(PARAM_SEED))
            draws = np.exp(
                rng.multivariate_normal(
                    np.log(np.maximum(theta, 1e-12)), log_cov, size=N_PARAM_DRAWS
                )
            )
            fc = [_year_forecast(mod, d) for d in draws]
            mean = np.stack([f[0] for f in fc])
            cov = np.stack([f[1] for f in fc])
        else:
            mean, cov = point_mean[None, :], point_cov[None, :, :]
    se = np.sqrt(np.clip(np.diag(cov_p), 0.0, None))
    logger.debug("nowcast fit FY%d: %s = %s (se %s)", fiscal_year, names, theta, se)
    return SeasonalModel(
        fiscal_year=int(fiscal_year),
        params=tuple(float(v) for v in theta),
        param_names=names,
        param_se=tuple(float(v) for v in se),
        mean=mean,
        cov=cov,
        point_mean=point_mean,
        point_cov=point_cov,
        n_months=n_obs,
        masked=masked,
    )


# -- the current year --------------------------------------------------------------------------


@dataclass(frozen=True)
class CurrentYear:
    """What is known about a partially observed fiscal year.

    Attributes
    ----------
    fiscal_year : int
    months_observed : int
        ``k``, 0..12: the months July .. observed so far.
    observed : ndarray, shape (k,)
        USD million, fiscal-month order (July first).
    last_year : ndarray, shape (12,)
        The same months a year earlier, USD million.
    ytd_growth : float
        ``observed.sum() / last_year[:k].sum() - 1`` (fraction; nan when ``k == 0``).
    """

    fiscal_year: int
    months_observed: int
    observed: FloatArray
    last_year: FloatArray
    ytd_growth: float

    @property
    def observed_total(self) -> float:
        """Sum of the observed months, USD million."""
        return float(self.observed.sum())

    @property
    def last_year_total(self) -> float:
        """Sum of last year's twelve months, USD million."""
        return float(self.last_year.sum())

    def first(self, k: int) -> CurrentYear:
        """The same year as if only its first ``k`` months had been reported.

        Parameters
        ----------
        k : int
            ``0 <= k <= months_observed``.

        Raises
        ------
        ValueError
            If ``k`` is out of range.
        """
        if not 0 <= k <= self.months_observed:
            raise ValueError(f"k must be in 0..{self.months_observed} (got {k})")
        obs = self.observed[:k].copy()
        return replace(self, months_observed=k, observed=obs, ytd_growth=_ytd(obs, self.last_year))


def _ytd(observed: FloatArray, last_year: FloatArray) -> float:
    k = observed.size
    if k == 0:
        return float("nan")
    return float(observed.sum() / last_year[:k].sum() - 1.0)


def current_year(monthly: MonthlySeries, fiscal_year: int) -> CurrentYear | None:
    """What the actuals say about ``fiscal_year``.

    Parameters
    ----------
    monthly : MonthlySeries
        Monthly actuals, USD million.
    fiscal_year : int
        E.g. 2026 for July 2025 – June 2026.

    Returns
    -------
    CurrentYear or None
        None when the year has no observed month, when its observed months are not the first
        ``k`` of the year, or when any of the year-earlier twelve months is missing.

    Examples
    --------
    >>> from simulator.data.history import load_monthly
    >>> cy = current_year(load_monthly(), 2026)
    >>> cy.months_observed, cy.observed.tolist()
    (4, [354.0, 337.0, 366.0, 386.0])
    """
    cur = monthly.year(fiscal_year)
    prev = monthly.year(fiscal_year - 1)
    have = ~np.isnan(cur)
    k = int(have.sum())
    if k == 0:
        return None
    if not have[:k].all():
        logger.info("FY%d: observed months are not July onward; not conditioning", fiscal_year)
        return None
    if np.isnan(prev).any():
        logger.info("FY%d: year-earlier months missing; not conditioning", fiscal_year)
        return None
    observed = cur[:k].copy()
    return CurrentYear(
        fiscal_year=fiscal_year,
        months_observed=k,
        observed=observed,
        last_year=prev.copy(),
        ytd_growth=_ytd(observed, prev),
    )
