"""Plain-text tables and sentences for the terminal; numbers are worded by :mod:`.text`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulator.present.text import (
    billions,
    chance_text,
    count_text,
    fy_label,
    hit_text,
    interval_text,
    money,
    month_name,
    months_text,
    percent,
    points_text,
    pp,
    probability_text,
    seed_text,
    signed_growth,
)
from simulator.stats.summary import CurrentYearStats, Summary

if TYPE_CHECKING:
    from simulator.questions.compare import Comparison
    from simulator.questions.goalseek import GoalSeekResult, ShockSeekResult
    from simulator.questions.record import RequiredGrowthSummary, TrackRecord
    from simulator.questions.sensitivity import SensitivityResult


def every_target_text(summary: Summary) -> str:
    """The "Chance of hitting every target" line: scoped to the horizon, certain if one missed."""
    s = summary
    horizon = s.years[-1].fiscal_year
    beyond = any(t.status == "beyond horizon" for t in s.targets)
    scope = f" up to {fy_label(horizon)}" if beyond else ""
    missed = [t for t in s.targets if t.status == "observed" and not t.p_hit]
    if missed:  # certain, not estimated: a target already reported as missed
        names = ", ".join(fy_label(t.fiscal_year) for t in missed)
        every = f"0% ({names} already missed)"
    else:
        n = s.run.paths
        p_all = s.p_all_targets
        hits = None if p_all is None else round(p_all * n)
        every = probability_text(p_all, estimate=True, hits=hits, paths=n)
    return f"Chance of hitting every target{scope}: {every}"


def target_table(summary: Summary) -> str:
    """The target table printed by ``simulator run``: one row per target."""
    s = summary
    sc, run, base = s.scenario, s.run, s.base
    lines = [
        f"{sc.name}  ({run.paths:,} paths, seed {seed_text(run.seed, run.seed_entropy)}, data "
        f"to {run.data_vintage}; base {fy_label(base.fiscal_year)} = {money(base.value)})",
        "",
    ]
    header = (
        f"{'Target':<26} {'FY':>4} {'Level':>9} {'P(hit)':>7} {'Sim. error':>13} "
        f"{'Median':>9} {'Median gap':>11} {'Needs/yr':>9}"
    )
    lines += [header, "-" * len(header)]
    for t in s.targets:
        ci_text = interval_text(t.p_hit_sim_error)
        p_text = hit_text(t)
        if t.status == "observed":  # already reported: the actual, not a probability
            p_text = "met" if t.p_hit else "missed"
            ci_text = "(actual)"
        cagr = t.required_cagr
        lines.append(
            f"{t.name[:26]:<26} {t.fiscal_year:>4} {money(t.value):>9} "
            f"{p_text:>7} {ci_text:>13} {money(t.p50):>9} "
            f"{money(t.p50_gap):>11} {(percent(cagr, 1) if cagr is not None else 'n/a'):>9}"
        )
    lines += ["", every_target_text(s)]
    lines += component_target_lines(s)
    if s.current_year is not None:
        lines.append(current_year_sentence(s.current_year))
    lines += _assumption_lines(s)
    lines += _method_lines(s)
    lines.append("'Needs/yr' is the constant annual growth from the base that reaches the target.")
    return "\n".join(lines)


def component_target_lines(summary: Summary) -> list[str]:
    """One line per target judged on a component rather than the total (none if there is none)."""
    out = []
    for t in summary.targets:
        if t.component:
            source = f" Source: {t.source}" if t.source else ""
            out.append(
                f"'{t.name}' ({t.kind}) is judged on {t.component.replace('_', ' ')} alone; "
                f"its 'Needs/yr' starts from that component's base.{source}"
            )
    return out


def _assumption_lines(summary: Summary) -> list[str]:
    """Components, shocks and binding limits, one plain line each (only when present)."""
    out: list[str] = []
    if summary.components:
        last = summary.years[-1].fiscal_year
        parts = [
            f"{name.replace('_', ' ')} {money(rows[-1].p50)}"
            for name, rows in summary.components.items()
        ]
        out.append(f"Components in {fy_label(last)} (medians): " + ", ".join(parts) + ".")
    for name, by_year in summary.shocks.items():
        hits = {y: p for y, p in by_year.items() if p > 0}
        if hits:
            years = ", ".join(f"{fy_label(y)} {chance_text(p)}" for y, p in sorted(hits.items()))
            out.append(f"Shock '{name}' struck in: {years} of paths.")
    limits = summary.limits
    for binds, bound, word in (
        (limits.floor_binds, limits.floor, "floor"),
        (limits.cap_binds, limits.cap, "cap"),
    ):
        share = max(binds.values(), default=0.0)
        if share > 0 and bound is not None:
            out.append(
                f"The growth {word} ({bound:+.0%}) bound in up to {chance_text(share)} of "
                "paths in a year."
            )
    return out


def _method_lines(summary: Summary) -> list[str]:
    """What ``growth: record`` resolved to, and the backtest line on model uncertainty."""
    out: list[str] = []
    if summary.growth_rule is not None:
        out.append(summary.growth_rule.sentence() + ".")
    out.extend(str(level.to_dict()["sentence"]) for level in summary.levels)
    if summary.calibration is not None:
        out.append(summary.calibration.sentence())
    return out


def current_year_sentence(cy: CurrentYearStats) -> str:
    """One plain sentence on where the current fiscal year is heading."""
    k = cy.months_observed
    full = cy.full_year
    text = (
        f"{fy_label(cy.fiscal_year)} so far: {months_text(k)}, {money(cy.observed_total)}; "
        f"full year heading for {money(full.p50)} "
        f"(80% range {money(full.p10)}-{money(full.p90)})."
    )
    for need in cy.needed_run_rate:
        rest = "month" if k == 11 else f"{12 - k} months"
        text += f" {need.name} needs {money(need.per_month)}/month for the remaining {rest}."
    return text


def comparison_table(comparison: Comparison) -> str:
    """The table printed by ``simulator compare``: P(hit) per target and scenario, with the
    paired difference from the first scenario and its standard error."""
    run = comparison.run
    lines = [
        f"{count_text(len(comparison.scenarios), 'scenario')} on common random numbers "
        f"({run.paths:,} paths, seed {seed_text(run.seed, run.seed_entropy)}, "
        f"data to {run.data_vintage})",
        "",
    ]
    width = max([len(s.label) for s in comparison.scenarios] + [8])
    width = min(width, 32)
    header = (
        f"{'Scenario':<{width}} {'P(hit)':>7} {'Sim. error':>13} {'vs first':>10} {'(s.e.)':>10}"
    )
    for t in comparison.targets:
        on = f", {t.component.replace('_', ' ')} only" if t.component else ""
        lines += [f"{t.name} ({money(t.value)} in {fy_label(t.fiscal_year)}{on})", header]
        lines.append("-" * len(header))
        for r in t.results:
            ci_text = interval_text(r.p_hit_sim_error)
            se = f"({r.diff_se * 100:.2f} pp)" if r.diff_se is not None else ""
            lines.append(
                f"{r.scenario[:width]:<{width}} {chance_text(r.p_hit):>7} {ci_text:>13} "
                f"{pp(r.diff, 2):>10} {se:>10}"
            )
        lines.append("")
    lines.append(
        f"'vs first' is the difference from {comparison.reference.label!r} on the same random "
        "draws; its standard error is sd(per-path hit difference)/sqrt(paths)."
    )
    return "\n".join(lines)


def required_growth_table(required: RequiredGrowthSummary, track: TrackRecord) -> str:
    """The table printed by ``simulator required-growth``."""
    base = required.base
    rec = required.record
    windows = rec.windows
    lines = [
        f"Growth needed from {fy_label(base.fiscal_year)} = {money(base.value)}, "
        "against the record",
        "",
    ]
    header = f"{'Target':<24} {'FY':>4} {'Level':>9} {'x base':>6} {'Needs/yr':>9}"
    for w in windows:
        header += f" {'ratio ' + w.label:>17}"
    header += "  category"
    lines += [header, "-" * len(header)]
    for r in required.targets:
        line = (
            f"{r.name[:24]:<24} {r.fiscal_year:>4} {money(r.value):>9} "
            f"{r.multiple:>6.2f} {percent(r.required_cagr, 1):>9}"
        )
        for p in r.progress:
            ratio = "n/a" if p.ratio is None else f"{p.ratio:.2f}"
            line += f" {ratio:>17}"
        line += f"  {r.progress[0].category if r.progress else ''}"
        lines.append(line)
    for n in required.current_year:
        annual = required.need(n.name, n.fiscal_year).required_cagr
        lines += [
            "",
            f"{fy_label(n.fiscal_year)} so far: {money(n.ytd)} to "
            f"{month_name(n.last_month)} ({signed_growth(n.ytd_growth)} on a year "
            f"earlier). {n.name} needs {money(n.per_month)}/month for the remaining "
            f"{months_text(n.months_left)}: {signed_growth(n.remaining_growth)} "
            "on the same months a year earlier, against the whole year's "
            f"{signed_growth(annual)}.",
        ]
    (best_year, best), (worst_year, worst) = rec.best_year, rec.worst_year
    lines += [
        "",
        "Record: "
        + "; ".join(f"{w.label} {percent(w.cagr, 1)} a year" for w in windows)
        + f"; best year {fy_label(best_year)} {percent(best, 1)}, "
        f"worst {fy_label(worst_year)} {percent(worst, 1)}.",
        "Progress ratio = record CAGR / required CAGR (UN ESCAP / Open SDG method); category "
        f"from the {windows[0].label} ratio: on track >= 0.95, acceleration needed >= 0.60, "
        "limited progress >= 0, else moving away.",
        "",
        f"Official targets since 2016 met: {track.met} of {track.total}",
    ]
    for t in track.targets:
        verdict = "met" if t.hit else f"missed by {abs(t.gap):.0%}"
        lines.append(
            f"  {fy_label(t.fiscal_year)}: target {money(t.value)} (set "
            f"{t.date_stated}), actual {money(t.actual)}: {verdict}"
        )
    return "\n".join(lines)


def goal_seek_text(result: GoalSeekResult, *, months_reported: int = 0) -> str:
    """What ``simulator goal-seek`` prints: the uplift, the growth path, the P(hit) reached.

    The growth table runs to the target's year (a FY26 goal lists FY26 only).
    ``months_reported`` is how many months of the first projected year the actuals hold:
    the nowcast keeps those, so that year's growth moves less than the uplift, and the
    text says so.
    """
    t = result.target
    what = f"lever '{result.lever}'" if result.lever else "every year's growth"
    lines = [
        f"Goal: P(hit) {percent(result.probability)} for {t.name} "
        f"({money(t.value)} in {fy_label(t.fiscal_year)})",
        f"Uplift to {what}: {result.uplift * 100:+.2f} points a year",
        f"P(hit) reached: {chance_text(result.p_hit)} (was {chance_text(result.p_hit_before)}; "
        f"{result.paths:,} paths, seed {seed_text(result.seed, result.seed_entropy)}, "
        f"{result.evaluations} runs on the same random draws)",
        "",
        f"{'FY':>6} {'median growth before':>21} {'after':>8}",
    ]
    rows = zip(result.years, result.median_growth_before, result.median_growth, strict=True)
    for y, b, a in rows:
        if y <= t.fiscal_year:
            lines.append(f"{fy_label(y):>6} {percent(b, 1):>21} {percent(a, 1):>8}")
    moved = result.median_growth[0] - result.median_growth_before[0]
    if months_reported and result.lever is None and moved < result.uplift - 0.005:
        lines += [
            "",
            f"{fy_label(result.years[0])} moves {points_text(moved, sign=True)}, not "
            f"{points_text(result.uplift, sign=True)}: {months_text(months_reported)} of it "
            "are reported already, and the nowcast keeps them; the uplift acts on the rest.",
        ]
    return "\n".join(lines)


def _billions2(x: float) -> str:
    return billions(x, digits=2)


def sensitivity_table(result: SensitivityResult, *, target: str | None = None) -> str:
    """The table ``simulator sensitivity`` prints, for one target (default: the headline).

    One row per input, largest span first: its low and high settings with P(hit) and the
    median total in the target year at each.
    """
    t = result.target(target) if target else result.headline
    p_, b_ = chance_text, _billions2
    fy_text = fy_label(t.fiscal_year)
    seed = result.seed if result.seed is not None else result.seed_entropy
    lines = [
        f"{result.scenario.name}: what moves the chance of {b_(t.value)} by "
        f"{fy_text}  ({result.paths:,} paths per run, {result.runs} runs, seed {seed})",
        f"Base: P(hit) {p_(result.p_hit(result.base, t))}, median "
        f"{b_(result.median(result.base, t))} in {fy_text}",
        "",
    ]
    rows = result.ranked(t)
    width = max([len(r.input.label) for r in rows] + [5])
    head = (
        f"{'Input':<{width}}  {'Low setting':>16} {'P(hit)':>7} {'Median':>8}  "
        f"{'High setting':>16} {'P(hit)':>7} {'Median':>8}  {'Span':>6}"
    )
    lines += [head, "-" * len(head)]
    for r in rows:
        i = r.input
        lines.append(
            f"{i.label:<{width}}  {i.low_setting:>16} {p_(result.p_hit(r.low, t)):>7} "
            f"{b_(result.median(r.low, t)):>8}  {i.high_setting:>16} "
            f"{p_(result.p_hit(r.high, t)):>7} {b_(result.median(r.high, t)):>8}  "
            f"{result.span(r, t) * 100:>4.1f}pp"
        )
    lines += [
        "",
        "Span: widest gap in P(hit) among the base, low and high runs (percentage points). "
        "Same random draws in every run.",
    ]
    return "\n".join(lines)


def shock_seek_text(result: ShockSeekResult) -> str:
    """What ``simulator goal-seek --shock`` prints: the shock probability that gives the goal."""
    t = result.target
    return "\n".join(
        [
            f"Goal: P(hit) {percent(result.probability)} for {t.name} "
            f"({money(t.value)} in {fy_label(t.fiscal_year)})",
            f"Yearly probability of shock '{result.shock}': "
            f"{percent(result.shock_probability, 1)} (the scenario has "
            f"{percent(result.shock_probability_before, 1)})",
            f"P(hit) reached: {chance_text(result.p_hit)} "
            f"(was {chance_text(result.p_hit_before)}; "
            f"{chance_text(result.p_hit_never)} if it never strikes, "
            f"{chance_text(result.p_hit_always)} if it strikes every year of its window; "
            f"{result.paths:,} paths, seed {result.seed}, {result.evaluations} runs on "
            "the same random draws)",
        ]
    )
