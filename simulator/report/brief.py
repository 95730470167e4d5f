"""A brief-ready report: key numbers, the current year, the assumptions and the charts.

The content is built once, as a list of blocks (:func:`brief_blocks`, a pure function of the
summaries), and rendered twice: as Markdown (:mod:`simulator.report.markdown`, pure text) and
as an A4 PDF laid out with matplotlib alone (:mod:`simulator.report.pdf`). The two therefore
say the same thing, and every number in them is formatted from the ``summary.json`` /
``comparison.json`` written beside them, by :mod:`simulator.present.text`.

Money is USD million; fiscal years run July–June (2026 = FY2026).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from simulator.present.tables import every_target_text
from simulator.present.text import (
    billions,
    chance_text,
    fy_label,
    fy_span,
    hit_text,
    interval_text,
    money,
    month_name,
    months_text,
    pp,
    seed_words,
    signed_growth,
    spoken_chance,
)
from simulator.report.blocks import Block, Bullets, Chart, Heading, Paragraph, Table
from simulator.report.sections import (
    RecordContext,
    component_blocks,
    record_blocks,
    target_words,
    tornado_blocks,
)

if TYPE_CHECKING:
    from simulator.questions.compare import Comparison
    from simulator.questions.sensitivity import SensitivityResult
    from simulator.scenario.distributions import DistributionBase
    from simulator.scenario.schema import Scenario
    from simulator.stats.summary import Summary, TargetStats

TITLE = "Pakistan's IT exports against their targets"


#: What each chart shows, for its caption (by chart name, before the scenario stem).
CAPTIONS = {
    "fan": "IT exports by fiscal year under '{name}': reported, projected, and the targets.",
    "current_year": (
        "{fy} month by month under '{name}': reported, a year earlier, and the months to come."
    ),
    "target_probabilities": (
        "Chance of reaching each target under '{name}', with its simulation error (Monte "
        "Carlo error only; it does not cover doubt about the assumptions)."
    ),
    "target_distributions": (
        "Where IT exports land in each target year under '{name}'; the shaded area is the "
        "chance of reaching the target."
    ),
    "comparison": "The scenarios side by side, on the same random draws.",
    "comparison_probabilities": (
        "Chance of reaching each target under each scenario, with its simulation error."
    ),
    "required_growth": "Growth a year each target needs under '{name}', against the record.",
    "track_record": "Past official targets against what their year brought.",
    "tornado": "What moves the headline chance under '{name}', one input at a time.",
    "components_fan": (
        "Each component of '{name}' on its own: median, central 50% and 90% of paths, and "
        "its targets."
    ),
    "components_stack": "The components' medians stacked, under '{name}'.",
}


@dataclass(frozen=True)
class Brief:
    """Everything the report says, as plain data.

    Parameters
    ----------
    summaries : one :class:`~simulator.stats.summary.Summary` per scenario (the first is the
        reference)
    assumptions : one tuple of plain sentences per scenario (:func:`describe_assumptions`)
    comparison : :func:`simulator.questions.compare.compare_projections` output, or None for
        one scenario
    charts : the chart files, in the order they are shown
    files : the data files written beside the report (summary and comparison JSON)
    record : the reference scenario's targets against the record, or None to leave it out
    sensitivity : the tornado of the reference scenario (one input at a time), or None
    """

    summaries: tuple[Summary, ...]
    assumptions: tuple[tuple[str, ...], ...]
    comparison: Comparison | None = None
    charts: tuple[Chart, ...] = ()
    files: tuple[str, ...] = field(default=())
    record: RecordContext | None = None
    sensitivity: SensitivityResult | None = None


def _target_words(t: TargetStats) -> str:
    """ "$5B in FY26", or "$20B by FY30 (industry projection)" for a target of another kind."""
    return target_words(t.value, t.fiscal_year, t.kind)


def headline(summaries: Sequence[Summary], comparison: Comparison | None) -> str:
    """The brief's first sentence (and, with several scenarios, how the others differ).

    Examples
    --------
    "The chance that IT exports reach $10B by FY29 is about 2% under 'Baseline momentum'."
    """
    ref = summaries[0]
    name = ref.scenario.name
    head = ref.headline
    if head is None or head.p_hit is None:
        return f"No target falls inside the projection under '{name}'."
    return (
        f"The chance that IT exports reach {billions(head.value)} by "
        f"{fy_label(head.fiscal_year)} is {spoken_chance(head.p_hit)} under '{name}'."
    )


def comparison_sentence(summaries: Sequence[Summary], comparison: Comparison | None) -> str:
    """How the headline's chance differs under the other scenarios ("" for one scenario)."""
    head = summaries[0].headline
    if comparison is None or head is None:
        return ""
    parts = []
    for t in comparison.targets:
        if t.fiscal_year != head.fiscal_year or t.value != head.value:
            continue
        for r in t.results[1:]:
            if r.p_hit is None:
                continue
            diff = f", {pp(r.diff)} on the same draws" if r.diff is not None else ""
            parts.append(f"Under '{r.scenario}' it is {spoken_chance(r.p_hit)}{diff}.")
    return " ".join(parts)


