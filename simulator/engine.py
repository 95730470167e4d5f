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
normal scores role by role: common random numbers.
"""

from __future__ import annotations

import logging
import os
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from simulator.distributions import DistributionBase
from simulator.nowcast import (
    N_SCORES,
    CurrentYear,
    NowcastModel,
    current_year,
    fit_nowcast,
    simulate_remaining,
    year_total,
)
from simulator.scenario import Scenario, growth_for_year
from simulator.timeline import Timeline, actuals_for, build_timeline

log = logging.getLogger(__name__)

FloatArray = NDArray[np.float64]
#: Paths per random-number block: the unit of seeding, fixed so results never depend on chunking.
BLOCK = 1 << 15
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


#: Paths whose remaining-month values are kept for the monthly quantiles of the current year.
MONTH_SAMPLE = 100_000


@dataclass(frozen=True)
class Projection:
    """The result of :func:`simulate`.

    Attributes
    ----------
    years : ndarray of int, shape (n_years,) — fiscal years
    values : ndarray, shape (paths, n_years) — fiscal-year totals, USD million
    components : dict of str to ndarray, shape (paths, n_years) — per component (empty if none)
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
        from simulator.targets import summarize

        return summarize(self)


def make_plan(scenario: Scenario, timeline: Timeline) -> Plan:
    """Resolve a scenario against its timeline: base values per series, marginals per year."""
    years = timeline.years
    if scenario.components is None:
        series: tuple[str, ...] = ("total",)
        bases = np.array([timeline.base_value])
        ranges_by_series = [scenario.growth or []]
    else:
        series = tuple(c.name for c in scenario.components)
        fixed = {
            c.name: (
                c.base.value if c.base.value is not None else c.base.share * timeline.base_value  # type: ignore[operator]
            )
            for c in scenario.components
            if c.base != "rest"
        }
        rest = timeline.base_value - sum(fixed.values())
        if rest < 0 and any(c.base == "rest" for c in scenario.components):
            raise _plan_error(
                scenario,
                ("components",),
                f"components' bases add up to {sum(fixed.values()):,.0f}, more than the base "
                f"{timeline.base_value:,.0f}; nothing is left for base: rest",
            )
        bases = np.array([fixed.get(c.name, rest) for c in scenario.components])
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
        Worker threads (default: the machine's cores). Results do not depend on it.
    chunk_size : int
        Paths per task (rounded up to whole blocks of :data:`BLOCK`). Results do not depend on it.
    actuals : str, optional
        CSV of monthly actuals replacing the scenario's or the bundled one.

    Returns
    -------
    Projection
        ``values`` has shape (paths, n_years), USD million.

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
    root = np.random.SeedSequence(seed_value)
    entropy = int(root.entropy)  # type: ignore[arg-type]
    n_years, n_series = len(plan.years), len(plan.series)
    comp = np.empty((n_series, n_paths, n_years))
    floor_hits = np.zeros((n_years,))
    cap_hits = np.zeros((n_years,))
    shock_hits = {s.name: np.zeros(n_years) for s in scenario.shocks}
    chunk = max(BLOCK, -(-chunk_size // BLOCK) * BLOCK)
    starts = list(range(0, n_paths, chunk))

    def task(start: int) -> tuple[FloatArray, FloatArray, dict[str, FloatArray], FloatArray]:
        stop = min(start + chunk, n_paths)
        out = comp[:, start:stop, :]
        counts = _run_chunk(plan, entropy, start, stop, out)
        months = _apply_nowcast(plan, entropy, start, stop, out)
        return (*counts, months[:, : max(0, min(stop, MONTH_SAMPLE) - start)])

    workers = max(1, threads or os.cpu_count() or 1)
    if workers == 1 or len(starts) == 1:
        results = [task(s) for s in starts]
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(task, starts))
    for fl, cp, hits, _ in results:
        floor_hits += fl
        cap_hits += cp
        for k, v in hits.items():
            shock_hits[k] += v
    denom = float(n_paths * n_series)
    if n_series == 1:
        values = comp[0]
        components: dict[str, FloatArray] = {}
    else:
        values = comp.sum(axis=0)
        components = {name: comp[i] for i, name in enumerate(plan.series)}
    return Projection(
        plan=plan,
        years=plan.years,
        values=values,
        components=components,
        floor_binds=floor_hits / denom,
        cap_binds=cap_hits / denom,
        shock_hits={k: v / n_paths for k, v in shock_hits.items()},
        seed=seed_value,
        seed_entropy=entropy,
        extras=_current_year_extras(plan, values, [r[3] for r in results]),
    )


def _apply_nowcast(plan: Plan, entropy: int, start: int, stop: int, out: FloatArray) -> FloatArray:
    """Condition the first projected year on the months already reported (in place).

    The scenario's growth for that year (after levers, shocks and limits) is the prior for the
    remaining months' growth; :func:`simulator.nowcast.simulate_remaining` combines it with the
    year-to-date signal. The year's total becomes observed + simulated months, and every series
    and later year is scaled by the same factor, so later growth compounds from the nowcast
    level. Per-month arrays are chunk-local: shape (12 - k, stop - start).

    Returns
    -------
    ndarray, shape (12 - k, stop - start) — remaining months, USD million (empty if no nowcast)
    """
    cy, model = plan.current, plan.nowcast_model
    if cy is None or model is None:
        return np.empty((0, stop - start))
    total0 = out[:, :, 0].sum(axis=0)
    growth = total0 / float(plan.base_values.sum()) - 1.0
    z = draw_normals(entropy, "nowcast", start, stop, N_SCORES)
    rest = simulate_remaining(cy, model, growth=growth, z=z)
    factor = year_total(cy, rest) / total0
    out *= factor[None, :, None]
    return rest


def _current_year_extras(
    plan: Plan, values: FloatArray, months: list[FloatArray]
) -> dict[str, Any]:
    if plan.current is None:
        return {}
    from simulator.nowcast import current_year_summary

    sample = np.concatenate(months, axis=1)
    return {
        "current_year": current_year_summary(
            plan.current, sample, values[:, 0], plan.scenario.targets
        )
    }


def role_id(role: str) -> int:
    """Stable 32-bit id of a named random-number role (CRC-32 of its name)."""
    return zlib.crc32(role.encode("utf-8"))


def draw_normals(entropy: int, role: str, start: int, stop: int, rows: int) -> FloatArray:
    """Standard normal scores for paths ``start:stop``, shape (rows, stop - start).

    Drawn block by block from ``SeedSequence(entropy, spawn_key=(block, role_id(role)))``, so
    the scores of a path depend only on the run's entropy, the role and the path's index.
    """
    out = np.empty((rows, stop - start))
    b0, b1 = start // BLOCK, -(-stop // BLOCK)
    for b in range(b0, b1):
        lo, hi = max(start, b * BLOCK), min(stop, (b + 1) * BLOCK)
        ss = np.random.SeedSequence(entropy, spawn_key=(b, role_id(role)))
        gen = np.random.Generator(np.random.PCG64(ss))
        block = gen.standard_normal((rows, BLOCK))
        out[:, lo - start : hi - start] = block[:, lo - b * BLOCK : hi - b * BLOCK]
    return out


def _run_chunk(
    plan: Plan, entropy: int, start: int, stop: int, out: FloatArray
) -> tuple[FloatArray, FloatArray, dict[str, FloatArray]]:
    """Simulate paths ``start:stop`` into ``out`` (n_series, n, n_years).

    Returns counts of floor and cap binding by year, and of shock hits by year.
    """
    sc = plan.scenario
    n_years, n_series = len(plan.years), len(plan.series)
    rho = plan.persistence
    innov = np.stack(
        [draw_normals(entropy, f"growth:{s}", start, stop, n_years) for s in plan.series]
    )
    if n_series > 1:
        innov = np.einsum("ij,jtn->itn", plan.corr_chol, innov)
    # AR(1) in normal scores; z[0] ~ N(0, 1) so every year is N(0, 1) (stationary).
    z = innov
    if rho != 0.0:
        scale = np.sqrt(1.0 - rho * rho)
        for t in range(1, n_years):
            z[:, t] *= scale
            z[:, t] += rho * z[:, t - 1]
    # Marginals, in place: growth g[s, t, path]
    g = z
    for s in range(n_series):
        for t in range(n_years):
            g[s, t] = plan.growth[s][t].from_normal(z[s, t])
    series_index = {name: i for i, name in enumerate(plan.series)}
    year_index = {int(y): t for t, y in enumerate(plan.years)}
    for lever in sc.levers:
        amount = lever.from_normal(draw_normals(entropy, f"lever:{lever.name}", start, stop, 1)[0])
        rows = [series_index[c] for c in lever.components] if lever.components else range(n_series)
        for y in range(lever.years[0], lever.years[1] + 1):
            if y in year_index:
                for s in rows:
                    g[s, year_index[y]] += amount
    # Shocks: log multipliers on the level, shape (n_years, n) per affected series
    log_mult: dict[int, FloatArray] = {}
    hits: dict[str, FloatArray] = {}
    for shock in sc.shocks:
        u_z = draw_normals(entropy, f"shock:{shock.name}", start, stop, 2 * n_years)
        from scipy.special import ndtr

        occurs = ndtr(u_z[:n_years]) < shock.probability
        window = (plan.years >= shock.years[0]) & (plan.years <= shock.years[1])
        occurs &= window[:, None]
        if shock.once:
            occurs &= np.cumsum(occurs, axis=0) == 1
        impact = np.maximum(shock.impact.from_normal(u_z[n_years:]), -0.99)
        lm = np.where(occurs, np.log1p(impact), 0.0)
        if shock.recovery > 0 and n_years > 1:
            lm[1:] -= shock.recovery * lm[:-1]
        hits[shock.name] = occurs.sum(axis=1).astype(np.float64)
        rows = [series_index[c] for c in shock.components] if shock.components else range(n_series)
        for s in rows:
            log_mult[s] = log_mult[s] + lm if s in log_mult else lm
    for s, lm in log_mult.items():
        g[s] = (1.0 + g[s]) * np.exp(lm) - 1.0
    floor_hits = (g < plan.floor).sum(axis=(0, 2)).astype(np.float64)
    cap_hits = (g > plan.cap).sum(axis=(0, 2)).astype(np.float64)
    np.clip(g, plan.floor, plan.cap, out=g)
    # Compound: out[s, path, t] = base[s] * prod_{u<=t} (1 + g[s, u, path])
    g += 1.0
    np.cumprod(g, axis=1, out=g)
    g *= plan.base_values[:, None, None]
    out[...] = np.swapaxes(g, 1, 2)
    return floor_hits, cap_hits, hits


def _plan_error(scenario: Scenario, path: tuple[str | int, ...], message: str) -> Exception:
    from simulator.errors import ScenarioError
    from simulator.loader import locate
    from simulator.timeline import format_path

    file, line = locate(scenario, path)
    return ScenarioError(message, file=file, line=line, key=format_path(path))


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
