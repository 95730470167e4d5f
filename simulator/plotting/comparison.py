"""The comparison chart: several scenarios' fans or median lines on one axes, labelled at
their ends. It only draws; the caller saves and closes the figure.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes

from simulator.plotting.labels import lift_clear, marker_label
from simulator.plotting.projection import comparison_groups
from simulator.plotting.style import (
    BANDS,
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
)
from simulator.present.text import (
    billions,
    fy_label,
    short_name,
)
from simulator.stats.summary import headline_of

if TYPE_CHECKING:
    from simulator.questions.compare import ComparedScenario, Comparison

(SHARE80, LO80, HI80, _), (SHARE50, LO50, HI50, _) = BANDS[1], BANDS[2]


def plot_comparison(
    comparison: Comparison,
    *,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Scenarios side by side: fans for up to two, median lines with light 80% bands for more.

    Lines are labelled at their ends (scenario and median in the last year), so there is no
    legend to hunt through.

    Parameters
    ----------
    comparison : Comparison
        :func:`simulator.questions.compare.compare_projections` output.
    ax : Axes, optional
    title : str, optional — default: the headline target's chance in each scenario

    Returns
    -------
    Axes
    """
    if ax is None:
        _, ax = new_figure()
    with brief_style():
        scs = comparison.scenarios
        fans = len(scs) <= 2
        first = scs[0]
        hist = [h for h in first.history if h.fiscal_year >= 2016]
        ax.plot(
            [h.fiscal_year for h in hist],
            [h.value for h in hist],
            color=PALETTE["black"],
            lw=2,
            marker="o",
            ms=3,
        )
        ends: list[tuple[float, str, str]] = []
        last_x = 0
        # The line labels quote the year the title names (the headline target's), not the last.
        groups = comparison_groups(comparison)
        head = headline_of(groups)
        label_year = head.fiscal_year if head is not None else None
        for j, sc in enumerate(scs):
            colour = PALETTE[SERIES_COLOURS[j % len(SERIES_COLOURS)]]
            xs = [sc.base.fiscal_year] + [r.fiscal_year for r in sc.years]

            def band(key: str, sc: ComparedScenario = sc) -> list[float]:
                return [sc.base.value] + [r.quantile(key) for r in sc.years]

            # Two of the fan's BANDS (80% and 50%); with more scenarios, a light 80% band only.
            shown = BANDS[1:] if fans else BANDS[1:2]
            for _share, lo, hi, alpha in shown:
                ax.fill_between(
                    xs,
                    band(lo),
                    band(hi),
                    color=colour,
                    alpha=alpha * (0.64 if fans else 0.32),
                    lw=0,
                )
            med = band("p50")
            ax.plot(xs, med, color=colour, lw=2.2)
            year = label_year if label_year is not None and label_year in xs else xs[-1]
            at = med[xs.index(year)]
            ends.append((med[-1], f"{sc.label}|{fy_label(year)}: {billions(at)}", colour))
            last_x = max(last_x, xs[-1])
        target_labels = []
        for g in groups:
            if all(r.p_hit is None for r in g.results):
                continue
            mark_target(ax, g.fiscal_year, g.value, official=g.official)
            # Placed inside the plot below.
            label = marker_label(
                ax,
                f"{billions(g.value)} target",
                (g.fiscal_year, g.value),
                fontsize=7.5,
                bold=False,
            )
            target_labels.append(label)
        years = [h.fiscal_year for h in hist] + [r.fiscal_year for r in first.years]
        years = sorted(set(years) | {int(last_x)})
        fy_axis(ax, years, max_labels=8)
        money_axis(ax)
        ax.set_ylim(bottom=0)
        # Room on the right, inside the axes, for the line-end labels.
        room = 0.32 * (last_x - years[0] + 1)
        ax.set_xlim(years[0] - 0.4, last_x + room)
        _label_line_ends(ax, ends, last_x)
        ax.set_ylabel("IT exports a year")
        band_text = (
            f"{BANDS[2][0]:.0%} and {BANDS[1][0]:.0%} of paths"
            if fans
            else f"{BANDS[1][0]:.0%} of paths"
        )
        set_titles(
            ax,
            title or _comparison_title(comparison),
            "Median projection per scenario (labelled: its median in "
            f"{fy_label(label_year) if label_year else 'the last year'}); shaded: where "
            f"{band_text} fall; same random draws in every scenario",
        )
        source_note(ax, source_text(comparison))
        # Once the layout is final, each target label moves off the bands, the lines and the
        # other labels (the $5B one sat on the scenarios' bands at FY26).
        fig = ax.get_figure(root=True)
        if fig is not None:
            fig.draw_without_rendering()
            placed: list[Artist] = [t for t in ax.texts if t not in target_labels]
            for label in target_labels:
                lift_clear(ax, label, [*ax.collections, *ax.lines, *placed])
                placed.append(label)
    return ax


