"""One-at-a-time sensitivity: what moves P(hit) and the median, input by input.

Every named input of a scenario is set low and then high while everything else stays as the
file says, and each setting is simulated on the same seed and number of paths as the base run.
The engine gives every named role (``growth:<series>``, ``lever:<name>``, ``shock:<name>``,
``nowcast``) the same normal scores whatever else changes (common random numbers), so the
difference from the base comes from the input alone, not from sampling noise; an input that
cannot reach a target's year moves its P(hit) by exactly 0.

The swings (growth as a fraction; "points" are percentage points of growth):

- **Growth ranges** (top level and each component's): the whole distribution is moved by minus
  and plus one of its own standard deviations with
  :meth:`~simulator.distributions.DistributionBase.shifted`, so its spread is kept. A ``fixed``
  range (sd 0) is moved by :data:`NO_SD_SHIFT` (5 points) instead.
- **persistence** ρ: to ``max(0, ρ − 0.3)`` and ``min(0.9, ρ + 0.3)`` (:data:`PERSISTENCE_STEP`);
  a negative ρ may go lower, to −0.99 at most, and a ρ above 0.9 higher, to 0.99 at most.
- **Levers**: fixed at the 10th and the 90th percentile of their distribution (a ``fixed``
  distribution, so that lever's own uncertainty is removed while every other input keeps its).
- **Shocks**: the yearly probability to 0 and to twice itself (at most 1); separately, the
  impact fixed at its 10th and 90th percentile.
- **Limits**: only those that bind in the base run (growth clipped in at least
  :data:`LIMIT_BINDS` of path-years in some year) are moved, by ±10 points
  (:data:`LIMIT_STEP`), keeping the floor above −100% and below the cap.

Correlation between components and the base year's value are not swung: the first is a
modelling choice with no natural "low" and "high", the second is data.

The bar of an input on a tornado chart spans its low run, its high run and the base; inputs are
sorted by that span for the headline target (the latest projected official target, such as
$10B by FY2029, unless another is chosen). The span of P(hit) between the low and high runs
has a paired standard error (:func:`simulator.targets.paired_difference`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special

from simulator import __version__
from simulator.engine.runs import Plan, Projection, common_random_numbers, prepare
from simulator.errors import UserInputError
from simulator.present.text import display_name, fy_span, points_text, rate_text
from simulator.scenario.distributions import DistributionBase, Fixed
from simulator.scenario.schema import Scenario, Shock, Target
from simulator.stats.jsonable import JSONDict, json_fields
from simulator.stats.targets import scenario_info

#: Shift of a growth range without a standard deviation (``fixed``), growth as a fraction.
NO_SD_SHIFT = 0.05
#: Step of ``persistence`` each way.
PERSISTENCE_STEP = 0.3
#: Step of a binding floor or cap each way, growth as a fraction.
LIMIT_STEP = 0.10
#: Share of path-years at a limit (in some projected year) from which the limit is swung.
LIMIT_BINDS = 0.001
#: Percentiles a lever or a shock's impact is fixed at.
LOW_Q, HIGH_Q = 0.10, 0.90


class SensitivityError(UserInputError):
    """A sensitivity analysis cannot be run as asked (for example, an unknown target year)."""


@dataclass(frozen=True)
class Input:
    """A named input and its low and high settings, as scenarios to run.

    Attributes
    ----------
    key : str — where it lives in the scenario, such as ``growth[1]`` or ``levers.ai_push``
    kind : str — growth, persistence, lever, shock probability, shock impact or limit
    label : str — what a reader sees, such as "Growth FY28–FY30 (mean 17%): ±8 pts"
    low_setting, high_setting : str — the two settings in words, such as "mean 9%"
    low, high : Scenario — the scenario with the input set low and high
    """

    key: str
    kind: str
    label: str
    low_setting: str
    high_setting: str
    low: Scenario
    high: Scenario


@dataclass(frozen=True)
class Outcome:
    """What one run gives: P(hit) per projected target and the median total per target year.

    Attributes
    ----------
    p_hit : tuple of float — per target, in the order of :attr:`SensitivityResult.targets` (0-1)
    median : tuple of float — per target year, in the order of
        :attr:`SensitivityResult.years`, USD million
    """

    p_hit: tuple[float, ...]
    median: tuple[float, ...]


@dataclass(frozen=True)
class Swing:
    """One input's low and high runs.

    Attributes
    ----------
    input : Input
    low, high : Outcome
    span : tuple of float — per target, max − min of P(hit) over the base, low and high runs
        (the width of the input's tornado bar), 0-1
    span_se : tuple of float — per target, paired standard error of P(high) − P(low)
    """

    input: Input
    low: Outcome
    high: Outcome
    span: tuple[float, ...]
    span_se: tuple[float, ...]


@dataclass(frozen=True)
class SensitivityResult:
    """What :func:`sensitivity` found.

    Attributes
    ----------
    scenario : Scenario
    targets : tuple of Target — the projected targets
    headline : Target — the target :attr:`swings` are sorted by
    years : tuple of int — the target years whose medians are recorded
    base : Outcome — the scenario as it stands
    swings : tuple of Swing — sorted by span for ``headline``, largest first
    paths, seed, seed_entropy : the common random numbers used
    data_vintage : str — last month of actuals (YYYY-MM)
    runs : int — simulations run (1 + 2 per input)
    """

    scenario: Scenario
    targets: tuple[Target, ...]
    headline: Target
    years: tuple[int, ...]
    base: Outcome
    swings: tuple[Swing, ...]
    paths: int
    seed: int | None
    seed_entropy: int
    data_vintage: str
    runs: int

    @property
    def run(self) -> SensitivityRun:
        """What replays the runs: the ``run`` block of ``sensitivity.json``."""
        return SensitivityRun(
            paths=self.paths,
            seed=self.seed,
            seed_entropy=self.seed_entropy,
            version=__version__,
            data_vintage=self.data_vintage,
            runs=self.runs,
        )

    @property
    def scenario_names(self) -> tuple[str, ...]:
        """The scenario's name (none if it has none), as a source note names it."""
        return (self.scenario.name,) if self.scenario.name else ()

    def target(self, key: str | int) -> Target:
        """The projected target named ``key``, or the first in fiscal year ``key``.

        Raises
        ------
        KeyError
            If no projected target has that name or year.
        """
        found = next((t for t in self.targets if key in (t.name, t.fiscal_year)), None)
        if found is None:
            raise KeyError(f"no target {key!r} in the sensitivity result")
        return found

    def _at(self, target: Target) -> int:
        return next(i for i, t in enumerate(self.targets) if t.name == target.name)

    def p_hit(self, outcome: Outcome, target: Target) -> float:
        """P(hit) of ``target`` in ``outcome`` (0-1)."""
        return outcome.p_hit[self._at(target)]

    def median(self, outcome: Outcome, target: Target) -> float:
        """The median total in ``target``'s fiscal year in ``outcome``, USD million."""
        return outcome.median[self.years.index(target.fiscal_year)]

    def span(self, swing: Swing, target: Target) -> float:
        """The width of ``swing``'s tornado bar for ``target`` (P(hit), 0-1)."""
        return swing.span[self._at(target)]

    def span_se(self, swing: Swing, target: Target) -> float:
        """The paired standard error of ``swing``'s P(high) − P(low) for ``target``."""
        return swing.span_se[self._at(target)]

    def ranked(self, target: Target) -> list[Swing]:
        """The swings widest first for ``target`` (ties keep the headline's order)."""
        rows = list(self.swings)
        if target.name != self.headline.name:
            rows.sort(key=lambda s: -self.span(s, target))
        return rows

    def to_dict(self) -> JSONDict:
        """JSON-ready form (``sensitivity.json``): money USD million, probabilities 0-1.

        ``p_hit`` maps target names to probabilities and ``median`` maps fiscal years
        (as strings) to USD million, in ``base`` and in each input's ``low`` and ``high``.
        """
        names = [t.name for t in self.targets]

        def outcome(o: Outcome) -> JSONDict:
            return {
                "p_hit": dict(zip(names, o.p_hit, strict=True)),
                "median": {str(y): m for y, m in zip(self.years, o.median, strict=True)},
            }

        return {
            "scenario": scenario_info(self.scenario).to_dict(),
            "run": self.run.to_dict(),
            "method": METHOD,
            "headline_target": self.headline.name,
            "targets": [t.model_dump() for t in self.targets],
            "years": list(self.years),
            "base": outcome(self.base),
            "inputs": [
                {
                    **json_fields(s.input, omit=("low", "high")),
                    "low": outcome(s.low),
                    "high": outcome(s.high),
                    "span": dict(zip(names, s.span, strict=True)),
                    "span_se": dict(zip(names, s.span_se, strict=True)),
                }
                for s in self.swings
            ],
        }


@dataclass(frozen=True)
class SensitivityRun:
    """What replays a sensitivity analysis: its common random numbers, the version and the
    data, and how many runs it took (the ``run`` block of ``sensitivity.json``)."""

    paths: int
    seed: int | None
    seed_entropy: int
    version: str
    data_vintage: str
    runs: int

    def to_dict(self) -> JSONDict:
        # 128-bit: a string survives JSON readers
        return {**json_fields(self), "seed_entropy": str(self.seed_entropy)}


#: How the inputs are swung, in words (``sensitivity.json``'s ``method``).
METHOD = (
    "One input at a time, each low and high run on the same random draws as the "
    "base: growth ranges shifted by -/+ 1 sd (5 points if fixed); persistence -/+ "
    f"{PERSISTENCE_STEP:g} (kept in 0-0.9 unless already outside); levers and "
    "shock impacts fixed at their 10th/90th percentile; shock probabilities to 0 "
    f"and doubled (at most 1); binding limits -/+ {LIMIT_STEP * 100:g} points. "
    "Sorted by the span of P(hit) for the headline target."
)


# --- The named inputs -------------------------------------------------------------------------


def spread(dist: DistributionBase) -> float:
    """Standard deviation of a distribution (growth as a fraction); 0 for ``fixed``.

    Each distribution says its own (:meth:`~simulator.scenario.distributions.DistributionBase.std`).
    """
    return dist.std()


def quantile(dist: DistributionBase, q: float) -> float:
    """The ``q`` quantile, through the same map from normal scores the engine uses."""
    return float(dist.from_normal(np.array([float(special.ndtri(q))]))[0])


def _growth_inputs(scenario: Scenario) -> list[Input]:
    """Each growth range, top level and per component, shifted by -/+ 1 sd."""
    groups: list[tuple[str, str, list[Any], Callable[[list[Any]], Scenario]]] = []
    comps = scenario.components
    if isinstance(scenario.growth, list):  # growth: record is resolved by sensitivity()
        users = [c.name for c in comps if c.growth is None] if comps is not None else None
        if users is None or users:
            who = "Growth" if users is None else f"{', '.join(map(display_name, users))} growth"

            def top(ranges: list[Any]) -> Scenario:
                return scenario.model_copy(update={"growth": ranges})

            groups.append(("growth", who, list(scenario.growth), top))
    for i, c in enumerate(comps or []):
        if c.growth is None:
            continue

        def comp(ranges: list[Any], i: int = i) -> Scenario:
            assert scenario.components is not None
            new = list(scenario.components)
            new[i] = new[i].model_copy(update={"growth": ranges})
            return scenario.model_copy(update={"components": new})

        groups.append(
            (f"components.{c.name}.growth", f"{display_name(c.name)} growth", list(c.growth), comp)
        )
    out = []
    for key, who, ranges, rebuild in groups:
        for j, g in enumerate(ranges):
            sd = spread(g)
            step = sd if sd > 0 else NO_SD_SHIFT
            mean, word = g.mean(), "mean"
            if not math.isfinite(mean):  # log_t: g has no finite mean; shifted() moves its median
                mean, word = g.median(), "median"
            variants = []
            for delta in (-step, step):
                new = list(ranges)
                new[j] = g.shifted(delta)
                variants.append(rebuild(new))
            out.append(
                Input(
                    key=f"{key}[{j}]",
                    kind="growth",
                    label=(
                        f"{who} {fy_span(*g.years)} ({word} {rate_text(mean)}): "
                        f"\u00b1{points_text(step)}"
                    ),
                    low_setting=f"{word} {rate_text(mean - step)}",
                    high_setting=f"{word} {rate_text(mean + step)}",
                    low=variants[0],
                    high=variants[1],
                )
            )
    return out


def _persistence_input(scenario: Scenario) -> Input:
    p = scenario.persistence
    lo = max(-0.99 if p < 0 else 0.0, p - PERSISTENCE_STEP)
    hi = min(0.99 if p > 0.9 else 0.9, p + PERSISTENCE_STEP)
    return Input(
        key="persistence",
        kind="persistence",
        label=f"Persistence of surprises ({p:g}): {lo:.2g} to {hi:.2g}",
        low_setting=f"{lo:.2g}",
        high_setting=f"{hi:.2g}",
        low=scenario.model_copy(update={"persistence": lo}),
        high=scenario.model_copy(update={"persistence": hi}),
    )


def _fixed_lever(lever: Any, value: float) -> Any:
    from pydantic import TypeAdapter

    from simulator.scenario.schema import Lever

    return TypeAdapter(Lever).validate_python(
        {
            "name": lever.name,
            "years": lever.years,
            "components": lever.components,
            "description": lever.description,
            "dist": "fixed",
            "value": value,
        }
    )


def _lever_inputs(scenario: Scenario) -> list[Input]:
    out = []
    for i, lv in enumerate(scenario.levers):
        lo, hi = quantile(lv, LOW_Q), quantile(lv, HIGH_Q)
        variants = []
        for v in (lo, hi):
            levers = list(scenario.levers)
            levers[i] = _fixed_lever(lv, v)
            variants.append(scenario.model_copy(update={"levers": levers}))
        out.append(
            Input(
                key=f"levers.{lv.name}",
                kind="lever",
                label=(
                    f"{display_name(lv.name)} {fy_span(*lv.years)} "
                    f"(mean {points_text(lv.mean(), sign=True)}): P10 to P90"
                ),
                low_setting=points_text(lo, sign=True),
                high_setting=points_text(hi, sign=True),
                low=variants[0],
                high=variants[1],
            )
        )
    return out


def _shock_inputs(scenario: Scenario) -> list[Input]:
    out = []
    for i, sh in enumerate(scenario.shocks):

        def with_shock(shock: Shock, i: int = i) -> Scenario:
            shocks = list(scenario.shocks)
            shocks[i] = shock
            return scenario.model_copy(update={"shocks": shocks})

        p = sh.probability
        p_hi = min(1.0, 2.0 * p)
        out.append(
            Input(
                key=f"shocks.{sh.name}.probability",
                kind="shock probability",
                label=(
                    f"{display_name(sh.name)} {fy_span(*sh.years)}: "
                    f"chance {rate_text(p)} a year, 0 to doubled"
                ),
                low_setting=f"chance {rate_text(0.0)}",
                high_setting=f"chance {rate_text(p_hi)}",
                low=with_shock(sh.model_copy(update={"probability": 0.0})),
                high=with_shock(sh.model_copy(update={"probability": p_hi})),
            )
        )
        lo, hi = quantile(sh.impact, LOW_Q), quantile(sh.impact, HIGH_Q)
        out.append(
            Input(
                key=f"shocks.{sh.name}.impact",
                kind="shock impact",
                label=(
                    f"{display_name(sh.name)} impact (mean {rate_text(sh.impact.mean())}): "
                    "P10 to P90"
                ),
                low_setting=f"impact {rate_text(lo)}",
                high_setting=f"impact {rate_text(hi)}",
                low=with_shock(sh.model_copy(update={"impact": Fixed(value=lo)})),
                high=with_shock(sh.model_copy(update={"impact": Fixed(value=hi)})),
            )
        )
    return out


def _limit_inputs(scenario: Scenario, base: Projection) -> list[Input]:
    lim = scenario.limits
    out = []
    if float(base.floor_binds.max(initial=0.0)) >= LIMIT_BINDS:
        lo = max(lim.floor - LIMIT_STEP, -0.99)
        hi = min(lim.floor + LIMIT_STEP, lim.cap)
        out.append(
            Input(
                key="limits.floor",
                kind="limit",
                label=(
                    f"Floor on yearly growth ({rate_text(lim.floor)}): "
                    f"\u00b1{points_text(LIMIT_STEP)}"
                ),
                low_setting=f"floor {rate_text(lo)}",
                high_setting=f"floor {rate_text(hi)}",
                low=scenario.model_copy(update={"limits": lim.model_copy(update={"floor": lo})}),
                high=scenario.model_copy(update={"limits": lim.model_copy(update={"floor": hi})}),
            )
        )
    if float(base.cap_binds.max(initial=0.0)) >= LIMIT_BINDS:
        lo = max(lim.cap - LIMIT_STEP, lim.floor)
        hi = lim.cap + LIMIT_STEP
        out.append(
            Input(
                key="limits.cap",
                kind="limit",
                label=(
                    f"Cap on yearly growth ({rate_text(lim.cap)}): \u00b1{points_text(LIMIT_STEP)}"
                ),
                low_setting=f"cap {rate_text(lo)}",
                high_setting=f"cap {rate_text(hi)}",
                low=scenario.model_copy(update={"limits": lim.model_copy(update={"cap": lo})}),
                high=scenario.model_copy(update={"limits": lim.model_copy(update={"cap": hi})}),
            )
        )
    return out


def named_inputs(scenario: Scenario, base: Projection | None = None) -> list[Input]:
    """Every named input of ``scenario`` with its low and high settings.

    Parameters
    ----------
    scenario : Scenario
    base : Projection, optional
        The base run; with it, limits that bind there are included (without it, none are).

    Returns
    -------
    list of Input — growth ranges, persistence, levers, shocks, then binding limits
    """
    out = _growth_inputs(scenario)
    out.append(_persistence_input(scenario))
    out += _lever_inputs(scenario)
    out += _shock_inputs(scenario)
    if base is not None:
        out += _limit_inputs(scenario, base)
    return out


# --- Running them -----------------------------------------------------------------------------


def _headline(targets: Sequence[Target], fiscal_year: int | None) -> Target:
    if fiscal_year is None:
        head = Target.headline(targets)
        assert head is not None  # targets is not empty
        return head
    for t in sorted(targets, key=lambda t: not t.official):
        if t.fiscal_year == fiscal_year:
            return t
    years = ", ".join(f"FY{y}" for y in sorted({t.fiscal_year for t in targets}))
    raise SensitivityError(
        f"no target in FY{fiscal_year} among the projected years; expected one of: {years}"
    )


def sensitivity(
    scenario: Scenario | Plan,
    *,
    target: int | None = None,
    paths: int | None = None,
    seed: int | None = None,
    threads: int | None = None,
    actuals: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> SensitivityResult:
    """Swing every named input low and high, one at a time, on common random numbers.

    Parameters
    ----------
    scenario : Scenario or Plan — a plan (:func:`~simulator.engine.runs.prepare`) is not
        prepared again; every variant reuses its actuals and fitted nowcast
    target : int, optional
        Fiscal year of the headline target the inputs are sorted by (default: the latest
        projected official target, else the latest projected target).
    paths : int, optional — paths per run (default: the scenario's)
    seed : int, optional — default: the scenario's, or fresh entropy shared by every run
    threads : int, optional — worker threads per run (results do not depend on it)
    actuals : str, optional — CSV of monthly actuals (only with a scenario; a plan has its data)
    progress : callable, optional — called with 1 after each run

    Returns
    -------
    SensitivityResult
        ``swings`` sorted by the span of P(hit) for the headline target, largest first.

    Raises
    ------
    SensitivityError
        If the scenario projects no target, or none in ``target``'s year.

    Examples
    --------
    >>> res = sensitivity(sc, paths=20_000)  # doctest: +SKIP
    >>> res.swings[0].input.label  # doctest: +SKIP
    'Growth FY28–FY30 (mean 17%): ±8 pts'
    """
    from simulator.stats.targets import paired_difference, projection_hits

    plan = scenario if isinstance(scenario, Plan) else prepare(scenario, actuals=actuals)
    scenario = plan.scenario
    crn = common_random_numbers(plan, paths=paths, seed=seed, threads=threads)
    runs = 0

    def run(variant: Plan) -> Projection:
        nonlocal runs
        proj = crn.simulate(variant)
        runs += 1
        if progress is not None:
            progress(1)
        return proj

    base_proj = run(plan)
    years_run = base_proj.years
    projected = tuple(t for t in scenario.targets if t.fiscal_year in set(years_run.tolist()))
    if not projected:
        raise SensitivityError(
            f"no target falls in the projected years FY{int(years_run[0])}-"
            f"FY{int(years_run[-1])}; add targets or move the horizon"
        )
    headline = _headline(projected, target)
    years = tuple(sorted({t.fiscal_year for t in projected}))
    cols = [int(np.flatnonzero(years_run == y)[0]) for y in years]

    def hits(proj: Projection) -> list[np.ndarray[Any, np.dtype[np.bool_]]]:
        out = []
        for t in projected:
            h = projection_hits(proj, t)
            assert h is not None  # projected by construction
            out.append(h)
        return out

    def outcome(h: list[np.ndarray[Any, np.dtype[np.bool_]]], proj: Projection) -> Outcome:
        return Outcome(
            p_hit=tuple(float(x.mean()) for x in h),
            median=tuple(float(np.median(proj.values[:, c])) for c in cols),
        )

    base_hits = hits(base_proj)
    base = outcome(base_hits, base_proj)
    scenario = base_proj.scenario  # as run: growth: record resolved to explicit ranges
    inputs = named_inputs(scenario, base_proj)
    swings = []
    for inp in inputs:
        lo_proj = run(prepare(inp.low, like=plan))
        lo_hits = hits(lo_proj)
        lo = outcome(lo_hits, lo_proj)
        del lo_proj
        hi_proj = run(prepare(inp.high, like=plan))
        hi_hits = hits(hi_proj)
        hi = outcome(hi_hits, hi_proj)
        del hi_proj
        span = tuple(
            max(b, x, y) - min(b, x, y)
            for b, x, y in zip(base.p_hit, lo.p_hit, hi.p_hit, strict=True)
        )
        se = tuple(paired_difference(a, b)[1] for a, b in zip(lo_hits, hi_hits, strict=True))
        swings.append(Swing(input=inp, low=lo, high=hi, span=span, span_se=se))
    k = projected.index(headline)
    head_col = years.index(headline.fiscal_year)

    def order(s: Swing) -> tuple[float, float, str]:
        med = (s.low.median[head_col], s.high.median[head_col], base.median[head_col])
        return (-s.span[k], -(max(med) - min(med)), s.input.label)

    return SensitivityResult(
        scenario=scenario,
        targets=projected,
        headline=headline,
        years=years,
        base=base,
        swings=tuple(sorted(swings, key=order)),
        paths=crn.paths,
        seed=crn.seed,
        seed_entropy=crn.entropy,
        data_vintage=base_proj.plan.timeline.monthly.vintage,
        runs=runs,
    )


# --- Files and the terminal table --------------------------------------------------------------