def _other_targets_sentence(summary: Summary) -> str:
    """The chances of the targets the headline leaves out, in one sentence ("" if none)."""
    head = summary.headline
    chances, observed = [], []
    for t in summary.targets:
        if t is head or t.component is not None:  # a component's target has its own section
            continue
        if t.status == "observed":
            verb = "was met" if t.p_hit else f"was missed by {money(-(t.p50_gap or 0.0))}"
            observed.append(f"{_target_words(t)} {verb}.")
        elif t.projected and t.p_hit is not None:
            chances.append(f"{spoken_chance(t.p_hit)} for {_target_words(t)}")
    text = ""
    if chances:
        if len(chances) > 1:
            chances[-1] = "and " + chances[-1]
        text = "The chance is " + (", " if len(chances) > 2 else " ").join(chances) + "."
    return " ".join([text, *observed]).strip()


def _key_table(summary: Summary) -> Table:
    rows = []
    for t in summary.targets:
        p_text = hit_text(t)
        ci_text = interval_text(t.p_hit_sim_error, "–")
        if t.status == "observed":
            p_text, ci_text = ("met" if t.p_hit else "missed"), "(actual)"
        elif t.status == "beyond horizon":
            p_text, ci_text = "beyond horizon", ""
        cagr = t.required_cagr
        rows.append(
            (
                t.name,
                fy_label(t.fiscal_year),
                money(t.value),
                p_text,
                ci_text,
                money(t.p50),
                money(t.p50_gap),
                f"{cagr:.1%}" if cagr is not None else "n/a",
            )
        )
    return Table(
        header=(
            "Target",
            "Year",
            "Level",
            "P(hit)",
            "Sim. error",
            "Median",
            "Median gap",
            "Needs a year",
        ),
        rows=tuple(rows),
        align="llrrrrrr",
    )


def _p_all_sentence(summary: Summary) -> str:
    if summary.p_all_targets is None:
        return ""
    return every_target_text(summary) + "."


def _model_uncertainty_sentence(summary: Summary) -> str:
    """What ``growth: record`` resolved to and the backtest line (``calibration``), or ""."""
    parts = []
    if summary.growth_rule is not None:
        parts.append(str(summary.growth_rule.to_dict()["sentence"]) + ".")
    if summary.calibration is not None:
        parts.append(str(summary.calibration.to_dict()["sentence"]))
    return " ".join(parts)


def current_year_paragraph(summary: Summary, *, with_name: bool = True) -> str:
    """Where the partly reported fiscal year is heading, in plain sentences ("" if none)."""
    cy = summary.current_year
    if not cy:
        return ""
    fy = fy_label(cy.fiscal_year)
    k = cy.months_observed
    months = ""
    if cy.observed:
        first, last = cy.observed[0].month, cy.observed[-1].month
        a, b = month_name(first), month_name(last)
        if k == 1:
            months = f" ({a})"
        elif first[:4] == last[:4]:
            months = f" ({a[:3]}–{b})"
        else:
            months = f" ({a}–{b})"
    fyr = cy.full_year
    under = f" under '{summary.scenario.name}'" if with_name else ""
    text = (
        f"{fy} so far: {months_text(k)} reported{months}, {money(cy.observed_total)}, "
        f"{signed_growth(cy.ytd_growth)} on the same months a year earlier. The full year is "
        f"heading for {money(fyr.p50)}{under} (80% range {money(fyr.p10)}–"
        f"{money(fyr.p90)})."
    )
    rest = "month" if k == 11 else f"{12 - k} months"
    for need in cy.needed_run_rate:
        text += (
            f" Reaching {need.name} ({money(need.value)}) needs "
            f"{money(need.per_month)} a month for the remaining {rest}, against "
            f"{money(need.last_year_per_month)} a month in the same months last year."
        )
    return text


