"""Backtest of the current-year nowcast on past fiscal years.

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
from dataclasses import dataclass

import numpy as np

from simulator.history import MONTHS_PER_YEAR, MonthlySeries
from simulator.nowcast import N_SCORES, current_year, fit_nowcast, simulate_remaining, year_total

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
    >>> from simulator.history import load_monthly
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
