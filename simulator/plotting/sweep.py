"""Charts of a sweep (P(hit) response curves, a contour over two keys) and of global sensitivity.

Plot functions only draw what :mod:`simulator.questions.sweep` computed
(:func:`~simulator.questions.sweep.response_curve`, :func:`~simulator.questions.sweep.contour_data`)
and return the Axes; :func:`sweep_charts` says which charts ``simulator sweep`` writes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from simulator.plotting import style as fig_style
from simulator.present import text
from simulator.scenario.schema import Target

if TYPE_CHECKING:
    from simulator.questions.global_sensitivity import GlobalResult
    from simulator.questions.sweep import ContourGrid, ResponseCurve, SweepResult

Draw = Callable[[], Figure]
#: Key endings whose values are fractions (growth, probabilities), shown as percentages.
_FRACTION_KEYS = (
    ".mean",
    ".sd",
    ".shift",
    ".low",
    ".mode",
    ".high",
    ".value",
    ".probability",
    ".recovery",
    ".sd_low",
    ".sd_high",
    ".level",
    "floor",
    "cap",
)
#: P(hit) lines drawn on the contour chart.
CONTOUR_LEVELS = (0.5, 0.8)


def is_fraction_key(key: str) -> bool:
    """Whether a sweep key's values are fractions (shown as %) rather than plain numbers."""
    return key.endswith(_FRACTION_KEYS)


def _value_text(key: str, x: float) -> str:
    if is_fraction_key(key):
        return text.growth_pct(x, digits=1)
    return f"{x:g}"


def _pct_tick(v: float) -> str:
    """0.125 → "12.5%", 0.1 → "10%"."""
    whole = round(v * 100) == round(v * 100, 6)
    return text.growth_pct(v, 0 if whole else 1)


def _axis_for_key(ax: Axes, key: str, axis: str = "x") -> None:
    target = ax.xaxis if axis == "x" else ax.yaxis
    if is_fraction_key(key):
        target.set_major_formatter(FuncFormatter(lambda v, _p: _pct_tick(v)))
    (ax.set_xlabel if axis == "x" else ax.set_ylabel)(key)


def _target_text(t: Target) -> str:
    return f"{text.billions(t.value)} by {text.fy_label(t.fiscal_year)}"


