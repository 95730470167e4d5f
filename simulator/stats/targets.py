"""Target-gap statistics: how likely each target is, by how much it is missed, what it needs.

All money is USD million. ``p_hit`` is the share of paths at or above the target in its fiscal
year, with a Wilson score 95% interval (Wilson, 1927, JASA 22: 209–212; written out here because
it is three lines and importing statsmodels for it would slow every run).
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from simulator import __version__
from simulator.engine.streams import randomization_error
from simulator.scenario.schema import Scenario, Target
from simulator.stats.current_year import current_year_stats
from simulator.stats.fast import ColumnStats, column_stats
from simulator.stats.summary import (
    QUANTILES,
    FirstCrossing,
    ImportanceInfo,
    LimitStats,
    PHitBound,
    RunInfo,
    ScenarioInfo,
    Summary,
    TargetStats,
    YearStats,
    YearValue,
)

if TYPE_CHECKING:
    from simulator.engine.runs import Projection
Z95 = 1.959963984540054


def wilson_interval(successes: float, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion.

    Parameters
    ----------
    successes : float
        Number of successes (paths that hit).
    n : int
        Number of trials (paths).
    z : float
        Normal quantile (1.96 for 95%).

    Returns
    -------
    (lo, hi) : tuple of float, in [0, 1]
    """
    if n <= 0:
        return (0.0, 1.0)
    p = successes / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    # At 0 or n successes the bound is exactly 0 or 1; the formula leaves rounding dust.
    lo = 0.0 if successes <= 0 else max(0.0, centre - half)
    hi = 1.0 if successes >= n else min(1.0, centre + half)
    return (lo, hi)


def required_cagr(base_value: float, base_year: int, target: Target) -> float | None:
    """Constant annual growth from the base that reaches the target exactly (None if not ahead)."""
    n = target.fiscal_year - base_year
    if n <= 0:
        return None
    return float((target.value / base_value) ** (1.0 / n) - 1.0)


def target_stats(
    values: NDArray[np.float64],
    years: NDArray[np.int64],
    target: Target,
    *,
    base_year: int,
    base_value: float,
    history: dict[int, float],
    hits: NDArray[np.bool_] | None = None,
    median: float | None = None,
) -> TargetStats:
    """Statistics of one target from simulated fiscal-year totals.

    Parameters
    ----------
    values : ndarray, shape (paths, n_years) — USD million
    years : ndarray of int, shape (n_years,)
    target : Target
    base_year, base_value : the projection's base (fiscal year, USD million)
    history : dict — observed totals by fiscal year, for targets already in the past
    hits, median : optional — the target year's hit indicators and median when the caller
        has them already (:func:`summarize` does); computed here otherwise

    Returns
    -------
    TargetStats
        name, fiscal_year, value, kind, status, p_hit, p_hit_sim_error, p50, p50_gap,
        expected_shortfall and required_cagr (None where not defined).
    """
    # Beyond the horizon every statistic is None; a projected or observed year fills them in.
    beyond = TargetStats(
        name=target.name,
        fiscal_year=target.fiscal_year,
        value=target.value,
        kind=target.kind,
        component=target.component,
        source=target.source,
        required_cagr=required_cagr(base_value, base_year, target),
        status="beyond horizon",
        p_hit=None,
        p_hit_sim_error=None,
        p50=None,
        p50_gap=None,
        expected_shortfall=None,
        estimator=None,
        hits=None,
        p_hit_se=None,
        p_hit_bound=None,
    )
    idx = np.flatnonzero(years == target.fiscal_year)
    if idx.size:
        x = values[:, idx[0]]
        n = x.size
        n_hits = int(np.count_nonzero(x >= target.value if hits is None else hits))
        p50 = float(np.median(x)) if median is None else float(median)
        return replace(
            beyond,
            status="projected",
            p_hit=n_hits / n,
            p_hit_sim_error=wilson_interval(n_hits, n),
            p50=p50,
            p50_gap=p50 - target.value,
            expected_shortfall=float(np.maximum(target.value - x, 0.0).mean()),
            estimator="paths",
            hits=n_hits,
            p_hit_se=share_error(n_hits, n),
            p_hit_bound=share_bound(n_hits, n),
        )
    if target.fiscal_year in history:
        actual = history[target.fiscal_year]
        hit = float(actual >= target.value)
        return replace(
            beyond,
            status="observed",
            p_hit=hit,
            p_hit_sim_error=(hit, hit),
            p50=actual,
            p50_gap=actual - target.value,
            expected_shortfall=max(target.value - actual, 0.0),
            estimator="observed",
            p_hit_se=0.0,
        )
    return beyond


