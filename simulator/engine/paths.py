"""The Monte Carlo engine: growth paths over fiscal years, compounded from the base.

For each simulated series (the total, or each component) the annual growth surprises are
standard normal scores ``z[t]`` that follow a stationary AR(1),
``z[t] = rho * z[t-1] + sqrt(1 - rho**2) * e[t]``, with the innovations ``e`` correlated across
components by the scenario's ``correlation``. Each year's growth is ``F_t^{-1}(Phi(z[t]))``: a
Gaussian copula, so every year's marginal is exactly the distribution the scenario declares
(Nelsen, *An Introduction to Copulas*, 2006). Levers add a draw (one per path) to growth over
their years; shocks multiply a year's level by ``1 + impact`` and undo a share ``recovery`` of
that (in logs) the next year; ``limits`` clip each year's effective growth.

Randomness: one ``SeedSequence`` per run. Paths are cut into fixed blocks of
:data:`BLOCK` paths; each block and each named role (``growth:<series>``, ``lever:<name>``,
``shock:<name>``, ``nowcast``) gets its own child sequence, addressed by
``spawn_key = (block, role_id)`` (what ``SeedSequence.spawn`` does, made explicit so a role's
numbers do not depend on which other roles a scenario has). So results do not depend on the
chunk size or the number of threads, and two scenarios run with the same seed share their
normal scores role by role: common random numbers. The streams, and the ``sobol`` sampler
(randomized scrambled Sobol growth scores, addressed by path index the same way), live in
:mod:`simulator.engine.streams`.

Execution and memory: chunks of whole blocks run on a thread pool (one thread per core by
default; NumPy and the generators release the GIL). A worker simulates one block at a time in
block-sized scratch arrays (:class:`_Workspace`, a few MB) and writes only fiscal-year totals
into the result: ``values`` (paths, n_years) and, with components, one (paths, n_years) array
per component, all float64. Peak memory is therefore about ``8 * n_years * (1 + n_components)``
bytes per path plus the imports (~70 MB): 40 MB per million paths for five years without
components, 120 MB with two components, so 10M paths of the two-component reference scenario
peak near 1.3 GB (``bench/engine.py`` measures it). Nothing allocates paths x years
intermediates, and per-month work (the ``nowcast`` role: the current fiscal year's remaining
months) must stay inside the block loop of :func:`_run_chunk`, as (months, block) arrays
reduced to the fiscal-year total before leaving it; never (paths, months).

Speed: drawing the normal scores is the floor (NumPy's ziggurat, the same generator and
count a hand-written simulation would use). On one thread the whole reference run costs about
1.4x its draws (the rest: marginals, AR(1), shocks, compounding and first-touch of the result
memory), so on two otherwise idle cores it takes about 0.7x the single-threaded draw time;
``bench/engine.py`` measures it.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from simulator.data.timeline import Timeline, actuals_for, build_timeline
from simulator.engine.nowcast import (
    N_SCORES,
    CurrentYear,
    NowcastModel,
    current_year,
    fit_nowcast,
    simulate_remaining,
    year_total,
)
from simulator.engine.streams import BLOCK as BLOCK  # re-exported: other modules import it here
from simulator.engine.streams import MC, Sampler, make_sampler
from simulator.engine.streams import draw_normals as draw_normals
from simulator.engine.streams import role_id as role_id
from simulator.scenario.distributions import DistributionBase
from simulator.scenario.schema import Scenario, growth_for_year

log = logging.getLogger(__name__)

FloatArray = NDArray[np.float64]
#: Default paths per task handed to a thread.
DEFAULT_CHUNK = 4 * BLOCK
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
    nowcast_model : NowcastModel or None — fitted to the actuals when ``current`` is set
    sampler : Sampler — plain Monte Carlo or scrambled Sobol scores (and any IS shift)
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
    #: Where the normal scores come from (:mod:`simulator.engine.streams`); set by simulate.
    sampler: Sampler = MC


#: Paths whose remaining-month values are kept for the monthly quantiles of the current year.
MONTH_SAMPLE = 100_000


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
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def scenario(self) -> Scenario:
        """The scenario that was run."""
        return self.plan.scenario

    @property
    def paths(self) -> int:
        """Number of simulated paths."""
        return int(self.values.shape[0])

    def summary(self) -> dict[str, Any]:
        """The dict written as ``summary.json`` (see :func:`simulator.targets.summarize`)."""
        from simulator.stats.targets import summarize

        return summarize(self)


def make_plan(scenario: Scenario, timeline: Timeline) -> Plan:
    """Resolve a scenario against its timeline: base values per series, marginals per year."""
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
    model = None
    if scenario.nowcast:
        current = current_year(timeline.monthly, int(years[0]))
        if current is not None and current.months_observed in (0, 12):
            current = None
        if current is not None:
            model = fit_nowcast(timeline.monthly, before_fy=int(years[0]))
    return Plan(
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
        nowcast_model=model,
    )


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
    scenario: Scenario,
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
    scenario : Scenario
    paths : int, optional
        Number of paths (default: the scenario's ``paths``).
    seed : int or None, optional
        Default: the scenario's ``seed``. ``None`` draws fresh entropy, recorded in the result.
    threads : int, optional
        Worker threads (default: the cores this process may use). Results do not depend on it.
    chunk_size : int
        Paths per task (rounded up to whole blocks of :data:`BLOCK`). Results do not depend on it.
    actuals : str, optional
        CSV of monthly actuals replacing the scenario's or the bundled one.
    progress : callable, optional
        Called with the number of paths just finished, once per chunk, in the calling thread
        (for a progress bar). It does not change the results.
    sampler : {"mc", "sobol"} or Sampler, optional
        Default: the scenario's ``sampler``. ``"sobol"`` draws the growth scores as randomized
        scrambled Sobol points (:mod:`simulator.engine.streams`); a :class:`Sampler` is used
        as given (importance sampling passes one with a shift).

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
    n_paths = scenario.paths if paths is None else int(paths)
    if n_paths < 1:
        raise ValueError("paths must be >= 1")
    seed_value = scenario.seed if seed is _FROM_SCENARIO else seed
    timeline = build_timeline(scenario, actuals_for(scenario, actuals))
    plan = make_plan(scenario, timeline)
    if not isinstance(sampler, Sampler):
        kind = scenario.sampler if sampler is None else sampler
        sampler = make_sampler(kind, plan.series, len(plan.years))
    plan = dataclasses.replace(plan, sampler=sampler)
    return run_plan(
        plan,
        paths=n_paths,
        seed=seed_value,
        threads=threads,
        chunk_size=chunk_size,
        progress=progress,
    )


def run_plan(
    plan: Plan,
    *,
    paths: int,
    seed: int | None,
    threads: int | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    progress: Callable[[int], None] | None = None,
) -> Projection:
    """Simulate a resolved plan (what :func:`simulate` does once it has made the plan).

    Used directly when a plan is re-run with another :class:`Sampler`, as importance
    sampling does (:mod:`simulator.stats.rare`).
    """
    n_paths, seed_value, scenario = paths, seed, plan.scenario
    root = np.random.SeedSequence(seed_value)
    entropy = int(root.entropy)  # type: ignore[arg-type]
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
        extras=_current_year_extras(plan, [r[3] for r in results]),
    )


def _apply_nowcast(
    plan: Plan, entropy: int, start: int, stop: int, level: FloatArray
) -> FloatArray:
    """Condition the first projected year on the months already reported (in place).

    The scenario's growth for that year (after levers, shocks and limits) is the prior for the
    remaining months' growth; :func:`simulator.nowcast.simulate_remaining` combines it with the
    year-to-date signal. The year's total becomes observed + simulated months, and every series
    and later year is scaled by the same factor, so later growth compounds from the nowcast
    level. It runs block by block: ``level`` is (n_series, n_years, stop - start) and the
    per-month arrays are (12 - k, stop - start), never (paths, months).

    Returns
    -------
    ndarray, shape (12 - k, stop - start) — remaining months, USD million (empty if no nowcast)
    """
    cy, model = plan.current, plan.nowcast_model
    if cy is None or model is None:
        return np.empty((0, stop - start))
    total0 = level[:, 0, :].sum(axis=0)
    growth = total0 / float(plan.base_values.sum()) - 1.0
    # One stream per role: the drift, and each fiscal month not yet reported. A month keeps
    # its scores when the data move on, and reported months cost no draws (their rows stay 0).
    z = np.zeros((N_SCORES, stop - start))
    draw_normals(entropy, "nowcast:drift", start, stop, 1, out=z[0:1])
    for m in range(cy.months_observed + 1, N_SCORES):
        draw_normals(entropy, f"nowcast:month{m}", start, stop, 1, out=z[m : m + 1])
    rest = simulate_remaining(cy, model, growth=growth, z=z)
    factor = year_total(cy, rest) / total0
    level *= factor[None, None, :]
    return rest


def _current_year_extras(plan: Plan, months: list[FloatArray]) -> dict[str, Any]:
    """The current year's simulated remaining months for the first :data:`MONTH_SAMPLE` paths.

    ``extras["current_year_months"]`` has shape (12 - k, min(paths, MONTH_SAMPLE)), USD million;
    :func:`simulator.targets.summarize` turns it into the ``current_year`` block.
    """
    if plan.current is None:
        return {}
    return {"current_year_months": np.concatenate(months, axis=1)}


def cpu_count() -> int:
    """Cores this process may run on (its CPU affinity where the OS reports it)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def _run_chunk(
    plan: Plan,
    entropy: int,
    start: int,
    stop: int,
    values: FloatArray,
    components: FloatArray | None = None,
) -> tuple[FloatArray, FloatArray, dict[str, FloatArray], FloatArray]:
    """Simulate paths ``start:stop`` one block of :data:`BLOCK` paths at a time.

    Parameters
    ----------
    values : ndarray, shape (n_years, stop - start)
        Receives the fiscal-year totals, USD million.
    components : ndarray, shape (n_series, n_years, stop - start), optional
        Receives each series' fiscal-year values, USD million.

    Returns
    -------
    floor_hits, cap_hits : ndarray, shape (n_years,) — path-series where a limit bound
    shock_hits : dict of str to ndarray, shape (n_years,) — paths where each shock struck
    months : ndarray, shape (12 - k, m) — the current year's remaining months for the paths of
        this chunk among the first :data:`MONTH_SAMPLE` (m may be 0), USD million
    """
    n_years, n_series = len(plan.years), len(plan.series)
    floor_hits = np.zeros(n_years)
    cap_hits = np.zeros(n_years)
    shock_hits = {s.name: np.zeros(n_years) for s in plan.scenario.shocks}
    ws: _Workspace | None = None
    months: list[FloatArray] = []
    for lo in range(start, stop, BLOCK):
        hi = min(lo + BLOCK, stop)
        if ws is None or ws.n != hi - lo:
            ws = _Workspace(plan, hi - lo)
        level = _run_block(plan, entropy, lo, hi, ws)
        rest = _apply_nowcast(plan, entropy, lo, hi, level)
        if lo < MONTH_SAMPLE:
            months.append(rest[:, : min(hi, MONTH_SAMPLE) - lo].copy())
        floor_hits += ws.floor_hits
        cap_hits += ws.cap_hits
        for k, v in ws.shock_hits.items():
            shock_hits[k] += v
        cols = slice(lo - start, hi - start)
        if components is None:
            values[:, cols] = level[0]
        else:
            components[:, :, cols] = level
            # The total is summed series by series, as ``comp.sum(axis=0)`` would.
            total = values[:, cols]
            np.copyto(total, level[0])
            for s in range(1, n_series):
                total += level[s]
    n_months = 12 - plan.current.months_observed if plan.current is not None else 0
    sample = np.concatenate(months, axis=1) if months else np.empty((n_months, 0))
    return floor_hits, cap_hits, shock_hits, sample


