"""Backtest of the annual record rule (the default baseline's method).

:func:`record_backtest` replays ``growth: record`` at every origin the annual record allows
(horizons 1–5) and scores coverage with Clopper–Pearson intervals, the PIT and the CRPS against
naive rules; :func:`calibration_for` condenses it into the line every run carries. Both are
described in ``docs/calibration.md``. The current-year nowcast's real-time backtest is in
:mod:`simulator.questions.backtest_nowcast` (``docs/nowcast.md``).
"""

from __future__ import annotations

import functools
import logging
import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from simulator.errors import UserInputError
from simulator.stats.jsonable import JSONDict

if TYPE_CHECKING:
    from simulator.engine.runs import Projection
    from simulator.scenario.schema import RecordGrowth, Scenario

logger = logging.getLogger(__name__)

# -- annual rolling-origin backtest of the record rule (the default baseline's method) --------

ANNUAL_LEVELS: tuple[float, ...] = (0.50, 0.80, 0.90)
"""Central interval probabilities whose coverage the annual backtest reports."""

#: Most years ahead the annual backtest scores.
MAX_HORIZON = 5
#: Paths and seed of the annual backtest (and of every run's ``calibration`` block).
BACKTEST_PATHS = 20_000
BACKTEST_SEED = 2026


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


def _ci(hits: int, n: int) -> tuple[float, float]:
    """Clopper-Pearson 95% interval of a proportion (``scipy.stats.binomtest``, exact)."""
    from scipy.stats import binomtest

    if n == 0:
        return (0.0, 1.0)
    ci = binomtest(hits, n).proportion_ci(confidence_level=0.95, method="exact")
    return float(ci.low), float(ci.high)


@dataclass(frozen=True)
class Coverage:
    """How often the outcomes fell inside a central band.

    Attributes
    ----------
    level : float — nominal probability of the band (0.8 = the 10–90% band)
    hits, n : int — outcomes inside the band, forecasts scored
    ci_low, ci_high : float — Clopper-Pearson 95% interval of ``hits / n`` (fractions)
    """

    level: float
    hits: int
    n: int
    ci_low: float
    ci_high: float

    @property
    def rate(self) -> float:
        """``hits / n`` (fraction)."""
        return self.hits / self.n if self.n else float("nan")

    def to_dict(self) -> JSONDict:
        """For JSON: level, hits, n, rate and the Clopper-Pearson interval."""
        return {
            "level": self.level,
            "hits": self.hits,
            "n": self.n,
            "rate": round(self.rate, 6),
            "clopper_pearson_95": [round(self.ci_low, 6), round(self.ci_high, 6)],
        }


def coverage(level: float, inside: list[bool]) -> Coverage:
    """A :class:`Coverage` from one flag per forecast (True: the outcome was in the band)."""
    hits, n = int(sum(inside)), len(inside)
    lo, hi = _ci(hits, n)
    return Coverage(level=level, hits=hits, n=n, ci_low=lo, ci_high=hi)


@dataclass(frozen=True)
class RecordForecast:
    """One origin and horizon of the record-rule backtest (values USD million).

    Attributes
    ----------
    origin : int — last fiscal year the rule saw
    horizon : int — years ahead
    fiscal_year : int — ``origin + horizon``
    n_fit : int — growth rates the rule was fitted on
    actual, median : float
    intervals : tuple of (float, float) — the 50/80/90% central bands (:data:`ANNUAL_LEVELS`)
    pit : float — share of simulated values at or below the actual (probability integral
        transform)
    crps, crps_rw, crps_ets : float — CRPS of the rule, of the random walk with drift in logs
        (plug-in mean and sd of log growth) and of statsmodels ETS(A,A,N) on logs (simulated),
        USD million
    """

    origin: int
    horizon: int
    fiscal_year: int
    n_fit: int
    actual: float
    median: float
    intervals: tuple[tuple[float, float], ...]
    pit: float
    crps: float
    crps_rw: float
    crps_ets: float


@dataclass(frozen=True)
class HorizonScore:
    """The forecasts of one horizon, pooled over origins: coverage of each band
    (:data:`ANNUAL_LEVELS`) and the mean CRPS of the rule and of the naive rules (USD million).
    """

    horizon: int
    n: int
    coverage: tuple[Coverage, ...]
    crps: float
    crps_rw: float
    crps_ets: float

    def to_dict(self) -> JSONDict:
        """A ``by_horizon`` row of ``backtest.json``."""
        return {
            "horizon": self.horizon,
            "n": self.n,
            "coverage": [c.to_dict() for c in self.coverage],
            "crps": self.crps,
            "crps_rw": self.crps_rw,
            "crps_ets": self.crps_ets,
        }