def _comparison_table(comparison: Comparison) -> Table:
    rows = []
    for t in comparison.targets:
        for i, r in enumerate(t.results):
            rows.append(
                (
                    f"{t.name} ({money(t.value)}, {fy_label(t.fiscal_year)})" if i == 0 else "",
                    r.scenario,
                    chance_text(r.p_hit),
                    interval_text(r.p_hit_sim_error, "–"),
                    "reference" if i == 0 else pp(r.diff),
                    "" if i == 0 or r.diff_se is None else f"{r.diff_se * 100:.2f} pp",
                )
            )
    return Table(
        header=("Target", "Scenario", "P(hit)", "Sim. error", "vs reference", "s.e."),
        rows=tuple(rows),
        align="llrrrr",
    )


def reproduce_command(summaries: Sequence[Summary]) -> str:
    """The command line that reproduces the report's numbers."""
    run = summaries[0].run
    seed = run.seed if run.seed is not None else run.seed_entropy
    files = " ".join(str(s.scenario.file) for s in summaries)
    cmd = f"simulator report {files} --paths {run.paths} --seed {seed}"
    actuals = run.actuals_file
    if actuals and not str(actuals).startswith("<bundled>"):
        cmd += f" --actuals {actuals}"
    return cmd


def _footer(brief: Brief) -> list[Block]:
    run = brief.summaries[0].run
    items = [
        f"simulator v{run.version}; {run.paths:,} paths per scenario; "
        f"{seed_words(run.seed, run.seed_entropy)}"
        + ("; all scenarios on the same random draws" if len(brief.summaries) > 1 else "")
        + ".",
        f"Data to {run.data_vintage}: SBP via press reports "
        f"(`{run.actuals_file or 'bundled'}`, "
        f"sha256 `{run.actuals_sha256 or 'n/a'}`).",
    ]
    for s in brief.summaries:
        sc = s.scenario
        items.append(f"Scenario '{sc.name}': `{sc.file}`, sha256 `{sc.sha256}`.")
    items.append(f"Reproduce: `{reproduce_command(brief.summaries)}`")
    if brief.files:
        items.append("Every number above is in " + ", ".join(f"`{f}`" for f in brief.files) + ".")
    unprinted = [c.file for c in brief.charts if not c.printed]
    if unprinted:
        items.append(
            "Charts not printed in report.pdf (their numbers are in its text): "
            + ", ".join(f"`{f}`" for f in unprinted)
            + "."
        )
    return [Heading("Reproducibility"), Bullets(tuple(items), "note")]


#: Where each kind of chart goes: after the section named here (see :func:`brief_blocks`).
CHART_SECTIONS = {
    "comparison": "key",
    "fan": "key",
    "target_distributions": "key",
    "target_probabilities": "key",
    "comparison_probabilities": "key",
    "current_year": "current_year",
    "components_fan": "components",
    "components_stack": "components",
    "required_growth": "record",
    "track_record": "record",
    "tornado": "tornado",
}


def _charts_for(brief: Brief, section: str) -> list[Block]:
    return [c for c in brief.charts if CHART_SECTIONS.get(c.name) == section]


