"""Real-time backtest of the current-year nowcast (``simulator backtest --nowcast``).

Every past complete fiscal year that the seasonal model can forecast (at least
:data:`simulator.engine.seasonal.MIN_FIT_MONTHS` months before it, every fiscal month seen once)
is replayed as if only its first ``k`` months (``k = 1..11``) had been reported, using only what
was known at that point:

- the seasonal model is fitted on the months before the year (:func:`fit_nowcast`), with the
  episode months masked only once their fiscal year is complete;
- the prior for the year's growth comes from the annual record before the year
  (:func:`record_prior`: the Student-t predictive of log annual growth), not from the
  full-sample mean. The prior is a parameter (``prior``), so another rule can be plugged in.

Scores per ``k``: coverage of the 50/80/95% central intervals of the full-year total, with
Clopper–Pearson intervals; the PIT (probability integral transform) of the actual total; and
the CRPS (Gneiting & Raftery 2007), against two point benchmarks (whose CRPS is their absolute
error): the seasonal-share rule (year to date / those months' mean share of the year in the
complete years before) and "the year to date's growth continues" (last year × (1 + YTD growth)).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from simulator.data.history import MONTHS_PER_YEAR, AnnualSeries, MonthlySeries, load_annual
from simulator.engine.nowcast import N_SCORES, condition, simulate_remaining, year_total
from simulator.engine.seasonal import current_year, fit_nowcast
from simulator.questions.backtest import crps_samples

logger = logging.getLogger(__name__)

FloatArray = NDArray[np.float64]

LEVELS: tuple[float, ...] = (0.50, 0.80, 0.95)
"""Central interval probabilities whose coverage is reported."""

PriorRule = Callable[[int, FloatArray], FloatArray]
"""A prior for a fiscal year's growth: ``prior(fiscal_year, z) -> growth`` (fraction), one draw
per standard-normal score in ``z`` (so replays share common random numbers), using only the
record before ``fiscal_year``."""


@dataclass(frozen=True)
class RecordPrior:
    """Real-time default prior: the Student-t predictive of log annual growth.

    For the ``n`` log growth rates of the annual record before the year (mean ``m``, sd ``s``),
    ``log(1 + g) ~ m + s sqrt(1 + 1/n) t_{n-1}``: the predictive of a new draw from a normal
    with unknown mean and variance under the reference prior (Gelman et al., *Bayesian Data
    Analysis*, 3rd ed., sec. 3.2).

    Attributes
    ----------
    annual : AnnualSeries
        Fiscal-year totals, USD million.
    """

    annual: AnnualSeries

    def params(self, fiscal_year: int) -> tuple[float, float, int]:
        """``(m, s sqrt(1 + 1/n), n - 1)`` from the growth rates up to ``fiscal_year - 1``.

        Raises
        ------
        ValueError
            If fewer than 3 growth rates precede the year.
        """
        fy = self.annual.fiscal_years
        keep = fy < fiscal_year
        vals = self.annual.values[keep]
        years = fy[keep]
        consecutive = np.diff(years) == 1
        lg = np.log(vals[1:] / vals[:-1])[consecutive]
        n = int(lg.size)
        if n < 3:
            raise ValueError(f"FY{fiscal_year}: {n} annual growth rates before it; need 3")
        m = float(lg.mean())
        s = float(lg.std(ddof=1)) * math.sqrt(1.0 + 1.0 / n)
        return m, s, n - 1

    def __call__(self, fiscal_year: int, z: FloatArray) -> FloatArray:
        """Growth draws (fraction) for ``fiscal_year`` from standard normal scores ``z``."""
        m, s, df = self.params(fiscal_year)
        t = stats.t.ppf(stats.norm.cdf(np.asarray(z, dtype=np.float64)), df)
        out: FloatArray = np.expm1(m + s * t)
        return out


def record_prior(annual: AnnualSeries | None = None) -> RecordPrior:
    """The default real-time prior on the bundled annual record (or ``annual``)."""
    return RecordPrior(load_annual() if annual is None else annual)


def clopper_pearson(hits: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Exact (Clopper–Pearson 1934) interval for a binomial proportion.

    Parameters
    ----------
    hits, n : int
        Successes and trials.
    level : float
        Confidence level.

    Returns
    -------
    (float, float)
        Lower and upper bounds (fractions).

    Examples
    --------
    >>> lo, hi = clopper_pearson(0, 10)
    >>> lo, round(hi, 3)
    (0.0, 0.308)
    """
    a = 1.0 - level
    lo = 0.0 if hits == 0 else float(stats.beta.ppf(a / 2, hits, n - hits + 1))
    hi = 1.0 if hits == n else float(stats.beta.ppf(1 - a / 2, hits + 1, n - hits))
    return lo, hi