def share_error(hits: int, n: int) -> float:
    """The binomial standard error ``sqrt(p (1 - p) / n)`` of a share of ``hits`` of ``n``
    plain paths (0 with 0 or ``n`` hits: :func:`share_bound` holds the bound then)."""
    p = hits / n
    return math.sqrt(p * (1.0 - p) / n)


def share_bound(hits: int, n: int) -> PHitBound | None:
    """The exact one-sided 95% Clopper-Pearson bound of a share with 0 or ``n`` hits of ``n``
    paths: ``1 - 0.05**(1/n)`` above 0 hits, ``0.05**(1/n)`` below ``n`` hits; None otherwise.
    """
    if hits == 0:
        return PHitBound(side="upper", value=1.0 - 0.05 ** (1.0 / n), hits=0, paths=n)
    if hits == n:
        return PHitBound(side="lower", value=0.05 ** (1.0 / n), hits=n, paths=n)
    return None


def first_crossing(
    values: NDArray[np.float64],
    years: NDArray[np.int64],
    level: float,
    *,
    known: dict[int, NDArray[np.bool_]] | None = None,
) -> dict[int, float]:
    """P(the total has reached ``level`` in some fiscal year up to and including each year).

    Year by year with one running (paths,) indicator, never a (paths, years) one; ``known``
    gives indicators ``values[:, t] >= level`` already computed, by column ``t``.
    """
    n = values.shape[0]
    crossed = np.zeros(n, dtype=bool)
    out: dict[int, float] = {}
    for t, y in enumerate(years):
        above = known.get(t) if known else None
        crossed |= values[:, t] >= level if above is None else above
        out[int(y)] = int(np.count_nonzero(crossed)) / n
    return out


def summarize(projection: Projection, *, rare: bool = True) -> Summary:
    """The summary of a projection (``summary.json`` is its ``to_dict()``).

    Holds ``scenario``, ``run``, ``base``, ``years``, ``targets``, ``p_all_targets``,
    ``first_crossing``, ``limits``, ``shocks``, ``components`` and, when the current fiscal year
    is partly observed, ``current_year``. ``p_all_targets`` is the share of paths that reach
    every projected target, and 0 when an observed target was missed; targets beyond the
    horizon are left out (None when no target is projected or observed).

    Each target's ``estimator`` says where its ``p_hit`` came from: ``paths`` (the share of
    plain paths; with 0 or all hits ``p_hit_bound`` is the exact 95% bound), ``smoothed``
    (the ``sobol`` sampler's conditional estimate, :mod:`simulator.stats.smooth`),
    ``importance`` (fewer than :data:`simulator.stats.rare.FEW_HITS` hits or misses, and
    ``rare``: a mean-shifted run, :mod:`simulator.stats.rare`), or ``observed``.
    ``p_hit_se`` is its simulation (standard) error; ``run.sampler`` names the sampler.
    """
    plan = projection.plan
    sc = plan.scenario
    tl = plan.timeline
    values, years = projection.values, projection.years
    history = dict(zip(tl.history_years.tolist(), tl.history_values.tolist(), strict=True))
    stats = column_stats(values, QUANTILES)
    col = {int(y): t for t, y in enumerate(years.tolist())}
    # Each target's hit indicators, computed once: P(hit), first crossing and P(all targets).
    hits = {
        i: target_values(projection, t)[:, col[t.fiscal_year]] >= t.value
        for i, t in enumerate(sc.targets)
        if t.fiscal_year in col
    }
    targets = [
        target_stats(
            target_values(projection, t),
            years,
            t,
            base_year=tl.base_year,
            base_value=target_base(projection, t),
            history=history if t.component is None else {},
            hits=hits.get(i),
            median=(
                float(stats.median[col[t.fiscal_year]])
                if t.fiscal_year in col and target_values(projection, t) is values
                else None
            ),
        )
        for i, t in enumerate(sc.targets)
    ]
    sampler = plan.sampler
    for i, t in enumerate(sc.targets):
        # Importance sampling and smoothing model the total; component targets keep the share.
        if i in hits and target_values(projection, t) is values:
            targets[i] = _refine_p_hit(projection, t, targets[i], hits[i], rare=rare)
    # Every target that can be judged: projected ones path by path, observed ones as they
    # turned out (one already missed makes it 0). Targets beyond the horizon are left out.
    in_range = [t for t in sc.targets if t.fiscal_year in set(years.tolist())]
    observed = [s for s in targets if s.status == "observed"]
    if in_range or observed:
        joint = np.ones(values.shape[0], dtype=bool)
        for i in hits:
            joint &= hits[i]
        if any((s.p_hit or 0.0) < 1 for s in observed):
            joint[:] = False
        p_all: float | None = float(joint.mean())
    else:
        p_all = None
    current_year = None
    if plan.current is not None and projection.current_year_months is not None:
        current_year = current_year_stats(
            plan.current,
            projection.current_year_months,
            values[:, 0],
            [t for t in sc.targets if t.component is None],  # run-rates are of the total
        )
    return Summary(
        scenario=scenario_info(sc),
        run=RunInfo(
            paths=projection.paths,
            seed=projection.seed,
            seed_entropy=projection.seed_entropy,
            version=__version__,
            data_vintage=tl.monthly.vintage,
            actuals_file=tl.monthly.file,
            actuals_sha256=tl.monthly.sha256,
            sampler=sampler.kind,
            randomizations=sampler.randomizations(projection.paths) or None,
        ),
        base=YearValue(fiscal_year=tl.base_year, value=tl.base_value),
        history=tuple(
            YearValue(fiscal_year=int(y), value=float(v))
            for y, v in zip(tl.history_years, tl.history_values, strict=True)
        ),
        years=_years_table(values, years, stats),
        targets=tuple(targets),
        p_all_targets=p_all,
        first_crossing={
            t.name: FirstCrossing(
                level=t.value,
                component=t.component,
                by_year=first_crossing(
                    target_values(projection, t),
                    years,
                    t.value,
                    known={col[t.fiscal_year]: hits[i]} if i in hits else None,
                ),
            )
            for i, t in enumerate(sc.targets)
        },
        limits=LimitStats(
            floor=sc.limits.floor,
            cap=sc.limits.cap,
            floor_binds=_by_year(years, projection.floor_binds),
            cap_binds=_by_year(years, projection.cap_binds),
        ),
        shocks={k: _by_year(years, v) for k, v in projection.shock_hits.items()},
        components={
            k: _years_table(v, years, column_stats(v, QUANTILES))
            for k, v in projection.components.items()
        },
        # growth: record, as resolved (stats/record_rule.py)
        growth_rule=sc.growth_rule,
        # level assumptions, as resolved (scenario/levels.py)
        levels=sc.levels,
        calibration=projection.calibration,
        current_year=current_year,
    )