def _comparison_title(comparison: Comparison) -> str:
    head = headline_of(comparison_groups(comparison))
    if head is None:
        return "Projected IT exports by scenario"
    what = f"Chance of reaching {billions(head.value)} by {fy_label(head.fiscal_year)}"
    res = [r for r in head.results if r.p_hit is not None]
    if len(res) <= 2:
        return what + ": " + ", ".join(f"{r.text} under {short_name(r.scenario)}" for r in res)
    lo = min(res, key=lambda r: r.p_hit or 0.0)
    hi = max(res, key=lambda r: r.p_hit or 0.0)
    return f"{what}: {lo.text} to {hi.text} across {len(res)} scenarios"


def _label_line_ends(ax: Axes, ends: list[tuple[float, str, str]], x: float) -> None:
    """Direct labels at the right end of lines, nudged apart so they never overlap.

    ``ends`` holds (y, "name|value", colour). Labels are stacked upwards from the lowest, each
    taking as much height as its lines need; then the stack is moved down by the labels' mean
    displacement, so it stays centred on the line ends rather than drifting upwards. A thin
    leader joins a moved label to its line.
    """
    if not ends:
        return
    lo, hi = ax.get_ylim()
    # One line of 8-pt text (line spacing 1.1, with the font's ascent and descent) on a
    # brief-size chart, in data units.
    line_h = 0.06 * (hi - lo)  # the plot is about 180 pt tall under a two-line title
    texts = []
    for y0, text, colour in ends:
        name, value = text.split("|")
        body = textwrap.fill(name, 22) + "\n" + value  # the value on a line of its own
        texts.append((y0, body, colour, body.count("\n") + 1))
    order = sorted(range(len(texts)), key=lambda i: texts[i][0])
    placed: list[float] = []
    prev_top = -np.inf
    for i in order:
        y0, _, _, n = texts[i]
        half = n * line_h / 2
        y = max(y0, prev_top + half)
        placed.append(y)
        prev_top = y + half + 0.35 * line_h
    ys0 = [texts[i][0] for i in order]
    centre = sum(p - y for p, y in zip(placed, ys0, strict=True)) / len(placed)
    placed = [p - centre for p in placed]
    prev_top -= centre
    bottom = placed[0] - texts[order[0]][3] * line_h / 2
    if bottom < lo:
        placed = [p + (lo - bottom) for p in placed]
        prev_top += lo - bottom
    # If the stack runs off the top, shift it all down.
    overflow = prev_top - hi
    if overflow > 0:
        placed = [p - overflow for p in placed]
    for y, i in zip(placed, order, strict=True):
        y0, body, colour, _ = texts[i]
        ax.annotate(
            body,
            xy=(x, y0),
            xytext=(x + 0.3, y),
            textcoords="data",
            ha="left",
            va="center",
            fontsize=8,
            fontweight="bold",
            color=colour,
            linespacing=1.1,
            arrowprops={
                "arrowstyle": "-",
                "color": colour,
                "lw": 0.6,
                "relpos": (0, 0.5),
                "shrinkA": 2,
                "shrinkB": 0,
            },
        )
