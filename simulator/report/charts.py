"""Which charts each command writes, and how a chart becomes a file.

This is the glue between :mod:`simulator.plotting` (which only draws) and
:mod:`simulator.present.files` (which writes files): each entry makes a figure from a summary.
"""

from __future__ import annotations

import logging
import re
import textwrap
import warnings
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from matplotlib.figure import Figure

from simulator.stats.chart_data import ChartData
from simulator.stats.summary import Summary

if TYPE_CHECKING:
    from simulator.questions.backtest import RecordBacktest
    from simulator.questions.record import RequiredGrowthSummary, TrackRecord
    from simulator.stats.summary import YearValue

if TYPE_CHECKING:
    from simulator.questions.compare import Comparison
    from simulator.questions.sensitivity import SensitivityResult

#: Characters of a bold 10 pt figure title that fit across a brief-size (7 in) figure.
SUPTITLE_CHARS = 80

Draw = Callable[[], Figure]
log = logging.getLogger(__name__)


def run_charts(
    summary: Summary,
    chart_data: ChartData | None = None,
    *,
    spaghetti: bool = False,
) -> dict[str, Draw]:
    """Charts of ``simulator run``, by file stem.

    The distribution chart and the spaghetti need ``chart_data``
    (:func:`simulator.stats.chart_data.chart_data`); without it they are left out.
    """
    typed = summary
    from simulator.plotting.projection import (
        plot_current_year,
        plot_fan,
        plot_target_probabilities,
        targets_as_groups,
    )
    from simulator.plotting.style import new_figure, source_text

    # A component's target (call centres' $500M) is drawn on its component's fan, not on the
    # total's, where its level would sit far below the paths it is not about.
    total = replace(typed, targets=tuple(t for t in typed.targets if not t.component))

    def fan() -> Figure:
        fig, ax = new_figure()
        plot_fan(total, ax=ax)
        return fig

    def target_probabilities() -> Figure:
        fig, ax = new_figure()
        plot_target_probabilities(targets_as_groups(typed), ax=ax, source=source_text(typed))
        return fig

    charts: dict[str, Draw] = {"fan": fan, "target_probabilities": target_probabilities}
    data = chart_data
    if data is not None and data.distributions:
        charts["target_distributions"] = lambda: distributions_figure(typed, data)
    if data is not None and spaghetti:

        def fan_paths() -> Figure:
            fig, ax = new_figure()
            plot_fan(total, ax=ax, samples=data.sample_paths)
            return fig

        charts["fan_paths"] = fan_paths
    if typed.components:
        from simulator.plotting import components as component_plots

        charts["components_fan"] = lambda: component_plots.plot_component_fans(typed)
        charts["components_stack"] = lambda: component_plots.plot_component_stack(typed)
    if typed.current_year is not None:

        def current_year() -> Figure:
            fig, ax = new_figure()
            plot_current_year(typed, ax=ax)
            return fig

        charts["current_year"] = current_year
    return charts


def distributions_figure(summary: Summary, chart_data: ChartData | None = None) -> Figure:
    """One panel per projected target: where the total lands in that year."""
    from simulator.plotting.projection import plot_target_distribution
    from simulator.plotting.style import (
        BRIEF_SIZE,
        brief_style,
        source_note,
        source_text,
    )
    from simulator.present.text import billions, fy_label, hit_text

    if chart_data is None:
        raise ValueError("the distributions figure needs the run's chart data")
    typed = summary
    dists = chart_data.distributions
    with brief_style():
        fig = Figure(figsize=BRIEF_SIZE, layout="constrained")
        axes = fig.subplots(1, len(dists), squeeze=False)
        # The label quotes the summary's P(hit) (importance-sampled for a rare target), as
        # the table does; the bars are the plain paths.
        by_key = {(t.name, t.fiscal_year): t for t in typed.targets}
        for i, (ax, d) in enumerate(zip(axes[0], dists, strict=True)):
            t = by_key.get((d.name, d.fiscal_year))
            plot_target_distribution(d, target=t, ax=ax, show_ylabel=i == 0)
        head = typed.headline
        title = "Where IT exports land in each target year"
        if head is not None:
            title = (
                f"Chance of reaching {billions(head.value)} by "
                f"{fy_label(head.fiscal_year)}: "
                f"{hit_text(head)}"
            )
        fig.suptitle(textwrap.fill(title, 62), x=0.01, ha="left", fontweight="bold", fontsize=11.5)
        source_note(axes[0][0], source_text(typed))
    return fig


def compare_charts(comparison: Comparison) -> dict[str, Draw]:
    """Charts of ``simulator compare``, by file stem."""
    from simulator.plotting.comparison import plot_comparison
    from simulator.plotting.projection import comparison_groups, plot_target_probabilities
    from simulator.plotting.style import new_figure, source_text

    def overlay() -> Figure:
        fig, ax = new_figure()
        plot_comparison(comparison, ax=ax)
        return fig

    def probabilities() -> Figure:
        fig, ax = new_figure()
        groups = comparison_groups(comparison)
        plot_target_probabilities(groups, ax=ax, source=source_text(comparison))
        return fig

    return {"comparison": overlay, "comparison_probabilities": probabilities}


