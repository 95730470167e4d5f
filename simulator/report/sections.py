"""The report's context sections: the growth the targets need against the record, the track
record of past official targets, what moves the headline chance most (the tornado), and a
section per component that has a target of its own (call centres).

Each builder is pure: it turns results (:class:`RecordContext`, a
:class:`~simulator.questions.sensitivity.SensitivityResult`, a
:class:`~simulator.stats.summary.Summary`) into blocks, which the Markdown and the PDF
both render, so both quote the same numbers.

Money is USD million; growth and probabilities are fractions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from simulator.present.text import (
    billions,
    chance_text,
    display_name,
    fy_label,
    growth_pct,
    hit_text,
    interval_text,
    money,
    spoken_chance,
)
from simulator.report.blocks import Block, Heading, Paragraph
from simulator.scenario.schema import is_official_kind
from simulator.stats.summary import YearValue

if TYPE_CHECKING:
    from simulator.questions.record import PastTarget, RequiredGrowthSummary, TrackRecord
    from simulator.questions.sensitivity import SensitivityResult
    from simulator.stats.summary import Summary, TargetStats


#: How many inputs the tornado's sentence names (the chart shows more).
TORNADO_NAMED = 2


def target_words(value: float, fiscal_year: int, kind: str = "") -> str:
    """ "$5B in FY26", or "$20B by FY30 (industry projection)" for a target of another kind."""
    if kind and kind != "target" and not is_official_kind(kind):
        return f"{billions(value)} by {fy_label(fiscal_year)} ({kind})"
    return f"{billions(value)} in {fy_label(fiscal_year)}"


@dataclass(frozen=True)
class RecordContext:
    """The record behind a scenario's targets (no simulation).

    Attributes
    ----------
    required : RequiredGrowthSummary — the scenario's targets on the total, from its base
    past : tuple of PastTarget — official targets since 2016 for years now reported
    history : tuple of (fiscal year, USD million) — the annual record up to the base
    """

    required: RequiredGrowthSummary
    past: tuple[PastTarget, ...]
    history: tuple[tuple[int, float], ...]

    @property
    def track(self) -> TrackRecord:
        """The track record of the past official targets (for its chart)."""
        from simulator.questions.record import track_record_summary

        return track_record_summary(self.past)

    @property
    def history_rows(self) -> tuple[YearValue, ...]:
        """The annual record, year by year (for its chart)."""
        return tuple(YearValue(fiscal_year=y, value=v) for y, v in self.history)


def required_growth_sentence(required: RequiredGrowthSummary) -> str:
    """What each target needs a year, against the record's pace and its best single year."""
    rows = required.targets
    if not rows:
        return ""
    base = required.base
    rec = required.record
    needs = [
        f"{target_words(r.value, r.fiscal_year, r.kind)} needs {growth_pct(r.required_cagr)} a year"
        for r in rows
    ]
    if len(needs) > 1:
        needs[-1] = "and " + needs[-1]
    text = (
        f"From {fy_label(base.fiscal_year)}'s {money(base.value)}, "
        + (", " if len(needs) > 2 else " ").join(needs)
        + "."
    )
    windows = [f"{growth_pct(w.cagr)} a year over {w.label}" for w in rec.windows]
    best_year, best_growth = rec.best_year
    text += (
        " The record: "
        + " and ".join(windows)
        + f"; the best single year was {fy_label(best_year)}, "
        f"{growth_pct(best_growth)}."
    )
    # The progress ratio of the latest target (the chart gives every target's).
    last = max(rows, key=lambda r: r.fiscal_year)
    pr = last.progress[0] if last.progress else None
    if pr is not None and pr.ratio is not None:
        text += (
            f" At the {pr.window} pace, "
            f"{target_words(last.value, last.fiscal_year, last.kind)} has a "
            f"progress ratio of {pr.ratio:.2f} ({pr.category}; UN SDG method, on track "
            "from 0.95)."
        )
    return text