def target_values(projection: Projection, target: Target) -> NDArray[np.float64]:
    """The paths a target is judged on: its component's, or the total's.

    Returns
    -------
    ndarray, shape (paths, n_years) — USD million
    """
    if target.component is None:
        return projection.values
    if target.component in projection.components:
        return projection.components[target.component]
    # A scenario with a single component simulates it as the total.
    return projection.values


def target_base(projection: Projection, target: Target) -> float:
    """Base-year value (USD million) a target's required growth starts from."""
    plan = projection.plan
    if target.component is None:
        return float(plan.timeline.base_value)
    return float(plan.base_values[plan.series.index(target.component)])


def _refine_p_hit(
    projection: Projection,
    target: Target,
    stats: TargetStats,
    hits: NDArray[np.bool_],
    *,
    rare: bool,
) -> TargetStats:
    """A projected target's statistics with its share of paths replaced by a better estimate
    where one applies (``stats`` itself otherwise)."""
    from simulator.stats.rare import FEW_HITS, importance_estimate
    from simulator.stats.smooth import smoothed_p_hit

    n = hits.size
    n_hits = int(stats.hits or 0)
    sampler = projection.plan.sampler
    if sampler.kind == "sobol":
        smooth = smoothed_p_hit(projection, target)
        if smooth is not None:
            se = randomization_error(smooth, points=sampler.points)
            if math.isfinite(se):
                p = float(smooth.mean())
                stats = replace(
                    stats,
                    estimator="smoothed",
                    p_hit=p,
                    p_hit_se=se,
                    p_hit_sim_error=_normal_ci(p, se),
                )
        else:
            se = randomization_error(hits.astype(np.float64), points=sampler.points)
            if math.isfinite(se):
                stats = replace(stats, p_hit_se=se)
                if stats.p_hit_bound is None:
                    stats = replace(stats, p_hit_sim_error=_normal_ci(stats.p_hit or 0.0, se))
    if rare and min(n_hits, n - n_hits) < FEW_HITS:
        est = importance_estimate(projection, target)
        if est is not None and math.isfinite(est.se):
            stats = replace(
                stats,
                estimator="importance",
                p_hit=est.p_hit,
                p_hit_se=est.se,
                p_hit_sim_error=_normal_ci(est.p_hit, est.se),
                importance=ImportanceInfo(
                    paths=est.paths,
                    side=est.side,
                    hits=est.hits,
                    shift=est.shift,
                    mean_weight=est.mean_weight,
                    ess=est.ess,
                ),
            )
    return stats