@dataclass(frozen=True)
class NowcastCell:
    """One replayed year and ``k`` (values USD million).

    Attributes
    ----------
    fiscal_year, k : int
    actual : float — the year's monthly sum
    prior_median, median : float — of the prior and of the nowcast
    intervals : tuple of (float, float) — the nowcast's 50/80/95% central intervals
    prior_intervals : tuple of (float, float) — the prior's
    pit : float — share of nowcast paths at or below the actual
    crps, crps_prior : float — of the nowcast and of the prior alone
    share_rule, ytd_rule : float — the two point benchmarks
    weight : float — ``w``, the weight left on the prior
    """

    fiscal_year: int
    k: int
    actual: float
    prior_median: float
    median: float
    intervals: tuple[tuple[float, float], ...]
    prior_intervals: tuple[tuple[float, float], ...]
    pit: float
    crps: float
    crps_prior: float
    share_rule: float
    ytd_rule: float
    weight: float

    def covered(self, i: int) -> bool:
        """Whether the actual lies in the ``LEVELS[i]`` interval."""
        lo, hi = self.intervals[i]
        return lo <= self.actual <= hi


@dataclass(frozen=True)
class NowcastRow:
    """Scores for ``k`` months observed, over the replayed years (fractions of the actual).

    Attributes
    ----------
    k : int — months observed (0 for "all")
    n : int — cells
    hits : tuple of int — cells inside the 50/80/95% intervals
    coverage_ci : tuple of (float, float) — Clopper–Pearson 95% intervals of the coverage
    mean_pit : float
    crps, crps_prior, ae_share, ae_ytd : float — mean CRPS / actual of the nowcast, the prior,
        and the two point rules (their absolute percentage error)
    """

    k: int
    n: int
    hits: tuple[int, ...]
    coverage_ci: tuple[tuple[float, float], ...]
    mean_pit: float
    crps: float
    crps_prior: float
    ae_share: float
    ae_ytd: float

    @property
    def coverage(self) -> tuple[float, ...]:
        """Share of cells inside each interval."""
        return tuple(h / self.n for h in self.hits)


def _row(k: int, cells: list[NowcastCell]) -> NowcastRow:
    n = len(cells)
    hits = tuple(sum(c.covered(i) for c in cells) for i in range(len(LEVELS)))
    return NowcastRow(
        k=k,
        n=n,
        hits=hits,
        coverage_ci=tuple(clopper_pearson(h, n) for h in hits),
        mean_pit=float(np.mean([c.pit for c in cells])),
        crps=float(np.mean([c.crps / c.actual for c in cells])),
        crps_prior=float(np.mean([c.crps_prior / c.actual for c in cells])),
        ae_share=float(np.mean([abs(c.share_rule / c.actual - 1) for c in cells])),
        ae_ytd=float(np.mean([abs(c.ytd_rule / c.actual - 1) for c in cells])),
    )


