"""The current fiscal year: a seasonal monthly model, and a prior that reported months update.

When the actuals hold ``k`` months of a fiscal year that is not complete (July–October 2025 of
FY2026, ``k = 4``), the year's total is the observed months plus simulated remaining months.
Three steps, described with their equations in ``docs/nowcast.md``:

1. **Fit** (:func:`fit_nowcast`, once per fiscal year and data vintage, cached). A structural
   time-series model of log monthly exports (Harvey 1989; statsmodels
   ``UnobservedComponents``): a local level (random walk), fixed seasonal factors for the
   twelve months, and an irregular (month-specific) noise, fitted by maximum likelihood on all
   months before the fiscal year. Months of a named episode (:data:`EPISODES`, the FY2023
   exchange-rate gap) are treated as missing once their fiscal year is complete, so one year's
   trough is neither noise nor a base for the next year: the model works in levels, not
   year-on-year growth. Parameter uncertainty: :data:`N_PARAM_DRAWS` draws of the variances from
   the fitted parameters' covariance (log scale); the seasonal factors, drift and level are
   states, so their uncertainty is in the state covariance of each draw.
2. **Condition** (:func:`condition`, once per plan). From the model's joint distribution of the
   year's twelve log months, the likelihood of the year's log level ``U`` given the ``k``
   months observed is Gaussian, ``N(U_hat, tau^2)``; with ``U`` drawn from it the remaining
   months follow the model's conditional. A draw of the year total from this is ``Y``: what the
   months say about the year with a flat prior on its level. Two readings of where the year
   starts are mixed equally (:data:`LEVEL_READINGS`): the level the filter reached by June,
   or a flat prior on it. The scenario's growth for the year
   (per path, after levers, shocks and limits) is the prior; the update is linear-Gaussian, per
   path (a perturbed-observation ensemble Kalman update, Evensen 2003; Burgers, van Leeuwen and
   Evensen 1998)::

       T_post = w T_prior + (1 - w) Y,      w = s2 / (v0 + s2)

   with ``v0`` the prior total's variance and ``s2 = Var(Y)``, so ``Var(T_post) = w v0 <= v0``
   for any prior shape, and ``s2`` shrinks as months are reported.
3. **Simulate** (:func:`simulate_remaining`, block by block). The remaining months split
   ``T_post`` minus the observed months by the model's expected shares plus the same draw's
   zero-sum deviations: one joint draw per path, never marginal intervals added up.

Properties that hold by construction: ``k = 12`` gives the observed sum with zero spread;
``k = 0`` gives the prior exactly (``w = 1``).
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from simulator.data.history import MONTHS_PER_YEAR, MonthlySeries

if TYPE_CHECKING:
    from simulator.scenario.schema import Target

logger = logging.getLogger(__name__)

FloatArray = NDArray[np.float64]

N_SCORES: int = MONTHS_PER_YEAR + 2
"""Standard-normal scores per path that :func:`simulate_remaining` reads (rows of ``z``): row 0
drives the year's level, row ``m`` (1..12) the within-year noise of fiscal month ``m`` (July =
1), row 13 picks the parameter draw."""

PARAM_ROW: int = MONTHS_PER_YEAR + 1
"""Row of ``z`` that picks a path's parameter draw."""

N_PARAM_DRAWS: int = 64
"""Draws of the model's variances from their fitted covariance, carried into the paths."""

PARAM_SEED: int = 20_260_111
"""Seed of the parameter draws: a fixed constant, so a fit is a pure function of the data."""

EPISODES: tuple[tuple[int, int], ...] = ((2023, 3), (2023, 4))
"""Calendar months (year, month) of a named one-off episode, treated as missing by the fit once
their fiscal year is complete: March–April 2023, the exchange-rate gap (interbank vs open
market) when exporters held receipts abroad (-13% and -23% on a year earlier)."""

MIN_FIT_MONTHS: int = 24
"""Fewest observed months before the fiscal year that :func:`fit_nowcast` fits on."""

