"""Conditional smoothing of P(hit): integrate the target year's growth out analytically.

A path hits a target ``L`` in year ``T`` when ``V_T = V_{T-1} (1 + g_T) >= L``. Given the path up
to ``T - 1`` the only randomness left is ``g_T = F_T^{-1}(Phi(z_T))`` with the AR(1) score
``z_T = rho z_{T-1} + sqrt(1 - rho^2) e_T``, ``e_T ~ N(0, 1)``. With ``c = L / V_{T-1} - 1`` and
``k = Phi^{-1}(F_T(c))``::

    P(hit | path to T-1) = P(g_T >= c | z_{T-1}) = Phi((rho z_{T-1} - k) / sqrt(1 - rho^2))

and, when limits clip growth to ``[floor, cap]``, 1 if ``c <= floor`` and 0 if ``c > cap``. The
previous score is recovered from the path, ``z_{T-1} = Phi^{-1}(F_{T-1}(g_{T-1}))`` with
``g_{T-1} = V_{T-1} / V_{T-2} - 1`` (``V_{-1}`` the base), and is not needed when ``rho = 0``.
Averaging this conditional probability over the paths estimates P(hit) without bias and with
less variance than the share of hits (Rao-Blackwell; Glasserman 2003, section 4.5), and it is
a smooth function of the scores, which is what lets randomized quasi-Monte Carlo converge
faster than ``1/sqrt(n)``.

It applies when the target year's growth is the scenario's marginal alone, so: a single
simulated series (no components); no lever or shock acting in year ``T`` (nor, when
``rho != 0`` or a shock recovers, in ``T - 1``); for ``rho != 0`` no limit binding in ``T - 1``;
the first projected year not nowcast (``T >= 1``, and ``T >= 2`` when ``rho != 0``, since the
nowcast scales every later year by one factor and so keeps later growth rates); and a marginal
with a continuous CDF. Elsewhere :func:`smoothed_p_hit` returns None and the share of hits is
used.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from simulator.scenario.schema import Target

if TYPE_CHECKING:
    from simulator.engine.runs import Projection
    from simulator.scenario.distributions import DistributionBase

FloatArray = NDArray[np.float64]


def smoothed_p_hit(projection: Projection, target: Target) -> FloatArray | None:
    """Per-path P(hit | the path up to the year before the target), or None where it cannot apply.

    Returns
    -------
    ndarray, shape (paths,) — conditional probabilities (0-1); their mean estimates P(hit)
    """
    from scipy.special import ndtr

    plan = projection.plan
    years = [int(y) for y in projection.years]
    if target.fiscal_year not in years or len(plan.series) != 1:
        return None
    t = years.index(target.fiscal_year)
    rho = float(plan.persistence)
    sc = plan.scenario
    need_prev = rho != 0.0
    if plan.current is not None and (t == 0 or (need_prev and t == 1)):
        return None
    touched = {target.fiscal_year}
    if need_prev:
        touched.add(years[t - 1] if t >= 1 else target.fiscal_year)
    for lever in sc.levers:
        if any(lever.years[0] <= y <= lever.years[1] for y in touched):
            return None
    for shock in sc.shocks:
        span = touched | ({years[t - 1]} if t >= 1 and shock.recovery > 0 else set())
        if any(shock.years[0] <= y <= shock.years[1] for y in span):
            return None
    binds = t >= 1 and (projection.floor_binds[t - 1] > 0 or projection.cap_binds[t - 1] > 0)
    if need_prev and binds:
        return None
    dist_t = plan.growth[0][t]
    score_t = _score(dist_t)
    if score_t is None:
        return None
    values = projection.values
    base = float(plan.base_values[0])
    prev_level = values[:, t - 1] if t >= 1 else np.full(values.shape[0], base)
    c = target.value / prev_level - 1.0
    k = score_t(c)
    if need_prev and t >= 1:
        score_p = _score(plan.growth[0][t - 1])
        if score_p is None:
            return None
        before = values[:, t - 2] if t >= 2 else base
        g_prev = values[:, t - 1] / before - 1.0
        z_prev = score_p(g_prev)
        # Where the previous score is off the end of the marginal, keep it finite.
        z_prev = np.clip(z_prev, -38.0, 38.0)
        p = ndtr((rho * z_prev - k) / math.sqrt(1.0 - rho * rho))
    else:
        p = ndtr(-k)
    p = np.where(c <= plan.floor, 1.0, p)
    p = np.where(c > plan.cap, 0.0, p)
    return np.asarray(p, dtype=np.float64)


def _score(dist: DistributionBase) -> Callable[[FloatArray], FloatArray] | None:
    """``x -> Phi^{-1}(F(x))`` for a continuous marginal (None for a point mass or another kind).

    Exact for normal and lognormal growth (no round trip through the CDF, so no loss in the
    tails); otherwise ``ndtri`` of SciPy's CDF.
    """
    from scipy.special import ndtri

    from simulator.scenario.distributions import LogNormal, Normal

    if isinstance(dist, Normal):
        if dist.sd <= 0:
            return None
        m, s = dist.mean_, dist.sd
        return lambda x: (x - m) / s
    if isinstance(dist, LogNormal):
        if dist.sd <= 0:
            return None
        mu, sig = dist.log_params
        return lambda x: (np.log(np.maximum(1.0 + x, 1e-300)) - mu) / sig
    try:
        frozen = dist.scipy_dist()
    except NotImplementedError:
        return None
    if getattr(frozen.dist, "_discrete", False) or not frozen.std() > 0:
        return None
    return lambda x: np.asarray(ndtri(np.clip(frozen.cdf(x), 0.0, 1.0)), dtype=np.float64)
