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
from typing import Any

import numpy as np

from simulator import __version__
from simulator.engine.runs import Projection, common_random_numbers, prepare
from simulator.scenario.schema import Scenario, Target
from simulator.stats.targets import (
    paired_difference,
    projection_hits,
    summarize,
    wilson_interval,
)


def run_comparison(
    scenarios: Sequence[Scenario],
    *,
    paths: int | None = None,
    seed: int | None = None,
    threads: int | None = None,
    actuals: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
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
    dict
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
) -> dict[str, Any]:
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
    dict
        ``run`` {paths, seed, seed_entropy, version, data_vintage}; ``scenarios`` (one summary
        each: name, label, file, sha256, base, history, years); ``targets``: one entry per
        target with ``results``, one per scenario: {scenario, p_hit, p_hit_sim_error, diff,
        diff_se} (probabilities 0-1; None where the scenario does not project that year).

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
    summaries = [summarize(p, rare=False).to_dict() for p in projections]
    scenarios = [
        {
            "name": s["scenario"]["name"],
            "label": label,
            "file": s["scenario"]["file"],
            "sha256": s["scenario"]["sha256"],
            "seed": s["run"]["seed"],
            "base": s["base"],
            "history": s["history"],
            "years": s["years"],
        }
        for s, label in zip(summaries, labels, strict=True)
    ]
    out_targets = []
    for t in tgts:
        ref_hits = projection_hits(ref, t)
        results: list[dict[str, Any]] = []
        for p, label in zip(projections, labels, strict=True):
            hits = projection_hits(p, t)
            if hits is None:
                results.append(
                    {
                        "scenario": label,
                        "p_hit": None,
                        "p_hit_sim_error": None,
                        "diff": None,
                        "diff_se": None,
                    }
                )
                continue
            lo, hi = wilson_interval(int(hits.sum()), hits.size)
            diff: float | None = None
            se: float | None = None
            if ref_hits is not None:
                diff, se = paired_difference(ref_hits, hits)
            results.append(
                {
                    "scenario": label,
                    "p_hit": float(hits.mean()),
                    "p_hit_sim_error": [lo, hi],
                    "hits": int(np.count_nonzero(hits)),
                    "paths": int(hits.size),
                    "diff": diff,
                    "diff_se": se,
                }
            )
        out_targets.append(
            {
                "name": t.name,
                "fiscal_year": t.fiscal_year,
                "value": t.value,
                "kind": t.kind,
                "component": t.component,
                "results": results,
            }
        )
    run = summaries[0]["run"]
    return {
        "run": {
            "paths": ref.paths,
            "seed": ref.seed,
            "seed_entropy": str(ref.seed_entropy),
            "version": __version__,
            "data_vintage": run["data_vintage"],
        },
        "scenarios": scenarios,
        "targets": out_targets,
    }