SPEC: dict[str, Any] = {"level": "llevel", "seasonal": 12, "stochastic_seasonal": False}
"""The ``UnobservedComponents`` specification: irregular + local level (random walk), with
fixed seasonal dummies (``docs/nowcast.md`` compares it with a fixed drift)."""

FLAT_LEVEL_VAR: float = 1.0e4
"""Variance (log points squared) added to the year's common level for the flat reading of
:data:`LEVEL_READINGS`: an effectively flat prior on where the year starts (1e2 and 1e6 give the
same signal to 1e-5)."""

LEVEL_READINGS: tuple[float, ...] = (0.0, FLAT_LEVEL_VAR)
"""Two readings of where the year starts, each applied to every parameter draw and weighted
equally (a path picks one with its parameter draw):

- *anchored* (0): the level the filter reached by June. With it fixed, a high year can only be
  reached by a rise within the year, so months above the forecast are read as a ramp that
  continues (FY2026 with four months: ``Y`` = +30% on FY2025);
- *flat* (:data:`FLAT_LEVEL_VAR`): the months reported set the level, which then wanders as a
  random walk; only the seasonal profile carries over from before the year (``Y`` = +21%).

The two tie in the real-time backtest (CRPS 3.1% each on FY2023–FY2025); the anchored reading
did better in FY2024's rise within the year, the flat one in FY2023 and FY2025. Which is right
for a given year is not knowable from three years, so the nowcast carries both
(``docs/nowcast.md``)."""

GRID_EDGE: float = 8.5
"""The signal is tabulated for level scores in [-GRID_EDGE, GRID_EDGE] (a standard normal
score outside it has probability about 2e-17)."""

GRID_POINTS: int = 681
"""Points of that table (step 0.025): linear interpolation errs by under 1e-5 relative."""

_SCORE_ROLES: tuple[str, ...] = (
    "nowcast:drift",
    *(f"nowcast:month{m}" for m in range(1, MONTHS_PER_YEAR + 1)),
    "nowcast:params",
)


def score_roles(months_observed: int) -> list[tuple[int, str]]:
    """The rows of ``z`` that :func:`simulate_remaining` reads, with a stream name for each.

    Rows of reported months are not read (they may stay 0), so reported months cost no draws
    and a month keeps its scores when the data move on.

    Parameters
    ----------
    months_observed : int
        ``k``, 0..12.

    Returns
    -------
    list of (int, str)
        ``(row, role)`` pairs.
    """
    rows = [0, *range(months_observed + 1, MONTHS_PER_YEAR + 1), PARAM_ROW]
    return [(r, _SCORE_ROLES[r]) for r in rows]


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
            theta = np.asarray(res.params, dtype=np.float64)
            cov_p = np.asarray(res.cov_params(), dtype=np.float64)
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


# -- conditioning: the likelihood of the months observed, and the prior ------------------------