def track_record_sentence(past: Sequence[PastTarget]) -> str:
    """How the official targets for years now reported came out."""
    if not past:
        return "No official target set since 2016 is for a fiscal year now reported."
    met = sum(p.hit for p in past)
    items = []
    for p in past:
        verdict = "met" if p.hit else f"missed by {abs(p.gap):.0%}"
        items.append(
            f"{billions(p.value)} for {fy_label(p.fiscal_year)} (set {p.date_stated[:4]}): "
            f"{money(p.actual)}, {verdict}"
        )
    return (
        f"Official IT-export targets set since 2016 for years now reported: {met} of "
        f"{len(past)} met. " + "; ".join(items) + "."
    )


def record_blocks(context: RecordContext) -> list[Block]:
    """The "Against the record" section."""
    blocks: list[Block] = [Heading("Against the record")]
    need = required_growth_sentence(context.required)
    if need:
        blocks.append(Paragraph(need))
    blocks.append(Paragraph(track_record_sentence(context.past)))
    return blocks


def tornado_sentence(result: SensitivityResult, scenario: str) -> str:
    """The inputs that move the headline target's chance most, low and high."""
    head = result.headline
    k = result.targets.index(head)
    base = result.base.p_hit[k]
    text = (
        f"One input at a time, set low and then high on the same {result.paths:,} random "
        f"paths, with everything else as in '{scenario}', where the chance of "
        f"{target_words(head.value, head.fiscal_year, head.kind)} is {chance_text(base)}."
    )
    moves = [
        f"{s.input.label} moves it to {chance_text(s.low.p_hit[k])} (low) and "
        f"{chance_text(s.high.p_hit[k])} (high)"
        for s in result.swings[:TORNADO_NAMED]
    ]
    if moves:
        text += " " + "; ".join(moves) + "."
    return text


def tornado_blocks(result: SensitivityResult, scenario: str) -> list[Block]:
    """The "What moves the chance most" section."""
    return [Heading("What moves the chance most"), Paragraph(tornado_sentence(result, scenario))]


def component_label(name: str) -> str:
    """ "call_centres" → "Call centres", "rest_of_ict" → "Rest of ICT" (:func:`display_name`)."""
    return display_name(name)


def _component_target_sentence(t: TargetStats, scenario: str) -> str:
    first, _, rest = component_label(t.component or "").partition(" ")
    # Inside a sentence: "call centres", but "ICT services" keeps its capitals.
    label = " ".join(w for w in (first if first.isupper() else first.lower(), rest) if w)
    kind = t.kind if t.kind and t.kind != "target" else "target"
    source = f"; source: {t.source}" if t.source else ""
    head = f"{t.name} ({kind}{source}). "
    if not t.projected or t.p_hit is None:
        return head + f"Its year, {fy_label(t.fiscal_year)}, is {t.status}."
    return head + (
        f"The chance that {label} alone reach {money(t.value)} by {fy_label(t.fiscal_year)} is "
        f"{spoken_chance(t.p_hit)} under '{scenario}' (P(hit) {hit_text(t)}, "
        f"simulation error {interval_text(t.p_hit_sim_error, '–')}); their median that year is "
        f"{money(t.p50)}, a gap of {money(t.p50_gap)}."
    )


def component_blocks(summary: Summary) -> list[Block]:
    """A section per component that carries a target of its own: its P(hit) and median path.

    Empty when no target names a component.
    """
    by_component: dict[str, list[TargetStats]] = {}
    for t in summary.targets:
        if t.component is not None:
            by_component.setdefault(t.component, []).append(t)
    blocks: list[Block] = []
    name = summary.scenario.name
    for comp, targets in by_component.items():
        blocks.append(Heading(component_label(comp)))
        text = " ".join(_component_target_sentence(t, name) for t in targets)
        years = summary.components.get(comp, ())
        if years:
            path = ", ".join(f"{fy_label(y.fiscal_year)} {money(y.p50)}" for y in years)
            text += (
                f" The median path: {path} (80% range in {fy_label(years[-1].fiscal_year)}: "
                f"{money(years[-1].p10)}–{money(years[-1].p90)})."
            )
        blocks.append(Paragraph(text))
    return blocks
