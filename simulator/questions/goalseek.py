"""Goal seek: the growth uplift that gives a target a chosen probability.

The uplift ``delta`` (growth points as a fraction, 0.03 = +3 points a year) is added to every
projected year's growth distribution — each growth range, of the total and of every component,
is moved with :meth:`~simulator.distributions.DistributionBase.shifted` — or, with ``lever``,
to that one lever's distribution only. P(hit)(delta) is evaluated on common random numbers
(the same seed and paths at every evaluation), so it is a non-decreasing step function of
delta, and :func:`scipy.optimize.brentq` finds where it crosses the wanted probability inside
a bracket. The floor and cap on yearly growth (``limits``) still apply, so some probabilities
cannot be reached at any uplift; that is reported, not hidden.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from simulator.engine.runs import Plan, Projection, common_random_numbers, prepare, simulate
from simulator.errors import UserInputError, did_you_mean
from simulator.present.text import billions
from simulator.scenario.schema import Scenario, Target
from simulator.stats.jsonable import JSONDict, json_fields
from simulator.stats.targets import growth_quantiles, projection_hits

#: Default bracket for the uplift, growth as a fraction (−30 to +60 points a year).
BRACKET = (-0.30, 0.60)


class GoalSeekError(UserInputError):
    """The goal cannot be sought: a bad request, or a probability out of reach."""


@dataclass(frozen=True)
class GoalSeekResult:
    """What :func:`goal_seek` found.

    Attributes
    ----------
    target : Target
    probability : float — the P(hit) asked for (0-1)
    lever : str or None — the lever shifted, or None for every growth range
    uplift : float — growth points added (fraction: 0.031 = +3.1 points a year)
    p_hit : float — P(hit) reached at ``uplift`` (0-1; the nearest a finite sample allows)
    p_hit_before : float — P(hit) with no uplift
    years : tuple of int — projected fiscal years
    median_growth : tuple of float — median simulated growth per year after the uplift
    median_growth_before : tuple of float — the same without the uplift
    evaluations : int — simulations run
    paths, seed, seed_entropy : the common random numbers used (``seed`` None for fresh
        entropy; ``seed_entropy`` replays it)
    """

    target: Target
    probability: float
    lever: str | None
    uplift: float
    p_hit: float
    p_hit_before: float
    years: tuple[int, ...]
    median_growth: tuple[float, ...]
    median_growth_before: tuple[float, ...]
    evaluations: int
    paths: int
    seed: int | None
    seed_entropy: int

    def to_dict(self) -> JSONDict:
        """The JSON object ``goal-seek --json`` prints (its fields in order)."""
        # 128-bit: a string survives JSON readers
        return {**json_fields(self), "seed_entropy": str(self.seed_entropy)}


def shift_growth(scenario: Scenario, delta: float, *, actuals: str | None = None) -> Scenario:
    """The scenario with every growth range (top level and per component) moved by ``delta``.

    ``growth: record`` is resolved first, on ``actuals`` (a CSV of monthly actuals, as
    ``--actuals`` gives) or else the scenario's own, so the shifted ranges are those the
    scenario has on the data it will run on.
    """
    if scenario.growth is not None and not isinstance(scenario.growth, list):
        scenario = _resolved(scenario, actuals)
    shifted = scenario
    if isinstance(scenario.growth, list):
        growth = [g.shifted(delta) for g in scenario.growth]
        shifted = shifted.model_copy(update={"growth": growth})
    if scenario.components is not None:
        components = [
            c.model_copy(update={"growth": [g.shifted(delta) for g in c.growth]})
            if c.growth is not None
            else c
            for c in scenario.components
        ]
        shifted = shifted.model_copy(update={"components": components})
    return shifted


def _resolved(scenario: Scenario, actuals: str | None) -> Scenario:
    """``growth: record`` made explicit once, so goal seek shifts its ranges (else unchanged)."""
    from simulator.data.timeline import actuals_for, build_timeline
    from simulator.stats.record_rule import resolve_scenario

    if scenario.growth is None or isinstance(scenario.growth, list):
        return scenario
    tl = build_timeline(scenario, actuals_for(scenario, actuals))
    hist = (tl.history_years, tl.history_values)
    return resolve_scenario(scenario, *hist, first_year=int(tl.years[0]))


def shift_lever(scenario: Scenario, lever: str, delta: float) -> Scenario:
    """The scenario with the named lever's distribution moved by ``delta``."""
    names = [lv.name for lv in scenario.levers]
    if lever not in names:
        from simulator.stats.record_rule import MEAN_LEVER

        # The record rule's own lever (its mean's uncertainty) is not one the user wrote.
        raise GoalSeekError(unknown_lever_message(lever, [n for n in names if n != MEAN_LEVER]))
    levers = [lv.shifted(delta) if lv.name == lever else lv for lv in scenario.levers]
    return scenario.model_copy(update={"levers": levers})