class _Workspace:
    """Block-sized scratch arrays, reused from block to block by one worker (n paths)."""

    def __init__(self, plan: Plan, n: int) -> None:
        n_years, n_series = len(plan.years), len(plan.series)
        self.n = n
        self.z = np.empty((n_series, n_years, n))
        self.tmp = np.empty((n_years, n))
        self.row = np.empty((1, n))
        self.prev = np.empty((n_series, n))
        self.term = np.empty((n_years, n)) if n_series > 2 else self.tmp
        shocks = plan.scenario.shocks
        self.shock_u = np.empty((2 * n_years, n)) if shocks else self.tmp
        self.scratch = np.empty((n_years, n)) if shocks else self.tmp
        self.groups = _shock_groups(plan)
        self.log_mult = np.empty((len(self.groups), n_years, n))
        self.floor_hits = np.zeros(n_years)
        self.cap_hits = np.zeros(n_years)
        self.shock_hits: dict[str, FloatArray] = {}


def _shock_groups(plan: Plan) -> dict[tuple[int, ...], list[int]]:
    """Series grouped by the shocks that strike them: {shock indices: series indices}."""
    groups: dict[tuple[int, ...], list[int]] = {}
    for s, name in enumerate(plan.series):
        key = tuple(
            k
            for k, shock in enumerate(plan.scenario.shocks)
            if shock.components is None or name in shock.components
        )
        if key:
            groups.setdefault(key, []).append(s)
    return groups


