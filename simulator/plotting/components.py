"""Charts of a scenario's components: a fan per component, and the parts' medians stacked.

Like every plot module, these only draw from a summary (``Summary.components`` quantiles
and ``targets``) in the shared style (:mod:`simulator.plotting.style`); the caller saves and
closes the figure.
"""

from __future__ import annotations

from typing import Any

from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.text import Annotation

from simulator.plotting.labels import lift_clear, marker_label
from simulator.plotting.style import (
    BANDS,
    BRIEF_SIZE,
    MAX_YEAR_LABELS,
    PALETTE,
    SERIES_COLOURS,
    brief_style,
    fy_axis,
    mark_target,
    money_axis,
    new_figure,
    set_titles,
    source_note,
    source_text,
    target_outcome,
)
from simulator.present.text import display_name, short_name
from simulator.stats.summary import Summary


def _label(name: str) -> str:
    return display_name(name)


def plot_component_fans(summary: Summary) -> Figure:
    """Small multiples: one fan (the :data:`BANDS` ranges, median) per component.

    Each panel marks the targets set on that component with their P(hit).
    """
    s = summary
    comps = s.components
    with brief_style():
        fig = Figure(figsize=BRIEF_SIZE, layout="constrained")
        axes = fig.subplots(1, len(comps), squeeze=False)[0]
        colour = PALETTE["blue"]
        labels: list[tuple[Any, Annotation]] = []
        for i, (ax, (name, rows)) in enumerate(zip(axes, comps.items(), strict=True)):
            fy = [r.fiscal_year for r in rows]
            for j, (share, lo, hi, alpha) in enumerate(BANDS):
                ax.fill_between(
                    fy,
                    [r.quantile(lo) for r in rows],
                    [r.quantile(hi) for r in rows],
                    alpha=alpha,
                    color=colour,
                    lw=0,
                    label=f"{share:.0%} of paths" if j == 0 else f"{share:.0%}",
                )
            ax.plot(fy, [r.p50 for r in rows], color=colour, lw=2, label="Median projection")
            for t in s.targets:
                if t.component == name and t.p_hit is not None:
                    mark_target(ax, t.fiscal_year, t.value, official=t.official)
                    # Placed inside the panel below.
                    ann = marker_label(
                        ax, f"{t.name}:\n{target_outcome(t)}", (t.fiscal_year, t.value)
                    )
                    labels.append((ax, ann))
            ax.set_title(_label(name), fontsize=10)
            # Narrow panels: fewer year labels each, so they thin out on long horizons.
            fy_axis(ax, fy, max_labels=max(3, MAX_YEAR_LABELS // len(comps) - 1))
            money_axis(ax)
            if i == 0:
                ax.set_ylabel("Exports a year")
        axes[0].legend(loc="upper left")
        fig.suptitle(
            f"{short_name(s.scenario.name)}: each part's projection",
            x=0.01,
            ha="left",
            fontweight="bold",
            fontsize=11.5,
        )
        source_note(axes[0], source_text(s))
        # Labels are moved off the bands once the layout is final.
        fig.draw_without_rendering()
        for ax, ann in labels:
            legend = ax.get_legend()
            avoid: list[Artist] = [*ax.collections, *ax.lines]
            lift_clear(ax, ann, avoid if legend is None else [*avoid, legend])
    return fig


def plot_component_stack(summary: Summary) -> Figure:
    """The components' medians stacked by year (the sum of medians, not the total's median)."""
    s = summary
    comps = s.components
    fig, ax = new_figure()
    with brief_style():
        fy = [r.fiscal_year for r in next(iter(comps.values()))]
        ax.stackplot(
            fy,
            *[[r.p50 for r in rows] for rows in comps.values()],
            labels=[_label(n) for n in comps],
            colors=[PALETTE[c] for c in SERIES_COLOURS[: len(comps)]],
            alpha=0.8,
            lw=0,
        )
        fy_axis(ax, fy)
        money_axis(ax)
        ax.set_ylim(bottom=0)
        ax.set_ylabel("Exports a year")
        ax.legend(loc="upper left")
        set_titles(
            ax,
            f"{short_name(s.scenario.name)}: the parts' medians, stacked",
            "Median projection of each part; the top edge is the sum of the medians, "
            "not the median of the total",
        )
        source_note(ax, source_text(s))
    return fig
