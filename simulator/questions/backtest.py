"""Backtest of the annual calibrated projection.

:func:`annual_backtest` (rolling origins FY2019–FY2024, scored by coverage, CRPS and against
naive rules) is described in ``docs/calibration.md``. The current-year nowcast's real-time
backtest is in :mod:`simulator.questions.backtest_nowcast` (``docs/nowcast.md``).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from simulator.data.history import AnnualSeries

logger = logging.getLogger(__name__)


# -- annual rolling-origin backtest of the calibrated projection -------------------------------

ANNUAL_LEVELS: tuple[float, ...] = (0.50, 0.80, 0.90)
"""Central interval probabilities whose coverage the annual backtest reports."""

#: First and last forecast origins of the annual backtest (fiscal years).
ANNUAL_ORIGINS: tuple[int, ...] = (2019, 2020, 2021, 2022, 2023, 2024)


def crps_samples(samples: NDArray[np.float64], y: float) -> float:
    """Continuous ranked probability score of a sample forecast against an outcome.

    ``CRPS = E|X - y| - E|X - X'| / 2`` (Gneiting & Raftery 2007, eq. 21), with the
    expectations over the empirical distribution of the samples. For ``m`` sorted samples
    ``x_(1) <= ... <= x_(m)``, ``E|X - X'| = (2 / m^2) sum_i (2i - m - 1) x_(i)``, so the cost
    is one sort. A single sample gives ``|x - y|``, the CRPS of a point forecast.

    Parameters
    ----------
    samples : ndarray, shape (m,)
        Draws of the forecast, in the outcome's unit (here USD million).
    y : float
        The outcome.

    Returns
    -------
    float — in the unit of ``y``; lower is better.

    Examples
    --------
    >>> crps_samples(np.array([3.0]), 1.0)
    2.0
    """
    x = np.sort(np.asarray(samples, dtype=np.float64).ravel())
    m = x.size
    if m == 0:
        raise ValueError("need at least one sample")
    weights = 2.0 * np.arange(1, m + 1) - m - 1.0
    spread = float(weights @ x) / (m * m)  # = E|X - X'| / 2
    return float(np.mean(np.abs(x - y))) - spread


@dataclass(frozen=True)
class AnnualForecast:
    """One origin and horizon of the annual backtest (values USD million, growth fractions).

    Attributes
    ----------
    origin : int — last fiscal year the fit and the base saw
    horizon : int — years ahead (fiscal_year - origin)
    fiscal_year : int
    n_fit : int — growth rates in the fit (origin - 2016 for the bundled series)
    actual, median : float
    intervals : tuple of (float, float) — the 50/80/90% central intervals
    crps : float — of the simulated distribution, USD million
    last_growth_rule : float — ``V_origin (1 + g_origin)^h``
    mean_growth_rule : float — ``V_origin (1 + mean g)^h``, mean over the fit window
    """

    origin: int
    horizon: int
    fiscal_year: int
    n_fit: int
    actual: float
    median: float
    intervals: tuple[tuple[float, float], ...]
    crps: float
    last_growth_rule: float
    mean_growth_rule: float


@dataclass(frozen=True)
class AnnualRow:
    """Scores for one horizon, averaged over origins (fractions).

    Attributes
    ----------
    horizon, n_origins : int
    coverage : tuple of float — share of origins whose actual fell in the 50/80/90% intervals
    crps_rel : float — mean CRPS / actual of the simulated distribution
    ape_median, ape_last, ape_mean : float — mean |forecast / actual - 1| of the median and of
        the two naive rules (for a point forecast CRPS / actual equals this APE)
    """

    horizon: int
    n_origins: int
    coverage: tuple[float, ...]
    crps_rel: float
    ape_median: float
    ape_last: float
    ape_mean: float


@dataclass(frozen=True)
class AnnualBacktest:
    """Result of :func:`annual_backtest`."""

    rows: tuple[AnnualRow, ...]
    details: tuple[AnnualForecast, ...]
    origins: tuple[int, ...]
    paths: int
    seed: int

    def format_table(self) -> str:
        """Per-horizon scores as a markdown table (percent), with a note on how few there are."""
        head = "| h | origins | cover 50% | cover 80% | cover 90% | CRPS/actual | APE median | "
        head += "APE last-growth rule | APE mean-growth rule |"
        lines = [head, "|" + "---|" * 9]
        for r in self.rows:
            cov = " | ".join(f"{100 * c:.0f}%" for c in r.coverage)
            lines.append(
                f"| {r.horizon} | {r.n_origins} | {cov} | {100 * r.crps_rel:.1f}% | "
                f"{100 * r.ape_median:.1f}% | {100 * r.ape_last:.1f}% | {100 * r.ape_mean:.1f}% |"
            )
        origins = ", ".join(f"FY{o}" for o in self.origins)
        n = len(self.details)
        n_fit = [d.n_fit for d in self.details]
        per = [r.n_origins for r in self.rows]
        lines += [
            "",
            f"Origins {origins}: each fits the calibration on growth up to the origin only and "
            f"simulates {self.paths} paths (seed {self.seed}) from the origin's actual value, "
            "without the nowcast. For a point forecast CRPS/actual equals its APE, so the last "
            "three columns compare like with like.",
            f"Caution: {n} forecasts in all, from {len(self.origins)} origins fitted on "
            f"{min(n_fit)} to {max(n_fit)} growth rates; forecasts from one origin share its "
            f"errors, and with {min(per)} to {max(per)} origins per horizon one miss moves "
            f"coverage by {100 / max(per):.0f} to {100 / min(per):.0f} points. Read these as a "
            "sanity check, not a verdict.",
        ]
        return "\n".join(lines)

    def format_details(self) -> str:
        """Every origin and horizon as a markdown table (USD million)."""
        lines = [
            "| origin | FY | n fit | actual | median | 80% band | CRPS | last-growth rule | "
            "mean-growth rule |",
            "|" + "---|" * 9,
        ]
        i80 = ANNUAL_LEVELS.index(0.80)
        for d in self.details:
            lo, hi = d.intervals[i80]
            lines.append(
                f"| FY{d.origin} | FY{d.fiscal_year} | {d.n_fit} | {d.actual:,.0f} | "
                f"{d.median:,.0f} | {lo:,.0f}–{hi:,.0f} | {d.crps:,.0f} | "
                f"{d.last_growth_rule:,.0f} | {d.mean_growth_rule:,.0f} |"
            )
        return "\n".join(lines)


def annual_backtest(
    annual: AnnualSeries | None = None,
    *,
    origins: tuple[int, ...] = ANNUAL_ORIGINS,
    max_horizon: int = 3,
    paths: int = 20000,
    seed: int = 0,
) -> AnnualBacktest:
    """Rolling-origin backtest of the calibrated projection on the annual series.

    For each origin ``o``, :func:`simulator.calibrate.fit_growth` is fitted on the growth of
    the years up to ``o`` only; the calibrated scenario (lognormal growth, the mean's standard
    error as a lever, fitted persistence) is simulated from the explicit base ``V_o`` for
    ``1..h`` years, ``h = min(max_horizon, last year - o)``, with ``nowcast: false``; and each
    horizon is scored against the actual value.

    Parameters
    ----------
    annual : AnnualSeries, optional
        Fiscal-year totals, USD million (default: the bundled comparable series).
    origins : tuple of int
        Forecast origins (fiscal years); each needs at least ``MIN_POINTS`` growth rates
        before it and one actual year after it.
    max_horizon : int
        Most years ahead scored (>= 1).
    paths, seed : int
        Monte Carlo paths per origin and the seed (the same for every origin).

    Returns
    -------
    AnnualBacktest

    Raises
    ------
    ValueError
        If ``max_horizon < 1``, ``paths < 1``, or an origin has no later actual.
    UserInputError
        If an origin leaves too few growth rates to fit.

    Examples
    --------
    >>> bt = annual_backtest(paths=2000)  # doctest: +SKIP
    >>> [r.n_origins for r in bt.rows]  # doctest: +SKIP
    [6, 5, 4]
    """
    from simulator.data.history import load_annual
    from simulator.engine.runs import simulate
    from simulator.questions.calibrate import calibrated_scenario, fit_growth

    if max_horizon < 1:
        raise ValueError(f"max_horizon must be >= 1 (got {max_horizon})")
    if paths < 1:
        raise ValueError(f"paths must be >= 1 (got {paths})")
    a = load_annual() if annual is None else annual
    years = [int(y) for y in a.fiscal_years]
    last = years[-1]
    tails = [((1 - p) / 2, (1 + p) / 2) for p in ANNUAL_LEVELS]
    qs = np.asarray([0.5] + [q for pair in tails for q in pair])
    details: list[AnnualForecast] = []
    for origin in origins:
        h = min(max_horizon, last - origin)
        if h < 1 or origin not in years:
            raise ValueError(f"origin FY{origin} has no later actual in FY{years[0]}–FY{last}")
        fit = fit_growth(a.fiscal_years, a.values, last=origin)
        v0 = a.value(origin)
        sc = calibrated_scenario(
            fit,
            base={"fiscal_year": origin, "value": v0},
            horizon=origin + h,
            paths=paths,
            seed=seed,
            nowcast=False,
        )
        proj = simulate(sc, paths=paths, seed=seed)
        g_last = math.expm1(float(fit.log_growth[-1]))
        g_mean = float(np.mean(np.expm1(fit.log_growth)))
        for k in range(1, h + 1):
            col = proj.values[:, k - 1]
            actual = a.value(origin + k)
            q = np.quantile(col, qs)
            details.append(
                AnnualForecast(
                    origin=origin,
                    horizon=k,
                    fiscal_year=origin + k,
                    n_fit=fit.n,
                    actual=actual,
                    median=float(q[0]),
                    intervals=tuple(
                        (float(q[1 + 2 * i]), float(q[2 + 2 * i]))
                        for i in range(len(ANNUAL_LEVELS))
                    ),
                    crps=crps_samples(col, actual),
                    last_growth_rule=v0 * (1.0 + g_last) ** k,
                    mean_growth_rule=v0 * (1.0 + g_mean) ** k,
                )
            )
        logger.debug("annual backtest origin FY%d: %d growth rates, h = %d", origin, fit.n, h)

    rows: list[AnnualRow] = []
    for k in sorted({d.horizon for d in details}):
        ds = [d for d in details if d.horizon == k]
        rows.append(
            AnnualRow(
                horizon=k,
                n_origins=len(ds),
                coverage=tuple(
                    float(np.mean([d.intervals[i][0] <= d.actual <= d.intervals[i][1] for d in ds]))
                    for i in range(len(ANNUAL_LEVELS))
                ),
                crps_rel=float(np.mean([d.crps / d.actual for d in ds])),
                ape_median=float(np.mean([abs(d.median / d.actual - 1) for d in ds])),
                ape_last=float(np.mean([abs(d.last_growth_rule / d.actual - 1) for d in ds])),
                ape_mean=float(np.mean([abs(d.mean_growth_rule / d.actual - 1) for d in ds])),
            )
        )
    return AnnualBacktest(
        rows=tuple(rows), details=tuple(details), origins=tuple(origins), paths=paths, seed=seed
    )
