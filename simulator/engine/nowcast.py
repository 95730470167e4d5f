"""The current fiscal year: condition its total on the months already reported.

When the actuals hold ``k`` months of a fiscal year that is not complete (July–October 2025 of
FY2026, ``k = 4``), the year's total is the observed months plus simulated remaining months. The
remaining months' growth over the same months a year earlier combines the scenario's growth
assumption for the year with the year-to-date (YTD) growth signal, weighted by how well YTD growth
predicted the rest of the year in past years. The method and its equations are in
``docs/nowcast.md``; in short, for path ``i`` and a remaining fiscal month ``m > k``::

    G_i    = g_i + w_k (ytd_k - g_i) + s_k eta_i             rest-of-year growth (fraction)
    X_mi   = L_m (1 + G_i + sigma eps~_mi)                   USD million, floored at 0
    s_k^2  = a^2 + sigma^2 h_k,  h_k = sum_{m>k} L_m^2 / (sum_{m>k} L_m)^2

where ``g_i`` is the scenario's growth draw, ``L_m`` the same month a year earlier, ``eta`` and
``eps`` standard normal scores, and ``eps~`` the month scores with their ``L``-weighted sum
removed, so that month noise moves value between the remaining months without changing their
total. The weight ``w_k = clip(beta k / 12, 0, 1)``, the drift sd ``a`` and the month sd
``sigma`` are fitted from the bundled monthly history by :func:`fit_nowcast`.

Properties that hold by construction:

- ``k = 12``: the total is the observed sum, with no spread;
- ``k = 0``: ``w_0 = 0``, so the total is ``L (1 + g_i + s_0 eta_i)``: the scenario's
  assumption in the mean, widened by the historical drift and month noise;
- the variance of the total is
  ``R_k^2 [(1 - w_k)^2 tau^2 + a^2] + sigma^2 sum_{m>k} L_m^2`` (``R_k`` the year-earlier value
  of the remaining months, ``tau`` the scenario's growth sd), which never increases with ``k``
  because ``w_k`` is non-decreasing and ``R_k`` and the sum shrink as months are observed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from simulator.data.history import MONTHS_PER_YEAR, MonthlySeries

if TYPE_CHECKING:
    from simulator.scenario.schema import Target

logger = logging.getLogger(__name__)

N_SCORES: int = MONTHS_PER_YEAR + 1
"""Standard-normal scores per path that :func:`simulate_remaining` reads (rows of ``z``): row 0
drives the rest-of-year drift, row ``m`` the noise of fiscal month ``m`` (July = 1)."""

MIN_FIT_YEARS: int = 2
"""Fewest complete past fiscal years :func:`fit_nowcast` fits on; below it, the defaults apply."""

DEFAULT_SLOPE: float = 0.5
"""Default ``beta``: the YTD signal's weight rises by 1/24 per month observed (half at year end)."""

DEFAULT_DRIFT_SD: float = 0.05
"""Default ``a``: sd of the rest-of-year growth's common drift (fraction)."""

DEFAULT_MONTH_SD: float = 0.15
"""Default ``sigma``: sd of a month's y/y growth around its year's growth (fraction)."""

DEFAULT_GROWTH_SD: float = 0.10
"""Default ``growth_spread`` (sd of annual growth across years); informational (fraction)."""


