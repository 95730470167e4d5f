"""The report bundle: runs become summaries, a comparison, the chart list and the brief, and
then every file ``simulator report`` writes (Markdown, PDF, charts, JSON)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.present.text import fy_label
from simulator.report.brief import CAPTIONS, Brief, Chart, describe_assumptions
from simulator.report.charts import Draw
from simulator.report.markdown import brief_markdown
from simulator.report.pdf import write_pdf

if TYPE_CHECKING:
    from simulator.engine.runs import Projection


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
    """A report ready to write: its content and the figures behind its charts."""

    brief: Brief
    stems: tuple[str, ...]
    draws: Mapping[str, Draw]


def build_bundle(
    projections: Sequence[Projection], files: Sequence[str], *, fmt: str = "png"
) -> Bundle:
    """Summaries, comparison, assumptions and chart list of the runs ``projections``.

    Parameters
    ----------
    projections : one run per scenario, on common random numbers (the first is the reference)
    files : the scenario files, for the output names (``summary-<stem>.json`` …)
    fmt : image format of the charts
    """
    from simulator.questions.backtest import with_calibration
    from simulator.questions.compare import compare_projections
    from simulator.report import charts
    from simulator.stats.chart_data import chart_data

    stems = unique_stems(files)
    summaries = []
    for p in projections:
        s = with_calibration(p).summary().to_dict()
        s["chart_data"] = chart_data(p).to_dict()
        summaries.append(s)
    comparison = compare_projections(projections) if len(projections) > 1 else None

    chart_list: list[Chart] = []
    draws: dict[str, Draw] = {}

    def add(name: str, draw: Draw, summary: Mapping[str, Any] | None, stem: str | None) -> None:
        file = f"{name}-{stem}.{fmt}" if stem else f"{name}.{fmt}"
        fy = summary["current_year"]["fiscal_year"] if summary and "current_year" in summary else 0
        scenario = summary["scenario"]["name"] if summary else ""
        caption = CAPTIONS.get(name, name).format(name=scenario, fy=fy_label(fy))
        chart_list.append(Chart(file, caption))
        draws[file] = draw

    if comparison is not None:
        for name, draw in charts.compare_charts(comparison).items():
            add(name, draw, None, None)
    order = ("fan", "current_year", "target_probabilities", "target_distributions")
    for i, (s, stem) in enumerate(zip(summaries, stems, strict=True)):
        made = charts.run_charts(s)
        names: tuple[str, ...] = order if i == 0 else ("fan",)
        if comparison is not None:  # the comparison's probability chart already shows these
            names = tuple(n for n in names if n != "target_probabilities")
        for name in names:
            if name in made:
                add(name, made[name], s, stem)
    data_files = tuple(f"summary-{stem}.json" for stem in stems)
    if comparison is not None:
        data_files += ("comparison.json",)
    brief = Brief(
        summaries=tuple(summaries),
        assumptions=tuple(describe_assumptions(p.scenario) for p in projections),
        comparison=comparison,
        charts=tuple(chart_list),
        files=data_files,
    )
    return Bundle(brief=brief, stems=tuple(stems), draws=draws)


def report_files(bundle: Bundle) -> dict[str, str | Callable[[Path], None]]:
    """Every file ``simulator report`` writes, by name (for ``write_outputs``)."""
    from simulator.present.files import summary_json
    from simulator.report import charts

    files: dict[str, str | Callable[[Path], None]] = {
        "report.md": brief_markdown(bundle.brief),
        "report.pdf": _pdf_writer(bundle),
    }
    for stem, s in zip(bundle.stems, bundle.brief.summaries, strict=True):
        files[f"summary-{stem}.json"] = summary_json(s)
    if bundle.brief.comparison is not None:
        files["comparison.json"] = summary_json(bundle.brief.comparison)
    for file, draw in bundle.draws.items():
        files[file] = charts.saver(draw)
    return files


def _pdf_writer(bundle: Bundle) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        write_pdf(path, bundle.brief, bundle.draws)

    return write
