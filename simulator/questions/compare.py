"""Compare scenarios on common random numbers.

Every scenario is run with the same seed and number of paths, so path *i* of each run uses the
same normal scores role by role (see :mod:`simulator.engine.streams`): differences between scenarios
come from their assumptions, not from sampling noise. The difference in P(hit) from the first
scenario is a mean of paired per-path differences, with standard error
``sd(hit_b - hit_a) / sqrt(n)`` (:func:`simulator.targets.paired_difference`); a scenario
compared with itself differs by exactly 0 with standard error 0.

The targets compared are the first scenario's, evaluated on every scenario's paths.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from simulator.engine.runs import Projection, common_random_numbers, prepare
from simulator.scenario.schema import Scenario, Target
from simulator.stats.jsonable import JSONDict, json_fields
from simulator.stats.summary import RunInfo, YearStats, YearValue
from simulator.stats.targets import (
    paired_difference,
    projection_hits,
    summarize,
    wilson_interval,
)


@dataclass(frozen=True)
class ComparedScenario:
    """One scenario of a comparison: what was run and its projected totals.

    Attributes
    ----------
    name, label : str — its name, and the name made unique among the scenarios (:func:`labels_for`)
    file, sha256 : str or None — its file and the file's sha256 (None for a derived variant)
    seed : int or None — the seed its own file gives
    base : YearValue — the last observed fiscal year (USD million)
    history : tuple of YearValue — the annual record (USD million)
    years : tuple of YearStats — the projected total by fiscal year (USD million)
    """

    name: str
    label: str
    file: str | None
    sha256: str | None
    seed: int | None
    base: YearValue
    history: tuple[YearValue, ...]
    years: tuple[YearStats, ...]

    def to_dict(self) -> JSONDict:
        return json_fields(self)


@dataclass(frozen=True)
class ScenarioResult:
    """One scenario's chance of one target, and its paired difference from the first scenario.

    ``p_hit`` is a fraction with its 95% Wilson interval ``p_hit_sim_error``, from ``hits`` of
    ``paths``; ``diff`` and ``diff_se`` are the paired difference from the first scenario and
    its standard error. All None where the scenario does not project the target's year
    (``diff`` also where the first scenario does not).
    """

    scenario: str
    p_hit: float | None
    p_hit_sim_error: tuple[float, float] | None
    hits: int | None
    paths: int | None
    diff: float | None
    diff_se: float | None

    @property
    def projected(self) -> bool:
        """Whether the scenario projects the target's year."""
        return self.p_hit is not None

    def to_dict(self) -> JSONDict:
        # A year the scenario does not project has no hits or paths in comparison.json.
        return json_fields(self, omit=() if self.projected else ("hits", "paths"))


@dataclass(frozen=True)
class ComparedTarget:
    """One target (the first scenario's) and its result in every scenario, in their order."""

    name: str
    fiscal_year: int
    value: float  # USD million
    kind: str
    component: str | None
    results: tuple[ScenarioResult, ...]

    def to_dict(self) -> JSONDict:
        return json_fields(self)


@dataclass(frozen=True)
class Comparison:
    """Scenarios run on common random numbers, target by target (:func:`compare_projections`).

    Attributes
    ----------
    run : RunInfo — the first scenario's run; ``comparison.json`` keeps what replays every
        run (paths, seed, entropy, version, data vintage)
    scenarios : tuple of ComparedScenario — the first is the reference
    targets : tuple of ComparedTarget
    """

    run: RunInfo
    scenarios: tuple[ComparedScenario, ...]
    targets: tuple[ComparedTarget, ...]

    @property
    def reference(self) -> ComparedScenario:
        """The scenario the others are compared with (the first)."""
        return self.scenarios[0]

    @property
    def scenario_names(self) -> tuple[str, ...]:
        """Every scenario's name, in order (a source note names them)."""
        return tuple(s.name for s in self.scenarios)

    def to_dict(self) -> JSONDict:
        """The JSON object of ``comparison.json``."""
        run = self.run.to_dict()
        replay = ("paths", "seed", "seed_entropy", "version", "data_vintage")
        return {"run": {k: run[k] for k in replay}, **json_fields(self, omit=("run",))}


