"""Global sensitivity of P(hit): Sobol' and PAWN indices over every named assumption at once.

The one-at-a-time tornado (:mod:`simulator.questions.sensitivity`) moves one input while the
others stay put. Here every named assumption moves together over a documented range, and the
question is how much of the variation of each target's P(hit) each one accounts for, alone
(first-order index S1) and with its interactions (total index ST) (Saltelli et al., *Global
Sensitivity Analysis: The Primer*, 2008).

Stages, as in SALib (sample → evaluate → analyse):

1. **Sample**: a Saltelli design (SALib's ``sample.sobol``, Owen-scrambled Sobol' points,
   without second-order terms): ``N * (D + 2)`` points for ``D`` factors and ``--samples N``.
2. **Evaluate**: each point is a scenario variant run on the sweep machinery
   (:func:`simulator.questions.points.run_design`) with the run's seed at every point, so the
   function analysed is ``P(hit | assumptions)``, estimated on common random numbers. It is
   never the per-path 0/1 outcome: that would count path noise as the effect of every input.
3. **Analyse**: SALib's ``analyze.sobol`` (S1 and ST with bootstrap 95% intervals: Jansen's
   total-order estimator, so an input that does not enter a target gets exactly 0) and, as a
   check that does not rest on variance, ``analyze.pawn`` (Pianosi & Wagener 2015, 2018):
   the median and maximum Kolmogorov–Smirnov distance between the conditional and
   unconditional distributions of P(hit).

Factors and their default ranges (all overridable, and any sweep key may be added):

- each growth range (top level and per component): ``.shift`` of the whole distribution by
  up to one of its own standard deviations each way (:data:`NO_SD_SHIFT` if it has none);
- ``persistence``: the tornado's range (±0.3 within 0–0.9 unless already outside);
- each lever: ``.shift`` between its own 10th and 90th percentiles, less its mean;
- each shock: ``.probability`` from 0 to twice itself (at most 1), and ``impact.shift``
  between the impact's 10th and 90th percentiles, less its mean.

Limits, correlations and the base year are not varied (as in the tornado).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypedDict

import numpy as np
from numpy.typing import NDArray

from simulator import __version__
from simulator.engine.executors import Executor
from simulator.questions.points import run_design, run_seed
from simulator.questions.sensitivity import (
    HIGH_Q,
    LOW_Q,
    NO_SD_SHIFT,
    PERSISTENCE_STEP,
    quantile,
    spread,
)
from simulator.questions.variants import KeyPath, SweepError, resolve_key
from simulator.scenario.schema import Scenario, Target
from simulator.stats.targets import scenario_info

FloatArray = NDArray[np.float64]
#: Default base sample size N of the Saltelli design (points = N * (D + 2)).
DEFAULT_SAMPLES = 64
#: Bootstrap resamples for the Sobol' intervals.
RESAMPLES = 200
#: Conditioning intervals of PAWN.
PAWN_SLICES = 10


@dataclass(frozen=True)
class Factor:
    """One varied assumption and its range.

    Attributes
    ----------
    key : str — a sweep key, such as ``growth[1].shift`` or ``shocks.slowdown.probability``
    low, high : float — the range, in the key's units (growth as a fraction)
    label : str — what the range means, for the table and chart
    """

    key: str
    low: float
    high: float
    label: str


def default_factors(scenario: Scenario) -> list[Factor]:
    """Every named assumption of ``scenario`` with its documented range (see the module doc)."""
    out: list[Factor] = []
    groups: list[tuple[str, list[Any]]] = []
    if isinstance(scenario.growth, list):
        groups.append(("growth", list(scenario.growth)))
    for c in scenario.components or []:
        if isinstance(c.growth, list):
            groups.append((f"components.{c.name}.growth", list(c.growth)))
    for prefix, ranges in groups:
        for j, g in enumerate(ranges):
            step = spread(g) or NO_SD_SHIFT
            y0, y1 = g.years
            out.append(
                Factor(
                    f"{prefix}[{j}].shift",
                    -step,
                    step,
                    f"growth FY{y0 % 100:02d}-FY{y1 % 100:02d} moved ±{step * 100:.1f} pts",
                )
            )
    p = scenario.persistence
    lo = max(-0.99 if p < 0 else 0.0, p - PERSISTENCE_STEP)
    hi = min(0.99 if p > 0.9 else 0.9, p + PERSISTENCE_STEP)
    out.append(Factor("persistence", lo, hi, f"persistence {lo:.2g} to {hi:.2g}"))
    for lv in scenario.levers:
        m = lv.mean()
        out.append(
            Factor(
                f"levers.{lv.name}.shift",
                quantile(lv, LOW_Q) - m,
                quantile(lv, HIGH_Q) - m,
                f"{lv.name} centred anywhere from its P10 to its P90",
            )
        )
    for sh in scenario.shocks:
        out.append(
            Factor(
                f"shocks.{sh.name}.probability",
                0.0,
                min(1.0, 2.0 * sh.probability),
                f"{sh.name} chance 0 to doubled",
            )
        )
        m = sh.impact.mean()
        out.append(
            Factor(
                f"shocks.{sh.name}.impact.shift",
                quantile(sh.impact, LOW_Q) - m,
                quantile(sh.impact, HIGH_Q) - m,
                f"{sh.name} impact centred from its P10 to its P90",
            )
        )
    return out


def factors_for(
    scenario: Scenario, ranges: Mapping[str, tuple[float, float]] | None = None
) -> list[Factor]:
    """The default factors with ``ranges`` applied: a named factor's range replaced, any other
    sweep key added.

    Raises
    ------
    SweepError
        For a key that is not sweepable, or a range whose low is not below its high.
    """
    out = default_factors(scenario)
    by_key = {f.key: i for i, f in enumerate(out)}
    for key, (lo, hi) in (ranges or {}).items():
        resolve_key(scenario, key)
        if not lo < hi:
            raise SweepError(f"need LO < HI for '{key}' (got {lo:g}:{hi:g})", key="--vary")
        f = Factor(key, float(lo), float(hi), f"{key} {lo:g} to {hi:g} (given)")
        if key in by_key:
            out[by_key[key]] = f
        else:
            out.append(f)
    out = [f for f in out if f.high > f.low]  # a range of width 0 (a 0 probability) is no factor
    if not out:
        raise SweepError("no assumption of this scenario can be varied", file=scenario.file)
    return out


# --- The three stages -------------------------------------------------------------------------


class Problem(TypedDict):
    """SALib's problem definition: the factors' names and ranges."""

    num_vars: int
    names: list[str]
    bounds: list[list[float]]


def _problem(factors: Sequence[Factor]) -> Problem:
    return {
        "num_vars": len(factors),
        "names": [f.key for f in factors],
        "bounds": [[f.low, f.high] for f in factors],
    }


def saltelli_design(factors: Sequence[Factor], samples: int, *, seed: int) -> FloatArray:
    """The Saltelli design (SALib ``sample.sobol``, no second order), shape (N * (D + 2), D).

    Raises
    ------
    SweepError
        Unless ``samples`` is a power of 2 (what keeps the Sobol' sequence balanced).
    """
    from SALib.sample import sobol as sobol_sample

    if samples < 2 or samples & (samples - 1):
        raise SweepError(
            f"--samples must be a power of 2 such as 32, 64 or 128 (got {samples})",
            key="--samples",
        )
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(0x5A17,)))
    x = sobol_sample.sample(
        _problem(factors), samples, calc_second_order=False, scramble=True, seed=rng
    )
    return np.asarray(x, dtype=np.float64)


@dataclass(frozen=True)
class Indices:
    """Sensitivity indices of one output to each factor (in factor order).

    Attributes
    ----------
    s1, s1_conf : ndarray, shape (D,) — first-order Sobol' index and the half-width of its
        bootstrap 95% interval
    st, st_conf : ndarray, shape (D,) — total Sobol' index and its half-width
    pawn_median, pawn_max : ndarray, shape (D,) — PAWN: median and maximum KS distance
    variance : float — variance of the output over the design (0: nothing moves it)
    """

    s1: FloatArray
    s1_conf: FloatArray
    st: FloatArray
    st_conf: FloatArray
    pawn_median: FloatArray
    pawn_max: FloatArray
    variance: float


def analyse(
    factors: Sequence[Factor],
    x: FloatArray,
    y: FloatArray,
    *,
    seed: int,
    resamples: int = RESAMPLES,
) -> Indices:
    """Sobol' (S1, ST with bootstrap intervals) and PAWN indices of ``y`` over a Saltelli design.

    Parameters
    ----------
    factors : sequence of Factor — D factors, in the columns' order
    x : ndarray, shape (N * (D + 2), D) — from :func:`saltelli_design`
    y : ndarray, shape (N * (D + 2),) — the output at each point (here a P(hit), 0-1)
    seed : int — for the bootstrap and PAWN's slices

    An output that does not vary over the design has every index 0 (exactly, with width 0).
    """
    from SALib.analyze import pawn
    from SALib.analyze import sobol as sobol_analyze

    d = len(factors)
    variance = float(np.var(y))
    zeros = np.zeros(d)
    if variance == 0.0:
        return Indices(zeros, zeros, zeros, zeros, zeros, zeros, 0.0)
    problem = _problem(factors)
    ss = np.random.SeedSequence(seed, spawn_key=(0xB007,))
    boot_seed, pawn_seed = (int(s.generate_state(1)[0]) for s in ss.spawn(2))
    si = sobol_analyze.analyze(
        problem,
        y,
        calc_second_order=False,
        num_resamples=resamples,
        conf_level=0.95,
        seed=boot_seed,
    )
    pw = pawn.analyze(problem, x, y, S=PAWN_SLICES, seed=pawn_seed)
    return Indices(
        s1=np.asarray(si["S1"], dtype=np.float64),
        s1_conf=np.asarray(si["S1_conf"], dtype=np.float64),
        st=np.asarray(si["ST"], dtype=np.float64),
        st_conf=np.asarray(si["ST_conf"], dtype=np.float64),
        pawn_median=np.asarray(pw["median"], dtype=np.float64),
        pawn_max=np.asarray(pw["maximum"], dtype=np.float64),
        variance=variance,
    )


@dataclass(frozen=True)
class GlobalResult:
    """What :func:`global_sensitivity` found.

    Attributes
    ----------
    scenario : Scenario
    factors : tuple of Factor
    targets : tuple of Target — the projected targets
    indices : tuple of Indices — per target
    p_hit_range : tuple of (float, float) — per target, the lowest and highest P(hit) seen
    samples, points : the design's N and its N * (D + 2) points
    paths, seed : the common random numbers of every point
    data_vintage : str
    """

    scenario: Scenario
    factors: tuple[Factor, ...]
    targets: tuple[Target, ...]
    indices: tuple[Indices, ...]
    p_hit_range: tuple[tuple[float, float], ...]
    samples: int
    points: int
    paths: int
    seed: int
    data_vintage: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: indices per target and factor (0-1 scale)."""
        return {
            "scenario": scenario_info(self.scenario).to_dict(),
            "run": {
                "paths": self.paths,
                "seed": self.seed,
                "seed_entropy": str(self.seed),
                "version": __version__,
                "data_vintage": self.data_vintage,
                "samples": self.samples,
                "points": self.points,
            },
            "factors": [
                {"key": f.key, "low": f.low, "high": f.high, "label": f.label} for f in self.factors
            ],
            "targets": [
                {
                    **t.model_dump(),
                    "p_hit_range": list(r),
                    "indices": [
                        {
                            "key": f.key,
                            "S1": float(ix.s1[k]),
                            "S1_conf": float(ix.s1_conf[k]),
                            "ST": float(ix.st[k]),
                            "ST_conf": float(ix.st_conf[k]),
                            "pawn_median": float(ix.pawn_median[k]),
                            "pawn_max": float(ix.pawn_max[k]),
                        }
                        for k, f in enumerate(self.factors)
                    ],
                }
                for t, ix, r in zip(self.targets, self.indices, self.p_hit_range, strict=True)
            ],
        }


def global_sensitivity(
    scenario: Scenario,
    *,
    samples: int = DEFAULT_SAMPLES,
    ranges: Mapping[str, tuple[float, float]] | None = None,
    paths: int | None = None,
    seed: int | None = None,
    executor: Executor | None = None,
    actuals: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> GlobalResult:
    """Sobol' and PAWN indices of each target's P(hit) over every named assumption.

    Parameters
    ----------
    scenario : Scenario
    samples : int — the Saltelli base sample N (a power of 2); N * (D + 2) runs
    ranges : mapping of sweep key to (low, high), optional — replace or add factors
    paths : int, optional — paths per run (default: the scenario's)
    seed : int, optional — every run's seed (default: the scenario's, else fresh entropy)
    executor : Executor, optional — default: threads in this process
    actuals : str, optional — CSV of monthly actuals
    progress : callable, optional — called with 1 after each run

    Returns
    -------
    GlobalResult

    Raises
    ------
    SweepError
        Unknown key, bad range, ``samples`` not a power of 2, or no projected target.
    ScenarioError
        A range end the scenario format refuses.
    """
    factors = factors_for(scenario, ranges)
    seed_ = run_seed(scenario, seed)
    paths_ = scenario.paths if paths is None else int(paths)
    keys: list[KeyPath] = [resolve_key(scenario, f.key) for f in factors]

    def design() -> Iterator[tuple[float, ...]]:
        # Drawn after the ranges' ends are checked (a refused end is reported first).
        for row in saltelli_design(factors, samples, seed=seed_):
            yield tuple(float(v) for v in row)

    results, projected = run_design(
        scenario,
        keys,
        design(),
        labels=[f.key for f in factors],
        ends=[(f.low, f.high) for f in factors],
        paths=paths_,
        seed=seed_,
        executor=executor,
        actuals=actuals,
        progress=progress,
    )
    x = saltelli_design(factors, samples, seed=seed_)
    indices, ranges_seen = [], []
    for i in projected:
        y = np.array([r.hits[i] / r.paths for r in results])
        indices.append(analyse(factors, x, y, seed=seed_))
        ranges_seen.append((float(y.min()), float(y.max())))
    return GlobalResult(
        scenario=scenario,
        factors=tuple(factors),
        targets=tuple(scenario.targets[i] for i in projected),
        indices=tuple(indices),
        p_hit_range=tuple(ranges_seen),
        samples=samples,
        points=len(x),
        paths=paths_,
        seed=seed_,
        data_vintage=results[0].data_vintage,
    )


def global_csv(result: GlobalResult) -> str:
    """CSV text (``sensitivity_global.csv``): one row per target and factor.

    S1/ST with the ends of their bootstrap 95% intervals, and PAWN's median and maximum KS
    distance; all on a 0-1 scale. The factor's range is in its key's units.
    """
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(
        [
            "target",
            "fiscal_year",
            "target_value",
            "key",
            "label",
            "low",
            "high",
            "S1",
            "S1_lo",
            "S1_hi",
            "ST",
            "ST_lo",
            "ST_hi",
            "pawn_median",
            "pawn_max",
        ]
    )
    for t, ix in zip(result.targets, result.indices, strict=True):
        for k, f in enumerate(result.factors):
            w.writerow(
                [
                    t.name,
                    t.fiscal_year,
                    f"{t.value:g}",
                    f.key,
                    f.label,
                    f"{f.low:.6g}",
                    f"{f.high:.6g}",
                    *(
                        f"{v:.4f}"
                        for v in (
                            ix.s1[k],
                            ix.s1[k] - ix.s1_conf[k],
                            ix.s1[k] + ix.s1_conf[k],
                            ix.st[k],
                            ix.st[k] - ix.st_conf[k],
                            ix.st[k] + ix.st_conf[k],
                            ix.pawn_median[k],
                            ix.pawn_max[k],
                        )
                    ),
                ]
            )
    return buf.getvalue()


def global_table(result: GlobalResult) -> str:
    """The table ``simulator sensitivity --global`` prints: indices per target, ST first."""
    from simulator.present.text import probability_text

    lines = [
        f"{result.scenario.name}: global sensitivity of P(hit) ({len(result.factors)} "
        f"assumptions, {result.points} runs of {result.paths:,} paths, seed {result.seed}, "
        "same draws in every run)",
    ]
    width = max(len(f.key) for f in result.factors)
    for t, ix, (lo, hi) in zip(result.targets, result.indices, result.p_hit_range, strict=True):
        lines += [
            "",
            f"{t.name}: P(hit) {probability_text(lo, estimate=True)} to "
            f"{probability_text(hi, estimate=True)} over the design",
            f"  {'Assumption':<{width}}  {'S1':>13}  {'ST':>13}  {'PAWN':>5}",
        ]
        for k in sorted(range(len(result.factors)), key=lambda k: -ix.st[k]):
            lines.append(
                f"  {result.factors[k].key:<{width}}  {ix.s1[k]:5.2f} ±{ix.s1_conf[k]:5.2f}  "
                f"{ix.st[k]:5.2f} ±{ix.st_conf[k]:5.2f}  {ix.pawn_median[k]:5.2f}"
            )
    lines += [
        "",
        "S1: share of the variance of P(hit) due to the assumption alone; ST: with its "
        "interactions (± bootstrap 95%). PAWN: median KS distance (a check).",
    ]
    return "\n".join(lines)