@dataclass(frozen=True)
class RecordBacktest:
    """Result of :func:`record_backtest`.

    Attributes
    ----------
    method : str — the rule and its options, in words
    forecasts : tuple of RecordForecast — every origin and horizon
    origins : tuple of int — forecast origins (fiscal years)
    coverage : tuple of Coverage — pooled over all forecasts, one per :data:`ANNUAL_LEVELS`
    paths, seed : int — Monte Carlo paths per origin and the seed
    """

    method: str
    forecasts: tuple[RecordForecast, ...]
    origins: tuple[int, ...]
    coverage: tuple[Coverage, ...]
    paths: int
    seed: int

    @property
    def pit_one_year(self) -> tuple[float, ...]:
        """PIT of every one-year-ahead forecast, by origin."""
        return tuple(f.pit for f in self.forecasts if f.horizon == 1)

    def coverage_at(self, level: float) -> Coverage:
        """Pooled coverage of the ``level`` band."""
        return self.coverage[ANNUAL_LEVELS.index(level)]

    def by_horizon(self) -> list[HorizonScore]:
        """Per horizon: forecasts, coverage of each band, mean CRPS of the rule and naive rules."""
        rows = []
        for h in sorted({f.horizon for f in self.forecasts}):
            fs = [f for f in self.forecasts if f.horizon == h]
            rows.append(
                HorizonScore(
                    horizon=h,
                    n=len(fs),
                    coverage=tuple(
                        coverage(
                            lv, [f.intervals[i][0] <= f.actual <= f.intervals[i][1] for f in fs]
                        )
                        for i, lv in enumerate(ANNUAL_LEVELS)
                    ),
                    crps=float(np.mean([f.crps for f in fs])),
                    crps_rw=float(np.mean([f.crps_rw for f in fs])),
                    crps_ets=float(np.mean([f.crps_ets for f in fs])),
                )
            )
        return rows

    def to_dict(self) -> JSONDict:
        """Everything, for JSON (USD million, fractions)."""
        return {
            "method": self.method,
            "origins": list(self.origins),
            "n_forecasts": len(self.forecasts),
            "n_origins": len(self.origins),
            "paths": self.paths,
            "seed": self.seed,
            "coverage": [c.to_dict() for c in self.coverage],
            "pit_one_year": [round(p, 6) for p in self.pit_one_year],
            "by_horizon": [r.to_dict() for r in self.by_horizon()],
            "forecasts": [
                {
                    "origin": f.origin,
                    "horizon": f.horizon,
                    "fiscal_year": f.fiscal_year,
                    "n_fit": f.n_fit,
                    "actual": f.actual,
                    "median": round(f.median, 3),
                    "bands": {
                        f"{round(100 * lv)}%": [round(lo, 3), round(hi, 3)]
                        for lv, (lo, hi) in zip(ANNUAL_LEVELS, f.intervals, strict=True)
                    },
                    "pit": round(f.pit, 6),
                    "crps": round(f.crps, 3),
                    "crps_rw": round(f.crps_rw, 3),
                    "crps_ets": round(f.crps_ets, 3),
                }
                for f in self.forecasts
            ],
        }

    def format_table(self) -> str:
        """Coverage, PIT and CRPS as markdown tables, with what so few origins can show."""
        n, k = len(self.forecasts), len(self.origins)
        lines = [
            f"Method: {self.method}.",
            f"Origins FY{self.origins[0]}–FY{self.origins[-1]} ({k} independent origins), "
            f"horizons 1–{max(f.horizon for f in self.forecasts)}: {n} forecasts; "
            f"{self.paths:,} paths per origin, seed {self.seed}.",
            "",
            "| band | held | rate | Clopper–Pearson 95% |",
            "|---|---|---|---|",
        ]
        for c in self.coverage:
            lines.append(
                f"| {100 * c.level:.0f}% | {c.hits} of {c.n} | {100 * c.rate:.0f}% | "
                f"{100 * c.ci_low:.0f}%–{100 * c.ci_high:.0f}% |"
            )
        lines += [
            "",
            "| h | forecasts | in 50% | in 80% | in 90% | CRPS rule | CRPS RW drift | CRPS ETS |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for r in self.by_horizon():
            cov = " | ".join(f"{c.hits}/{c.n}" for c in r.coverage)
            lines.append(
                f"| {r.horizon} | {r.n} | {cov} | {r.crps:,.0f} | {r.crps_rw:,.0f} | "
                f"{r.crps_ets:,.0f} |"
            )
        mean = {
            key: float(np.mean([getattr(f, key) for f in self.forecasts]))
            for key in ("crps", "crps_rw", "crps_ets")
        }
        pits = ", ".join(f"FY{f.fiscal_year} {f.pit:.3f}" for f in self.forecasts if f.horizon == 1)
        lines += [
            f"| all | {n} | | | | {mean['crps']:,.0f} | {mean['crps_rw']:,.0f} | "
            f"{mean['crps_ets']:,.0f} |",
            "",
            f"PIT of the one-year-ahead forecasts: {pits}.",
            "",
            f"CRPS in USD million (lower is better). Caution: {n} forecasts from only {k} "
            "origins; forecasts from one origin share its errors, so the effective sample is "
            f"between {k} and {n} and the Clopper–Pearson intervals (which treat all {n} as "
            "independent) are, if anything, too narrow.",
        ]
        return "\n".join(lines)

    def format_details(self) -> str:
        """Every origin and horizon as a markdown table (USD million)."""
        lines = [
            "| origin | FY | n fit | actual | median | 80% band | PIT | CRPS | RW drift | ETS |",
            "|" + "---|" * 10,
        ]
        i80 = ANNUAL_LEVELS.index(0.80)
        for f in self.forecasts:
            lo, hi = f.intervals[i80]
            lines.append(
                f"| FY{f.origin} | FY{f.fiscal_year} | {f.n_fit} | {f.actual:,.0f} | "
                f"{f.median:,.0f} | {lo:,.0f}–{hi:,.0f} | {f.pit:.3f} | {f.crps:,.0f} | "
                f"{f.crps_rw:,.0f} | {f.crps_ets:,.0f} |"
            )
        return "\n".join(lines)


def _rule_of(scenario: Scenario | None) -> RecordGrowth:
    from simulator.scenario.schema import RecordGrowth

    if scenario is None:
        return RecordGrowth()
    if not isinstance(scenario.growth, RecordGrowth):
        raise UserInputError(
            "the annual backtest replays a growth rule; this scenario's growth is a list of "
            "hand-set ranges. Use a scenario with growth: record",
            file=scenario.file,
        )
    return scenario.growth


def _method(rule: RecordGrowth, scenario: Scenario | None) -> str:
    window = "every comparable year" if rule.window is None else f"last {rule.window} years"
    own = ""
    if scenario is not None and "persistence" in scenario.model_fields_set:
        own = f", persistence {scenario.persistence:g} (set in the file)"
    return f"growth: record (tails {rule.tails}, {window}{own})"


def _replay_scenario(
    scenario: Scenario | None, origin: int, value: float, horizon: int
) -> Scenario:
    """The scenario to replay from ``origin``: its growth rule and limits only (no what-ifs)."""
    from simulator.scenario.schema import ExplicitBase, RecordGrowth, Scenario

    sc = Scenario(name="record rule", growth=RecordGrowth()) if scenario is None else scenario
    return sc.model_copy(
        update={
            "base": ExplicitBase(fiscal_year=origin, value=value),
            "horizon": origin + horizon,
            "components": None,
            "correlation": None,
            "levers": [],
            "shocks": [],
            "targets": [],
            "nowcast": False,
        }
    )


def _ets_samples(log_levels: NDArray[np.float64], h: int, paths: int, seed: int) -> Any:
    """ETS(A,A,N) on log levels (statsmodels), simulated ``h`` steps: shape (h, paths)."""
    import warnings

    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    gen = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(2,))))
    with warnings.catch_warnings():
        # Tiny samples: the optimiser may warn about convergence; the fit is used as it is.
        warnings.simplefilter("ignore")
        fit = ETSModel(log_levels, error="add", trend="add").fit(disp=False)
        sims = fit.simulate(h, repetitions=paths, anchor="end", rng=gen)
    return np.exp(np.asarray(sims, dtype=np.float64).reshape(h, paths))