def _normal_ci(p: float, se: float) -> tuple[float, float]:
    return (float(max(0.0, p - Z95 * se)), float(min(1.0, p + Z95 * se)))


def scenario_info(scenario: Scenario) -> ScenarioInfo:
    """The ``scenario`` block of an output file: name, description, file and its sha256."""
    return ScenarioInfo(
        name=scenario.name,
        description=scenario.description,
        file=scenario.file,
        sha256=scenario.sha256,
    )


def _years_table(
    values: NDArray[np.float64], years: NDArray[np.int64], stats: ColumnStats | None = None
) -> tuple[YearStats, ...]:
    stats = column_stats(values, QUANTILES) if stats is None else stats
    q, mean = stats.quantiles, stats.mean
    p05, p10, p25, p50, p75, p90, p95 = (q[i] for i in range(len(QUANTILES)))
    return tuple(
        YearStats(
            fiscal_year=int(y),
            mean=float(mean[t]),
            p05=float(p05[t]),
            p10=float(p10[t]),
            p25=float(p25[t]),
            p50=float(p50[t]),
            p75=float(p75[t]),
            p90=float(p90[t]),
            p95=float(p95[t]),
        )
        for t, y in enumerate(years)
    )


def _by_year(years: NDArray[np.int64], x: NDArray[np.float64]) -> dict[int, float]:
    return {int(y): float(v) for y, v in zip(years, x, strict=True)}


def hit_indicators(
    values: NDArray[np.float64], years: NDArray[np.int64], target: Target
) -> NDArray[np.bool_] | None:
    """Per-path indicator of reaching ``target`` in its fiscal year.

    Parameters
    ----------
    values : ndarray, shape (paths, n_years) — USD million
    years : ndarray of int, shape (n_years,)
    target : Target

    Returns
    -------
    ndarray of bool, shape (paths,), or None when the target year is not projected.
    """
    idx = np.flatnonzero(years == target.fiscal_year)
    if idx.size == 0:
        return None
    return np.asarray(values[:, idx[0]] >= target.value)


def projection_hits(projection: Projection, target: Target) -> NDArray[np.bool_] | None:
    """Per-path indicator of reaching ``target`` on the paths it is judged on.

    Like :func:`hit_indicators` on :func:`target_values`; None when the target's year is not
    projected or the projection has no such component (a target taken to another scenario).
    """
    if (
        target.component is not None
        and target.component not in projection.components
        and projection.plan.series != (target.component,)
    ):
        return None
    return hit_indicators(target_values(projection, target), projection.years, target)


def paired_difference(hits_a: NDArray[np.bool_], hits_b: NDArray[np.bool_]) -> tuple[float, float]:
    """Difference in P(hit) between two runs on common random numbers, and its standard error.

    The paths are paired (path *i* of both runs used the same normal scores), so the standard
    error is that of the mean of the per-path differences ``d_i = hit_b,i - hit_a,i``:
    ``sd(d) / sqrt(n)`` (ddof 1). It is much smaller than the unpaired error when the two
    scenarios are alike, and exactly 0 for a scenario compared with itself.

    Parameters
    ----------
    hits_a, hits_b : ndarray of bool, shape (paths,)

    Returns
    -------
    (diff, se) : P_b - P_a and its standard error (probability units, 0-1)
    """
    if hits_a.shape != hits_b.shape:
        raise ValueError(f"paired runs need the same paths ({hits_a.shape} vs {hits_b.shape})")
    d = hits_b.astype(np.float64) - hits_a.astype(np.float64)
    n = d.size
    se = float(d.std(ddof=1) / math.sqrt(n)) if n > 1 else 0.0
    return float(d.mean()), se


def growth_quantiles(
    values: NDArray[np.float64], base_value: float, qs: tuple[float, ...] = (0.1, 0.5, 0.9)
) -> NDArray[np.float64]:
    """Quantiles of simulated year-on-year growth, shape (len(qs), n_years).

    Growth of year *t* is ``values[:, t] / values[:, t-1] - 1`` per path, with the base value
    before the first year. This is the growth the paths actually had: levers, shocks and limits
    included.
    """
    prev = np.concatenate([np.full((values.shape[0], 1), base_value), values[:, :-1]], axis=1)
    return np.asarray(np.quantile(values / prev - 1.0, qs, axis=0), dtype=np.float64)
