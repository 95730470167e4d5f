"""What the winning paths looked like: how the paths that reached a target differ in each input.

For a target, the paths that reached it are compared with all paths in every random input up
to the target's year: each year's realized growth of the total, the average growth from the
base to the target year, each lever's draw and whether each shock struck. For each input this
gives the median among the hitting paths, the median over all paths and the difference of the
means in standard deviations of all paths (shocks: the share of paths struck, and the same
difference) — the contrast @RISK calls "what the successful iterations looked like".

No input is stored by the engine: realized growth is ``values[:, t] / values[:, t - 1] - 1``,
and the lever and shock inputs are drawn again from the run's entropy with
:func:`simulator.engine.paths.draw_normals` by role (``lever:<name>``, ``shock:<name>``), the
same scores the engine used (common random numbers make them reproducible).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from simulator.fiscal import label as fy_label
from simulator.scenario.schema import Target

if TYPE_CHECKING:
    from simulator.engine.runs import Projection

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class InputContrast:
    """One input, in the paths that reached a target and in all paths.

    Attributes
    ----------
    name : str — such as "growth FY28", "growth to FY29 (a year)", "lever ai_push",
        "shock slowdown struck"
    kind : str — growth, lever or shock
    hit : float — median among the hitting paths (a shock: the share struck), growth as a
        fraction
    overall : float — the same over all paths
    diff_sd : float — (mean in hitting paths - mean in all) / sd in all (0 if the sd is 0)
    """

    name: str
    kind: str
    hit: float
    overall: float
    diff_sd: float


@dataclass(frozen=True)
class WinningPaths:
    """How the paths that reached ``target`` differ from all paths.

    Attributes
    ----------
    target : Target
    hits, paths : int — paths that reached it, and all paths
    inputs : tuple of InputContrast
    """

    target: Target
    hits: int
    paths: int
    inputs: tuple[InputContrast, ...]


def _contrast(name: str, kind: str, x: FloatArray, hit: NDArray[np.bool_]) -> InputContrast:
    sd = float(x.std())
    diff = (float(x[hit].mean()) - float(x.mean())) / sd if sd > 0 else 0.0
    if kind == "shock":
        return InputContrast(name, kind, float(x[hit].mean()), float(x.mean()), diff)
    return InputContrast(name, kind, float(np.median(x[hit])), float(np.median(x)), diff)


def random_inputs(projection: Projection, up_to: int) -> list[tuple[str, str, FloatArray]]:
    """Every random input of each path up to fiscal year ``up_to``, as (name, kind, values).

    Realized growth of the total each year and on average from the base (fractions), each
    lever's draw (growth points as a fraction, levers that start by ``up_to``), and for each
    shock whose window opens by ``up_to`` whether it struck (1.0) or not (0.0). Arrays have
    shape (paths,).
    """
    from scipy.special import ndtr

    from simulator.engine.streams import draw_normals

    years = projection.years
    t_end = int(np.flatnonzero(years <= up_to)[-1])
    values = projection.values
    base = float(projection.plan.base_values.sum())
    out: list[tuple[str, str, FloatArray]] = []
    prev = np.full(values.shape[0], base)
    for t in range(t_end + 1):
        out.append((f"growth {fy_label(int(years[t]))}", "growth", values[:, t] / prev - 1.0))
        prev = values[:, t]
    cagr = (values[:, t_end] / base) ** (1.0 / (t_end + 1)) - 1.0
    out.append((f"growth to {fy_label(int(years[t_end]))} (a year)", "growth", cagr))
    n, entropy, n_years = projection.paths, projection.seed_entropy, len(years)
    sc = projection.scenario
    for lever in sc.levers:
        if lever.years[0] <= up_to:
            z = draw_normals(entropy, f"lever:{lever.name}", 0, n, 1)[0]
            out.append((f"lever {lever.name}", "lever", lever.from_normal(z)))
    for shock in sc.shocks:
        if shock.years[0] > up_to:
            continue
        u = draw_normals(entropy, f"shock:{shock.name}", 0, n, 2 * n_years)[:n_years]
        occurs = ndtr(u) < shock.probability
        occurs &= ((years >= shock.years[0]) & (years <= shock.years[1]))[:, None]
        if shock.once:
            occurs &= np.cumsum(occurs, axis=0) == 1
        struck = occurs[: t_end + 1].any(axis=0).astype(np.float64)
        out.append((f"shock {shock.name} struck", "shock", struck))
    return out


def winning_paths(projection: Projection, target: Target) -> WinningPaths | None:
    """Contrast the paths that reached ``target`` with all paths, input by input.

    Parameters
    ----------
    projection : Projection — from :func:`simulator.engine.paths.simulate`
    target : Target

    Returns
    -------
    WinningPaths (with no inputs when no path reached it), or None when the target's year is
    not projected.
    """
    idx = np.flatnonzero(projection.years == target.fiscal_year)
    if idx.size == 0:
        return None
    hit = projection.values[:, int(idx[0])] >= target.value
    n_hit = int(np.count_nonzero(hit))
    if n_hit == 0:
        return WinningPaths(target, 0, projection.paths, ())
    inputs = random_inputs(projection, target.fiscal_year)
    contrasts = tuple(_contrast(name, kind, x, hit) for name, kind, x in inputs)
    return WinningPaths(target, n_hit, projection.paths, contrasts)
