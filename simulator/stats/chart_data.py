"""What charts need beyond the summary (``chart_data.json``): the distribution of the total in
each target year, and a few representative paths for a spaghetti plot. Money is USD million.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from simulator.scenario.schema import Target
from simulator.stats.jsonable import JSONDict
from simulator.stats.summary import TargetStats
from simulator.stats.targets import hit_indicators, target_values

if TYPE_CHECKING:
    from simulator.engine.runs import Projection


@dataclass(frozen=True)
class TargetDistribution:
    """Histogram (density) of the simulated total in one target's fiscal year
    (:func:`simulator.stats.chart_data.target_distribution`).

    ``edges`` (bins + 1, USD million) put the target on a bin edge; ``density`` (bins, per
    USD million); ``below_range`` / ``above_range`` are the shares of paths outside the
    edges; ``p_hit`` is the plain share of paths at or above the target, ``p50`` the median.
    """

    name: str
    fiscal_year: int
    value: float
    kind: str
    edges: tuple[float, ...]
    density: tuple[float, ...]
    below_range: float
    above_range: float
    p_hit: float
    p50: float

    def to_dict(self) -> JSONDict:
        return {
            "name": self.name,
            "fiscal_year": self.fiscal_year,
            "value": self.value,
            "kind": self.kind,
            "edges": list(self.edges),
            "density": list(self.density),
            "below_range": self.below_range,
            "above_range": self.above_range,
            "p_hit": self.p_hit,
            "p50": self.p50,
        }


@dataclass(frozen=True)
class SamplePaths:
    """A few representative paths for a spaghetti plot: ``values[i][t]`` is path ``i`` in
    ``fiscal_years[t]`` (USD million)."""

    fiscal_years: tuple[int, ...]
    values: tuple[tuple[float, ...], ...]

    def to_dict(self) -> JSONDict:
        return {
            "fiscal_years": list(self.fiscal_years),
            "values": [list(row) for row in self.values],
        }


@dataclass(frozen=True)
class ChartData:
    """What charts need beyond the :class:`Summary` (``chart_data.json``): one distribution
    per projected target, and the sample paths."""

    distributions: tuple[TargetDistribution, ...]
    sample_paths: SamplePaths

    def to_dict(self) -> JSONDict:
        return {
            "distributions": [d.to_dict() for d in self.distributions],
            "sample_paths": self.sample_paths.to_dict(),
        }

    @staticmethod
    def from_dict(data: Mapping[str, Any]) -> ChartData:
        """The chart data a ``chart_data.json`` object holds (inverse of :meth:`to_dict`)."""
        dists = []
        for d in data["distributions"]:
            fields = {**d, "edges": tuple(d["edges"]), "density": tuple(d["density"])}
            dists.append(TargetDistribution(**fields))
        sp = data["sample_paths"]
        return ChartData(
            distributions=tuple(dists),
            sample_paths=SamplePaths(
                fiscal_years=tuple(sp["fiscal_years"]),
                values=tuple(tuple(row) for row in sp["values"]),
            ),
        )

    def distribution(self, target: TargetStats) -> TargetDistribution | None:
        """The distribution of ``target``'s year, or None when it has none."""
        return next(
            (
                d
                for d in self.distributions
                if (d.name, d.fiscal_year) == (target.name, target.fiscal_year)
            ),
            None,
        )


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