@dataclass(frozen=True)
class NowcastModel:
    """How the months observed so far inform the rest of a fiscal year.

    Attributes
    ----------
    slope : float
        ``beta`` in ``w_k = clip(beta k / 12, 0, 1)``; OLS estimate (no intercept) of the
        regression of rest-of-year growth on YTD growth, both minus the historical mean growth,
        with regressor scaled by ``k / 12``.
    slope_se : float
        Its OLS standard error (nan for defaults). The regression's points are ``(year, k)``
        pairs whose windows overlap within a year, so the nominal error is optimistic: the
        effective sample is about ``n_years``.
    weights : tuple of float, length 13
        ``w_k`` for ``k = 0 .. 12`` (``w_0 = 0``); the weight on the YTD signal.
    drift_sd : float
        ``a``: sd of the common drift of rest-of-year growth that neither the scenario nor the YTD
        signal explains (fraction).
    month_sd : float
        ``sigma``: sd of one month's y/y growth around its year's growth (fraction).
    growth_spread : float
        Sd of full-year growth across the fitted years around their mean (fraction); the
        historical counterpart of a scenario's growth sd.
    rest_sd : tuple of float, length 13
        Residual sd of rest-of-year growth for ``k = 0 .. 12`` with a flat seasonal profile,
        ``sqrt(a^2 + sigma^2 / (12 - k))`` (0 for ``k = 12``); the actual
        simulation uses the year's own profile (:meth:`rest_growth_sd`).
    prior_growth : float
        Mean full-year growth of the fitted years (fraction), the stand-in for the scenario's
        assumption in the regression.
    fiscal_years : tuple of int
        Fiscal years the model was fitted on (empty for defaults).
    n_obs : int
        ``(year, k)`` points in the weight regression.
    source : str
        ``"fitted"`` or ``"default"``.
    """

    slope: float
    slope_se: float
    weights: tuple[float, ...]
    drift_sd: float
    month_sd: float
    growth_spread: float
    rest_sd: tuple[float, ...]
    prior_growth: float
    fiscal_years: tuple[int, ...]
    n_obs: int
    source: str

    @property
    def n_years(self) -> int:
        """Number of fiscal years fitted on (0 for defaults)."""
        return len(self.fiscal_years)

    def weight(self, k: int) -> float:
        """``w_k``, the weight on the YTD signal after ``k`` months (0 ≤ k ≤ 12)."""
        return self.weights[k]

    def rest_growth_sd(self, k: int, last_year: NDArray[np.float64]) -> float:
        """``s_k``: sd of rest-of-year growth around the combination, for one year's profile.

        Parameters
        ----------
        k : int
            Months observed, 0..12.
        last_year : ndarray, shape (12,)
            The same months a year earlier, USD million.

        Returns
        -------
        float
            ``sqrt(a^2 + sigma^2 h_k)`` with ``h_k = sum L_m^2 / (sum L_m)^2`` over ``m > k``;
            0 when ``k == 12``.
        """
        if k >= MONTHS_PER_YEAR:
            return 0.0
        rest = np.asarray(last_year, dtype=np.float64)[k:]
        total = float(rest.sum())
        h = float(np.sum(rest**2)) / total**2 if total > 0 else 1.0
        return float(np.sqrt(self.drift_sd**2 + self.month_sd**2 * h))


def _weights(slope: float) -> tuple[float, ...]:
    ks = np.arange(MONTHS_PER_YEAR + 1, dtype=np.float64)
    w = np.clip(slope * ks / MONTHS_PER_YEAR, 0.0, 1.0)
    return tuple(float(v) for v in w)


def _nominal_rest_sd(drift_sd: float, month_sd: float) -> tuple[float, ...]:
    out = []
    for k in range(MONTHS_PER_YEAR):
        out.append(float(np.sqrt(drift_sd**2 + month_sd**2 / (MONTHS_PER_YEAR - k))))
    out.append(0.0)
    return tuple(out)


def default_model() -> NowcastModel:
    """The model used when too few past years are available to fit one.

    Round numbers chosen by judgment: ``beta = 0.5`` (the YTD signal gets weight ``k/24``),
    ``a = 0.05``, ``sigma = 0.15``. They are close to what the full bundled history gives
    (see ``docs/nowcast.md``), so a backtest year that uses them is not strictly free of
    look-ahead.

    Returns
    -------
    NowcastModel
        With ``source = "default"``.
    """
    return NowcastModel(
        slope=DEFAULT_SLOPE,
        slope_se=float("nan"),
        weights=_weights(DEFAULT_SLOPE),
        drift_sd=DEFAULT_DRIFT_SD,
        month_sd=DEFAULT_MONTH_SD,
        growth_spread=DEFAULT_GROWTH_SD,
        rest_sd=_nominal_rest_sd(DEFAULT_DRIFT_SD, DEFAULT_MONTH_SD),
        prior_growth=float("nan"),
        fiscal_years=(),
        n_obs=0,
        source="default",
    )


def _training_years(monthly: MonthlySeries, before_fy: int | None) -> list[int]:
    """Complete fiscal years (< before_fy) with >= 2 months that have a year-earlier value."""
    years: list[int] = []
    for fy in np.unique(monthly.fiscal_years).tolist():
        if before_fy is not None and fy >= before_fy:
            continue
        cur, prev = monthly.year(fy), monthly.year(fy - 1)
        if np.isnan(cur).any():
            continue
        if int(np.sum(~np.isnan(prev))) >= 2:
            years.append(int(fy))
    return years