def run_comparison(
    scenarios: Sequence[Scenario],
    *,
    paths: int | None = None,
    seed: int | None = None,
    threads: int | None = None,
    actuals: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> Comparison:
    """Simulate every scenario on common random numbers and compare them.

    Parameters
    ----------
    scenarios : sequence of Scenario
        The first is the reference the others are compared with.
    paths : int, optional
        Paths per scenario (default: the first scenario's).
    seed : int, optional
        One seed for all (default: the first scenario's; if that is unset, fresh entropy drawn
        once and shared).
    threads, actuals, progress : passed to :func:`simulator.engine.simulate`.

    Returns
    -------
    Comparison
        :func:`compare_projections` of the runs.

    Raises
    ------
    ValueError
        If ``scenarios`` is empty.
    """
    projections = simulate_all(
        scenarios, paths=paths, seed=seed, threads=threads, actuals=actuals, progress=progress
    )
    return compare_projections(projections)


def simulate_all(
    scenarios: Sequence[Scenario],
    *,
    paths: int | None = None,
    seed: int | None = None,
    threads: int | None = None,
    actuals: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[Projection]:
    """Prepare every scenario once and run them on common random numbers (the same draws).

    Paths and seed default to the first scenario's; an unseeded first scenario draws fresh
    entropy once, shared by every run (see :class:`~simulator.engine.runs.CommonRandomNumbers`).

    Raises
    ------
    ValueError
        If ``scenarios`` is empty.
    """
    if not scenarios:
        raise ValueError("need at least one scenario")
    plans = [prepare(sc, actuals=actuals) for sc in scenarios]
    crn = common_random_numbers(plans[0], paths=paths, seed=seed, threads=threads)
    return crn.simulate_all(plans, progress=progress)


def labels_for(names: Sequence[str]) -> list[str]:
    """Scenario names made unique for labels: a repeated name gets " (2)", " (3)" …"""
    out: list[str] = []
    for name in names:
        label, k = name, 2
        while label in out:
            label, k = f"{name} ({k})", k + 1
        out.append(label)
    return out


def compare_projections(
    projections: Sequence[Projection], targets: Sequence[Target] | None = None
) -> Comparison:
    """P(hit) per target per scenario, and paired differences from the first scenario.

    Parameters
    ----------
    projections : sequence of Projection
        Runs with the same number of paths (and, for the differences to mean anything, the
        same seed).
    targets : sequence of Target, optional
        Default: the first scenario's targets.

    Returns
    -------
    Comparison
        The first run's provenance, one :class:`ComparedScenario` per run and one
        :class:`ComparedTarget` per target with a :class:`ScenarioResult` per scenario
        (probabilities 0-1; None where the scenario does not project that year).

    Raises
    ------
    ValueError
        If the runs have different numbers of paths.
    """
    if not projections:
        raise ValueError("need at least one projection")
    ref = projections[0]
    for p in projections[1:]:
        if p.paths != ref.paths:
            raise ValueError(f"paired comparison needs equal paths ({ref.paths} vs {p.paths})")
    tgts = list(ref.scenario.targets) if targets is None else list(targets)
    labels = labels_for([p.scenario.name for p in projections])
    # Only the scenario blocks are used: the paired shares below are of plain paths.
    summaries = [summarize(p, rare=False) for p in projections]
    scenarios = tuple(
        ComparedScenario(
            name=s.scenario.name,
            label=label,
            file=s.scenario.file,
            sha256=s.scenario.sha256,
            seed=s.run.seed,
            base=s.base,
            history=s.history,
            years=s.years,
        )
        for s, label in zip(summaries, labels, strict=True)
    )
    compared = tuple(
        ComparedTarget(
            name=t.name,
            fiscal_year=t.fiscal_year,
            value=t.value,
            kind=t.kind,
            component=t.component,
            results=_results(projections, labels, t),
        )
        for t in tgts
    )
    return Comparison(run=summaries[0].run, scenarios=scenarios, targets=compared)


def _results(
    projections: Sequence[Projection], labels: Sequence[str], target: Target
) -> tuple[ScenarioResult, ...]:
    """Each run's P(hit) of ``target`` and its paired difference from the first run."""
    ref_hits = projection_hits(projections[0], target)
    results: list[ScenarioResult] = []
    for p, label in zip(projections, labels, strict=True):
        hits = projection_hits(p, target)
        if hits is None:
            results.append(ScenarioResult(label, None, None, None, None, None, None))
            continue
        diff: float | None = None
        se: float | None = None
        if ref_hits is not None:
            diff, se = paired_difference(ref_hits, hits)
        results.append(
            ScenarioResult(
                scenario=label,
                p_hit=float(hits.mean()),
                p_hit_sim_error=wilson_interval(int(hits.sum()), hits.size),
                hits=int(np.count_nonzero(hits)),
                paths=int(hits.size),
                diff=diff,
                diff_se=se,
            )
        )
    return tuple(results)