@dataclass(frozen=True)
class NowcastModel:
    """The seasonal model conditioned on a year's reported months and combined with a prior.

    Built once per plan by :func:`condition`; :func:`simulate_remaining` reads it block by block.

    Attributes
    ----------
    seasonal : SeasonalModel
    months_observed : int
        ``k``.
    observed_total : float
        ``O_k``, USD million.
    level_hat : ndarray, shape (J,)
        ``U_hat``: the likelihood's centre for the year's log level, per parameter draw.
    level_sd : ndarray, shape (J,)
        ``tau``: its sd (log points); inf when ``k = 0``.
    rest_mean : ndarray, shape (J, 12 - k)
        Mean log remaining months given the months observed and ``U = U_hat``.
    rest_load : ndarray, shape (J, 12 - k)
        ``d tau``: how the remaining log months move per unit score of ``U``.
    rest_chol : ndarray, shape (12 - k, 12 - k)
        A square root of their covariance given ``U`` (point parameters; rank ``11 - k``).
    shares : ndarray, shape (12 - k,)
        Expected shares of the remaining months in their total (point parameters).
    shape_load : ndarray, shape (12 - k,)
        How the remaining log months move with the year's level score (point parameters).
    rest_scale : float
        The remaining total's posterior mean (USD million): the scale of the months' additive
        deviations from their shares.
    signal_grid : ndarray, shape (J, GRID_POINTS)
        ``sum_m exp(rest_mean_jm + rest_load_jm e)`` tabulated on an even grid of ``e`` over
        ``[-GRID_EDGE, GRID_EDGE]`` (USD million), so a block interpolates instead of taking
        ``12 - k`` exponentials per path.
    signal_mean, signal_var : float
        Mean and variance of ``Y``, the flat-prior draw of the year's total (USD million, and
        its square); exact lognormal moments, mixed over the parameter draws.
    prior_var : float
        ``v0``: variance of the prior's year total across paths (USD million squared).
    prior_mean : float
        Its mean, USD million.
    weight : float
        ``w = s2 / (v0 + s2)``: the weight on the prior (1 when ``k = 0``, 0 when ``k = 12``).
    """

    seasonal: SeasonalModel
    months_observed: int
    observed_total: float
    level_hat: FloatArray
    level_sd: FloatArray
    rest_mean: FloatArray
    rest_load: FloatArray
    rest_chol: FloatArray
    shares: FloatArray
    shape_load: FloatArray
    rest_scale: float
    signal_grid: FloatArray
    signal_mean: float
    signal_var: float
    prior_var: float
    prior_mean: float
    weight: float

    @property
    def signal_sd(self) -> float:
        """Sd of the months' flat-prior signal about the year's total, USD million."""
        return float(np.sqrt(self.signal_var))

    @property
    def posterior_sd(self) -> float:
        """Sd of the year's total after the update, ``sqrt(w v0)``, USD million."""
        return float(np.sqrt(self.weight * self.prior_var))


def _psd_sqrt(c: FloatArray) -> FloatArray:
    vals, vecs = np.linalg.eigh((c + c.T) / 2.0)
    out: FloatArray = vecs * np.sqrt(np.clip(vals, 0.0, None))[None, :]
    return out


def _condition_one(
    mean: FloatArray, cov: FloatArray, log_obs: FloatArray, start_var: float
) -> tuple[float, float, FloatArray, FloatArray, FloatArray]:
    """For one parameter draw: U_hat, tau, rest mean at U_hat, loading d, cov of rest | U.

    ``start_var`` (one of :data:`LEVEL_READINGS`) is added to every entry of ``cov``: extra
    uncertainty about the year's common level, so with a large value only the model's profile
    of the year, not its level, carries over from before the year.
    """
    k = log_obs.size
    shares = np.exp(mean + np.diag(cov) / 2.0)
    pi = shares / shares.sum()
    cov = cov + start_var  # a common shift: the shares above do not change with it
    c = cov @ pi  # Cov(l_m, U)
    var_u = float(pi @ c)
    mu_u = float(pi @ mean)
    o, r = slice(0, k), slice(k, MONTHS_PER_YEAR)
    if k == 0:
        tau = np.inf
        u_hat = mu_u
        d = c[r] / var_u
        rest_mean = mean[r]
        rest_cov = cov[r, r] - np.outer(c[r], c[r]) / var_u
        return u_hat, tau, rest_mean, d, rest_cov
    dev = log_obs - mean[o]
    beta = c[o] / var_u
    cc = cov[o, o] - np.outer(c[o], c[o]) / var_u
    cinv_beta = np.linalg.solve(cc, beta)
    lam = float(beta @ cinv_beta)
    tau = 1.0 / np.sqrt(lam)
    u_hat = mu_u + float(cinv_beta @ dev) / lam
    # Rest | (observed, U): joint Gaussian regression on [l_obs, U].
    big = np.empty((k + 1, k + 1))
    big[:k, :k] = cov[o, o]
    big[:k, k] = big[k, :k] = c[o]
    big[k, k] = var_u
    cross = np.concatenate([cov[r, o], c[r][:, None]], axis=1)  # (12 - k, k + 1)
    a = np.linalg.solve(big, cross.T).T
    rest_mean = mean[r] + a[:, :k] @ dev + a[:, k] * (u_hat - mu_u)
    rest_cov = cov[r, r] - a @ cross.T
    return u_hat, float(tau), rest_mean, a[:, k], rest_cov


