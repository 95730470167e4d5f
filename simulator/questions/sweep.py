"""Sweeps: a design of points over a scenario's keys, each point a full Monte Carlo run.

A sweep varies one or more **keys** of a scenario (:mod:`simulator.questions.variants`:
``growth[0].mean``, ``persistence``, ``levers.NAME.high``, ``shocks.NAME.probability``, a
distribution's ``.shift``; :func:`~simulator.questions.variants.sweepable_keys` lists them).

The points are a grid (every combination of ``n`` evenly spaced values per key) or a scrambled
Sobol' sequence over the keys' ranges (``design="sobol"``; Owen-scrambled, balanced when the
number of points is a power of 2). Each point is the scenario with the keys set, re-validated
through the schema (a value the scenario format does not allow is a user error naming the key),
and simulated with the run's seed: the engine gives every named role the same normal scores
whatever the assumptions, so the difference between two points comes from the assumptions
alone (common random numbers), response curves are smooth, and a higher growth mean can never
lower P(hit).

Points run through :mod:`simulator.questions.points` on any
:class:`~simulator.engine.executors.Executor`, so a sweep's results and files are identical on
one thread, several processes or a Dask cluster. This module holds the design, the result
(:class:`SweepResult`, ``sweep.csv``/``sweep.json``) and the chart data drawn from it.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import re
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from simulator import __version__
from simulator.engine.executors import Executor
from simulator.errors import did_you_mean
from simulator.questions.points import run_design, run_seed
from simulator.questions.variants import SweepError, base_value, resolve_key
from simulator.scenario.schema import Scenario, Target
from simulator.stats.targets import scenario_info, wilson_interval

#: Designs a sweep can use.
DESIGNS = ("grid", "sobol")


# --- Ranges and designs -----------------------------------------------------------------------


@dataclass(frozen=True)
class Vary:
    """One varied key and its range.

    Attributes
    ----------
    key : str — as written, such as ``growth[0].mean``
    low, high : float — the range, in the key's own units (growth as a fraction)
    n : int or None — grid values (``None`` for a Sobol' design, where it is not needed)
    """

    key: str
    low: float
    high: float
    n: int | None = None

    def values(self) -> list[float]:
        """The grid values, ``n`` evenly spaced from ``low`` to ``high`` inclusive."""
        n = self.n or 1
        if n == 1:
            return [self.low]
        return [float(v) for v in np.linspace(self.low, self.high, n)]


_VARY = re.compile(r"^(?P<key>[^=]+)=(?P<lo>[^:]+):(?P<hi>[^:]+)(?::(?P<n>[^:]+))?$")


def parse_vary(text: str, *, need_n: bool = True) -> Vary:
    """Parse ``KEY=LO:HI:N`` (``KEY=LO:HI`` when ``need_n`` is false).

    Raises
    ------
    SweepError
        For any other form, a non-number, a range that runs backwards or N below 2.
    """
    form = "KEY=LO:HI:N, such as growth[0].mean=0.10:0.30:9"
    m = _VARY.match(text.strip())
    if m is None:
        raise SweepError(f"cannot read '{text}'; expected {form}", key="--vary")
    try:
        lo, hi = float(m["lo"]), float(m["hi"])
    except ValueError:
        raise SweepError(
            f"LO and HI must be numbers in '{text}'; expected {form}", key="--vary"
        ) from None
    if not (math.isfinite(lo) and math.isfinite(hi)) or lo > hi:
        raise SweepError(f"need finite LO <= HI in '{text}'; expected {form}", key="--vary")
    n: int | None = None
    if m["n"] is not None:
        if not m["n"].isdigit() or int(m["n"]) < 2:
            raise SweepError(f"N must be a whole number >= 2 in '{text}'", key="--vary")
        n = int(m["n"])
    elif need_n:
        raise SweepError(f"a grid needs N values in '{text}'; expected {form}", key="--vary")
    return Vary(key=m["key"].strip(), low=lo, high=hi, n=n)


def design_points(
    varies: Sequence[Vary], *, design: str = "grid", points: int | None = None, entropy: int = 0
) -> Iterator[tuple[float, ...]]:
    """The points of a design, one tuple of values (in ``varies`` order) per point.

    A grid is produced lazily (itertools.product); a Sobol' design draws ``points`` points of
    an Owen-scrambled Sobol' sequence (scipy.stats.qmc) seeded from the run's ``entropy``.
    """
    if design == "grid":
        yield from itertools.product(*(v.values() for v in varies))
        return
    from scipy.stats import qmc

    if not points:
        raise SweepError("a Sobol' design needs --points N", key="--design")
    rng = np.random.default_rng(np.random.SeedSequence(entropy, spawn_key=(0x5EE9,)))
    with warnings.catch_warnings():
        # Any n is valid; a power of 2 keeps the sequence's balance (the docs say so).
        warnings.filterwarnings("ignore", message=".*balance properties.*", category=UserWarning)
        unit = qmc.Sobol(len(varies), scramble=True, rng=rng).random(points)
    lows = np.array([v.low for v in varies])
    highs = np.array([v.high for v in varies])
    for row in lows + unit * (highs - lows):
        yield tuple(float(x) for x in row)


def n_points(varies: Sequence[Vary], *, design: str, points: int | None) -> int:
    """How many points a design has."""
    if design == "grid":
        return math.prod(v.n or 1 for v in varies)
    return int(points or 0)


# --- A sweep ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetPoint:
    """One target at one point.

    Attributes
    ----------
    p_hit : float — 0-1
    p_hit_ci95 : (float, float) — simulation error: Wilson 95% interval
    median : float — median total in the target's year, USD million
    """

    p_hit: float
    p_hit_ci95: tuple[float, float]
    median: float


@dataclass(frozen=True)
class SweepPoint:
    """One point of a sweep: its values (in the order of :attr:`SweepResult.varies`) and targets."""

    values: tuple[float, ...]
    targets: tuple[TargetPoint, ...]


@dataclass(frozen=True)
class SweepResult:
    """What :func:`sweep` found.

    Attributes
    ----------
    scenario : Scenario
    varies : tuple of Vary
    base_values : tuple of float — each key's value in the scenario as written
    design : str — grid or sobol
    targets : tuple of Target — the projected targets
    points : tuple of SweepPoint — in design order
    paths, seed : the common random numbers every point used
    data_vintage : str
    """

    scenario: Scenario
    varies: tuple[Vary, ...]
    base_values: tuple[float, ...]
    design: str
    targets: tuple[Target, ...]
    points: tuple[SweepPoint, ...]
    paths: int
    seed: int
    data_vintage: str

    def p_hit(self, target: int) -> np.ndarray[Any, np.dtype[np.float64]]:
        """P(hit) of target number ``target`` at every point, shape (n_points,)."""
        return np.array([p.targets[target].p_hit for p in self.points])

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (``sweep.json``): money USD million, probabilities 0-1."""
        keys = [v.key for v in self.varies]
        return {
            "scenario": scenario_info(self.scenario).to_dict(),
            "run": {
                "paths": self.paths,
                "seed": self.seed,
                "seed_entropy": str(self.seed),
                "version": __version__,
                "data_vintage": self.data_vintage,
                "design": self.design,
                "points": len(self.points),
            },
            "method": (
                "Every point is the scenario with the varied keys set, simulated on the same "
                "seed (common random numbers). p_hit_ci95 is the simulation error (Wilson 95% "
                "interval); median is the total in the target's fiscal year."
            ),
            "vary": [
                {"key": v.key, "low": v.low, "high": v.high, "n": v.n, "base": b}
                for v, b in zip(self.varies, self.base_values, strict=True)
            ],
            "targets": [t.model_dump() for t in self.targets],
            "points": [
                {
                    "values": dict(zip(keys, p.values, strict=True)),
                    "targets": {
                        t.name: {
                            "p_hit": tp.p_hit,
                            "p_hit_ci95": list(tp.p_hit_ci95),
                            "median": tp.median,
                        }
                        for t, tp in zip(self.targets, p.targets, strict=True)
                    },
                }
                for p in self.points
            ],
        }


def sweep(
    scenario: Scenario,
    varies: Sequence[Vary],
    *,
    design: str = "grid",
    points: int | None = None,
    paths: int | None = None,
    seed: int | None = None,
    executor: Executor | None = None,
    actuals: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> SweepResult:
    """Run ``scenario`` at every point of a design over ``varies``, on common random numbers.

    Parameters
    ----------
    scenario : Scenario
    varies : sequence of Vary — the keys and their ranges (see :func:`sweepable_keys`)
    design : {"grid", "sobol"}
    points : int, optional — number of points of a Sobol' design
    paths : int, optional — paths per point (default: the scenario's)
    seed : int, optional — default: the scenario's, else fresh entropy (recorded)
    executor : Executor, optional — default: threads in this process
    actuals : str, optional — CSV of monthly actuals
    progress : callable, optional — called with 1 as each point finishes

    Returns
    -------
    SweepResult

    Raises
    ------
    SweepError
        Unknown or repeated key, unknown design, or no target in the projected years.
    ScenarioError
        A value at the end of a range (or any point) that the scenario format refuses.

    Examples
    --------
    >>> res = sweep(sc, [Vary("growth[0].mean", 0.1, 0.3, 5)], paths=5_000)  # doctest: +SKIP
    >>> res.p_hit(1)  # doctest: +SKIP
    array([0.06, 0.13, 0.24, 0.38, 0.53])
    """
    if design not in DESIGNS:
        raise SweepError(
            f"unknown design '{design}'{did_you_mean(design, DESIGNS)}; expected one of: "
            + ", ".join(DESIGNS),
            key="--design",
        )
    if not varies:
        raise SweepError("nothing to vary; give at least one --vary KEY=LO:HI:N", key="--vary")
    seen = [v.key for v in varies]
    for i, k in enumerate(seen):
        if k in seen[:i]:
            raise SweepError(f"key '{k}' is varied twice; vary each key once", key="--vary")
    if design == "grid":
        for v in varies:
            if v.n is None:
                raise SweepError(f"a grid needs N values for '{v.key}' (KEY=LO:HI:N)", key="--vary")
    paths_ = scenario.paths if paths is None else int(paths)
    seed_ = run_seed(scenario, seed)
    keys = [resolve_key(scenario, v.key) for v in varies]
    results, projected = run_design(
        scenario,
        keys,
        design_points(varies, design=design, points=points, entropy=seed_),
        labels=seen,
        ends=[(v.low, v.high) for v in varies],
        paths=paths_,
        seed=seed_,
        executor=executor,
        actuals=actuals,
        progress=progress,
    )
    values = list(design_points(varies, design=design, points=points, entropy=seed_))
    pts = tuple(
        SweepPoint(
            values=vals,
            targets=tuple(
                TargetPoint(
                    p_hit=r.hits[i] / r.paths,
                    p_hit_ci95=wilson_interval(r.hits[i], r.paths),
                    median=r.medians[i],
                )
                for i in projected
            ),
        )
        for vals, r in zip(values, results, strict=True)
    )
    return SweepResult(
        scenario=scenario,
        varies=tuple(varies),
        base_values=tuple(base_value(scenario, p) for p in keys),
        design=design,
        targets=tuple(scenario.targets[i] for i in projected),
        points=pts,
        paths=paths_,
        seed=seed_,
        data_vintage=results[0].data_vintage,
    )


def sweep_csv(result: SweepResult) -> str:
    """CSV text (``sweep.csv``): one row per point.

    Columns: ``point``, each varied key, then per target ``p_hit:<name>``,
    ``p_hit_ci95_lo:<name>`` and ``p_hit_ci95_hi:<name>`` (0-1; the interval is the simulation
    error) and ``median:<name>`` (USD million, the total in the target's year).
    """
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    head = ["point", *(v.key for v in result.varies)]
    for t in result.targets:
        head += [
            f"p_hit:{t.name}",
            f"p_hit_ci95_lo:{t.name}",
            f"p_hit_ci95_hi:{t.name}",
            f"median:{t.name}",
        ]
    w.writerow(head)
    for i, p in enumerate(result.points):
        row: list[str] = [str(i), *(f"{x:.10g}" for x in p.values)]
        for tp in p.targets:
            lo, hi = tp.p_hit_ci95
            row += [f"{tp.p_hit:.6g}", f"{lo:.6g}", f"{hi:.6g}", f"{tp.median:.2f}"]
        w.writerow(row)
    return buf.getvalue()


def sweep_table(result: SweepResult, *, max_rows: int = 12) -> str:
    """The short text ``simulator sweep`` prints: the design and the headline target's range."""
    from simulator.present.text import probability_text

    head = max(
        range(len(result.targets)),
        key=lambda i: (result.targets[i].kind == "official target", result.targets[i].fiscal_year),
    )
    t = result.targets[head]
    p = result.p_hit(head)
    keys = ", ".join(f"{v.key} {v.low:g} to {v.high:g}" for v in result.varies)
    lines = [
        f"{result.scenario.name}: {len(result.points)} points ({result.design}) over {keys}; "
        f"{result.paths:,} paths per point, seed {result.seed}, same draws at every point",
        f"{t.name}: P(hit) from {probability_text(float(p.min()), estimate=True)} to "
        f"{probability_text(float(p.max()), estimate=True)}",
    ]
    if len(result.points) <= max_rows:
        width = max(len(v.key) for v in result.varies)
        lines.append("")
        lines.append("  ".join(f"{v.key:>{width}}" for v in result.varies) + "   P(hit)")
        for pt in result.points:
            vals = "  ".join(f"{x:>{width}.4g}" for x in pt.values)
            lines.append(f"{vals}   {probability_text(pt.targets[head].p_hit, estimate=True)}")
    return "\n".join(lines)


# --- Chart data -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResponseCurve:
    """P(hit) per target against one key, the other keys held (grid) or free (Sobol').

    Attributes
    ----------
    key : str
    x : ndarray, shape (n,) — the key's values, increasing
    p_hit : ndarray, shape (n_targets, n) — 0-1, in :attr:`SweepResult.targets` order
    held : tuple of (str, float) — the other keys and the value each is held at (empty for a
        Sobol' design, where each point sets every key: the curve is then a scatter)
    base : float — the key's value in the scenario as written
    scattered : bool — the points set every key (a Sobol' design): draw markers, not a line
    """

    key: str
    x: np.ndarray[Any, np.dtype[np.float64]]
    p_hit: np.ndarray[Any, np.dtype[np.float64]]
    held: tuple[tuple[str, float], ...]
    base: float
    scattered: bool


def response_curve(result: SweepResult, index: int) -> ResponseCurve:
    """The response of every target's P(hit) to key number ``index`` of a sweep.

    On a grid the other keys are held at their grid value nearest the scenario's own value;
    in a Sobol' design every point is shown, sorted by the key.
    """
    vals = np.array([p.values for p in result.points])
    p = np.array([[t.p_hit for t in pt.targets] for pt in result.points]).T
    held: list[tuple[str, float]] = []
    mask = np.ones(len(result.points), dtype=bool)
    if result.design == "grid":
        for j, v in enumerate(result.varies):
            if j == index:
                continue
            grid = np.array(v.values())
            at = float(grid[np.argmin(np.abs(grid - result.base_values[j]))])
            held.append((v.key, at))
            mask &= vals[:, j] == at
    x = vals[mask, index]
    order = np.argsort(x, kind="stable")
    return ResponseCurve(
        key=result.varies[index].key,
        x=x[order],
        p_hit=p[:, mask][:, order],
        held=tuple(held),
        base=result.base_values[index],
        scattered=result.design != "grid",
    )


@dataclass(frozen=True)
class ContourGrid:
    """P(hit) of one target over two keys.

    Attributes
    ----------
    keys : (str, str) — x and y
    x, y : ndarray, shape (n,) — the keys' values at each point
    p_hit : ndarray, shape (n,) — 0-1
    on_grid : bool — the points form a full grid (else scattered: a Sobol' design)
    base : (float, float) — the scenario's own values
    """

    keys: tuple[str, str]
    x: np.ndarray[Any, np.dtype[np.float64]]
    y: np.ndarray[Any, np.dtype[np.float64]]
    p_hit: np.ndarray[Any, np.dtype[np.float64]]
    on_grid: bool
    base: tuple[float, float]


def contour_data(result: SweepResult, target: int) -> ContourGrid:
    """P(hit) of target number ``target`` over the first two keys of a two-key sweep."""
    if len(result.varies) != 2:
        raise ValueError("a contour needs exactly two varied keys")
    vals = np.array([p.values for p in result.points])
    return ContourGrid(
        keys=(result.varies[0].key, result.varies[1].key),
        x=vals[:, 0],
        y=vals[:, 1],
        p_hit=result.p_hit(target),
        on_grid=result.design == "grid",
        base=(result.base_values[0], result.base_values[1]),
    )