def _run_block(plan: Plan, entropy: int, start: int, stop: int, ws: _Workspace) -> FloatArray:
    """The model for paths ``start:stop`` (at most one block), in ``ws``'s arrays.

    Returns the levels, shape (n_series, n_years, n), USD million (a view of ``ws.z``), and
    leaves the floor, cap and shock counts by year in ``ws``. Every array here is block-sized:
    per-month work (the nowcast) belongs at this level too.
    """
    from scipy.special import ndtr

    sc = plan.scenario
    n_years, n_series = len(plan.years), len(plan.series)
    rho = plan.persistence
    tmp = ws.tmp
    # Innovations, drawn in place: z[s, t, path]; then correlated across series with the lower
    # triangular Cholesky factor L: z_i = sum_{j<=i} L_ij e_j, computed for i descending so
    # that e_j (j < i) is still intact, summed in j order like ``einsum("ij,jtn->itn")``.
    z = ws.z
    for s, name in enumerate(plan.series):
        plan.sampler.normals(entropy, f"growth:{name}", start, stop, n_years, out=z[s])
    if n_series > 1:
        chol = plan.corr_chol
        for i in range(n_series - 1, 0, -1):
            np.multiply(z[0], chol[i, 0], out=tmp)
            for j in range(1, i):
                tmp += np.multiply(z[j], chol[i, j], out=ws.term)
            z[i] *= chol[i, i]
            z[i] += tmp
        z[0] *= chol[0, 0]
    # AR(1) in normal scores; z[0] ~ N(0, 1) so every year is N(0, 1) (stationary).
    if rho != 0.0:
        scale = np.sqrt(1.0 - rho * rho)
        prev = ws.prev
        for t in range(1, n_years):
            z[:, t] *= scale
            z[:, t] += np.multiply(z[:, t - 1], rho, out=prev)
    # Marginals, in place: growth g[s, t, path]. Year by year: temporaries of one row stay in
    # cache and are recycled by the allocator; a (years, block) temporary costs 4x as much.
    g = z
    for s in range(n_series):
        for t, dist in enumerate(plan.growth[s]):
            g[s, t] = dist.from_normal(z[s, t])
    series_index = {name: i for i, name in enumerate(plan.series)}
    year_index = {int(y): t for t, y in enumerate(plan.years)}
    for lever in sc.levers:
        u = plan.sampler.normals(entropy, f"lever:{lever.name}", start, stop, 1, out=ws.row)
        amount = lever.from_normal(u[0])
        rows = [series_index[c] for c in lever.components] if lever.components else range(n_series)
        for y in range(lever.years[0], lever.years[1] + 1):
            if y in year_index:
                for s in rows:
                    g[s, year_index[y]] += amount
    # Shocks: log multipliers on the level, shape (n_years, n), summed over the shocks that
    # strike each group of series. The impact is evaluated only where a shock strikes.
    ws.shock_hits = {}
    lm = ws.log_mult
    for k, shock in enumerate(sc.shocks):
        u_z = plan.sampler.normals(
            entropy, f"shock:{shock.name}", start, stop, 2 * n_years, out=ws.shock_u
        )
        occurs = _ndtr_below(u_z[:n_years], shock.probability, ndtr)
        window = (plan.years >= shock.years[0]) & (plan.years <= shock.years[1])
        if not window.all():
            occurs &= window[:, None]
        if shock.once:
            occurs &= np.cumsum(occurs, axis=0) == 1
        ws.shock_hits[shock.name] = np.count_nonzero(occurs, axis=1).astype(np.float64)
        struck = np.flatnonzero(occurs)
        impact = np.maximum(shock.impact.from_normal(u_z[n_years:].reshape(-1)[struck]), -0.99)
        # This shock's log multiplier, written straight into the first group it starts.
        first = [gi for gi, key in enumerate(ws.groups) if key[0] == k]
        this = lm[first[0]] if first else tmp
        this.fill(0.0)
        this.reshape(-1)[struck] = np.log1p(impact)
        if shock.recovery > 0 and n_years > 1:
            this[1:] -= np.multiply(this[:-1], shock.recovery, out=ws.scratch[1:])
        for gi, key in enumerate(ws.groups):
            if key[0] == k and gi != first[0]:
                lm[gi] = this
            elif k in key[1:]:
                lm[gi] += this
    for gi, rows_ in enumerate(ws.groups.values()):
        # (1 + g) * exp(lm) - 1, computed in place; exp(0) == 1 exactly.
        mult = np.exp(lm[gi], out=lm[gi])
        for s in rows_:
            g[s] += 1.0
            g[s] *= mult
            g[s] -= 1.0
    # Limits: count and clip only if some growth lies beyond them (they rarely bind).
    ws.floor_hits = _count_and_clip(g, plan.floor, below=True)
    ws.cap_hits = _count_and_clip(g, plan.cap, below=False)
    # Compound: level[s, t, path] = base[s] * prod_{u<=t} (1 + g[s, u, path])
    g += 1.0
    for t in range(1, n_years):
        g[:, t] *= g[:, t - 1]
    g *= plan.base_values[:, None, None]
    return g


