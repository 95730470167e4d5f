"""The tornado chart of a sensitivity analysis: how far each input, set low and high, moves
one target's P(hit). It only draws.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from matplotlib.axes import Axes
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

from simulator.plotting.style import (
    INK,
    PALETTE,
    brief_style,
    new_figure,
    set_titles,
    source_note,
    source_text,
)
from simulator.present.text import (
    billions,
    chance_text,
    display_name,
    fy_label,
)

if TYPE_CHECKING:
    from simulator.questions.sensitivity import SensitivityResult

#: Most inputs a tornado chart shows; the rest (the smallest spans) are counted in a note.
TORNADO_MAX_BARS = 12


def _p_label(p: float) -> str:
    """A Monte Carlo P(hit) for a bar label (:func:`chance_text`: one decimal, so small
    swings show)."""
    return chance_text(p)


def _tornado_label(label: str) -> str:
    """ "Growth FY28–FY30 (mean 17%): ±8 pts" → "Growth FY28–FY30" over "mean 17%: ±8 pts".

    A row that starts with a scenario's own name for an input (a lever, shock or component
    such as ``ai_services_push``) starts with it in words instead ("AI services push";
    :func:`~simulator.present.text.display_name`).
    """
    import re

    raw = re.match(r"[a-z][a-z0-9_-]*(?=\s|$)", label)
    if raw is not None:
        label = display_name(raw.group()) + label[raw.end() :]
    # The swing follows the last ": " (a name in words may hold one: "Growth record: mean").
    head, sep, swing = label.rpartition(": ")
    m = re.fullmatch(r"(.*?)(?: \((.*)\))?", head)
    if not sep or m is None:
        return textwrap.fill(label, 36)
    what, paren = m.groups()
    return textwrap.fill(what, 36) + "\n" + (f"{paren}: {swing}" if paren else swing)


def plot_tornado(
    result: SensitivityResult,
    *,
    target: str | int,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Tornado chart: how far each input, set low and high, moves P(hit) of one target.

    Each input gets two bars from the base P(hit): to its value with the input set low (light)
    and set high (dark), every other input as in the scenario. Bars are sorted by their span,
    widest at the top, and labelled with the setting and the P(hit) it gives.

    Parameters
    ----------
    result : SensitivityResult
        :func:`simulator.questions.sensitivity.sensitivity` output.
    target : str or int
        The target's name or its fiscal year (such as 2029).
    ax : Axes, optional
    title : str, optional

    Returns
    -------
    Axes
        Two bars per input shown (``ax.patches``), one y tick label per input.

    Raises
    ------
    KeyError
        If ``result`` has no such target.
    """
    t = result.target(target)
    if ax is None:
        _, ax = new_figure()
    with brief_style():
        rows = result.ranked(t)
        hidden = len(rows) - TORNADO_MAX_BARS
        rows = rows[:TORNADO_MAX_BARS]
        base = result.p_hit(result.base, t)
        n = len(rows)
        ys = list(range(n))[::-1]
        lows = [result.p_hit(r.low, t) for r in rows]
        highs = [result.p_hit(r.high, t) for r in rows]
        extent = [base, *lows, *highs]
        lo_x, hi_x = min(extent), max(extent)
        width = max(hi_x - lo_x, 0.02)
        colours = {"low": PALETTE["sky"], "high": PALETTE["blue"]}
        label_chars = [0, 10]  # longest end label left and right ("no effect" on the right)
        for y, r, pl, ph in zip(ys, rows, lows, highs, strict=True):
            # The bar further from the base is drawn first, so a shorter one on the same side
            # stays visible on top of it.
            bars = sorted((("low", pl), ("high", ph)), key=lambda b: -abs(b[1] - base))
            for z, (side, p) in enumerate(bars):
                ax.barh(
                    y,
                    p - base,
                    left=base,
                    height=0.62,
                    color=colours[side],
                    zorder=2 + z,
                )
            if pl == base and ph == base:
                ax.annotate(
                    "no effect",
                    xy=(base, y),
                    xytext=(5, 0),
                    textcoords="offset points",
                    ha="left",
                    va="center",
                    fontsize=7.5,
                    color=PALETTE["grey"],
                )
                continue
            # The smaller P(hit) is labelled at the bar's left end, the larger at its right.
            (s_left, p_left), (s_right, p_right) = sorted(
                (("low", pl), ("high", ph)), key=lambda b: b[1]
            )
            for k, (side, p, x, dx, ha) in enumerate(
                (
                    (s_left, p_left, min(p_left, base), -4, "right"),
                    (s_right, p_right, max(p_right, base), 4, "left"),
                )
            ):
                setting = r.input.low_setting if side == "low" else r.input.high_setting
                text = f"{setting}: {_p_label(p)}"
                label_chars[k] = max(label_chars[k], len(text) + 1)
                ax.annotate(
                    text,
                    xy=(x, y),
                    xytext=(dx, 0),
                    textcoords="offset points",
                    ha=ha,
                    va="center",
                    fontsize=7.5,
                    color=INK,
                )
        ax.axvline(base, color=INK, lw=1, ls="--", zorder=5)
        ax.annotate(
            f"base {_p_label(base)}",
            xy=(base, n - 0.45),
            xytext=(0, 2),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
            fontweight="bold",
            color=INK,
            bbox={"fc": "white", "ec": "none", "pad": 1},
            zorder=6,  # above the dashed base line, so the line does not strike through it
        )
        ax.set_yticks(ys)
        ax.set_yticklabels([_tornado_label(r.input.label) for r in rows], fontsize=8)
        ax.tick_params(axis="y", length=0)
        ax.set_ylim(-0.6, n - 0.1)
        # Room for the end labels: about 0.068 in per character at 7.5 pt (with the offset),
        # on a plot at least 4.2 in wide at brief size (the input labels take the rest).
        # P(hit) stays within 0-100%; the axis may run past either end to fit a label, with
        # ticks only inside 0-100%.
        left_frac, right_frac = (min(0.4, 0.068 * c / 4.2) for c in label_chars)
        scale = width / max(0.2, 1.0 - left_frac - right_frac)
        x0, x1 = lo_x - left_frac * scale, hi_x + right_frac * scale
        ax.set_xlim(x0, x1)
        ticks = MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]).tick_values(max(x0, 0.0), x1)
        ax.xaxis.set_major_locator(
            FixedLocator([v for v in ticks if max(x0, 0.0) - 1e-9 <= v <= min(x1, 1.0) + 1e-9])
        )
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v + 0.0:.0%}"))
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)
        ax.set_xlabel(
            f"Chance of reaching {billions(t.value)} by {fy_label(t.fiscal_year)} (P(hit))"
        )
        note = f"; {hidden} smaller not shown" if hidden > 0 else ""
        set_titles(
            ax,
            title or f"What moves the chance of {billions(t.value)} by {fy_label(t.fiscal_year)}",
            "Light bars: an input set low; dark: set high; every other input as in the "
            f"scenario, on the same random draws. Sorted by effect{note}",
            width=64,
            title_width=44,
        )
        source_note(ax, source_text(result))
    return ax