def _signal_moments(
    observed_total: float, rest_mean: FloatArray, load: FloatArray
) -> tuple[float, float]:
    """Mean and variance of ``Y = O + sum_m exp(m_jm + d_jm e)``, mixed over draws j.

    ``e ~ N(0, 1)``, so ``E X_m = exp(m + d^2 / 2)`` and
    ``E X_m X_n = E X_m E X_n exp(d_m d_n)``.
    """
    if rest_mean.shape[1] == 0:
        return observed_total, 0.0
    ex = np.exp(rest_mean + load**2 / 2.0)  # (J, n): E X_m
    cross = np.exp(load[:, :, None] * load[:, None, :])
    e2 = (ex[:, :, None] * ex[:, None, :] * cross).sum(axis=(1, 2))  # E S^2
    e1 = ex.sum(axis=1)
    m = float(np.mean(e1))
    var = float(np.mean(e2) - m**2)
    return observed_total + m, max(var, 0.0)


def _signal_grid(rest_mean: FloatArray, load: FloatArray) -> FloatArray:
    """``sum_m exp(rest_mean_jm + load_jm e)`` on the grid of ``e``, shape (J, GRID_POINTS)."""
    e = np.linspace(-GRID_EDGE, GRID_EDGE, GRID_POINTS)
    out: FloatArray = np.exp(rest_mean[:, :, None] + load[:, :, None] * e).sum(axis=1)
    return out


