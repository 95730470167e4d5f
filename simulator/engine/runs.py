"""Runs: a scenario is prepared once into a plan, and a plan becomes a :class:`Projection`.

:func:`prepare` is the only step that reads files or fits models: it reads the actuals, builds
the timeline and resolves the scenario against it (base values, marginals by year, the
correlation, the current year's fitted nowcast). :func:`simulate` cuts the paths into chunks
of whole blocks, runs them on a thread pool with :mod:`simulator.engine.paths`, and gathers
the fiscal-year totals into a :class:`Projection`. :class:`CommonRandomNumbers` is the one
loop for runs that share their draws (compare, goal seek, sensitivity, the report).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from simulator.data.history import MONTHS_PER_YEAR, MonthlySeries
from simulator.data.timeline import Timeline, actuals_for, build_timeline, unused_months
from simulator.engine.nowcast import NowcastModel, condition
from simulator.engine.paths import _run_block, _run_chunk, _Workspace
from simulator.engine.seasonal import MIN_FIT_MONTHS, CurrentYear, current_year, fit_nowcast
from simulator.engine.streams import BLOCK, MC, Sampler, cpu_count, entropy_of, make_sampler
from simulator.scenario.distributions import DistributionBase
from simulator.scenario.levels import resolve_levels
from simulator.scenario.schema import Scenario, growth_for_year
from simulator.stats.record_rule import resolve_scenario
from simulator.stats.summary import Summary

log = logging.getLogger(__name__)

FloatArray = NDArray[np.float64]
#: Default paths per task handed to a thread.
DEFAULT_CHUNK = 4 * BLOCK


#: Entropy of the fixed pilot block whose prior total sets the nowcast's weight.
NOWCAST_PILOT_ENTROPY = 20_260_111
_FROM_SCENARIO: Any = object()


@dataclass(frozen=True)
class Plan:
    """Everything the engine needs, resolved from a scenario and its timeline (no randomness).

    Attributes
    ----------
    years : ndarray of int, shape (n_years,)
    series : tuple of str — simulated series (components, or ``("total",)``)
    base_values : ndarray, shape (n_series,) — USD million in the base year
    growth : tuple of tuple of DistributionBase — [series][year] marginal of growth
    corr_chol : ndarray, shape (n_series, n_series) — Cholesky factor of the correlation
    current : CurrentYear or None — the first projected year, when partly reported
    nowcast_model : NowcastModel or None — the seasonal model conditioned on ``current``, with
        the prior's weight set from a fixed pilot block (set when ``current`` is)
    seasonal : object or None — the seasonal model fitted to the months before the year (before
        conditioning on this scenario's prior); variants of a plan reuse it instead of refitting
    sampler : Sampler — plain Monte Carlo or scrambled Sobol scores (and any importance-sampling
        shift), from the scenario's ``sampler``
    """

    scenario: Scenario
    timeline: Timeline
    years: NDArray[np.int64]
    series: tuple[str, ...]
    base_values: FloatArray
    growth: tuple[tuple[DistributionBase, ...], ...]
    corr_chol: FloatArray
    persistence: float
    floor: float
    cap: float
    current: CurrentYear | None = None
    nowcast_model: NowcastModel | None = None
    seasonal: Any = None
    #: Where the normal scores come from (:mod:`simulator.engine.streams`).
    sampler: Sampler = MC


@dataclass(frozen=True)
class Projection:
    """The result of :func:`simulate`.

    Attributes
    ----------
    years : ndarray of int, shape (n_years,) — fiscal years
    values : ndarray, shape (paths, n_years) — fiscal-year totals, USD million (Fortran
        order: each fiscal year's column is contiguous)
    components : dict of str to ndarray, shape (paths, n_years) — per component (empty if
        none), also Fortran order
    floor_binds, cap_binds : ndarray, shape (n_years,) — share of path-series where limits bound
    shock_hits : dict of str to ndarray, shape (n_years,) — share of paths where a shock struck
    seed_entropy : int — entropy of the run's SeedSequence (replays an unseeded run)
    current_year_months : ndarray, shape (12 - k, min(paths, MONTH_SAMPLE)), or None — the
        current fiscal year's simulated remaining months (k reported) for the first paths, USD
        million; None when no year is partly reported
    calibration : object or None — the backtest of the run's growth method (model
        uncertainty), attached by :func:`simulator.api.simulate`; it has ``to_dict()`` and
        ``sentence()`` (:class:`simulator.questions.backtest.Calibration`)
    """

    plan: Plan
    years: NDArray[np.int64]
    values: FloatArray
    components: dict[str, FloatArray]
    floor_binds: FloatArray
    cap_binds: FloatArray
    shock_hits: dict[str, FloatArray]
    seed: int | None
    seed_entropy: int
    current_year_months: FloatArray | None = None
    calibration: Any = None

    @property
    def scenario(self) -> Scenario:
        """The scenario that was run."""
        return self.plan.scenario

    @property
    def paths(self) -> int:
        """Number of simulated paths."""
        return int(self.values.shape[0])

    def summary(self) -> Summary:
        """The typed summary; ``summary.json`` is its ``to_dict()``
        (see :func:`simulator.stats.targets.summarize`)."""
        from simulator.stats.targets import summarize

        return summarize(self)

    def rerun(
        self, sampler: Sampler, *, paths: int, seed: int | None, threads: int | None = None
    ) -> Projection:
        """This projection's plan run again with another :class:`Sampler` (importance sampling,
        :mod:`simulator.stats.rare`, re-runs a plan with shifted scores this way)."""
        return run_plan(
            replace(self.plan, sampler=sampler),
            paths=paths,
            seed=seed,
            entropy=entropy_of(seed),
            threads=threads,
        )


def prepare(
    scenario: Scenario,
    *,
    actuals: str | Path | MonthlySeries | None = None,
    like: Plan | None = None,
) -> Plan:
    """Prepare a scenario to run: read its actuals, build its timeline, fit its nowcast.

    This is the only step that reads files or fits models; :func:`simulate` on the plan does
    neither, so goal seek, sensitivity and comparisons prepare each scenario once.

    Parameters
    ----------
    scenario : Scenario
    actuals : str, Path or MonthlySeries, optional
        A CSV of monthly actuals replacing the scenario's or the bundled one, or a series
        already read (no file is read then).
    like : Plan, optional
        A plan on the same actuals (``actuals`` defaults to its series) whose fitted nowcast is
        reused when the scenario's first projected year is the same (variants of one scenario).

    Returns
    -------
    Plan

    Raises
    ------
    ScenarioError, ActualsError
        For a scenario that does not fit its data (horizon, growth coverage, components'
        bases), or unreadable actuals.
    """
    if actuals is None and like is not None:
        actuals = like.timeline.monthly
    monthly = actuals if isinstance(actuals, MonthlySeries) else actuals_for(scenario, actuals)
    return make_plan(scenario, build_timeline(scenario, monthly), like=like)


def make_plan(scenario: Scenario, timeline: Timeline, *, like: Plan | None = None) -> Plan:
    """Resolve a scenario against its timeline: base values per series, marginals per year.

    With ``like`` (a plan on the same monthly actuals), its current year and fitted seasonal
    model are reused when the first projected year is the same, instead of refitting; the
    model is conditioned on this scenario's own prior. ``growth: record`` is resolved here,
    from the record up to the base year only
    (:func:`simulator.stats.record_rule.resolve_scenario`); the plan holds the resolved scenario.
    """
    hist = (timeline.history_years, timeline.history_values)
    scenario = resolve_scenario(scenario, *hist, first_year=int(timeline.years[0]))
    scenario = resolve_levels(
        scenario, base_year=timeline.base_year, series_bases=timeline.series_bases
    )
    years = timeline.years
    series = scenario.series_names
    bases = np.array(timeline.series_bases)
    if scenario.components is None:
        ranges_by_series = [scenario.growth or []]
    else:
        ranges_by_series = [c.growth or scenario.growth or [] for c in scenario.components]
    growth = tuple(
        tuple(_must(growth_for_year(list(ranges), int(y))) for y in years)
        for ranges in ranges_by_series
    )
    corr = np.eye(len(series))
    if scenario.correlation is not None:
        corr = nearest_correlation(np.asarray(scenario.correlation, dtype=float), scenario.file)
    chol = np.linalg.cholesky(corr + 1e-12 * np.eye(len(series)))
    current = None
    seasonal = None
    if scenario.nowcast:
        current = current_year(timeline.monthly, int(years[0]))
        if current is not None and current.months_observed in (0, 12):
            current = None
        if current is not None:
            reusable = (
                like is not None
                and like.timeline.monthly is timeline.monthly
                and like.seasonal is not None
                and int(like.years[0]) == int(years[0])
            )
            if reusable and like is not None:
                seasonal = like.seasonal
            else:
                seasonal = fit_nowcast(timeline.monthly, fiscal_year=int(years[0]))
            current = None if seasonal is None else current
        reported = int((timeline.monthly.fiscal_years == int(years[0])).sum())
        if current is None and 0 < reported < MONTHS_PER_YEAR:
            # Reported months the nowcast cannot use: refused, not silently dropped.
            raise unused_months(timeline.monthly, int(years[0]), min_months=MIN_FIT_MONTHS)
    plan = Plan(
        scenario=scenario,
        timeline=timeline,
        years=years,
        series=series,
        base_values=bases.astype(np.float64),
        growth=growth,
        corr_chol=np.asarray(chol, dtype=np.float64),
        persistence=scenario.persistence,
        floor=scenario.limits.floor,
        cap=scenario.limits.cap,
        current=current,
        seasonal=seasonal,
    )
    if current is not None and seasonal is not None:
        # The prior's variance comes from a fixed pilot block of the scenario's own paths, so
        # the nowcast's weight depends on the scenario only (not on the seed or the chunking).
        pilot = _run_block(plan, NOWCAST_PILOT_ENTROPY, 0, BLOCK, _Workspace(plan, BLOCK))
        model = condition(seasonal, current, prior_total=pilot[:, 0, :].sum(axis=0))
        plan = replace(plan, nowcast_model=model)
    # Set after the nowcast pilot, which always uses plain Monte Carlo scores.
    return replace(plan, sampler=make_sampler(scenario.sampler, series, len(years)))


def _must(x: DistributionBase | None) -> DistributionBase:
    assert x is not None  # coverage was checked by build_timeline
    return x


def nearest_correlation(corr: FloatArray, file: str | None = None) -> FloatArray:
    """Return ``corr`` if positive semi-definite, else the nearest correlation matrix (Higham 2002).

    Logs a warning naming the file when a repair is made.
    """
    eig = np.linalg.eigvalsh(corr)
    if eig.min() >= -1e-10:
        return corr
    import warnings

    from statsmodels.stats.correlation_tools import corr_clipped, corr_nearest
    from statsmodels.tools.sm_exceptions import IterationLimitWarning

    with warnings.catch_warnings():
        # corr_nearest's stopping rule seldom fires with a tiny threshold even when it has
        # converged (it warned on every repair); the result is checked below instead.
        warnings.simplefilter("ignore", IterationLimitWarning)
        fixed = np.asarray(corr_nearest(corr, threshold=1e-8, n_fact=200), dtype=float)
    if np.linalg.eigvalsh(fixed).min() < -1e-10:
        fixed = np.asarray(corr_clipped(corr, threshold=1e-8), dtype=float)
    log.warning(
        "%s: correlation matrix is not positive semi-definite (smallest eigenvalue %.3g); "
        "using the nearest correlation matrix",
        file or "<scenario>",
        eig.min(),
    )
    return fixed


def simulate(
    scenario: Scenario | Plan,
    *,
    paths: int | None = None,
    seed: int | None = _FROM_SCENARIO,
    threads: int | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    actuals: str | None = None,
    progress: Callable[[int], None] | None = None,
    sampler: str | Sampler | None = None,
) -> Projection:
    """Project a scenario by Monte Carlo.

    Parameters
    ----------
    scenario : Scenario or Plan
        A plan (:func:`prepare`) runs without reading a file; a scenario is prepared first.
    paths : int, optional
        Number of paths (default: the scenario's ``paths``).
    seed : int or None, optional
        Default: the scenario's ``seed``. ``None`` draws fresh entropy, recorded in the result.
    threads : int, optional
        Worker threads (default: the cores this process may use). Results do not depend on it.
    chunk_size : int
        Paths per task (rounded up to whole blocks of :data:`BLOCK`). Results do not depend on it.
    actuals : str, optional
        CSV of monthly actuals replacing the scenario's or the bundled one (only with a
        scenario: a plan has its data).
    progress : callable, optional
        Called with the number of paths just finished, once per chunk, in the calling thread
        (for a progress bar). It does not change the results.
    sampler : {"mc", "sobol"} or Sampler, optional
        Default: the plan's (from the scenario's ``sampler``). ``"sobol"`` draws the growth
        scores as randomized scrambled Sobol points (:mod:`simulator.engine.streams`); a
        :class:`Sampler` is used as given (importance sampling passes one with a shift).

    Returns
    -------
    Projection
        ``values`` has shape (paths, n_years), USD million.

    Notes
    -----
    Memory: the result is ``8 * paths * n_years`` bytes for ``values`` plus as much again per
    component (``(1 + n_components) * 8 * n_years`` MB per million paths: 40 MB for five years
    without components, 120 MB with two), and each worker thread holds a few block-sized
    arrays (about ``8 * BLOCK * n_years * (4 * n_series + 3)`` bytes, a few MB) whatever
    ``paths`` is.

    Examples
    --------
    >>> import simulator
    >>> sc = simulator.load_scenario("scenarios/baseline.yaml")  # doctest: +SKIP
    >>> res = simulator.simulate(sc, paths=10_000, seed=1)  # doctest: +SKIP
    >>> res.values.shape  # doctest: +SKIP
    (10000, 5)
    """
    if isinstance(scenario, Plan):
        if actuals is not None:
            raise ValueError("a Plan has its actuals; pass actuals to prepare()")
        plan = scenario
    else:
        plan = prepare(scenario, actuals=actuals)
    if sampler is not None:
        if not isinstance(sampler, Sampler):
            sampler = make_sampler(sampler, plan.series, len(plan.years))
        plan = replace(plan, sampler=sampler)
    n_paths = plan.scenario.paths if paths is None else int(paths)
    seed_value = plan.scenario.seed if seed is _FROM_SCENARIO else seed
    return run_plan(
        plan,
        paths=n_paths,
        seed=seed_value,
        entropy=entropy_of(seed_value),
        threads=threads,
        chunk_size=chunk_size,
        progress=progress,
    )


def run_plan(
    plan: Plan,
    *,
    paths: int,
    seed: int | None,
    entropy: int,
    threads: int | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    progress: Callable[[int], None] | None = None,
) -> Projection:
    """Simulate a plan from the run entropy ``entropy`` (the engine behind :func:`simulate`).

    ``seed`` is what the result reports: the seed asked for, or None for fresh entropy.
    """
    n_paths = int(paths)
    if n_paths < 1:
        raise ValueError("paths must be >= 1")
    seed_value = seed
    scenario = plan.scenario
    n_years, n_series = len(plan.years), len(plan.series)
    # Only fiscal-year totals leave the workers: the total, and each component if there are
    # several. Workers write their paths straight into these, year-major (no transposes, and
    # a fiscal year's column is contiguous for the statistics that follow).
    values_t = np.empty((n_years, n_paths))
    comp_t = np.empty((n_series, n_years, n_paths)) if n_series > 1 else None
    chunk = max(BLOCK, -(-chunk_size // BLOCK) * BLOCK)
    starts = list(range(0, n_paths, chunk))

    def task(start: int) -> tuple[FloatArray, FloatArray, dict[str, FloatArray], FloatArray]:
        stop = min(start + chunk, n_paths)
        comp_out = None if comp_t is None else comp_t[:, :, start:stop]
        return _run_chunk(plan, entropy, start, stop, values_t[:, start:stop], comp_out)

    workers = max(1, threads or cpu_count())
    if workers == 1 or len(starts) == 1:
        results = []
        for s in starts:
            results.append(task(s))
            if progress is not None:
                progress(min(chunk, n_paths - s))
    else:
        with ThreadPoolExecutor(max_workers=min(workers, len(starts))) as pool:
            futures = {pool.submit(task, s): s for s in starts}
            done: dict[int, Any] = {}
            for fut in as_completed(futures):
                s = futures[fut]
                done[s] = fut.result()
                if progress is not None:  # called here, in the caller's thread
                    progress(min(chunk, n_paths - s))
            results = [done[s] for s in starts]
    floor_hits = np.zeros((n_years,))
    cap_hits = np.zeros((n_years,))
    shock_hits = {s.name: np.zeros(n_years) for s in scenario.shocks}
    for fl, cp, hits, _ in results:
        floor_hits += fl
        cap_hits += cp
        for k, v in hits.items():
            shock_hits[k] += v
    denom = float(n_paths * n_series)
    components: dict[str, FloatArray] = {}
    if comp_t is not None:
        components = {name: comp_t[i].T for i, name in enumerate(plan.series)}
    return Projection(
        plan=plan,
        years=plan.years,
        values=values_t.T,
        components=components,
        floor_binds=floor_hits / denom,
        cap_binds=cap_hits / denom,
        shock_hits={k: v / n_paths for k, v in shock_hits.items()},
        seed=seed_value,
        seed_entropy=entropy,
        current_year_months=_current_year_months(plan, [r[3] for r in results]),
    )


@dataclass(frozen=True)
class CommonRandomNumbers:
    """The draws a set of runs shares, so that only their assumptions differ.

    Every run gets the same number of paths and the same run entropy, so path *i* of each run
    uses the same normal scores role by role (:mod:`simulator.engine.streams`): a difference
    between two runs comes from their assumptions, not from sampling noise. Compare, goal seek,
    sensitivity and the report all run through :meth:`simulate`.

    One rule for what a set of runs reports: ``seed`` is the seed asked for (None when the
    draws come from fresh entropy) and ``entropy`` the run entropy every run used, which
    ``--seed`` takes to replay an unseeded set.

    Attributes
    ----------
    paths : int — paths per run
    seed : int or None — the seed asked for; None for fresh entropy
    entropy : int — the run entropy shared by every run
    threads : int or None — worker threads per run (results do not depend on it)
    """

    paths: int
    seed: int | None
    entropy: int
    threads: int | None = None

    def simulate(self, plan: Plan, *, progress: Callable[[int], None] | None = None) -> Projection:
        """Run one prepared plan on these draws (no file is read)."""
        return run_plan(
            plan,
            paths=self.paths,
            seed=self.seed,
            entropy=self.entropy,
            threads=self.threads,
            progress=progress,
        )

    def simulate_all(
        self, plans: Sequence[Plan], *, progress: Callable[[int], None] | None = None
    ) -> list[Projection]:
        """Run every plan on these draws, in order."""
        return [self.simulate(p, progress=progress) for p in plans]


def common_random_numbers(
    scenario: Scenario | Plan,
    *,
    paths: int | None = None,
    seed: int | None = None,
    threads: int | None = None,
) -> CommonRandomNumbers:
    """The shared draws for runs led by ``scenario``.

    Parameters
    ----------
    scenario : Scenario or Plan
        The reference run: ``paths`` and ``seed`` default to its own.
    paths : int, optional — paths per run (default: the scenario's)
    seed : int, optional — one seed for every run (default: the scenario's; if it has none,
        fresh entropy is drawn once and shared)
    threads : int, optional

    Raises
    ------
    ValueError
        If ``paths`` < 1.
    """
    sc = scenario.scenario if isinstance(scenario, Plan) else scenario
    n = sc.paths if paths is None else int(paths)
    if n < 1:
        raise ValueError("paths must be >= 1")
    run_seed = sc.seed if seed is None else seed
    return CommonRandomNumbers(
        paths=n, seed=run_seed, entropy=entropy_of(run_seed), threads=threads
    )


def _current_year_months(plan: Plan, months: list[FloatArray]) -> FloatArray | None:
    """The current year's simulated remaining months for the first :data:`MONTH_SAMPLE` paths,
    shape (12 - k, min(paths, MONTH_SAMPLE)), USD million; None without a current year.

    :func:`simulator.stats.targets.summarize` turns it into the ``current_year`` block.
    """
    if plan.current is None:
        return None
    return np.concatenate(months, axis=1)