def unknown_lever_message(lever: str, names: Sequence[str]) -> str:
    """One line naming the levers a scenario has."""
    if not names:
        return f"unknown lever '{lever}': this scenario has no levers"
    return f"unknown lever '{lever}'{did_you_mean(lever, names)}; levers: {', '.join(names)}"


def parse_fiscal_year(text: str) -> int:
    """ "FY2029", "2029", "FY29" or "2028-29" → 2029 (:func:`simulator.fiscal.parse_year`).

    Raises
    ------
    GoalSeekError
        For anything else.
    """
    from simulator.fiscal import parse_year

    try:
        return parse_year(text)
    except ValueError:
        raise GoalSeekError(
            f"bad target year '{text}'; write a fiscal year such as FY2029"
        ) from None


def find_target_by(scenario: Scenario | Plan, text: str) -> Target:
    """The scenario's target named ``text`` (case-insensitive), or the one in fiscal year ``text``.

    A component's target is found by its name ("Call centres $500M") or its year.

    Raises
    ------
    GoalSeekError
        If no target has that name or (projected) year; the message lists the names.
    """
    targets = scenario.scenario.targets if isinstance(scenario, Plan) else scenario.targets
    for t in targets:
        if t.name.casefold() == text.strip().casefold():
            return find_target(scenario, t.fiscal_year, name=t.name)
    try:
        fy = parse_fiscal_year(text)
    except GoalSeekError:
        names = [t.name for t in targets]
        raise GoalSeekError(
            f"no target named '{text}'{did_you_mean(text, names)}; give a fiscal year such as "
            f"FY2029 or one of: {', '.join(names)}"
        ) from None
    return find_target(scenario, fy)


def find_target(scenario: Scenario | Plan, fiscal_year: int, *, name: str | None = None) -> Target:
    """The scenario's target in ``fiscal_year``, which must be projected.

    A :class:`~simulator.engine.runs.Plan` answers without reading a file.

    Raises
    ------
    GoalSeekError
        If there is no projected target that year; the message lists the valid years.
    """
    plan = scenario if isinstance(scenario, Plan) else prepare(scenario)
    projected = set(int(y) for y in plan.years)
    valid = [t for t in plan.scenario.targets if t.fiscal_year in projected]
    for t in valid:
        if t.fiscal_year == fiscal_year and (name is None or t.name == name):
            return t
    years = ", ".join(f"FY{t.fiscal_year}" for t in valid) or "none"
    raise GoalSeekError(
        f"no target in FY{fiscal_year} among the projected years; expected one of: {years}"
    )


