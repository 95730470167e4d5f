"""Charts of a scenario's components: a fan per component, and the parts' medians stacked.

Like every plot module, these only draw from a summary (``Summary.components`` quantiles
and ``targets``); the caller saves and closes the figure.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from simulator.plotting.style import BANDS, PALETTE, SERIES_COLOURS, money_axis, source_text
from simulator.present.text import fy_label, hit_text
from simulator.stats.summary import Summary


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def plot_component_fans(summary: Summary) -> Figure:
    """Small multiples: one fan (the :data:`BANDS` ranges, median) per component.

    Each panel marks the targets set on that component with their P(hit).
    """
    s = summary
    comps = s.components
    fig = Figure(figsize=(4.0 * len(comps), 3.6), layout="constrained")
    axes = fig.subplots(1, len(comps), squeeze=False)[0]
    colour = PALETTE["blue"]
    for ax, (name, rows) in zip(axes, comps.items(), strict=True):
        fy = np.array([r.fiscal_year for r in rows])
        for share, lo, hi, alpha in BANDS:
            ax.fill_between(
                fy,
                [r.quantile(lo) for r in rows],
                [r.quantile(hi) for r in rows],
                alpha=alpha,
                color=colour,
                lw=0,
                label=f"{share:.0%}",
            )
        ax.plot(fy, [r.p50 for r in rows], color=colour, label="median")
        for t in s.targets:
            if t.component == name and t.p_hit is not None:
                ax.plot([t.fiscal_year], [t.value], marker="D", color="black")
                ax.annotate(
                    f"{t.name}: P(hit) {hit_text(t)}",
                    (t.fiscal_year, t.value),
                    textcoords="offset points",
                    xytext=(-4, 8),
                    ha="right",
                    fontsize=8,
                )
        ax.set_title(_label(name))
        ax.set_xticks(fy, [fy_label(int(y)) for y in fy])
        money_axis(ax)
    axes[0].legend(loc="upper left", fontsize=8)
    fig.suptitle(f"{s.scenario.name}: components", fontsize=11)
    fig.text(0.01, 0.0, source_text(s), fontsize=7, ha="left", va="bottom")
    return fig


def plot_component_stack(summary: Summary) -> Figure:
    """The components' medians stacked by year (the sum of medians, not the total's median)."""
    s = summary
    comps = s.components
    fig = Figure(figsize=(6.4, 4.0), layout="constrained")
    ax = fig.add_subplot()
    fy = np.array([r.fiscal_year for r in next(iter(comps.values()))])
    ax.stackplot(
        fy,
        *[[r.p50 for r in rows] for rows in comps.values()],
        labels=[_label(n) for n in comps],
        colors=[PALETTE[c] for c in SERIES_COLOURS[: len(comps)]],
        alpha=0.8,
    )
    ax.set_xticks(fy, [fy_label(int(y)) for y in fy])
    money_axis(ax)
    ax.legend(loc="upper left", fontsize=8)
    ax.set_title(f"{s.scenario.name}: medians of the parts, stacked", fontsize=11)
    fig.text(0.01, 0.0, source_text(s), fontsize=7, ha="left", va="bottom")
    return fig
