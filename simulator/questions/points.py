"""Point evaluation: a scenario variant run on common random numbers, reduced to what a sweep keeps.

This is the one path from a point of overridden keys to the engine, shared by sweeps
(:mod:`simulator.questions.sweep`), global sensitivity
(:mod:`simulator.questions.global_sensitivity`) and the what-if explorer
(:mod:`simulator.report.explorer`). Every point runs on the same
:class:`~simulator.engine.runs.CommonRandomNumbers` (the run's paths and seed): the engine gives
every named role the same normal scores whatever the assumptions, so the difference between
two points comes from the assumptions alone, response curves are smooth, and a higher growth
mean can never lower P(hit).

Points run on any :class:`~simulator.engine.executors.Executor`. A point's task carries the
scenario (as plain data), its overrides, the monthly actuals (read once, before any point
runs: no point touches the disk), the number of paths and the seed, and returns only
hit counts, medians and (when asked) the fan's quantiles (:class:`PointResult`), so results are
identical on one thread, several processes or a Dask cluster, and memory does not grow with
paths x points.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from simulator.data.history import MonthlySeries
from simulator.engine.executors import Executor, ThreadExecutor
from simulator.questions.variants import (
    KeyPath,
    ScenarioData,
    SweepError,
    apply_overrides,
    variant,
)
from simulator.scenario.schema import Scenario
from simulator.stats.summary import QUANTILES

#: Overrides of one point: each key's path and its value.
Overrides = tuple[tuple[KeyPath, float], ...]


@dataclass(frozen=True)
class PointTask:
    """Everything that decides one point's result (plain data, so it pickles).

    Attributes
    ----------
    data : dict — the scenario, ``model_dump(by_alias=True)``
    file : str or None — the scenario's file (for relative paths and messages)
    overrides : tuple of (path, value)
    paths : int
    seed : int — the run's seed, the same for every point (common random numbers)
    monthly : MonthlySeries — the actuals every point runs on (read once by :func:`run_points`)
    fan : bool — also keep the fan's quantiles per year (:attr:`PointResult.quantiles`)
    """

    data: ScenarioData
    file: str | None
    overrides: Overrides
    paths: int
    seed: int
    monthly: MonthlySeries
    fan: bool = False


@dataclass(frozen=True)
class PointResult:
    """What a worker sends back for one point: reductions only, never paths.

    Attributes
    ----------
    hits : tuple of int — paths at or above each of the scenario's targets (-1 if its year is
        not projected), in the scenario's target order
    medians : tuple of float — median total in each target's year (NaN if not projected), USD
        million
    paths : int
    data_vintage : str — last month of the actuals used (YYYY-MM)
    quantiles : tuple of tuple of float — per projected year, the total at each of
        :data:`~simulator.stats.summary.QUANTILES`, USD million (empty unless the task asked
        for the fan)
    """

    hits: tuple[int, ...]
    medians: tuple[float, ...]
    paths: int
    data_vintage: str
    quantiles: tuple[tuple[float, ...], ...] = ()

    def p_hit(self, target: int) -> float | None:
        """P(hit) of the scenario's target number ``target`` (0-1; None if not projected)."""
        h = self.hits[target]
        return None if h < 0 else h / self.paths


def evaluate_point(task: PointTask) -> PointResult:
    """Simulate one point and reduce it (every engine call of a sweep, global sensitivity and
    the explorer is here).

    Runs the engine on one thread: the executor supplies the parallelism, one point per worker.
    """
    from simulator.engine.runs import common_random_numbers, prepare
    from simulator.scenario.schema import Provenance
    from simulator.stats.targets import hit_indicators

    scenario = Scenario.model_validate(apply_overrides(task.data, task.overrides))
    scenario = scenario.with_provenance(Provenance(file=task.file))
    crn = common_random_numbers(scenario, paths=task.paths, seed=task.seed, threads=1)
    proj = crn.simulate(prepare(scenario, actuals=task.monthly))
    hits, medians = [], []
    for t in scenario.targets:
        h = hit_indicators(proj.values, proj.years, t)
        if h is None:
            hits.append(-1)
            medians.append(math.nan)
            continue
        hits.append(int(np.count_nonzero(h)))
        col = int(np.flatnonzero(proj.years == t.fiscal_year)[0])
        medians.append(float(np.median(proj.values[:, col])))
    quantiles: tuple[tuple[float, ...], ...] = ()
    if task.fan:
        q = np.quantile(proj.values, QUANTILES, axis=0)  # (n_quantiles, n_years)
        quantiles = tuple(tuple(float(x) for x in col) for col in q.T)
    return PointResult(
        hits=tuple(hits),
        medians=tuple(medians),
        paths=proj.paths,
        data_vintage=proj.plan.timeline.monthly.vintage,
        quantiles=quantiles,
    )