def goal_seek(
    scenario: Scenario | Plan,
    *,
    target: Target,
    probability: float,
    lever: str | None = None,
    paths: int | None = None,
    seed: int | None = None,
    bracket: tuple[float, float] = BRACKET,
    xtol: float = 1e-5,
    threads: int | None = None,
    progress: Callable[[int], None] | None = None,
    actuals: str | None = None,
) -> GoalSeekResult:
    """The uplift to growth (or to one lever) that gives ``target`` a P(hit) of ``probability``.

    Parameters
    ----------
    scenario : Scenario or Plan — a plan (:func:`~simulator.engine.runs.prepare`) is not
        prepared again; every evaluation reuses its actuals and fitted nowcast
    target : Target — must be projected (see :func:`find_target`)
    probability : float — wanted P(hit), strictly between 0 and 1
    lever : str, optional — shift only this lever (default: every growth range)
    paths : int, optional — default: the scenario's
    seed : int, optional — default: the scenario's, or fresh entropy shared by every evaluation
    bracket : (float, float) — lowest and highest uplift tried, growth as a fraction
    xtol : float — tolerance on the uplift
    threads : int, optional
    progress : callable, optional — called with 1 after each evaluation (for a progress bar)
    actuals : str, optional — CSV of monthly actuals (only with a scenario; a plan has its data)

    Returns
    -------
    GoalSeekResult

    Raises
    ------
    GoalSeekError
        For a probability outside (0, 1), an unknown lever, or a probability that no uplift in
        the bracket reaches (the message says how far it got and whether the cap or floor on
        growth is what stops it).

    Examples
    --------
    >>> res = goal_seek(sc, target=sc.targets[1], probability=0.5, paths=20_000)  # doctest: +SKIP
    >>> f"{res.uplift:+.1%}"  # doctest: +SKIP
    '+6.4%'
    """
    from scipy.optimize import brentq

    if not 0.0 < probability < 1.0:
        raise GoalSeekError(f"probability must be between 0 and 1, exclusive (got {probability:g})")
    plan = scenario if isinstance(scenario, Plan) else prepare(scenario, actuals=actuals)
    scenario = plan.scenario
    if lever is not None:
        shift_lever(scenario, lever, 0.0)  # validates the name
    crn = common_random_numbers(plan, paths=paths, seed=seed, threads=threads)
    evaluations = 0  # plan.scenario has growth: record resolved already, on the plan's data

    def run(delta: float) -> Projection:
        nonlocal evaluations
        evaluations += 1
        sc = shift_lever(scenario, lever, delta) if lever else shift_growth(scenario, delta)
        proj = crn.simulate(prepare(sc, like=plan))
        if progress is not None:
            progress(1)
        return proj

    def p_hit(proj: Projection) -> float:
        hits = projection_hits(proj, target)
        if hits is None:
            raise GoalSeekError(f"FY{target.fiscal_year} is not projected by this scenario")
        return float(hits.mean())

    base = run(0.0)
    p0 = p_hit(base)
    lo, hi = bracket
    proj_lo, proj_hi = run(lo), run(hi)
    p_lo, p_hi = p_hit(proj_lo), p_hit(proj_hi)
    if not p_lo <= probability <= p_hi:
        raise GoalSeekError(
            _unreachable(
                scenario, target, probability, lever, (lo, p_lo, proj_lo), (hi, p_hi, proj_hi)
            )
        )

    def f(delta: float) -> float:
        return p_hit(run(delta)) - probability

    if p_hi == probability:
        uplift = hi
    elif p_lo == probability:
        uplift = lo
    else:
        uplift = float(brentq(f, lo, hi, xtol=xtol))
    final = run(uplift)
    # P(hit) is a step function of the uplift on a finite sample, and brentq may stop just
    # below the step. Report an uplift that reaches the goal: step up (doubling) until it does;
    # the bracket's upper end is known to reach it.
    step = xtol
    while p_hit(final) < probability and uplift < hi:
        uplift = min(hi, uplift + step)
        step *= 2
        final = run(uplift)
    years = tuple(int(y) for y in final.years)
    base_value = final.plan.timeline.base_value
    g_after = growth_quantiles(final.values, base_value, (0.5,))[0]
    g_before = growth_quantiles(base.values, base_value, (0.5,))[0]
    return GoalSeekResult(
        target=target,
        probability=probability,
        lever=lever,
        uplift=uplift,
        p_hit=p_hit(final),
        p_hit_before=p0,
        years=years,
        median_growth=tuple(float(g) for g in g_after),
        median_growth_before=tuple(float(g) for g in g_before),
        evaluations=evaluations,
        paths=crn.paths,
        seed=crn.seed,
        seed_entropy=crn.entropy,
    )


#: Share of path-years at a limit above which the limit is named as what stops the search.
_BINDING = 0.05


def _unreachable(
    scenario: Scenario,
    target: Target,
    probability: float,
    lever: str | None,
    low: tuple[float, float, Projection],
    high: tuple[float, float, Projection],
) -> str:
    """One line: why no uplift in the bracket gives ``probability``."""
    goal = (
        f"P(hit) {probability:.0%} for {billions(target.value)} in FY{target.fiscal_year} "
        "cannot be reached"
    )
    what = f"lever '{lever}'" if lever else "growth"
    lim = scenario.limits
    edge, reach, proj = high if probability > high[1] else low
    if low[1] == high[1]:
        text = f"{goal}: P(hit) stays at {low[1]:.1%} whatever the shift to {what}"
        if lever:
            lv = next(x for x in scenario.levers if x.name == lever)
            text += f" (the lever acts in FY{lv.years[0]}-FY{lv.years[1]})"
    else:
        text = f"{goal}: shifting {what} by {edge * 100:+.0f} points a year gives only {reach:.1%}"
    if edge > 0 and float(proj.cap_binds.max()) > _BINDING:
        text += f"; yearly growth is capped at {lim.cap:.0%} (limits.cap)"
    elif edge < 0 and float(proj.floor_binds.max()) > _BINDING:
        text += f"; yearly growth has a floor of {lim.floor:.0%} (limits.floor)"
    elif low[1] != high[1]:
        text += f" (the search covers {low[0] * 100:+.0f} to {high[0] * 100:+.0f} points)"
    return text


@dataclass(frozen=True)
class ShockSeekResult:
    """What :func:`shock_seek` found.

    Attributes
    ----------
    target : Target
    probability : float — the P(hit) asked for (0-1)
    shock : str — the shock whose yearly probability was solved for
    shock_probability : float — yearly probability of the shock that gives it (0-1)
    shock_probability_before : float — the scenario's own
    p_hit : float — P(hit) reached at ``shock_probability`` (0-1)
    p_hit_before : float — P(hit) at the scenario's own shock probability
    p_hit_never, p_hit_always : float — P(hit) with shock probability 0 and 1
    evaluations : int — simulations run
    paths, seed : the common random numbers used
    """

    target: Target
    probability: float
    shock: str
    shock_probability: float
    shock_probability_before: float
    p_hit: float
    p_hit_before: float
    p_hit_never: float
    p_hit_always: float
    evaluations: int
    paths: int
    seed: int | None

    def to_dict(self) -> JSONDict:
        """The JSON object ``goal-seek --shock --json`` prints (its fields in order)."""
        return json_fields(self)