def condition(
    model: SeasonalModel,
    cy: CurrentYear,
    *,
    prior_total: FloatArray,
    readings: Sequence[float] = LEVEL_READINGS,
) -> NowcastModel:
    """Condition the seasonal model on ``cy``'s reported months and set the prior's weight.

    For each parameter draw, the year's ``U = sum_m pi_m l_m`` (``pi`` the expected monthly
    shares, ``l`` log months) and the observed log months are jointly Gaussian under the model;
    the likelihood of ``U`` given the observed months is ``N(U_hat, tau^2)`` with
    ``tau^2 = 1 / (beta' C^-1 beta)``, ``beta = Cov(l_obs, U) / Var U``,
    ``C = Var(l_obs | U)`` and ``U_hat = E U + beta' C^-1 (l_obs - E l_obs) / (beta' C^-1 beta)``.
    ``Y`` (the year's total with ``U ~ N(U_hat, tau^2)`` and the remaining months at their
    conditional mean given ``U``) has exact lognormal moments; ``w = Var Y / (v0 + Var Y)``.
    The within-year deviations given ``U`` sum to about zero (``pi' delta = 0``), so they shape
    the months but are left out of ``Y``. Each parameter draw is conditioned once per reading of
    the year's starting level (:data:`LEVEL_READINGS`), so ``Y`` is their equal mixture.

    Parameters
    ----------
    model : SeasonalModel
        From :func:`fit_nowcast` for ``cy.fiscal_year``.
    cy : CurrentYear
        The partly observed year.
    prior_total : ndarray, shape (n,)
        A sample of the prior's year total (USD million), for ``v0``; the engine passes a fixed
        pilot of the scenario's paths, so ``w`` does not depend on the seed or chunking.
    readings : sequence of float
        Variances added to the year's common level, one conditioning per value (default
        :data:`LEVEL_READINGS`; ``(0.0,)`` is the anchored reading alone, which is Bayes when
        the prior is the model's own forecast of the year).

    Returns
    -------
    NowcastModel

    Raises
    ------
    ValueError
        If ``model`` is for another fiscal year or ``prior_total`` has fewer than 2 values.
    """
    if model.fiscal_year != cy.fiscal_year:
        raise ValueError(f"model is for FY{model.fiscal_year}, not FY{cy.fiscal_year}")
    prior = np.asarray(prior_total, dtype=np.float64)
    if prior.ndim != 1 or prior.size < 2:
        raise ValueError("prior_total needs at least 2 values")
    k = cy.months_observed
    v0 = float(np.var(prior, ddof=1))
    if k >= MONTHS_PER_YEAR:  # the year is known: no spread, nothing to simulate
        none = np.zeros((model.n_draws, 0))
        return NowcastModel(
            seasonal=model,
            months_observed=k,
            observed_total=cy.observed_total,
            level_hat=np.full(model.n_draws, np.log(cy.observed_total)),
            level_sd=np.zeros(model.n_draws),
            rest_mean=none,
            rest_load=none,
            rest_chol=np.zeros((0, 0)),
            shares=np.zeros(0),
            shape_load=np.zeros(0),
            rest_scale=0.0,
            signal_grid=np.zeros((model.n_draws, GRID_POINTS)),
            signal_mean=cy.observed_total,
            signal_var=0.0,
            prior_var=v0,
            prior_mean=float(prior.mean()),
            weight=0.0,
        )
    log_obs = np.log(np.maximum(cy.observed, 1e-9))
    u_hats, taus, rests, loads = [], [], [], []
    for j in range(model.n_draws):
        for start_var in readings:  # draw j's readings sit side by side
            u, tau, rest, d, _ = _condition_one(model.mean[j], model.cov[j], log_obs, start_var)
            u_hats.append(u)
            taus.append(tau)
            rests.append(rest)
            loads.append(d * (tau if np.isfinite(tau) else 0.0))
    n_draws = model.n_draws * len(readings)
    # the months' shape (shares, within-year deviations) from the point parameters' first reading
    _, tau0, mean0, d0, rest_cov = _condition_one(
        model.point_mean, model.point_cov, log_obs, readings[0]
    )
    load0 = d0 * (tau0 if np.isfinite(tau0) else 0.0)
    ev = np.exp(mean0 + load0**2 / 2.0)
    shares = ev / ev.sum() if ev.size else ev
    rest_mean = np.asarray(rests).reshape(n_draws, MONTHS_PER_YEAR - k)
    rest_load = np.asarray(loads).reshape(n_draws, MONTHS_PER_YEAR - k)
    if k == 0:
        s_mean, s_var, w = float("nan"), float("inf"), 1.0
    else:
        s_mean, s_var = _signal_moments(cy.observed_total, rest_mean, rest_load)
        w = s_var / (v0 + s_var) if v0 + s_var > 0 else 0.0
    prior_mean = float(prior.mean())
    post_mean = prior_mean if k == 0 else w * prior_mean + (1.0 - w) * s_mean
    return NowcastModel(
        seasonal=model,
        months_observed=k,
        observed_total=cy.observed_total,
        level_hat=np.asarray(u_hats),
        level_sd=np.asarray(taus),
        rest_mean=rest_mean,
        rest_load=rest_load,
        rest_chol=_psd_sqrt(rest_cov),
        shares=shares,
        shape_load=load0,
        rest_scale=max(post_mean - cy.observed_total, 0.0),
        signal_grid=_signal_grid(rest_mean, rest_load),
        signal_mean=s_mean,
        signal_var=s_var,
        prior_var=v0,
        prior_mean=prior_mean,
        weight=float(w),
    )