def _count_and_clip(g: FloatArray, limit: float, *, below: bool) -> FloatArray:
    """Clip ``g`` (n_series, n_years, n) at ``limit`` in place; count clipped values per year."""
    n_years = g.shape[1]
    if (g.min() >= limit) if below else (g.max() <= limit):
        return np.zeros(n_years)
    beyond = g < limit if below else g > limit
    g[beyond] = limit
    return np.asarray(np.count_nonzero(beyond, axis=(0, 2)), dtype=np.float64)


def _ndtr_below(u: FloatArray, p: float, ndtr: Any) -> NDArray[np.bool_]:
    """``ndtr(u) < p`` elementwise, evaluating ``ndtr`` only within a hair of the threshold.

    ``ndtr(u) < p`` and ``u < ndtri(p)`` agree except within a few rounding errors of
    ``ndtri(p)``: a band of half-width ``1e-6 * (1 + |t|) + 1e-12 / phi(t)`` (``phi`` the
    normal density; rounding errors are below 1e-14 in probability) is decided by ``ndtr``.
    """
    from scipy.special import ndtri

    if not 0.0 < p < 1.0:
        return np.asarray(ndtr(u) < p)
    t = float(ndtri(p))
    d = 1e-6 * (1.0 + abs(t)) + 1e-12 / (math.exp(-0.5 * t * t) / math.sqrt(2.0 * math.pi))
    below = u < t + d
    near = below & (u >= t - d)
    if near.any():  # rare: about 1e-6 of the draws
        below[near] = ndtr(u[near]) < p
    return below