def required_growth_charts(
    required: RequiredGrowthSummary,
    track: TrackRecord,
    history: Sequence[YearValue],
    *,
    scenario: str | None = None,
    size: tuple[float, float] | None = None,
) -> dict[str, Draw]:
    """Charts of ``simulator required-growth``, by file stem; ``scenario`` names the scenario
    whose base and targets they use (None: the bundled base and the Uraan targets); ``size``
    in inches (default the brief's half page)."""
    from simulator.plotting.record import plot_required_growth, plot_track_record
    from simulator.plotting.style import BRIEF_SIZE, new_figure

    def needed() -> Figure:
        fig, ax = new_figure(size or BRIEF_SIZE)
        plot_required_growth(required, ax=ax, scenario=scenario)
        return fig

    def record() -> Figure:
        fig, ax = new_figure(size or BRIEF_SIZE)
        plot_track_record(track, history, ax=ax, scenario=scenario)
        return fig

    return {"required_growth": needed, "track_record": record}


def sensitivity_charts(
    result: SensitivityResult, *, size: tuple[float, float] | None = None
) -> dict[str, Draw]:
    """Charts of ``simulator sensitivity``, by file stem: the tornado for the headline target
    (``size`` in inches; default the brief's half page)."""
    from simulator.plotting.style import BRIEF_SIZE, new_figure
    from simulator.plotting.tornado import plot_tornado

    def tornado() -> Figure:
        fig, ax = new_figure(size or BRIEF_SIZE)
        plot_tornado(result, target=result.headline.name, ax=ax)
        return fig

    return {"tornado": tornado}


def saver(draw: Draw) -> Callable[[Path], None]:
    """A writer that draws a figure, saves it to the given path and closes it."""

    def write(path: Path) -> None:
        from simulator.plotting.style import brief_style

        with brief_style(), warnings.catch_warnings(record=True) as caught:
            warnings.filterwarnings("always", message=r"Glyph \d+ .*missing from font")
            fig = draw()
            fig.savefig(path, format=path.suffix.lstrip("."), metadata=_metadata(path))
        missing_glyphs(path.name, caught)

    return write


_WARNED: set[frozenset[str]] = set()
_GLYPH = re.compile(r"Glyph (?P<code>\d+) .*missing from font")


def missing_glyphs(chart: str, caught: Sequence[warnings.WarningMessage]) -> None:
    """Turn matplotlib's one-warning-per-glyph noise into one clear warning line per chart
    (logged; the CLI shows it as ``warning: ...``); other warnings are re-issued as they were."""
    chars: list[str] = []
    for w in caught:
        m = _GLYPH.search(str(w.message))
        if m is None:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
            continue
        ch = chr(int(m["code"]))
        if ch not in chars:
            chars.append(ch)
    key = frozenset(chars)
    if chars and key not in _WARNED:
        # Once per process for the same characters: a run's five charts give one line.
        _WARNED.add(key)
        log.warning(
            "the chart font (DejaVu Sans) cannot draw %s (first in %s); they show as empty "
            "boxes: name the scenario or target with characters it has",
            ", ".join(repr(c) for c in chars),
            chart,
        )


def _metadata(path: Path) -> dict[str, str | None] | None:
    # Fixed metadata keeps SVG/PDF output reproducible byte for byte.
    suffix = path.suffix.lower()
    if suffix == ".svg":
        return {"Date": None}
    if suffix == ".pdf":
        return {"CreationDate": None}
    return None


def backtest_figure(backtest: RecordBacktest) -> Figure:
    """``backtest.png``: coverage against nominal, and the one-year-ahead PIT histogram."""
    from simulator.plotting import style
    from simulator.plotting.backtest import plot_backtest_coverage, plot_pit_histogram

    with style.brief_style():
        fig = Figure(figsize=style.BRIEF_SIZE, layout="constrained")
        left, right = fig.subplots(1, 2)
        plot_backtest_coverage(backtest, ax=left)
        plot_pit_histogram(backtest.pit_one_year, ax=right)
        title = (
            f"Backtest of {backtest.method}: {len(backtest.forecasts)} forecasts from "
            f"{len(backtest.origins)} origins"
        )
        fig.suptitle(
            textwrap.fill(title, SUPTITLE_CHARS),
            x=0.01,
            ha="left",
            fontweight="bold",
            fontsize=10,
        )
        style.source_note(left, style.data_source_text())
    return fig


def backtest_charts(backtest: RecordBacktest) -> dict[str, Draw]:
    """Charts of ``simulator backtest`` (annual), by file stem."""
    return {"backtest": lambda: backtest_figure(backtest)}