def brief_blocks(brief: Brief) -> list[Block]:
    """The report's content, in order, as blocks (pure: no files, no figures).

    Parameters
    ----------
    brief : Brief

    Returns
    -------
    list of Heading, Paragraph, Bullets, Table and Chart
    """
    several = len(brief.summaries) > 1
    ref = brief.summaries[0]
    run = ref.run
    blocks: list[Block] = [Heading(TITLE, 1)]
    blocks.append(Paragraph(headline(brief.summaries, brief.comparison), "lead"))
    intro = _other_targets_sentence(ref)
    intro += " " + comparison_sentence(brief.summaries, brief.comparison)
    if several:
        names = ", ".join(f"'{s.scenario.name}'" for s in brief.summaries[1:])
        intro += (
            f" This brief compares {len(brief.summaries)} scenarios on the same random draws, "
            f"so their differences come from the assumptions alone: '{ref.scenario.name}' "
            f"(the reference) with {names}."
        )
    if intro.strip():
        blocks.append(Paragraph(intro.strip()))
    blocks.append(
        Paragraph(
            f"Monte Carlo projection of SBP ICT exports (telecommunications, computer and "
            f"information services), {run.paths:,} simulated paths, data to "
            f"{run.data_vintage}. Money in US dollars; fiscal years run July–June "
            "(FY26 = July 2025–June 2026).",
            "note",
        )
    )

    blocks.append(Heading("Key numbers"))
    for s in brief.summaries:
        if several:
            blocks.append(Heading(s.scenario.name, 3))
        blocks.append(_key_table(s))
        p_all = _p_all_sentence(s)
        if p_all:
            blocks.append(Paragraph(p_all, "note"))
        model = _model_uncertainty_sentence(s)
        if model:
            blocks.append(Paragraph(model, "note"))
    blocks.append(
        Paragraph(
            "P(hit) is the share of simulated paths at or above the target in its year; its "
            "simulation error (a 95% Wilson interval) is the Monte Carlo error only. "
            "The median gap is the median "
            "outcome minus the target (negative: a shortfall). 'Needs a year' is the constant "
            f"annual growth from {fy_label(ref.base.fiscal_year)} = "
            f"{money(ref.base.value)} that reaches the target"
            + (
                " (for a component's target, from its own base)."
                if any(t.component for t in ref.targets)
                else "."
            ),
            "note",
        )
    )
    if brief.comparison is None:
        blocks.extend(_charts_for(brief, "key"))

    if brief.comparison is not None:
        blocks.append(Heading("Scenarios compared"))
        blocks.append(_comparison_table(brief.comparison))
        blocks.append(
            Paragraph(
                "'vs reference' is the difference in P(hit) from "
                f"'{brief.comparison.reference.label}' on the same random draws, in "
                "percentage points; s.e. is its paired standard error.",
                "note",
            )
        )
        blocks.extend(_charts_for(brief, "key"))

    cy_texts = [current_year_paragraph(s, with_name=True) for s in brief.summaries]
    cy_texts = [t for t in cy_texts if t]
    if cy_texts:
        first = next(s.current_year for s in brief.summaries if s.current_year)
        assert first is not None
        blocks.append(Heading(f"This fiscal year ({fy_label(first.fiscal_year)})"))
        blocks.append(Paragraph(cy_texts[0]))
        for s in brief.summaries[1:]:
            cy = s.current_year
            if cy:
                fyr = cy.full_year
                blocks.append(
                    Paragraph(
                        f"Under '{s.scenario.name}': heading for {money(fyr.p50)} "
                        f"(80% range {money(fyr.p10)}–{money(fyr.p90)})."
                    )
                )
    blocks.extend(_charts_for(brief, "current_year"))

    for s in brief.summaries:
        blocks.extend(component_blocks(s))
    blocks.extend(_charts_for(brief, "components"))
    if brief.record is not None:
        blocks.extend(record_blocks(brief.record))
    blocks.extend(_charts_for(brief, "record"))
    if brief.sensitivity is not None:
        blocks.extend(tornado_blocks(brief.sensitivity, ref.scenario.name))
    blocks.extend(_charts_for(brief, "tornado"))

    blocks.append(Heading("Assumptions"))
    for s, lines in zip(brief.summaries, brief.assumptions, strict=True):
        sc = s.scenario
        if several:
            blocks.append(Heading(sc.name, 3))
        if sc.description:
            blocks.append(Paragraph(sc.description))
        if s is not ref:  # only what differs from the reference, so the differences stand out
            own = tuple(line for line in lines if line not in brief.assumptions[0])
            if not own:
                blocks.append(Paragraph("The same assumptions as the reference scenario."))
                continue
            blocks.append(Paragraph("As the reference scenario, except:"))
            lines = own
        blocks.append(Bullets(tuple(lines)))

    rest = [c for c in brief.charts if c.name not in CHART_SECTIONS]
    if rest:
        blocks.append(Heading("Charts"))
        blocks.extend(rest)
    blocks.extend(_footer(brief))
    return blocks


def _spread(d: DistributionBase) -> tuple[float, float, float]:
    """Median and central 90% range of a distribution (equal for a fixed value)."""
    mid = float(d.median())
    try:
        lo, hi = (float(v) for v in d.scipy_dist().ppf([0.05, 0.95]))
    except (ValueError, NotImplementedError):  # pragma: no cover - every registered dist has one
        lo = hi = mid
    if not (math.isfinite(lo) and math.isfinite(hi)):
        lo = hi = mid
    return mid, lo, hi


