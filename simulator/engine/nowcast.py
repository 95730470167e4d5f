"""The current fiscal year: a seasonal monthly model, and a prior that reported months update.

When the actuals hold ``k`` months of a fiscal year that is not complete (July–October 2025 of
FY2026, ``k = 4``), the year's total is the observed months plus simulated remaining months.
Three steps, described with their equations in ``docs/nowcast.md``:

1. **Fit** (:func:`simulator.engine.seasonal.fit_nowcast`, once per fiscal year and data
   vintage, cached). A structural time-series model of log monthly exports (Harvey 1989;
   statsmodels ``UnobservedComponents``): a local level (random walk), fixed seasonal factors
   for the twelve months, and an irregular (month-specific) noise, fitted by maximum likelihood
   on all months before the fiscal year. Months of a named episode (``seasonal.EPISODES``, the
   FY2023 exchange-rate gap) are treated as missing once their fiscal year is complete, so one
   year's trough is neither noise nor a base for the next year: the model works in levels, not
   year-on-year growth. Parameter uncertainty: ``seasonal.N_PARAM_DRAWS`` draws of the variances
   from the fitted parameters' covariance (log scale); the seasonal factors, drift and level are
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
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from simulator.data.history import MONTHS_PER_YEAR
from simulator.engine.seasonal import CurrentYear, SeasonalModel

logger = logging.getLogger(__name__)

FloatArray = NDArray[np.float64]

N_SCORES: int = MONTHS_PER_YEAR + 2
"""Standard-normal scores per path that :func:`simulate_remaining` reads (rows of ``z``): row 0
drives the year's level, row ``m`` (1..12) the within-year noise of fiscal month ``m`` (July =
1), row 13 picks the parameter draw."""

PARAM_ROW: int = MONTHS_PER_YEAR + 1
"""Row of ``z`` that picks a path's parameter draw."""

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
