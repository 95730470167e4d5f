"""What charts need beyond the summary (``chart_data.json``): the distribution of the total in
each target year, and a few representative paths for a spaghetti plot. Money is USD million.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from simulator.scenario.schema import Target
from simulator.stats.summary import ChartData, SamplePaths, TargetDistribution
from simulator.stats.targets import hit_indicators, target_values

if TYPE_CHECKING:
    from simulator.engine.runs import Projection


def target_distribution(
    values: NDArray[np.float64],
    years: NDArray[np.int64],
    target: Target,
    *,
    bins: int = 60,
    clip: tuple[float, float] = (0.001, 0.999),
) -> TargetDistribution | None:
    """Histogram (density) of the simulated total in a target's fiscal year.

    The range runs over the central ``clip`` quantiles of the paths, widened to include the
    target, so one extreme path cannot squash the picture. Paths outside the range are not
    drawn (piling them into the edge bins made a false spike at the chart's edge); their
    shares are reported as ``below_range`` and ``above_range``, so the bar areas plus those
    shares sum to one. The bins are aligned so that the target is a bin edge: the area of the
    bins at or above it, plus ``above_range``, is exactly ``p_hit``.

    Parameters
    ----------
    values : ndarray, shape (paths, n_years) — USD million
    years : ndarray of int, shape (n_years,)
    target : Target
    bins : int
        Number of equal-width bins.
    clip : (float, float)
        Quantiles bounding the histogram range.

    Returns
    -------
    TargetDistribution or None
        None when the target year is not projected.
    """
    hits = hit_indicators(values, years, target)
    if hits is None:
        return None
    x = values[:, int(np.flatnonzero(years == target.fiscal_year)[0])]
    lo, hi = (float(v) for v in np.quantile(x, clip))
    lo, hi = min(lo, target.value * 0.98), max(hi, target.value * 1.02)
    width = (hi - lo) / bins
    k = math.ceil((target.value - lo) / width)  # bins below the target
    lo = target.value - k * width
    edges = lo + width * np.arange(bins + 1)
    hi = float(edges[-1])
    counts, _ = np.histogram(x, bins=edges)
    density = counts / (x.size * np.diff(edges))
    below = float(np.count_nonzero(x < lo)) / x.size
    above = float(np.count_nonzero(x > hi)) / x.size
    return TargetDistribution(
        name=target.name,
        fiscal_year=target.fiscal_year,
        value=target.value,
        kind=target.kind,
        edges=tuple(float(e) for e in edges),
        density=tuple(float(d) for d in density),
        below_range=below,
        above_range=above,
        p_hit=float(hits.mean()),
        p50=float(np.median(x)),
    )


def sample_path_indices(values: NDArray[np.float64], n: int = 40) -> NDArray[np.int64]:
    """Indices of ``n`` representative paths, for a spaghetti plot.

    The paths are ranked by their last-year value and the ones at the ranks of the quantiles
    ``(i + 0.5) / n`` are taken: a stratified, deterministic sample that shows the whole spread
    (a random draw of 40 paths often misses both tails).

    Parameters
    ----------
    values : ndarray, shape (paths, n_years) — USD million
    n : int
        Number of paths wanted (at most ``paths``).

    Returns
    -------
    ndarray of int, shape (min(n, paths),)
    """
    order = np.argsort(values[:, -1], kind="stable")
    k = min(n, order.size)
    ranks = ((np.arange(k) + 0.5) / k * order.size).astype(np.int64)
    return np.asarray(order[ranks], dtype=np.int64)


def chart_data(projection: Projection, *, sample_paths: int = 40) -> ChartData:
    """The statistics charts need beyond the summary (``chart_data.json``).

    Returns
    -------
    ChartData
        one :func:`target_distribution` per projected target, and ``sample_paths``
        representative paths (:func:`sample_path_indices`).
    """
    values, years = projection.values, projection.years
    dists = [
        target_distribution(target_values(projection, t), years, t)
        for t in projection.scenario.targets
    ]
    idx = sample_path_indices(values, sample_paths)
    return ChartData(
        distributions=tuple(d for d in dists if d is not None),
        sample_paths=SamplePaths(
            fiscal_years=tuple(int(y) for y in years),
            values=tuple(tuple(float(v) for v in row) for row in values[idx]),
        ),
    )
