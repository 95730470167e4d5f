"""The report bundle: runs become summaries, a comparison, the chart list and the brief, and
then every file ``simulator report`` writes (Markdown, PDF, charts, JSON)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from simulator.present.text import fy_label
from simulator.report.blocks import Chart
from simulator.report.brief import CAPTIONS, Brief, describe_assumptions
from simulator.report.charts import Draw
from simulator.report.markdown import brief_markdown
from simulator.report.pdf import write_pdf
from simulator.report.sections import RecordContext

if TYPE_CHECKING:
    from simulator.engine.runs import Projection
    from simulator.questions.sensitivity import SensitivityResult
    from simulator.stats.chart_data import ChartData
    from simulator.stats.summary import Summary


#: The compact sizes (inches) of the report's context charts, shorter than a half page so
#: the print budget (3 A4 pages for one scenario, 5 for two) holds them.
RECORD_SIZE = (7.0, 3.2)
TORNADO_SIZE = (7.0, 3.4)


#: The charts report.pdf prints; the others are written beside it and linked from the
#: Markdown. The probability bars and the target-year distributions repeat the key-numbers
#: table, and the track record is one sentence of the text: printing them would break the
#: page budget.
PRINTED = frozenset(("comparison", "fan", "current_year", "required_growth", "tornado"))


def unique_stems(files: Sequence[str]) -> list[str]:
    """File stems made unique for output names: a repeated stem gets "-2", "-3" …"""
    out: list[str] = []
    for f in files:
        stem, k = Path(f).stem or "scenario", 2
        cand = stem
        while cand in out:
            cand, k = f"{stem}-{k}", k + 1
        out.append(cand)
    return out


@dataclass(frozen=True)
class Bundle:
    """A report ready to write: its content and the figures behind its charts.

    ``chart_data`` holds each run's :class:`ChartData` (``summary-<stem>.json`` is its
    summary's JSON with a ``chart_data`` key).
    """

    brief: Brief
    stems: tuple[str, ...]
    draws: Mapping[str, Draw]
    chart_data: tuple[ChartData, ...] = ()


def record_context(projection: Projection) -> RecordContext | None:
    """The reference run's targets on the total against its record, and the track record of
    past official targets (None when the record is too short to have a pace)."""
    from simulator.questions.record import past_targets, required_growth_summary

    tl = projection.plan.timeline
    history = dict(zip(tl.history_years.tolist(), tl.history_values.tolist(), strict=True))
    targets = [t for t in projection.scenario.targets if t.component is None]
    try:
        required = required_growth_summary(
            targets, base_year=tl.base_year, base_value=tl.base_value, history=history
        )
    except ValueError:  # fewer than two years of record
        return None
    return RecordContext(
        required=required,
        past=tuple(past_targets(history)),
        history=tuple(sorted(history.items())),
    )


def tornado(projection: Projection) -> SensitivityResult | None:
    """One input at a time on the reference run's plan, paths and seed (None when it projects
    no target): its base is the reference run itself, so the chances the tornado and its
    sentence quote are the ones the key-numbers table quotes (on fewer paths they read 17.0%
    beside the table's 17.5%)."""
    from simulator.questions.sensitivity import SensitivityError, sensitivity

    seed = projection.seed if projection.seed is not None else projection.seed_entropy
    try:
        return sensitivity(projection.plan, paths=projection.paths, seed=seed)
    except SensitivityError:
        return None


def build_bundle(
    projections: Sequence[Projection],
    files: Sequence[str],
    *,
    fmt: str = "png",
    context: bool = True,
) -> Bundle:
    """Summaries, comparison, assumptions and chart list of the runs ``projections``.

    Parameters
    ----------
    projections : one run per scenario, on common random numbers (the first is the reference)
    files : the scenario files, for the output names (``summary-<stem>.json`` …)
    fmt : image format of the charts
    context : add the reference's record (required growth, past targets) and its tornado
        (one input at a time, on the reference run's paths); False leaves both out
    """
    from simulator.plotting.tornado import TORNADO_MAX_BARS
    from simulator.questions.backtest import with_calibration
    from simulator.questions.compare import compare_projections
    from simulator.report import charts
    from simulator.stats.chart_data import chart_data

    stems = unique_stems(files)
    summaries: list[Summary] = []
    data: list[ChartData] = []
    for p in projections:
        summaries.append(with_calibration(p).summary())
        data.append(chart_data(p))
    comparison = compare_projections(projections) if len(projections) > 1 else None
    ref = projections[0]
    record = record_context(ref) if context else None
    swings = tornado(ref) if context else None

    printed: list[Chart] = []
    unprinted: list[Chart] = []
    draws: dict[str, Draw] = {}

    def add(
        name: str, draw: Draw, summary: Summary | None, stem: str | None, *, print_: bool = True
    ) -> None:
        file = f"{name}-{stem}.{fmt}" if stem else f"{name}.{fmt}"
        cy = summary.current_year if summary is not None else None
        fy = cy.fiscal_year if cy else 0
        scenario = summary.scenario.name if summary is not None else ""
        caption = CAPTIONS.get(name, name).format(name=scenario, fy=fy_label(fy))
        (printed if print_ else unprinted).append(Chart(file, caption, printed=print_, name=name))
        draws[file] = draw

    if comparison is not None:
        made = charts.compare_charts(comparison)
        add("comparison", made["comparison"], None, None)
        # its bars repeat the comparison table: written and linked, not printed
        add("comparison_probabilities", made["comparison_probabilities"], None, None, print_=False)
    order = ("fan", "current_year", "target_probabilities", "target_distributions")
    for i, (s, d, stem) in enumerate(zip(summaries, data, stems, strict=True)):
        made = charts.run_charts(s, d)
        names: tuple[str, ...] = order if i == 0 else ("fan",)
        if comparison is not None:  # the comparison's probability chart already shows these
            names = tuple(n for n in names if n != "target_probabilities")
        for name in names:
            if name in made:
                add(name, made[name], s, stem, print_=name in PRINTED)
        for name in ("components_fan", "components_stack"):
            if name in made:
                add(name, made[name], s, stem, print_=False)
    if record is not None:
        made = charts.required_growth_charts(
            record.required,
            record.track,
            record.history_rows,
            scenario=summaries[0].scenario.name,
            size=RECORD_SIZE,
        )
        for name, draw in made.items():
            add(name, draw, summaries[0], stems[0], print_=name in PRINTED)
    if swings is not None:
        bars = min(len(swings.swings), TORNADO_MAX_BARS)
        size = (TORNADO_SIZE[0], min(TORNADO_SIZE[1], 1.7 + 0.3 * bars))  # fits its bars
        draw = charts.sensitivity_charts(swings, size=size)["tornado"]
        add("tornado", draw, summaries[0], stems[0])
    data_files = tuple(f"summary-{stem}.json" for stem in stems)
    if comparison is not None:
        data_files += ("comparison.json",)
    if record is not None:
        data_files += ("required_growth.json",)
    if swings is not None:
        data_files += ("sensitivity.json",)
    brief = Brief(
        summaries=tuple(summaries),
        assumptions=tuple(describe_assumptions(p.scenario) for p in projections),
        comparison=comparison,
        charts=tuple(printed + unprinted),
        files=data_files,
        record=record,
        sensitivity=swings,
    )
    return Bundle(brief=brief, stems=tuple(stems), draws=draws, chart_data=tuple(data))


def report_files(bundle: Bundle) -> dict[str, str | Callable[[Path], None]]:
    """Every file ``simulator report`` writes, by name (for ``write_outputs``)."""
    from simulator.present.files import summary_json
    from simulator.questions.record import required_growth_json
    from simulator.report import charts

    files: dict[str, str | Callable[[Path], None]] = {
        "report.md": brief_markdown(bundle.brief),
        "report.pdf": _pdf_writer(bundle),
    }
    for stem, s, d in zip(bundle.stems, bundle.brief.summaries, bundle.chart_data, strict=True):
        files[f"summary-{stem}.json"] = summary_json({**s.to_dict(), "chart_data": d.to_dict()})
    if bundle.brief.comparison is not None:
        files["comparison.json"] = summary_json(bundle.brief.comparison.to_dict())
    record = bundle.brief.record
    if record is not None:  # as ``simulator required-growth`` writes it
        files["required_growth.json"] = summary_json(
            required_growth_json(record.required, record.track)
        )
    if bundle.brief.sensitivity is not None:  # as ``simulator sensitivity`` writes it
        files["sensitivity.json"] = summary_json(bundle.brief.sensitivity.to_dict())
    for file, draw in bundle.draws.items():
        files[file] = charts.saver(draw)
    return files


def _pdf_writer(bundle: Bundle) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        write_pdf(path, bundle.brief, bundle.draws)

    return write