def record_backtest(
    scenario: Scenario | None = None,
    *,
    years: Any = None,
    values: Any = None,
    max_horizon: int = MAX_HORIZON,
    paths: int = BACKTEST_PATHS,
    seed: int = BACKTEST_SEED,
    naive: bool = True,
    sampler: str | None = None,
) -> RecordBacktest:
    """Rolling-origin backtest of a ``growth: record`` rule on the annual record.

    Every fiscal year ``T`` with at least :data:`simulator.stats.record_rule.MIN_POINTS`
    growth rates up to it and a later actual is an origin. At each, the rule is fitted on the
    record up to ``T`` only (:func:`simulator.stats.record_rule.fit_record`), simulated by the
    engine from the actual ``V_T`` for ``1..min(max_horizon, last - T)`` years without the
    nowcast, and scored against the actuals: coverage of the 50/80/90% bands, the PIT, and the
    CRPS against a random walk with drift in logs (plug-in mean and sd of the same growth
    rates) and statsmodels ETS(A,A,N) on log levels (simulated intervals).

    Parameters
    ----------
    scenario : Scenario, optional
        A scenario with ``growth: record`` (its window, tails, limits and any ``persistence``
        it sets are replayed; its components, levers and shocks, which are what-ifs about the
        future, are not). Default: ``growth: record`` with its defaults.
    years, values : array_like, shape (m,), optional
        Consecutive fiscal years and totals, USD million (default: the bundled comparable SBP
        series FY2016–FY2025).
    max_horizon : int
        Most years ahead scored (>= 1).
    paths, seed : int
        Monte Carlo paths per origin, and the seed (the same at every origin).
    naive : bool
        Score the naive rules too (False leaves their CRPS as NaN: the ``calibration`` block
        needs only coverage and PIT, and ETS is the slow part).
    sampler : {"mc", "sobol"}, optional
        Normal scores of the replayed runs (default: the scenario's, else plain Monte Carlo).

    Returns
    -------
    RecordBacktest

    Raises
    ------
    UserInputError
        If the scenario's growth is not a rule, or no origin has enough history.

    Examples
    --------
    >>> bt = record_backtest(paths=2000)  # doctest: +SKIP
    >>> bt.origins  # doctest: +SKIP
    (2020, 2021, 2022, 2023, 2024)
    """
    from simulator.engine.runs import simulate
    from simulator.stats.record_rule import MIN_POINTS, fit_record, resolve_scenario

    if max_horizon < 1:
        raise ValueError(f"max_horizon must be >= 1 (got {max_horizon})")
    if paths < 2:
        raise ValueError(f"paths must be >= 2 (got {paths})")
    rule = _rule_of(scenario)
    if years is None or values is None:
        from simulator.data.history import load_annual

        a = load_annual()
        years, values = a.fiscal_years, a.values
    yrs = np.asarray(years, dtype=np.int64)
    vals = np.asarray(values, dtype=np.float64)
    need = MIN_POINTS if rule.window is None else max(MIN_POINTS, rule.window)
    origins = [int(t) for t in yrs[need:-1]]
    if not origins:
        raise UserInputError(
            f"the annual record FY{int(yrs[0])}–FY{int(yrs[-1])} is too short to backtest the "
            f"rule: it needs {need} growth rates before an origin and one year after it"
        )
    last = int(yrs[-1])
    tails = [((1 - p) / 2, (1 + p) / 2) for p in ANNUAL_LEVELS]
    qs = np.asarray([0.5] + [q for pair in tails for q in pair])
    out: list[RecordForecast] = []
    for origin in origins:
        h = min(max_horizon, last - origin)
        known = yrs <= origin
        v0 = float(vals[known][-1])
        fit = fit_record(yrs[known], vals[known], window=rule.window, tails=rule.tails)
        sc = resolve_scenario(
            _replay_scenario(scenario, origin, v0, h),
            yrs[known],
            vals[known],
            first_year=origin + 1,
        )
        if sampler is not None:
            sc = sc.model_copy(update={"sampler": sampler})
        proj = simulate(sc, paths=paths, seed=seed, threads=1)
        gen = np.random.Generator(
            np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(1, origin)))
        )
        rw_z = gen.standard_normal(paths)
        ets = _ets_samples(np.log(vals[known]), h, paths, seed + origin) if naive else None
        for k in range(1, h + 1):
            col = proj.values[:, k - 1]
            actual = float(vals[yrs == origin + k][0])
            q = np.quantile(col, qs)
            rw = v0 * np.exp(k * fit.centre + math.sqrt(k) * fit.spread * rw_z)
            out.append(
                RecordForecast(
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
                    pit=float(np.mean(col <= actual)),
                    crps=crps_samples(col, actual),
                    crps_rw=crps_samples(rw, actual) if naive else math.nan,
                    crps_ets=crps_samples(ets[k - 1], actual) if ets is not None else math.nan,
                )
            )
        logger.debug("record backtest origin FY%d: n = %d, h = %d", origin, fit.n, h)
    cov = tuple(
        coverage(lv, [f.intervals[i][0] <= f.actual <= f.intervals[i][1] for f in out])
        for i, lv in enumerate(ANNUAL_LEVELS)
    )
    return RecordBacktest(
        method=_method(rule, scenario),
        forecasts=tuple(out),
        origins=tuple(origins),
        coverage=cov,
        paths=paths,
        seed=seed,
    )