def plain_loop(scenario: Scenario, *, paths: int, seed: int) -> FloatArray:
    """Slow reference: the same model path by path in plain Python (tests only; tiny cases).

    Uses the same normal scores as :func:`simulate`, then applies the copula, AR(1), levers,
    shocks, limits and compounding one number at a time.
    """
    import math

    from scipy.special import ndtr

    timeline = build_timeline(scenario, actuals_for(scenario))
    plan = make_plan(scenario, timeline)
    entropy = int(np.random.SeedSequence(seed).entropy)  # type: ignore[arg-type]
    n_years, n_series = len(plan.years), len(plan.series)
    e = [draw_normals(entropy, f"growth:{s}", 0, paths, n_years) for s in plan.series]
    levers = [draw_normals(entropy, f"lever:{lv.name}", 0, paths, 1)[0] for lv in scenario.levers]
    shocks = [
        draw_normals(entropy, f"shock:{s.name}", 0, paths, 2 * n_years) for s in scenario.shocks
    ]
    out = np.zeros((paths, n_years))
    rho = plan.persistence
    for p in range(paths):
        total = [0.0] * n_years
        for s in range(n_series):
            level = float(plan.base_values[s])
            zprev = 0.0
            carry = 0.0
            for t in range(n_years):
                eps = sum(float(plan.corr_chol[s][j]) * float(e[j][t][p]) for j in range(n_series))
                zt = eps if t == 0 else rho * zprev + math.sqrt(1 - rho * rho) * eps
                zprev = zt
                g = float(plan.growth[s][t].from_normal(np.array([zt]))[0])
                year = int(plan.years[t])
                for lv, amt in zip(scenario.levers, levers, strict=True):
                    applies = lv.components is None or plan.series[s] in lv.components
                    if applies and lv.years[0] <= year <= lv.years[1]:
                        g += float(lv.from_normal(np.array([amt[p]]))[0])
                lm = carry
                carry = 0.0
                for sh, u in zip(scenario.shocks, shocks, strict=True):
                    applies = sh.components is None or plan.series[s] in sh.components
                    if not applies:
                        continue
                    hit = (
                        sh.years[0] <= year <= sh.years[1] and float(ndtr(u[t][p])) < sh.probability
                    )
                    if sh.once and hit:
                        earlier = [
                            sh.years[0] <= int(plan.years[k]) <= sh.years[1]
                            and float(ndtr(u[k][p])) < sh.probability
                            for k in range(t)
                        ]
                        hit = not any(earlier)
                    if hit:
                        imp = max(
                            float(sh.impact.from_normal(np.array([u[n_years + t][p]]))[0]), -0.99
                        )
                        lm += math.log1p(imp)
                        carry -= sh.recovery * math.log1p(imp)
                g = (1 + g) * math.exp(lm) - 1
                g = min(max(g, plan.floor), plan.cap)
                level *= 1 + g
                total[t] += level
        out[p] = total
    return out
