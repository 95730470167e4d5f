"""The block model: growth paths over fiscal years for one block of paths, compounded from the base.

For each simulated series (the total, or each component) the annual growth surprises are
standard normal scores ``z[t]`` that follow a stationary AR(1),
``z[t] = rho * z[t-1] + sqrt(1 - rho**2) * e[t]``, with the innovations ``e`` correlated across
components by the scenario's ``correlation``. Each year's growth is ``F_t^{-1}(Phi(z[t]))``: a
Gaussian copula, so every year's marginal is exactly the distribution the scenario declares
(Nelsen, *An Introduction to Copulas*, 2006). Levers add a draw (one per path) to growth over
their years; shocks multiply a year's level by ``1 + impact`` and undo a share ``recovery`` of
that (in logs) the next year; ``limits`` clip each year's effective growth.

Randomness comes from :mod:`simulator.engine.streams`: one ``SeedSequence`` per run, one
stream per block of :data:`~simulator.engine.streams.BLOCK` paths and named role (or, with the
``sobol`` sampler, randomized scrambled Sobol growth scores addressed by path index the same
way): ``plan.sampler``.

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

import math
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from simulator.engine.nowcast import N_SCORES, score_roles, simulate_remaining, year_total
from simulator.engine.streams import BLOCK, draw_normals

if TYPE_CHECKING:
    from simulator.engine.runs import Plan

FloatArray = NDArray[np.float64]

#: Paths whose remaining-month values are kept for the monthly quantiles of the current year.
MONTH_SAMPLE = 100_000


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
                # --- lever ramp (issue 12): a share 1/N, 2/N, ... of the amount ---
                share = ramp_share(lever.ramp, y - lever.years[0])
                step = amount if share == 1.0 else amount * share
                for s in rows:
                    g[s, year_index[y]] += step
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
        # --- shock duration (issue 12): the strike lowers N consecutive years; recovery
        # (a share r of the N years' loss) comes in the year after the last ---
        _spread_shock(this, shock.duration, shock.recovery, ws.scratch)
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


def _apply_nowcast(
    plan: Plan, entropy: int, start: int, stop: int, level: FloatArray
) -> FloatArray:
    """Condition the first projected year on the months already reported (in place).

    The scenario's total for that year (after levers, shocks and limits) is the prior that
    :func:`simulator.engine.nowcast.simulate_remaining` updates with the months reported
    (``docs/nowcast.md``). The year's total becomes observed + simulated months, and every series
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
    # One stream per role (the year's level, each fiscal month not yet reported, the parameter
    # draw): reported months cost no draws (their rows stay 0).
    z = np.zeros((N_SCORES, stop - start))
    for row, role in score_roles(cy.months_observed):
        draw_normals(entropy, role, start, stop, 1, out=z[row : row + 1])
    rest = simulate_remaining(cy, model, prior_total=total0, z=z)
    factor = year_total(cy, rest) / total0
    level *= factor[None, None, :]
    return rest


def ramp_share(ramp: int | None, k: int) -> float:
    """Share of a lever's drawn amount in the ``k``-th year of its range (k = 0 is the first).

    Linear phase-in: ``min(1, (k + 1) / ramp)``; 1 without a ramp.
    """
    if ramp is None or k + 1 >= ramp:
        return 1.0
    return (k + 1) / ramp


def _spread_shock(this: FloatArray, duration: int, recovery: float, scratch: FloatArray) -> None:
    """Turn strike-year log impacts into a shock's log multipliers on each year, in place.

    ``this`` (n_years, n) holds ``log(1 + impact)`` in the years a shock struck and 0 elsewhere.
    Afterwards year t holds the sum over strikes at s <= t < s + duration of their log impact,
    minus ``recovery * duration`` times the log impact of a strike at s = t - duration.
    """
    n_years = this.shape[0]
    if duration == 1:
        if recovery > 0 and n_years > 1:
            this[1:] -= np.multiply(this[:-1], recovery, out=scratch[1:])
        return
    strikes = scratch
    np.copyto(strikes, this)
    for d in range(1, min(duration, n_years)):
        this[d:] += strikes[:-d]
    if recovery > 0 and duration < n_years:
        this[duration:] -= strikes[:-duration] * (recovery * duration)


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
