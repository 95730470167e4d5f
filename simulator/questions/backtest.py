"""Backtests: the current-year nowcast, and the annual calibrated projection.

:func:`annual_backtest` (rolling origins FY2019–FY2024, scored by coverage, CRPS and against
naive rules) is described in ``docs/calibration.md``. The rest of this docstring concerns
:func:`nowcast_backtest`.

Every past complete fiscal year whose year-earlier months are all present is replayed as if only
its first ``k`` months (``k = 1..11``) had been reported. The nowcast model is fitted on the years
before it (:func:`simulator.nowcast.fit_nowcast` with ``before_fy``); with fewer than
``MIN_FIT_YEARS`` earlier years it falls back to :func:`simulator.nowcast.default_model`. The
scenario's growth for the replayed year is ``Normal(growth_mean, growth_sd)``.

For each ``k`` the backtest reports how often the 50/80/95% central intervals of the full-year
total contain the actual total, and the absolute percentage error of the median total against two
naive rules: "YTD growth continues" (``L (1 + ytd)``) and "the scenario's mean"
(``L (1 + growth_mean)``), where ``L`` is last year's total.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from simulator.data.history import MONTHS_PER_YEAR, AnnualSeries, MonthlySeries
from simulator.engine.nowcast import (
    N_SCORES,
    current_year,
    fit_nowcast,
    simulate_remaining,
    year_total,
)

logger = logging.getLogger(__name__)

LEVELS: tuple[float, ...] = (0.50, 0.80, 0.95)
"""Central interval probabilities whose coverage is reported."""


@dataclass(frozen=True)
class BacktestRow:
    """Scores for ``k`` months observed, averaged over the replayed years.

    Attributes
    ----------
    k : int — months observed
    n_years : int — replayed years
    coverage : tuple of float — share of years whose total fell in the 50/80/95% intervals
    ape_nowcast : float — mean |median / actual - 1| of the nowcast (fraction)
    ape_ytd : float — same for "YTD growth continues"
    ape_scenario : float — same for "last year's total × (1 + growth_mean)"
    """

    k: int
    n_years: int
    coverage: tuple[float, ...]
    ape_nowcast: float
    ape_ytd: float
    ape_scenario: float


@dataclass(frozen=True)
class BacktestDetail:
    """One replayed year and ``k`` (all values USD million).

    Attributes
    ----------
    fiscal_year, k : int
    model_source : str — ``"fitted"`` or ``"default"``
    actual, median, ytd_rule, scenario_rule : float
    intervals : tuple of (float, float) — the 50/80/95% central intervals
    """

    fiscal_year: int
    k: int
    model_source: str
    actual: float
    median: float
    ytd_rule: float
    scenario_rule: float
    intervals: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class NowcastBacktest:
    """Result of :func:`nowcast_backtest`.

    Attributes
    ----------
    rows : tuple of BacktestRow — one per ``k = 1..11``
    details : tuple of BacktestDetail — one per replayed year and ``k``
    fiscal_years : tuple of int — the replayed years
    growth_mean, growth_sd : float — the scenario growth assumption (fraction)
    paths : int
    seed : int
    """

    rows: tuple[BacktestRow, ...]
    details: tuple[BacktestDetail, ...]
    fiscal_years: tuple[int, ...]
    growth_mean: float
    growth_sd: float
    paths: int
    seed: int

    def format_table(self) -> str:
        """The per-``k`` scores as a markdown table (coverage and APE in percent)."""
        head = "| k | years | cover 50% | cover 80% | cover 95% | APE nowcast | APE YTD rule | "
        head += "APE scenario rule |"
        lines = [head, "|" + "---|" * 8]
        for r in self.rows:
            cov = " | ".join(f"{100 * c:.0f}%" for c in r.coverage)
            lines.append(
                f"| {r.k} | {r.n_years} | {cov} | {100 * r.ape_nowcast:.1f}% | "
                f"{100 * r.ape_ytd:.1f}% | {100 * r.ape_scenario:.1f}% |"
            )
        mean = [float(np.mean([getattr(r, a) for r in self.rows])) for a in _APES]
        cov_mean = [float(np.mean([r.coverage[i] for r in self.rows])) for i in range(len(LEVELS))]
        lines.append(
            "| all | "
            + f"{len(self.fiscal_years)} | "
            + " | ".join(f"{100 * c:.0f}%" for c in cov_mean)
            + " | "
            + " | ".join(f"{100 * m:.1f}%" for m in mean)
            + " |"
        )
        years = ", ".join(f"FY{y}" for y in self.fiscal_years)
        lines.append("")
        lines.append(
            f"Replayed: {years}; scenario growth Normal({self.growth_mean:g}, {self.growth_sd:g}); "
            f"{self.paths} paths, seed {self.seed}."
        )
        return "\n".join(lines)


_APES = ("ape_nowcast", "ape_ytd", "ape_scenario")


def backtest_years(monthly: MonthlySeries) -> tuple[int, ...]:
    """Complete fiscal years whose twelve year-earlier months are all present."""
    out: list[int] = []
    for fy in np.unique(monthly.fiscal_years).tolist():
        cy = current_year(monthly, int(fy))
        if cy is not None and cy.months_observed == MONTHS_PER_YEAR:
            out.append(int(fy))
    return tuple(out)


def nowcast_backtest(
    monthly: MonthlySeries,
    *,
    growth_mean: float,
    growth_sd: float,
    paths: int = 20000,
    seed: int = 0,
) -> NowcastBacktest:
    """Replay past fiscal years month by month and score the nowcast.

    Parameters
    ----------
    monthly : MonthlySeries
        Monthly actuals, USD million.
    growth_mean, growth_sd : float
        The scenario's growth assumption for each replayed year, Normal(mean, sd) (fraction).
    paths : int
        Monte Carlo paths per replay.
    seed : int
        Root of a ``np.random.SeedSequence``; the same scores are reused for every year and ``k``
        (common random numbers).

    Returns
    -------
    NowcastBacktest

    Raises
    ------
    ValueError
        If no year can be replayed, ``paths < 1`` or ``growth_sd < 0``.

    Examples
    --------
    >>> from simulator.data.history import load_monthly
    >>> bt = nowcast_backtest(load_monthly(), growth_mean=0.15, growth_sd=0.10, paths=2000)
    >>> bt.fiscal_years
    (2023, 2024, 2025)
    """
    if paths < 1:
        raise ValueError(f"paths must be >= 1 (got {paths})")
    if growth_sd < 0:
        raise ValueError(f"growth_sd must be >= 0 (got {growth_sd})")
    years = backtest_years(monthly)
    if not years:
        raise ValueError("no complete fiscal year with its year-earlier months to replay")
    ss_growth, ss_z = np.random.SeedSequence(seed).spawn(2)
    growth = growth_mean + growth_sd * np.random.default_rng(ss_growth).standard_normal(paths)
    z = np.random.default_rng(ss_z).standard_normal((N_SCORES, paths))
    tails = [((1 - p) / 2, (1 + p) / 2) for p in LEVELS]
    qs = np.asarray([0.5] + [q for pair in tails for q in pair])

    details: list[BacktestDetail] = []
    for fy in years:
        full = current_year(monthly, fy)
        if full is None:  # pragma: no cover - backtest_years guarantees it
            continue
        model = fit_nowcast(monthly, before_fy=fy)
        actual = full.observed_total
        ly_total = full.last_year_total
        for k in range(1, MONTHS_PER_YEAR):
            cy = full.first(k)
            total = year_total(cy, simulate_remaining(cy, model, growth=growth, z=z))
            q = np.quantile(total, qs)
            intervals = tuple(
                (float(q[1 + 2 * i]), float(q[2 + 2 * i])) for i in range(len(LEVELS))
            )
            details.append(
                BacktestDetail(
                    fiscal_year=fy,
                    k=k,
                    model_source=model.source,
                    actual=actual,
                    median=float(q[0]),
                    ytd_rule=ly_total * (1.0 + cy.ytd_growth),
                    scenario_rule=ly_total * (1.0 + growth_mean),
                    intervals=intervals,
                )
            )
        logger.debug("backtest FY%d done (model %s)", fy, model.source)

    rows: list[BacktestRow] = []
    for k in range(1, MONTHS_PER_YEAR):
        ds = [d for d in details if d.k == k]
        coverage = tuple(
            float(np.mean([lo <= d.actual <= hi for d in ds for lo, hi in [d.intervals[i]]]))
            for i in range(len(LEVELS))
        )
        rows.append(
            BacktestRow(
                k=k,
                n_years=len(ds),
                coverage=coverage,
                ape_nowcast=float(np.mean([abs(d.median / d.actual - 1) for d in ds])),
                ape_ytd=float(np.mean([abs(d.ytd_rule / d.actual - 1) for d in ds])),
                ape_scenario=float(np.mean([abs(d.scenario_rule / d.actual - 1) for d in ds])),
            )
        )
    return NowcastBacktest(
        rows=tuple(rows),
        details=tuple(details),
        fiscal_years=years,
        growth_mean=growth_mean,
        growth_sd=growth_sd,
        paths=paths,
        seed=seed,
    )


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