def simulate_remaining(
    cy: CurrentYear,
    model: NowcastModel,
    *,
    prior_total: FloatArray,
    z: FloatArray,
) -> FloatArray:
    """Simulate the months of ``cy`` not yet reported, one joint draw per path.

    For path ``i`` with parameter draw ``j`` (picked by ``z[13]``)::

        Y_i    = O_k + sum_m exp(rest_mean_jm + rest_load_jm z[0, i])       flat-prior signal
        T_i    = w prior_total_i + (1 - w) Y_i                                the update
        delta  = rest_chol z[k+1:13]                                          within-year noise
        u_mi   = delta_mi + shape_load_m z[0, i],  u~ = u - shares . u        share deviations
        X_mi   = shares_m (T_i - O_k) + rest_scale shares_m u~_mi            remaining months

    so ``O_k + sum_m X_mi = T_i`` exactly (the remaining total is floored at 0, which only a
    prior far below the months already reported can reach, and a month at 0). The months are
    linear in the scores given ``T_i``, so the sum of their medians is the year's median up to
    Monte Carlo error.

    Parameters
    ----------
    cy : CurrentYear
        The partly observed year, ``k = cy.months_observed``.
    model : NowcastModel
        From :func:`condition` for ``cy``.
    prior_total : ndarray, shape (n,)
        The scenario's year total per path (USD million): the prior.
    z : ndarray, shape (>= N_SCORES, n)
        Independent standard normal scores; rows of reported months are not read.

    Returns
    -------
    ndarray, shape (12 - k, n)
        Remaining monthly values, USD million, fiscal-month order; ``(0, n)`` when ``k == 12``.

    Raises
    ------
    ValueError
        If the shapes do not match or ``model`` was conditioned on another ``k``.

    Examples
    --------
    >>> import numpy as np
    >>> from simulator.data.history import load_monthly
    >>> monthly = load_monthly()
    >>> cy = current_year(monthly, 2026)
    >>> prior = 3810 * (1.19 + 0.06 * np.random.default_rng(0).standard_normal(2000))
    >>> nm = condition(fit_nowcast(monthly, fiscal_year=2026), cy, prior_total=prior)
    >>> z = np.random.default_rng(1).standard_normal((N_SCORES, 2000))
    >>> simulate_remaining(cy, nm, prior_total=prior, z=z).shape
    (8, 2000)
    """
    prior = np.asarray(prior_total, dtype=np.float64)
    scores = np.asarray(z, dtype=np.float64)
    if prior.ndim != 1:
        raise ValueError(f"prior_total must have shape (n,), got {prior.shape}")
    n = prior.size
    if scores.ndim != 2 or scores.shape[1] != n or scores.shape[0] < N_SCORES:
        raise ValueError(f"z must have shape (>= {N_SCORES}, {n}), got {scores.shape}")
    k = cy.months_observed
    if model.months_observed != k:
        raise ValueError(f"model was conditioned on k = {model.months_observed}, not {k}")
    if k >= MONTHS_PER_YEAR:
        return np.zeros((0, n), dtype=np.float64)
    w = model.weight  # 1 when no month is reported: the year is then the prior, path by path
    from scipy.special import ndtr

    n_draws = model.rest_mean.shape[0]
    j = np.minimum((ndtr(scores[PARAM_ROW]) * n_draws).astype(np.intp), n_draws - 1)
    e = scores[0]
    # The signal: the model's remaining total with the year's level drawn from the likelihood,
    # read off draw j's table by linear interpolation in e.
    step = 2.0 * GRID_EDGE / (GRID_POINTS - 1)
    pos = np.clip(e, -GRID_EDGE, GRID_EDGE)
    pos += GRID_EDGE
    pos *= 1.0 / step
    cell = np.minimum(pos.astype(np.intp), GRID_POINTS - 2)
    pos -= cell
    cell += j * GRID_POINTS
    table = model.signal_grid.ravel()
    s = table[cell]
    s += pos * (table[cell + 1] - s)
    rest = np.multiply(prior, w)
    rest += (1.0 - w) * s - w * model.observed_total
    np.maximum(rest, 0.0, out=rest)
    # The split of the remaining total: expected shares plus zero-sum, additive deviations
    # (linear in the scores, so the monthly medians add up to the year's).
    p = model.shares[:, None]
    # within-year deviations, log points; einsum, not BLAS: an 8 x 8 matmul on a block pays
    # OpenBLAS's thread start-up (10x slower on the reference machine)
    dev = np.einsum("ml,ln->mn", model.rest_chol, scores[k + 1 : MONTHS_PER_YEAR + 1])
    dev += model.shape_load[:, None] * e[None, :]
    dev -= p.T @ dev
    dev *= p * model.rest_scale
    out: FloatArray = p * rest[None, :]
    out += dev
    np.maximum(out, 0.0, out=out)
    return out