# -- the calibration line every run carries ----------------------------------------------------


@dataclass(frozen=True)
class Calibration:
    """What the backtest of a run's method says about its bands (model uncertainty).

    Attributes
    ----------
    method : str — the method backtested
    applies : bool — True when it is the run's own growth method; False when the run's growth
        is set by hand and the default record rule is quoted for reference
    origins : tuple of int — forecast origins of the backtest
    n_forecasts : int
    coverage : tuple of Coverage — the 50/80/90% bands, pooled over every forecast
    pit_one_year : tuple of float — PIT of each one-year-ahead forecast
    paths, seed : int — of the backtest
    """

    method: str
    applies: bool
    origins: tuple[int, ...]
    n_forecasts: int
    coverage: tuple[Coverage, ...]
    pit_one_year: tuple[float, ...]
    paths: int
    seed: int

    def sentence(self) -> str:
        """One line on model uncertainty, for the run table and the report."""
        c = self.coverage[ANNUAL_LEVELS.index(0.80)]
        held = (
            f"80% bands held {c.hits} of {c.n} outcomes (Clopper–Pearson 95%: "
            f"{100 * c.ci_low:.0f}%–{100 * c.ci_high:.0f}%)"
        )
        span = f"FY{self.origins[0]}–FY{self.origins[-1]}"
        if self.applies:
            return f"In the record's backtest (origins {span}), this method's {held}."
        return (
            "This scenario's growth is set by hand and has no backtest; in the record's "
            f"backtest (origins {span}) the default record rule's {held}."
        )

    def to_dict(self) -> JSONDict:
        """The ``calibration`` block of ``summary.json``."""
        return {
            "method": self.method,
            "applies_to_this_scenario": self.applies,
            "origins": list(self.origins),
            "n_origins": len(self.origins),
            "n_forecasts": self.n_forecasts,
            "coverage": [c.to_dict() for c in self.coverage],
            "pit_one_year": [round(p, 6) for p in self.pit_one_year],
            "paths": self.paths,
            "seed": self.seed,
            "sentence": self.sentence(),
        }


