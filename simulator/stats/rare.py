"""Rare targets: an importance-sampling estimate of P(hit) when few paths reach it.

With ``n`` paths and ``h`` hits the share ``h / n`` has relative error ``sqrt((1-p)/(n p))``:
about 30% at 10 hits and infinite at 0. For a target with fewer than :data:`FEW_HITS` hits (or
misses) the summary adds a second run whose growth innovations are shifted by a constant vector
``mu`` towards the target, and weighs each path by the likelihood ratio of the standard normal
innovations ``e`` it used (drawn as ``e' = e + mu``)::

    w(e') = phi(e') / phi(e' - mu) = exp(-mu . e' + |mu|^2 / 2) = exp(-mu . e - |mu|^2 / 2)

so ``E[1{hit} w]`` under the shifted run is exactly P(hit) under the scenario (any ``mu``; only the
variance depends on it). ``mu`` is chosen by a pilot run of :data:`PILOT` plain paths: an ordinary
least-squares fit of ``log(total in the target year)`` on the innovations up to that year,
``a + c . e``, and the shift that moves the fitted log total to the target,
``mu = (log(target) - a) c / |c|^2`` (the optimal mean shift when the log total is linear in the
scores, as with lognormal growth; Glasserman, *Monte Carlo Methods in Financial Engineering*,
2003, section 4.6). When the rare side is a miss (nearly every path hits) the same shift towards
the target estimates P(miss), and P(hit) = 1 - P(miss).

The plain paths are untouched: the fan chart and the quantiles never use the shifted run.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from simulator.engine.streams import SOBOL_POINTS, Sampler, randomization_error, role_id
from simulator.scenario.schema import Target

if TYPE_CHECKING:
    from simulator.engine.runs import Projection

logger = logging.getLogger(__name__)

#: Below this many hits (or misses) the summary adds an importance-sampling estimate.
FEW_HITS = 100
#: Plain paths of the pilot run that fits the shift.
PILOT = 4096
#: Most paths of the shifted run (its relative error is tiny long before this).
MAX_PATHS = 100_000


@dataclass(frozen=True)
class RareEstimate:
    """An importance-sampling estimate of P(hit).

    Attributes
    ----------
    p_hit, se : float — the estimate and its simulation (standard) error, probability 0-1
    side : "hit" or "miss" — which event was sampled (the rarer one)
    paths : int — paths of the shifted run
    shift : dict of str to list of float — mean shift of each growth role's innovations, by year
    hits : int — paths of the shifted run on the sampled side
    mean_weight : float — average likelihood ratio (1 in expectation; a check)
    ess : float — effective sample size of the weighted sampled-side paths, ``(sum w)^2 / sum w^2``
    """

    p_hit: float
    se: float
    side: str
    paths: int
    shift: dict[str, list[float]]
    hits: int
    mean_weight: float
    ess: float


def importance_estimate(
    projection: Projection, target: Target, *, threads: int | None = None
) -> RareEstimate | None:
    """P(hit) of ``target`` by a mean shift of the growth scores (None where it cannot apply).

    The shifted run uses the projection's plan and sampler, ``min(paths, MAX_PATHS)`` paths and
    a seed derived from the projection's entropy and the target's name, so it is reproducible.
    None when the target year is not projected or its total does not depend on the growth
    scores.
    """
    import dataclasses

    plan = projection.plan
    years = projection.years
    idx = np.flatnonzero(years == target.fiscal_year)
    if idx.size == 0:
        return None
    t_idx = int(idx[0])
    n_series = len(plan.series)
    rows = len(years)
    x = projection.values[:, t_idx]
    hits = int(np.count_nonzero(x >= target.value))
    side = "hit" if hits <= x.size - hits else "miss"
    base = Sampler(kind=plan.sampler.kind, series=plan.series, rows=rows, points=SOBOL_POINTS)
    # Pilot: plain paths, their innovations and log totals.
    pilot_seed = _derived(projection.seed_entropy, f"importance-pilot:{target.name}")
    pilot_sampler = Sampler(series=plan.series, rows=rows)
    pilot = projection.rerun(pilot_sampler, paths=PILOT, seed=pilot_seed, threads=threads)
    e = _innovations(pilot_sampler, pilot.seed_entropy, plan.series, rows, 0, PILOT)
    k = t_idx + 1
    design = np.concatenate([e[s, :k] for s in range(n_series)], axis=0).T  # (PILOT, n_series*k)
    y = np.log(np.maximum(pilot.values[:, t_idx], 1e-300))
    coef, *_ = np.linalg.lstsq(np.column_stack([np.ones(PILOT), design]), y, rcond=None)
    a, c = float(coef[0]), coef[1:]
    norm2 = float(c @ c)
    if not math.isfinite(norm2) or norm2 < 1e-12:
        return None
    mu = (math.log(target.value) - a) * c / norm2
    shift_rows = np.zeros((n_series, rows))
    for s in range(n_series):
        shift_rows[s, :k] = mu[s * k : (s + 1) * k]
    shift = {
        f"growth:{name}": tuple(float(v) for v in shift_rows[s])
        for s, name in enumerate(plan.series)
    }
    n = min(projection.paths, MAX_PATHS)
    seed = _derived(projection.seed_entropy, f"importance:{target.name}")
    shifted = dataclasses.replace(base, shift=shift)
    run = projection.rerun(shifted, paths=n, seed=seed, threads=threads)
    # Likelihood ratios, from the unshifted innovations of the same streams.
    e = _innovations(base, run.seed_entropy, plan.series, rows, 0, n)
    log_w = -np.einsum("st,stn->n", shift_rows, e) - 0.5 * float(np.sum(shift_rows**2))
    xs = run.values[:, t_idx]
    event = xs >= target.value if side == "hit" else xs < target.value
    # A target many standard deviations away needs a shift so large that the weights under- or
    # overflow (near-certain scenarios): the estimate is then no better than the plain count,
    # whose exact bound the summary reports instead.
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        w = np.exp(log_w)
        f = np.where(event, w, 0.0)
        q = float(f.mean())
        if base.kind == "sobol":
            se = randomization_error(f, points=base.points)
            if not math.isfinite(se):
                se = float(f.std(ddof=1) / math.sqrt(n))
        else:
            se = float(f.std(ddof=1) / math.sqrt(n)) if n > 1 else float("nan")
        we = w[event]
        ess = float(we.sum() ** 2 / np.sum(we * we)) if we.size else 0.0
        mean_weight = float(w.mean())
    if not all(math.isfinite(v) for v in (q, se, ess, mean_weight)):
        logger.info(
            "importance sampling for %s gave non-finite weights; kept the plain count", target.name
        )
        return None
    return RareEstimate(
        p_hit=q if side == "hit" else 1.0 - q,
        se=se,
        side=side,
        paths=n,
        shift={k_: list(v) for k_, v in shift.items()},
        hits=int(np.count_nonzero(event)),
        mean_weight=mean_weight,
        ess=ess,
    )


def _innovations(
    sampler: Sampler, entropy: int, series: tuple[str, ...], rows: int, start: int, stop: int
) -> NDArray[np.float64]:
    """The unshifted innovations of every growth role, shape (n_series, rows, stop - start)."""
    plain = Sampler(
        kind=sampler.kind, series=sampler.series, rows=sampler.rows, points=sampler.points
    )
    return np.stack(
        [plain.normals(entropy, f"growth:{name}", start, stop, rows) for name in series]
    )


def _derived(entropy: int, role: str) -> int:
    """A reproducible seed for a helper run: 128 bits from ``SeedSequence(entropy, (role,))``."""
    words = np.random.SeedSequence(entropy, spawn_key=(role_id(role),)).generate_state(4)
    return int.from_bytes(words.astype("<u4").tobytes(), "little")
