"""Charts of a scenario's components: a fan per component, and the parts' medians stacked.

Like every plot module, these only draw from a summary (``summary.json``'s
``components`` quantiles and ``targets``); the caller saves and closes the figure.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from simulator.plotting.style import PALETTE, SERIES_COLOURS, money_axis, source_text


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def plot_component_fans(summary: Mapping[str, Any]) -> Figure:
    """Small multiples: one fan (5-95% and 25-75% bands, median) per component.

    Each panel marks the targets set on that component with their P(hit).
    """
    comps: Mapping[str, list[dict[str, Any]]] = summary["components"]
    fig = Figure(figsize=(4.0 * len(comps), 3.6), layout="constrained")
    axes = fig.subplots(1, len(comps), squeeze=False)[0]
    colour = PALETTE["blue"]
    for ax, (name, rows) in zip(axes, comps.items(), strict=True):
        fy = np.array([r["fiscal_year"] for r in rows])
        ax.fill_between(
            fy,
            [r["p05"] for r in rows],
            [r["p95"] for r in rows],
            alpha=0.2,
            color=colour,
            label="5-95%",
        )
        ax.fill_between(
            fy,
            [r["p25"] for r in rows],
            [r["p75"] for r in rows],
            alpha=0.4,
            color=colour,
            label="25-75%",
        )
        ax.plot(fy, [r["p50"] for r in rows], color=colour, label="median")
        for t in summary["targets"]:
            if t.get("component") == name and t.get("p_hit") is not None:
                ax.plot([t["fiscal_year"]], [t["value"]], marker="D", color="black")
                ax.annotate(
                    f"{t['name']}: P(hit) {t['p_hit']:.0%}",
                    (t["fiscal_year"], t["value"]),
                    textcoords="offset points",
                    xytext=(-4, 8),
                    ha="right",
                    fontsize=8,
                )
        ax.set_title(_label(name))
        ax.set_xticks(fy, [f"FY{y % 100:02d}" for y in fy])
        money_axis(ax)
    axes[0].legend(loc="upper left", fontsize=8)
    fig.suptitle(f"{summary['scenario']['name']}: components", fontsize=11)
    fig.text(0.01, 0.0, source_text(summary), fontsize=7, ha="left", va="bottom")
    return fig


def plot_component_stack(summary: Mapping[str, Any]) -> Figure:
    """The components' medians stacked by year (the sum of medians, not the total's median)."""
    comps: Mapping[str, list[dict[str, Any]]] = summary["components"]
    fig = Figure(figsize=(6.4, 4.0), layout="constrained")
    ax = fig.add_subplot()
    fy = np.array([r["fiscal_year"] for r in next(iter(comps.values()))])
    ax.stackplot(
        fy,
        *[[r["p50"] for r in rows] for rows in comps.values()],
        labels=[_label(n) for n in comps],
        colors=[PALETTE[c] for c in SERIES_COLOURS[: len(comps)]],
        alpha=0.8,
    )
    ax.set_xticks(fy, [f"FY{y % 100:02d}" for y in fy])
    money_axis(ax)
    ax.legend(loc="upper left", fontsize=8)
    ax.set_title(f"{summary['scenario']['name']}: medians of the parts, stacked", fontsize=11)
    fig.text(0.01, 0.0, source_text(summary), fontsize=7, ha="left", va="bottom")
    return fig