def _dist_words(d: DistributionBase, *, points: bool = False, unit: str = "") -> str:
    """ "about +19.0% a year (normal; 90% of draws between +9.1% and +28.9%)"."""

    def f(x: float) -> str:
        return f"{x * 100:+.1f} points" if points else signed_growth(x)

    mid, lo, hi = _spread(d)
    if abs(hi - lo) < 1e-12:
        return f"exactly {f(mid)}{unit}"
    name = d.dist.replace("_", " ")
    return f"about {f(mid)}{unit} ({name}; 90% of draws between {f(lo)} and {f(hi)})"


def describe_assumptions(scenario: Scenario) -> tuple[str, ...]:
    """A scenario's assumptions as plain sentences, one per item, for a reader of the brief.

    Parameters
    ----------
    scenario : Scenario

    Returns
    -------
    tuple of str
    """
    lines: list[str] = []
    if scenario.growth is not None and not isinstance(scenario.growth, list):
        lines.append("Growth: the record rule (growth: record), resolved when run.")
    for g in scenario.growth if isinstance(scenario.growth, list) else []:
        lines.append(f"Growth {fy_span(*g.years)}: {_dist_words(g, unit=' a year')}.")
    if scenario.components:
        for c in scenario.components:
            desc = f" ({c.description})" if c.description else ""
            if c.base == "rest":
                base = "the rest of the total in the base year"
            elif c.base.value is not None:
                base = f"{money(c.base.value)} in the base year"
            else:
                base = f"{(c.base.share or 0):.0%} of the total in the base year"
            growth = "; ".join(
                f"{fy_span(*g.years)} {_dist_words(g, unit=' a year')}" for g in c.growth or []
            )
            growth = f"; growth {growth}" if growth else "; follows the scenario's growth"
            lines.append(f"Component '{c.name}'{desc}: {base}{growth}.")
        if scenario.correlation and len(scenario.correlation) == 2:
            lines.append(
                f"The components' growth surprises are correlated ({scenario.correlation[0][1]:g})."
            )
        elif scenario.correlation:
            lines.append("A correlation matrix links the components' growth surprises.")
    rho = scenario.persistence
    if rho == 0:
        lines.append("Years are independent: a good year says nothing about the next.")
    else:
        lines.append(
            f"Persistence {rho:g}: a growth surprise carries into the next year with "
            f"correlation {rho:g} (AR(1)), so good and bad years come in runs."
        )
    for lv in scenario.levers:
        desc = f" ({lv.description})" if lv.description else ""
        only = f", for {', '.join(lv.components)} only" if lv.components else ""
        lines.append(
            f"Lever '{lv.name}'{desc}: adds {_dist_words(lv, points=True)} to growth each "
            f"year in {fy_span(*lv.years)}{only}; drawn once per path, so it persists."
        )
    for sh in scenario.shocks:
        desc = f" ({sh.description})" if sh.description else ""
        mid, lo, hi = _spread(sh.impact)
        way = "falls" if mid < 0 else "rises"
        size = f"about {abs(mid):.0%}"
        if abs(hi - lo) > 1e-12:
            size += (
                f" (90%: {abs(hi):.0%} to {abs(lo):.0%})"
                if mid < 0
                else f" (90%: {lo:.0%} to {hi:.0%})"
            )
        recur = "at most once" if sh.once else "can recur"
        text = (
            f"Shock '{sh.name}'{desc}: a {sh.probability:.0%} chance each year in "
            f"{fy_span(*sh.years)} ({recur}); in a year it strikes, the level {way} by {size}"
        )
        if sh.recovery > 0:
            text += f"; {sh.recovery:.0%} of that comes back the next year"
        lines.append(text + ".")
    lines.append(
        f"Yearly growth is held between {signed_growth(scenario.limits.floor, 0)} and "
        f"{signed_growth(scenario.limits.cap, 0)}."
    )
    if scenario.nowcast:
        lines.append(
            "A part-reported fiscal year is its reported months plus simulated remaining months, "
            "whose growth blends this scenario's assumption with the year-to-date signal."
        )
    return tuple(lines)