def year_total(cy: CurrentYear, remaining: FloatArray) -> FloatArray:
    """Full-year totals: observed months plus simulated remaining months.

    Parameters
    ----------
    cy : CurrentYear
    remaining : ndarray, shape (12 - k, n)
        From :func:`simulate_remaining`, USD million.

    Returns
    -------
    ndarray, shape (n,)
        USD million.
    """
    total: FloatArray = cy.observed_total + np.asarray(remaining, np.float64).sum(axis=0)
    return total


def current_year_summary(
    cy: CurrentYear,
    remaining: FloatArray,
    totals: FloatArray,
    targets: Sequence[Target],
) -> dict[str, Any]:
    """The ``current_year`` block of ``summary.json``.

    Parameters
    ----------
    cy : CurrentYear
    remaining : ndarray, shape (12 - k, m) — simulated remaining months for a sample of paths
    totals : ndarray, shape (paths,) — the year's simulated totals, USD million
    targets : the scenario's targets; those in this fiscal year get a needed monthly run-rate

    Returns
    -------
    dict with fiscal_year, months_observed, observed_total, observed (per month), last_year
    (per month), remaining (per-month quantiles), full_year (quantiles), needed_run_rate.
    """
    k = cy.months_observed
    qs = (0.025, 0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95, 0.975)
    labels = [_month_label(cy.fiscal_year, m) for m in range(1, 13)]
    month_q = np.quantile(remaining, qs, axis=1) if remaining.size else np.empty((len(qs), 0))
    full_q = np.quantile(totals, qs)

    def qdict(row: FloatArray) -> dict[str, float]:
        return {f"p{_qname(q)}": float(v) for q, v in zip(qs, row, strict=True)}

    remaining_rows = []
    for i in range(12 - k):
        remaining_rows.append(
            {
                "month": labels[k + i],
                "last_year": float(cy.last_year[k + i]),
                **qdict(month_q[:, i]),
            }
        )
    needed = []
    for t in targets:
        if t.fiscal_year == cy.fiscal_year and k < 12:
            needed.append(
                {
                    "name": t.name,
                    "value": t.value,
                    "per_month": (t.value - cy.observed_total) / (12 - k),
                    "last_year_per_month": float(cy.last_year[k:].mean()),
                }
            )
    return {
        "fiscal_year": cy.fiscal_year,
        "months_observed": k,
        "observed_total": cy.observed_total,
        "ytd_growth": cy.ytd_growth,
        "last_year_total": cy.last_year_total,
        "observed": [
            {
                "month": labels[i],
                "value": float(cy.observed[i]),
                "last_year": float(cy.last_year[i]),
            }
            for i in range(k)
        ],
        "remaining": remaining_rows,
        "remaining_sample_paths": int(remaining.shape[1]),
        "full_year": {"mean": float(totals.mean()), **qdict(full_q)},
        "needed_run_rate": needed,
    }


def _qname(q: float) -> str:
    s = f"{q * 100:.1f}".rstrip("0").rstrip(".")
    return s.replace(".", "_") if "." in s else f"{int(s):02d}"


def _month_label(fiscal_year: int, fiscal_month: int) -> str:
    """Fiscal year 2026, fiscal month 1 → "2025-07"."""
    month = (fiscal_month + 5) % 12 + 1
    year = fiscal_year - 1 if month >= 7 else fiscal_year
    return f"{year:04d}-{month:02d}"