def plot_response(
    curve: ResponseCurve,
    targets: Sequence[Target],
    *,
    ax: Axes | None = None,
    scenario_name: str = "",
    source: str | None = None,
) -> Axes:
    """P(hit) of each target against one key, with the 50% line and the scenario's own value.

    Parameters
    ----------
    curve : ResponseCurve — from :func:`simulator.questions.sweep.response_curve`
    targets : sequence of Target — in the order of ``curve.p_hit``'s rows
    ax : Axes, optional
    scenario_name : str — named in the title
    source : str, optional — the source note
    """
    if ax is None:
        _, ax = fig_style.new_figure()
    colours = [fig_style.PALETTE[c] for c in fig_style.SERIES_COLOURS]
    for i, t in enumerate(targets):
        colour, label = colours[i % len(colours)], _target_text(t)
        if curve.scattered:
            ax.plot(
                curve.x, curve.p_hit[i], "o", markersize=3, alpha=0.8, color=colour, label=label
            )
        else:
            ax.plot(
                curve.x,
                curve.p_hit[i],
                "-o",
                markersize=3.5,
                linewidth=1.6,
                color=colour,
                label=label,
            )
    ax.axhline(0.5, color=fig_style.PALETTE["grey"], linestyle="--", linewidth=0.9)
    ax.annotate(
        "50% (an even chance)",
        xy=(1, 0.5),
        xycoords=("axes fraction", "data"),
        xytext=(-2, 3),
        textcoords="offset points",
        ha="right",
        va="bottom",
        fontsize=8,
        color=fig_style.PALETTE["grey"],
    )
    if len(curve.x) and curve.x.min() <= curve.base <= curve.x.max():
        ax.axvline(curve.base, color=fig_style.INK, linestyle=":", linewidth=0.9)
        ax.annotate(
            f"scenario: {_value_text(curve.key, curve.base)}",
            xy=(curve.base, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(3, -10),
            textcoords="offset points",
            fontsize=8,
            color=fig_style.INK,
        )
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_ylabel("P(hit)")
    _axis_for_key(ax, curve.key)
    ax.legend(loc="upper left")
    held = ", ".join(f"{k} = {_value_text(k, v)}" for k, v in curve.held)
    if curve.scattered:
        subtitle = "Every point sets every key (Sobol' design), so points scatter. "
    else:
        subtitle = f"Other keys held at {held}. " if held else ""
    subtitle += "Same random draws at every point."
    title = f"{scenario_name}: chance of each target as {curve.key} varies".lstrip(": ")
    fig_style.set_titles(ax, title, subtitle)
    if source:
        fig_style.source_note(ax, source)
    return ax


def plot_contour(
    grid: ContourGrid,
    target: Target,
    *,
    ax: Axes | None = None,
    scenario_name: str = "",
    source: str | None = None,
) -> Axes:
    """P(hit) of one target over two keys, with the 50% and 80% lines drawn and labelled.

    A line is drawn only where P(hit) crosses its level inside the swept ranges.
    """
    if ax is None:
        _, ax = fig_style.new_figure()
    z = grid.p_hit
    fills = np.linspace(0.0, 1.0, 11)
    levels = [lv for lv in CONTOUR_LEVELS if z.min() < lv < z.max()]
    filled: Any
    lines: Any
    if grid.on_grid:
        xs, ys = np.unique(grid.x), np.unique(grid.y)
        zz = z.reshape(xs.size, ys.size).T  # points run with the first key slowest
        filled = ax.contourf(xs, ys, zz, levels=fills, cmap="Blues", vmin=0, vmax=1)
        lines = ax.contour(xs, ys, zz, levels=levels, colors=fig_style.INK) if levels else None
    else:
        filled = ax.tricontourf(grid.x, grid.y, z, levels=fills, cmap="Blues", vmin=0, vmax=1)
        lines = (
            ax.tricontour(grid.x, grid.y, z, levels=levels, colors=fig_style.INK)
            if levels
            else None
        )
    if lines is not None:
        ax.clabel(lines, fmt=lambda v: f"{v:.0%}", fontsize=8.5)
    bar = ax.get_figure(root=True).colorbar(filled, ax=ax)  # type: ignore[union-attr]
    bar.set_label("P(hit)")
    bar.ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    bx, by = grid.base
    if grid.x.min() <= bx <= grid.x.max() and grid.y.min() <= by <= grid.y.max():
        ax.plot([bx], [by], marker="x", color=fig_style.PALETTE["vermillion"], markersize=7)
        ax.annotate("scenario", xy=(bx, by), xytext=(5, 4), textcoords="offset points", fontsize=8)
    ax.grid(False)
    _axis_for_key(ax, grid.keys[0], "x")
    _axis_for_key(ax, grid.keys[1], "y")
    shown = " and ".join(f"{lv:.0%}" for lv in levels) or "no 50% or 80%"
    title = f"{scenario_name}: chance of {_target_text(target)}".lstrip(": ")
    fig_style.set_titles(
        ax,
        title,
        f"P(hit) over {grid.keys[0]} and {grid.keys[1]}; lines at {shown} "
        "(where P(hit) crosses them). Same random draws at every point.",
    )
    if source:
        fig_style.source_note(ax, source)
    return ax


def _slug(text: str) -> str:
    out = "".join(c if c.isalnum() else "_" for c in text)
    return "_".join(p for p in out.split("_") if p)


def sweep_charts(result: SweepResult) -> dict[str, Draw]:
    """Charts of ``simulator sweep``, by file stem.

    ``response_<key>`` for each varied key; with two keys, ``contour_fy<YY>_<value>`` for each
    projected target.
    """
    from simulator.questions.sweep import contour_data, response_curve

    source = fig_style.source_text(result.to_dict())
    name = result.scenario.name
    charts: dict[str, Draw] = {}
    for i, v in enumerate(result.varies):

        def response(i: int = i) -> Figure:
            fig, ax = fig_style.new_figure()
            plot_response(
                response_curve(result, i),
                result.targets,
                ax=ax,
                scenario_name=name,
                source=source,
            )
            return fig

        charts[f"response_{_slug(v.key)}"] = response
    if len(result.varies) == 2:
        for k, t in enumerate(result.targets):

            def contour(k: int = k, t: Target = t) -> Figure:
                fig, ax = fig_style.new_figure()
                plot_contour(contour_data(result, k), t, ax=ax, scenario_name=name, source=source)
                return fig

            charts[f"contour_fy{t.fiscal_year % 100:02d}_{t.value:.0f}"] = contour
    return charts


def plot_sobol_indices(
    result: GlobalResult, target: int, *, ax: Axes | None = None, show_keys: bool = True
) -> Axes:
    """First-order and total Sobol' indices of one target's P(hit), one bar pair per factor.

    Bars are the estimates; whiskers their bootstrap 95% intervals. Factors are in the
    result's order, top to bottom.
    """
    if ax is None:
        _, ax = fig_style.new_figure()
    ix = result.indices[target]
    n = len(result.factors)
    y = np.arange(n)[::-1].astype(float)
    h = 0.38
    ax.barh(
        y + h / 2,
        ix.st,
        height=h,
        xerr=ix.st_conf,
        color=fig_style.PALETTE["sky"],
        label="total (ST)",
        error_kw={"elinewidth": 0.8, "capsize": 2},
    )
    ax.barh(
        y - h / 2,
        ix.s1,
        height=h,
        xerr=ix.s1_conf,
        color=fig_style.PALETTE["blue"],
        label="first order (S1)",
        error_kw={"elinewidth": 0.8, "capsize": 2},
    )
    ax.set_yticks(y, [f.key for f in result.factors])
    ax.tick_params(axis="y", labelleft=show_keys)
    ax.set_xlim(-0.25, 1.25)
    ax.axvline(0, color=fig_style.INK, linewidth=0.8)
    ax.grid(True, axis="x")
    ax.grid(False, axis="y")
    t = result.targets[target]
    lo, hi = result.p_hit_range[target]
    ax.set_title(
        f"{_target_text(t)}\nP(hit) {text.probability_text(lo, estimate=True)}–"
        f"{text.probability_text(hi, estimate=True)}",
        fontsize=9.5,
    )
    return ax


def global_charts(result: GlobalResult) -> dict[str, Draw]:
    """Charts of ``simulator sensitivity --global``: indices per target, side by side."""

    def indices() -> Figure:
        with fig_style.brief_style():
            fig = Figure(figsize=fig_style.BRIEF_SIZE, layout="constrained")
            axes = fig.subplots(1, len(result.targets), squeeze=False, sharey=True)[0]
            for k, ax in enumerate(axes):
                plot_sobol_indices(result, k, ax=ax, show_keys=k == 0)
            axes[0].legend(loc="lower right", fontsize=7.5)
            fig.suptitle(
                f"{result.scenario.name}: which assumptions move the chance of each target",
                x=0.01,
                ha="left",
                fontweight="bold",
                fontsize=11.5,
            )
            source = fig_style.source_text(result.to_dict())
            fig_style.source_note(
                axes[0],
                "Sobol' indices of P(hit) (SALib), bars with bootstrap 95% intervals, over "
                f"{result.points} runs on the same draws. " + source,
            )
        return fig

    return {"sensitivity_global": indices}