def with_shock_probability(scenario: Scenario, shock: str, q: float) -> Scenario:
    """The scenario with the named shock's yearly probability set to ``q`` (0-1)."""
    names = [s.name for s in scenario.shocks]
    if shock not in names:
        if not names:
            raise GoalSeekError(f"unknown shock '{shock}': this scenario has no shocks")
        raise GoalSeekError(
            f"unknown shock '{shock}'{did_you_mean(shock, names)}; shocks: {', '.join(names)}"
        )
    shocks = [
        s.model_copy(update={"probability": q}) if s.name == shock else s for s in scenario.shocks
    ]
    return scenario.model_copy(update={"shocks": shocks})


def shock_seek(
    scenario: Scenario | Plan,
    *,
    target: Target,
    probability: float,
    shock: str,
    paths: int | None = None,
    seed: int | None = None,
    xtol: float = 1e-6,
    threads: int | None = None,
    progress: Callable[[int], None] | None = None,
    actuals: str | None = None,
) -> ShockSeekResult:
    """The yearly probability of ``shock`` that gives ``target`` a P(hit) of ``probability``.

    P(hit) is evaluated on common random numbers: a path's shock strikes in a year when its
    uniform score is below the probability, so as the probability rises the same paths keep
    their strikes and gain more. P(hit) is then a monotone step function of the shock
    probability, and :func:`scipy.optimize.brentq` finds where it crosses ``probability`` in
    [0, 1].

    ``scenario`` may be a prepared plan (it is not prepared again); ``actuals`` applies only
    to a scenario.

    Raises
    ------
    GoalSeekError
        For a probability outside (0, 1), an unknown shock, or a P(hit) that no shock
        probability in [0, 1] gives (the message gives the range that is reachable).
    """
    from scipy.optimize import brentq

    if not 0.0 < probability < 1.0:
        raise GoalSeekError(f"probability must be between 0 and 1, exclusive (got {probability:g})")
    # Read and fitted once (a plan is not prepared again); every variant reuses it.
    base = scenario if isinstance(scenario, Plan) else prepare(scenario, actuals=actuals)
    scenario = base.scenario
    with_shock_probability(scenario, shock, 0.0)  # validates the name
    n = scenario.paths if paths is None else paths
    run_seed = scenario.seed if seed is None else seed
    evaluations = 0
    own = next(s.probability for s in scenario.shocks if s.name == shock)

    def p_hit(q: float) -> float:
        nonlocal evaluations, run_seed
        evaluations += 1
        plan = prepare(with_shock_probability(scenario, shock, q), like=base)
        proj = simulate(plan, paths=n, seed=run_seed, threads=threads)
        if progress is not None:
            progress(1)
        if run_seed is None:
            run_seed = proj.seed_entropy
        hits = projection_hits(proj, target)
        if hits is None:
            raise GoalSeekError(f"FY{target.fiscal_year} is not projected by this scenario")
        return float(hits.mean())

    p_never, p_always, p_own = p_hit(0.0), p_hit(1.0), p_hit(own)
    lo_p, hi_p = min(p_never, p_always), max(p_never, p_always)
    if not lo_p <= probability <= hi_p:
        goal = (
            f"P(hit) {probability:.0%} for {target.name} ({billions(target.value)} in "
            f"FY{target.fiscal_year}) cannot be reached by changing shock '{shock}'"
        )
        if p_never == p_always:
            reach = f"P(hit) is {p_never:.1%} whether it never strikes or strikes every year"
        else:
            reach = (
                f"P(hit) runs only from {p_never:.1%} (never strikes) to {p_always:.1%} "
                "(strikes every year of its window)"
            )
        raise GoalSeekError(f"{goal}: {reach}; change the growth or a lever instead")
    if p_never == probability:
        q = 0.0
    elif p_always == probability:
        q = 1.0
    else:
        q = float(brentq(lambda x: p_hit(x) - probability, 0.0, 1.0, xtol=xtol))
    return ShockSeekResult(
        target=target,
        probability=probability,
        shock=shock,
        shock_probability=q,
        shock_probability_before=own,
        p_hit=p_hit(q),
        p_hit_before=p_own,
        p_hit_never=p_never,
        p_hit_always=p_always,
        evaluations=evaluations,
        paths=n,
        seed=run_seed,
    )