def fit_nowcast(monthly: MonthlySeries, *, before_fy: int | None = None) -> NowcastModel:
    """Fit the YTD weight, the drift sd and the month-noise sd from monthly history.

    Every complete fiscal year ``y`` (all twelve months present) whose year-earlier months are
    at least partly present is used; growth rates are computed over the months that have both a
    value and a year-earlier value (FY2022 of the bundled data starts in September, because
    July and August 2020 are missing). FY2021 itself is incomplete, so it serves only as the
    year-earlier reference of FY2022.

    1. ``G_y`` = full-year growth; ``gbar`` = mean of ``G_y``; ``growth_spread`` = their sd.
    2. For each ``(y, k)``, ``k = 1..11``: ``x = ytd_k - gbar``, ``v = rest_k - gbar``; OLS
       without intercept of ``v`` on ``(k / 12) x`` gives ``beta`` and its standard error
       (statsmodels). ``w_k = clip(beta k / 12, 0, 1)``.
    3. ``sigma^2`` = pooled variance of each month's y/y growth around ``G_y`` (``N - n_years``
       degrees of freedom).
    4. Residuals ``e = v - w_k x``. Moment matching: a scenario whose growth sd equals the
       historical spread should reproduce the historical error variance, so
       ``a^2 = max(0, mean[e^2 - (1 - w_k)^2 spread^2 - sigma^2 h_{y,k}])``.

    Parameters
    ----------
    monthly : MonthlySeries
        Monthly actuals, USD million.
    before_fy : int, optional
        Use only fiscal years ``< before_fy`` (backtests without look-ahead).

    Returns
    -------
    NowcastModel
        Fitted, or :func:`default_model` when fewer than ``MIN_FIT_YEARS`` years qualify
        (logged at INFO level).

    Examples
    --------
    >>> from simulator.data.history import load_monthly
    >>> model = fit_nowcast(load_monthly())
    >>> model.fiscal_years
    (2022, 2023, 2024, 2025)
    """
    years = _training_years(monthly, before_fy)
    if len(years) < MIN_FIT_YEARS:
        logger.info(
            "nowcast: %d complete fiscal year(s) before %s; using default weights and noise",
            len(years),
            before_fy,
        )
        return default_model()

    # lazy, and the narrow module: statsmodels.api would also load pandas formulas (+26 MB)
    from statsmodels.regression.linear_model import OLS

    growth: dict[int, float] = {}
    month_dev: list[float] = []
    for fy in years:
        cur, prev = monthly.year(fy), monthly.year(fy - 1)
        ok = ~np.isnan(prev)
        g = float(cur[ok].sum() / prev[ok].sum() - 1.0)
        growth[fy] = g
        month_dev.extend((cur[ok] / prev[ok] - 1.0 - g).tolist())
    gbar = float(np.mean(list(growth.values())))
    spread = float(np.std(list(growth.values()), ddof=1))
    dof = len(month_dev) - len(years)
    month_sd = float(np.sqrt(np.sum(np.square(month_dev)) / dof)) if dof > 0 else DEFAULT_MONTH_SD

    ks: list[int] = []
    xs: list[float] = []
    vs: list[float] = []
    hs: list[float] = []
    for fy in years:
        cur, prev = monthly.year(fy), monthly.year(fy - 1)
        ok = ~np.isnan(prev)
        for k in range(1, MONTHS_PER_YEAR):
            head = ok.copy()
            head[k:] = False
            tail = ok.copy()
            tail[:k] = False
            if not head.any() or not tail.any():
                continue
            rest_ly = prev[tail]
            ks.append(k)
            xs.append(float(cur[head].sum() / prev[head].sum() - 1.0) - gbar)
            vs.append(float(cur[tail].sum() / rest_ly.sum() - 1.0) - gbar)
            hs.append(float(np.sum(rest_ly**2) / rest_ly.sum() ** 2))
    k_arr = np.asarray(ks, dtype=np.float64)
    x = np.asarray(xs)
    v = np.asarray(vs)
    h = np.asarray(hs)

    fit = OLS(v, (k_arr / MONTHS_PER_YEAR * x)[:, None]).fit()
    slope = float(fit.params[0])
    slope_se = float(fit.bse[0])
    weights = _weights(slope)
    w = np.asarray(weights)[np.asarray(ks)]
    e = v - w * x
    excess = e**2 - (1.0 - w) ** 2 * spread**2 - month_sd**2 * h
    drift_var = float(np.mean(excess))
    drift_sd = float(np.sqrt(max(drift_var, 0.0)))
    logger.debug(
        "nowcast fit on FY%s: beta=%.3f (se %.3f), a=%.4f, sigma=%.4f, spread=%.4f, n=%d",
        years,
        slope,
        slope_se,
        drift_sd,
        month_sd,
        spread,
        len(ks),
    )
    return NowcastModel(
        slope=slope,
        slope_se=slope_se,
        weights=weights,
        drift_sd=drift_sd,
        month_sd=month_sd,
        growth_spread=spread,
        rest_sd=_nominal_rest_sd(drift_sd, month_sd),
        prior_growth=gbar,
        fiscal_years=tuple(years),
        n_obs=len(ks),
        source="fitted",
    )


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
    observed: NDArray[np.float64]
    last_year: NDArray[np.float64]
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