def calibration_for(scenario: Scenario, years: Any, values: Any) -> Calibration:
    """The :class:`Calibration` of a (loaded, unresolved or resolved) scenario's method.

    Deterministic (:data:`BACKTEST_PATHS` paths, :data:`BACKTEST_SEED`) and cached on the data
    and the rule's options, so a run pays for the backtest once per process (about a second).

    Parameters
    ----------
    scenario : Scenario
    years, values : array_like — the complete fiscal years up to the run's base (USD million)
    """
    from simulator.scenario.schema import RecordGrowth

    rule = scenario.growth
    fit = scenario.growth_rule
    applies = isinstance(rule, RecordGrowth) or fit is not None
    window = fit.window if fit is not None else getattr(rule, "window", None)
    tails = fit.tails if fit is not None else getattr(rule, "tails", "student")
    own = scenario.persistence if "persistence" in scenario.model_fields_set else None
    if not applies:
        window, tails, own = None, "student", None
    key = (
        tuple(int(y) for y in np.asarray(years)),
        tuple(float(v) for v in np.asarray(values)),
        window,
        tails,
        own,
        scenario.limits.floor,
        scenario.limits.cap,
    )
    return _cached_calibration(key, applies)


@functools.lru_cache(maxsize=16)
def _cached_calibration(key: tuple[Any, ...], applies: bool) -> Calibration:
    from simulator.scenario.schema import Limits, RecordGrowth, Scenario

    years, values, window, tails, own, floor, cap = key
    rule = RecordGrowth(window=window, tails=tails)
    limits = Limits(floor=floor, cap=cap)
    # A persistence set in the file is one the rule does not shrink: it is set only then.
    sc = (
        Scenario(name="record rule", growth=rule, limits=limits)
        if own is None
        else Scenario(name="record rule", growth=rule, limits=limits, persistence=own)
    )
    bt = record_backtest(sc, years=np.asarray(years), values=np.asarray(values), naive=False)
    return Calibration(
        method=bt.method,
        applies=applies,
        origins=bt.origins,
        n_forecasts=len(bt.forecasts),
        coverage=bt.coverage,
        pit_one_year=bt.pit_one_year,
        paths=bt.paths,
        seed=bt.seed,
    )


def with_calibration(projection: Projection) -> Projection:
    """The projection with its growth method's backtest attached (``summary()["calibration"]``).

    The backtest is cached on the data and the rule's options, so attaching it to every run of
    a session costs one backtest.
    """
    tl = projection.plan.timeline
    cal = calibration_for(projection.plan.scenario, tl.history_years, tl.history_values)
    return replace(projection, calibration=cal)
