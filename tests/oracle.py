"""Test oracle: the engine's model path by path in plain Python (tiny cases only)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from simulator.data.timeline import actuals_for, build_timeline
from simulator.engine.paths import ramp_share
from simulator.engine.runs import make_plan
from simulator.engine.streams import draw_normals
from simulator.scenario.schema import Scenario

FloatArray = NDArray[np.float64]


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
            carry = [0.0] * n_years
            for t in range(n_years):
                eps = sum(float(plan.corr_chol[s][j]) * float(e[j][t][p]) for j in range(n_series))
                zt = eps if t == 0 else rho * zprev + math.sqrt(1 - rho * rho) * eps
                zprev = zt
                g = float(plan.growth[s][t].from_normal(np.array([zt]))[0])
                year = int(plan.years[t])
                for lv, amt in zip(scenario.levers, levers, strict=True):
                    applies = lv.components is None or plan.series[s] in lv.components
                    if applies and lv.years[0] <= year <= lv.years[1]:
                        share = ramp_share(lv.ramp, year - lv.years[0])
                        g += share * float(lv.from_normal(np.array([amt[p]]))[0])
                lm = carry[t]
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
                        for d in range(1, sh.duration):
                            if t + d < n_years:
                                carry[t + d] += math.log1p(imp)
                        if t + sh.duration < n_years:
                            carry[t + sh.duration] -= sh.recovery * sh.duration * math.log1p(imp)
                g = (1 + g) * math.exp(lm) - 1
                g = min(max(g, plan.floor), plan.cap)
                level *= 1 + g
                total[t] += level
        out[p] = total
    return out