def _ytd(observed: NDArray[np.float64], last_year: NDArray[np.float64]) -> float:
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


def simulate_remaining(
    cy: CurrentYear,
    model: NowcastModel,
    *,
    growth: NDArray[np.float64],
    z: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Simulate the months of ``cy`` not yet reported.

    For path ``i`` and remaining fiscal month ``m = k+1 .. 12``::

        G_i  = g_i + w_k (ytd - g_i) + s_k z[0, i]
        X_mi = max(0, L_m (1 + G_i + sigma eps~_mi)),   eps~ = eps - L (L . eps) / (L . L)

    where ``eps_m = z[m]`` and ``L`` is last year's remaining months. ``eps~`` has zero
    ``L``-weighted sum, so the remaining total is ``R_k (1 + G_i)`` exactly (barring the floor
    at zero, which the fitted noise never reaches): month noise shapes the monthly quantiles
    without adding to the annual spread again, because ``s_k`` already counts it
    (:meth:`NowcastModel.rest_growth_sd`). With ``k = 0``, ``w_0 = 0`` and the total is
    ``L (1 + g_i + s_0 z[0, i])``: the scenario's assumption in the mean, with the historical
    drift and month noise added to its spread.

    Parameters
    ----------
    cy : CurrentYear
        The partly observed year, ``k = cy.months_observed``.
    model : NowcastModel
        From :func:`fit_nowcast`.
    growth : ndarray, shape (n,)
        The scenario's growth draws for this fiscal year (fraction), one per path.
    z : ndarray, shape (n_scores, n)
        Independent standard normal scores, ``n_scores >= N_SCORES`` (13); extra rows are
        ignored. Row 0 drives the rest-of-year drift and row ``m`` the noise of fiscal month
        ``m``, so a month keeps its scores when the data vintage moves on (common random
        numbers).

    Returns
    -------
    ndarray, shape (12 - k, n)
        Remaining monthly values, USD million, fiscal-month order; ``(0, n)`` when ``k == 12``.

    Raises
    ------
    ValueError
        If ``growth`` is not one-dimensional or ``z`` is not ``(>= N_SCORES, n)``.

    Examples
    --------
    >>> import numpy as np
    >>> from simulator.data.history import load_monthly
    >>> monthly = load_monthly()
    >>> cy = current_year(monthly, 2026)
    >>> z = np.random.default_rng(1).standard_normal((N_SCORES, 1000))
    >>> rest = simulate_remaining(cy, fit_nowcast(monthly), growth=np.full(1000, 0.15), z=z)
    >>> rest.shape
    (8, 1000)
    """
    g = np.asarray(growth, dtype=np.float64)
    scores = np.asarray(z, dtype=np.float64)
    if g.ndim != 1:
        raise ValueError(f"growth must have shape (n,), got {g.shape}")
    n = g.size
    if scores.ndim != 2 or scores.shape[1] != n or scores.shape[0] < N_SCORES:
        raise ValueError(f"z must have shape (>= {N_SCORES}, {n}), got {scores.shape}")
    k = cy.months_observed
    if k >= MONTHS_PER_YEAR:
        return np.zeros((0, n), dtype=np.float64)
    w = model.weight(k)
    s = model.rest_growth_sd(k, cy.last_year)
    signal = cy.ytd_growth if k > 0 else 0.0
    # 1 + G = 1 + (1 - w) g + w ytd + s z0, built in one array (this runs once per block).
    level = np.multiply(g, 1.0 - w)
    level += 1.0 + w * signal
    level += np.multiply(scores[0], s)
    ly = np.asarray(cy.last_year[k:], dtype=np.float64)
    # X = L * (1 + G + sigma * eps~), eps~ = eps - L (L . eps) / (L . L), in place in ``out``.
    out: NDArray[np.float64] = np.multiply(scores[k + 1 : MONTHS_PER_YEAR + 1], model.month_sd)
    denom = float(ly @ ly)
    if ly.size >= 2 and denom > 0:
        out -= np.multiply.outer(ly, (ly @ out) / denom)
    else:
        out[...] = 0.0
    out += level[None, :]
    out *= ly[:, None]
    np.maximum(out, 0.0, out=out)
    return out


def year_total(cy: CurrentYear, remaining: NDArray[np.float64]) -> NDArray[np.float64]:
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
    total: NDArray[np.float64] = cy.observed_total + np.asarray(remaining, np.float64).sum(axis=0)
    return total


def current_year_summary(
    cy: CurrentYear,
    remaining: NDArray[np.float64],
    totals: NDArray[np.float64],
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

    def qdict(row: NDArray[np.float64]) -> dict[str, float]:
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