def run_seed(scenario: Scenario, seed: int | None) -> int:
    """The seed every point runs on: ``seed``, else the scenario's, else fresh entropy."""
    if seed is not None:
        return int(seed)
    if scenario.seed is not None:
        return int(scenario.seed)
    return int(np.random.SeedSequence().entropy)  # type: ignore[arg-type]


def run_points(
    scenario: Scenario,
    overrides: Iterable[Overrides],
    *,
    paths: int,
    seed: int,
    executor: Executor | None = None,
    actuals: str | None = None,
    fan: bool = False,
    progress: Callable[[int], None] | None = None,
) -> list[PointResult]:
    """Run every point (an iterable of override tuples, consumed lazily) on ``executor``.

    The actuals (``actuals``, else the scenario's, else the bundled series) are read once here.
    The executor defaults to threads in this process (closed when done). Returns the results in
    point order.

    Raises
    ------
    ActualsError, ScenarioError
        Unreadable actuals.
    """
    from simulator.data.timeline import actuals_for

    data: ScenarioData = scenario.model_dump(by_alias=True)
    monthly = actuals_for(scenario, actuals)
    tasks = (
        PointTask(
            data=data,
            file=scenario.file,
            overrides=o,
            paths=paths,
            seed=seed,
            monthly=monthly,
            fan=fan,
        )
        for o in overrides
    )
    if executor is not None:
        return executor.map(evaluate_point, tasks, progress=progress)
    own = ThreadExecutor()
    try:
        return own.map(evaluate_point, tasks, progress=progress)
    finally:
        own.close()


def run_design(
    scenario: Scenario,
    keys: Sequence[KeyPath],
    rows: Iterable[Sequence[float]],
    *,
    labels: Sequence[str],
    ends: Sequence[tuple[float, float]],
    paths: int,
    seed: int,
    executor: Executor | None = None,
    actuals: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[PointResult], list[int]]:
    """Check, then run, every point of a design over sweep keys (sweeps and global sensitivity).

    Each key's range ends alone are checked first, then every point, so a value the scenario
    format refuses is reported before any run.

    Parameters
    ----------
    keys : sequence of KeyPath — the varied keys' paths
    rows : iterable of sequence of float — one row of values (in ``keys`` order) per point,
        consumed after the ends are checked
    labels : sequence of str — the keys as written, for messages
    ends : sequence of (float, float) — each key's range, checked alone first

    Returns
    -------
    results : list of PointResult — in ``rows`` order
    projected : list of int — the scenario's targets whose years are projected

    Raises
    ------
    ScenarioError
        A range end or point the scenario format refuses.
    SweepError
        When no target falls in the projected years.
    """
    data: ScenarioData = scenario.model_dump(by_alias=True)
    for path, label, (low, high) in zip(keys, labels, ends, strict=True):
        for x in (low, high):
            variant(scenario, [(path, x)], data=data, labels=[label])
    points = [tuple(zip(keys, (float(v) for v in row), strict=True)) for row in rows]
    for o in points:
        variant(scenario, o, data=data, labels=labels)
    results = run_points(
        scenario,
        points,
        paths=paths,
        seed=seed,
        executor=executor,
        actuals=actuals,
        progress=progress,
    )
    projected = [i for i, h in enumerate(results[0].hits) if h >= 0]
    if not projected:
        raise SweepError(
            "no target falls in the projected years; add targets or move the horizon",
            file=scenario.file,
            key="targets",
        )
    return results, projected
