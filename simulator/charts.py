"""Which charts each command writes, and how a chart becomes a file.

This is the glue between :mod:`simulator.plotting` (which only draws) and
:mod:`simulator.report` (which writes files): each entry makes a figure from a summary.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

Draw = Callable[[], Figure]


def run_charts(summary: Mapping[str, Any]) -> dict[str, Draw]:
    """Charts of ``simulator run``, by file stem."""
    from simulator import plotting

    def fan() -> Figure:
        fig, ax = plotting.new_figure()
        plotting.plot_fan(summary, ax=ax)
        return fig

    charts: dict[str, Draw] = {"fan": fan}
    if "current_year" in summary:

        def current_year() -> Figure:
            fig, ax = plotting.new_figure()
            plotting.plot_current_year(summary, ax=ax)
            return fig

        charts["current_year"] = current_year
    return charts


def saver(draw: Draw) -> Callable[[Path], None]:
    """A writer that draws a figure, saves it to the given path and closes it."""

    def write(path: Path) -> None:
        from simulator.plotting import brief_style

        with brief_style():
            fig = draw()
            fig.savefig(path, format=path.suffix.lstrip("."), metadata=_metadata(path))

    return write


def _metadata(path: Path) -> dict[str, Any] | None:
    # Fixed metadata keeps SVG/PDF output reproducible byte for byte.
    suffix = path.suffix.lower()
    if suffix == ".svg":
        return {"Date": None}
    if suffix == ".pdf":
        return {"CreationDate": None}
    return None
