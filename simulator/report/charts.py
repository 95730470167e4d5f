"""Which charts each command writes, and how a chart becomes a file.

This is the glue between :mod:`simulator.plotting.figures` (which only draws) and
:mod:`simulator.present.files` (which writes files): each entry makes a figure from a summary.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

Draw = Callable[[], Figure]
log = logging.getLogger(__name__)


def run_charts(summary: Mapping[str, Any], *, spaghetti: bool = False) -> dict[str, Draw]:
    """Charts of ``simulator run``, by file stem.

    The distribution chart and the spaghetti need ``summary["chart_data"]``
    (:func:`simulator.targets.chart_data`); without it they are left out.
    """
    from simulator.plotting import figures as plotting

    def fan() -> Figure:
        fig, ax = plotting.new_figure()
        plotting.plot_fan(summary, ax=ax)
        return fig

    def target_probabilities() -> Figure:
        fig, ax = plotting.new_figure()
        plotting.plot_target_probabilities(
            plotting.targets_as_groups(summary), ax=ax, source=plotting.source_text(summary)
        )
        return fig

    charts: dict[str, Draw] = {"fan": fan, "target_probabilities": target_probabilities}
    data = summary.get("chart_data")
    if data and data["distributions"]:
        charts["target_distributions"] = lambda: distributions_figure(summary)
    if data and spaghetti:

        def fan_paths() -> Figure:
            fig, ax = plotting.new_figure()
            plotting.plot_fan(summary, ax=ax, samples=data["sample_paths"])
            return fig

        charts["fan_paths"] = fan_paths
    if "current_year" in summary:

        def current_year() -> Figure:
            fig, ax = plotting.new_figure()
            plotting.plot_current_year(summary, ax=ax)
            return fig

        charts["current_year"] = current_year
    return charts


def distributions_figure(summary: Mapping[str, Any]) -> Figure:
    """One panel per projected target: where the total lands in that year."""
    from simulator.plotting import figures as plotting

    dists = summary["chart_data"]["distributions"]
    with plotting.brief_style():
        fig = Figure(figsize=plotting.BRIEF_SIZE, layout="constrained")
        axes = fig.subplots(1, len(dists), squeeze=False)
        for i, (ax, d) in enumerate(zip(axes[0], dists, strict=True)):
            plotting.plot_target_distribution(d, ax=ax, show_ylabel=i == 0)
        head = plotting.headline_target(summary["targets"])
        title = "Where IT exports land in each target year"
        if head is not None:
            title = (
                f"Chance of reaching {plotting.billions(head['value'])} by "
                f"{plotting.fy_label(head['fiscal_year'])}: "
                f"{plotting.pct(head['p_hit'], estimate=True)}"
            )
        fig.suptitle(title, x=0.01, ha="left", fontweight="bold", fontsize=11.5)
        plotting.source_note(axes[0][0], plotting.source_text(summary))
    return fig


def compare_charts(comparison: Mapping[str, Any]) -> dict[str, Draw]:
    """Charts of ``simulator compare``, by file stem."""
    from simulator.plotting import figures as plotting

    def overlay() -> Figure:
        fig, ax = plotting.new_figure()
        plotting.plot_comparison(comparison, ax=ax)
        return fig

    def probabilities() -> Figure:
        fig, ax = plotting.new_figure()
        plotting.plot_target_probabilities(
            comparison["targets"], ax=ax, source=plotting.source_text(comparison)
        )
        return fig

    return {"comparison": overlay, "comparison_probabilities": probabilities}


def required_growth_charts(
    required: Mapping[str, Any],
    track: Mapping[str, Any],
    history: list[dict[str, Any]],
    *,
    scenario: str | None = None,
) -> dict[str, Draw]:
    """Charts of ``simulator required-growth``, by file stem; ``scenario`` names the scenario
    whose base and targets they use (None: the bundled base and the Uraan targets)."""
    from simulator.plotting import figures as plotting

    def needed() -> Figure:
        fig, ax = plotting.new_figure()
        plotting.plot_required_growth(required, ax=ax, scenario=scenario)
        return fig

    def record() -> Figure:
        fig, ax = plotting.new_figure()
        plotting.plot_track_record(track, history, ax=ax, scenario=scenario)
        return fig

    return {"required_growth": needed, "track_record": record}


def sensitivity_charts(result: Mapping[str, Any]) -> dict[str, Draw]:
    """Charts of ``simulator sensitivity``, by file stem: the tornado for the headline target."""
    from simulator.plotting import figures as plotting

    def tornado() -> Figure:
        fig, ax = plotting.new_figure()
        plotting.plot_tornado(result, target=result["headline_target"], ax=ax)
        return fig

    return {"tornado": tornado}


def saver(draw: Draw) -> Callable[[Path], None]:
    """A writer that draws a figure, saves it to the given path and closes it."""

    def write(path: Path) -> None:
        from simulator.plotting.figures import brief_style

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


def _metadata(path: Path) -> dict[str, Any] | None:
    # Fixed metadata keeps SVG/PDF output reproducible byte for byte.
    suffix = path.suffix.lower()
    if suffix == ".svg":
        return {"Date": None}
    if suffix == ".pdf":
        return {"CreationDate": None}
    return None