@dataclass(frozen=True)
class NowcastBacktest:
    """Result of :func:`nowcast_backtest`.

    Attributes
    ----------
    rows : tuple of NowcastRow — one per ``k = 1..11``, then the pooled row (``k = 0``)
    cells : tuple of NowcastCell — one per replayed year and ``k``
    fiscal_years : tuple of int — the replayed years
    prior_label : str — how the prior was set
    paths, seed : int
    """

    rows: tuple[NowcastRow, ...]
    cells: tuple[NowcastCell, ...]
    fiscal_years: tuple[int, ...]
    prior_label: str
    paths: int
    seed: int

    @property
    def pits(self) -> FloatArray:
        """PIT of every cell, shape (n_cells,)."""
        return np.asarray([c.pit for c in self.cells])

    def format_table(self) -> str:
        """Per-``k`` scores as a markdown table (percent; coverage with its 95% CP interval)."""
        head = (
            "| k | cells | cover 50% | cover 80% | cover 95% | mean PIT | CRPS nowcast | "
            "CRPS prior | AE share rule | AE YTD rule |"
        )
        lines = [head, "|" + "---|" * 10]
        for r in self.rows:
            cov = " | ".join(
                f"{h}/{r.n} ({100 * lo:.0f}–{100 * hi:.0f})"
                for h, (lo, hi) in zip(r.hits, r.coverage_ci, strict=True)
            )
            label = "all" if r.k == 0 else str(r.k)
            lines.append(
                f"| {label} | {r.n} | {cov} | {r.mean_pit:.2f} | {100 * r.crps:.1f}% | "
                f"{100 * r.crps_prior:.1f}% | {100 * r.ae_share:.1f}% | {100 * r.ae_ytd:.1f}% |"
            )
        years = ", ".join(f"FY{y}" for y in self.fiscal_years)
        lines += [
            "",
            f"Replayed {years} with k = 1..11 months each; prior: {self.prior_label}; "
            f"{self.paths} paths, seed {self.seed}. Coverage is hits/cells with the "
            "Clopper–Pearson 95% interval in percent; CRPS and absolute errors are mean "
            "fractions of the actual total (a point rule's CRPS is its absolute error).",
        ]
        return "\n".join(lines)

    def format_details(self) -> str:
        """Every cell as a markdown table (USD million)."""
        lines = [
            "| FY | k | actual | prior median | nowcast median | 80% band | PIT | w | share rule "
            "| YTD rule |",
            "|" + "---|" * 10,
        ]
        i80 = LEVELS.index(0.80)
        for c in self.cells:
            lo, hi = c.intervals[i80]
            lines.append(
                f"| FY{c.fiscal_year} | {c.k} | {c.actual:,.0f} | {c.prior_median:,.0f} | "
                f"{c.median:,.0f} | {lo:,.0f}–{hi:,.0f} | {c.pit:.2f} | {c.weight:.2f} | "
                f"{c.share_rule:,.0f} | {c.ytd_rule:,.0f} |"
            )
        return "\n".join(lines)


def backtest_years(monthly: MonthlySeries) -> tuple[int, ...]:
    """Complete fiscal years, with all year-earlier months, that the seasonal model can forecast."""
    out: list[int] = []
    for fy in np.unique(monthly.fiscal_years).tolist():
        cy = current_year(monthly, int(fy))
        if cy is None or cy.months_observed != MONTHS_PER_YEAR:
            continue
        if fit_nowcast(monthly, fiscal_year=int(fy)) is not None:
            out.append(int(fy))
    return tuple(out)


def _share_rule(monthly: MonthlySeries, fiscal_year: int, k: int, ytd: float) -> float:
    """YTD / mean share of months 1..k in the complete years before ``fiscal_year``."""
    shares = []
    for fy in np.unique(monthly.fiscal_years).tolist():
        if fy >= fiscal_year:
            continue
        v = monthly.year(int(fy))
        if not np.isnan(v).any():
            shares.append(float(v[:k].sum() / v.sum()))
    return ytd / float(np.mean(shares)) if shares else float("nan")


def nowcast_backtest(
    monthly: MonthlySeries,
    *,
    prior: PriorRule | None = None,
    prior_label: str | None = None,
    paths: int = 20_000,
    seed: int = 0,
) -> NowcastBacktest:
    """Replay past fiscal years month by month in real time and score the nowcast.

    Parameters
    ----------
    monthly : MonthlySeries
        Monthly actuals, USD million.
    prior : callable, optional
        ``prior(fiscal_year, z) -> growth draws`` using only the record before the year
        (default :func:`record_prior`, the Student-t predictive of log annual growth). The
        prior's total is last year's monthly sum × (1 + growth).
    prior_label : str, optional
        How to name the prior in the table.
    paths : int
        Monte Carlo paths per replay.
    seed : int
        Root of a ``np.random.SeedSequence``; the same scores serve every year and ``k``
        (common random numbers).

    Returns
    -------
    NowcastBacktest

    Raises
    ------
    ValueError
        If no year can be replayed or ``paths < 100``.

    Examples
    --------
    >>> from simulator.data.history import load_monthly
    >>> bt = nowcast_backtest(load_monthly(), paths=2000)  # doctest: +SKIP
    >>> bt.fiscal_years  # doctest: +SKIP
    (2023, 2024, 2025)
    """
    if paths < 100:
        raise ValueError(f"paths must be >= 100 (got {paths})")
    rule: PriorRule = record_prior() if prior is None else prior
    label = prior_label or (
        "Student-t predictive of log annual growth from the record before each year"
        if prior is None
        else "user rule"
    )
    years = backtest_years(monthly)
    if not years:
        raise ValueError("no complete fiscal year that the seasonal model can replay")
    ss_prior, ss_z = np.random.SeedSequence(seed).spawn(2)
    z_prior = np.random.default_rng(ss_prior).standard_normal(paths)
    z = np.random.default_rng(ss_z).standard_normal((N_SCORES, paths))
    tails = [((1 - p) / 2, (1 + p) / 2) for p in LEVELS]
    qs = np.asarray([0.5] + [q for pair in tails for q in pair])

    def bands(q: FloatArray) -> tuple[tuple[float, float], ...]:
        return tuple((float(q[1 + 2 * i]), float(q[2 + 2 * i])) for i in range(len(LEVELS)))

    cells: list[NowcastCell] = []
    for fy in years:
        full = current_year(monthly, fy)
        model = fit_nowcast(monthly, fiscal_year=fy)
        if full is None or model is None:  # pragma: no cover - backtest_years checks both
            continue
        actual = full.observed_total
        last = full.last_year_total
        prior_total = last * (1.0 + rule(fy, z_prior))
        pq = np.quantile(prior_total, qs)
        crps_prior = crps_samples(prior_total, actual)
        for k in range(1, MONTHS_PER_YEAR):
            cy = full.first(k)
            nm = condition(model, cy, prior_total=prior_total)
            total = year_total(cy, simulate_remaining(cy, nm, prior_total=prior_total, z=z))
            q = np.quantile(total, qs)
            cells.append(
                NowcastCell(
                    fiscal_year=fy,
                    k=k,
                    actual=actual,
                    prior_median=float(pq[0]),
                    median=float(q[0]),
                    intervals=bands(q),
                    prior_intervals=bands(pq),
                    pit=float(np.mean(total <= actual)),
                    crps=crps_samples(total, actual),
                    crps_prior=crps_prior,
                    share_rule=_share_rule(monthly, fy, k, cy.observed_total),
                    ytd_rule=last * (1.0 + cy.ytd_growth),
                    weight=nm.weight,
                )
            )
        logger.debug("nowcast backtest FY%d done", fy)
    rows = [_row(k, [c for c in cells if c.k == k]) for k in range(1, MONTHS_PER_YEAR)]
    rows.append(_row(0, cells))
    return NowcastBacktest(
        rows=tuple(rows),
        cells=tuple(cells),
        fiscal_years=years,
        prior_label=label,
        paths=paths,
        seed=seed,
    )
