"""Charts of the record: growth each target needs against the historical record, and the
track record of past official targets. They only draw.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter

from simulator.plotting.style import (
    INK,
    PALETTE,
    brief_style,
    data_source_text,
    fy_axis,
    is_official,
    money_axis,
    new_figure,
    set_titles,
    source_note,
    target_label,
)
from simulator.present.text import (
    billions,
    fy_label,
    growth_pct,
)

if TYPE_CHECKING:
    from simulator.questions.record import RequiredGrowthSummary, TrackRecord
    from simulator.stats.summary import YearValue


def plot_required_growth(
    required: RequiredGrowthSummary,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    scenario: str | None = None,
) -> Axes:
    """Growth each target needs a year from the base, against the record.

    Parameters
    ----------
    required : RequiredGrowthSummary
        :func:`simulator.questions.record.required_growth_summary` output.
    ax : Axes, optional
    title : str, optional
    scenario : str, optional — the scenario whose base and targets these are (source note)

    Returns
    -------
    Axes
    """
    if ax is None:
        _, ax = new_figure()
    with brief_style():
        rows = required.targets
        rec = required.record
        n = len(rows)
        ys = list(range(n))[::-1]
        for y, r in zip(ys, rows, strict=True):
            official = is_official(r)
            c = PALETTE["vermillion"] if official else PALETTE["orange"]
            ax.barh(
                y,
                r.required_cagr,
                height=0.55,
                color=c if official else "white",
                edgecolor=c,
                lw=1.6,
                hatch=None if official else "///",
            )
            pr = r.progress[0] if r.progress else None
            pace = f"\n{pr.category} (ratio {pr.ratio:.2f})" if pr and pr.ratio is not None else ""
            ax.annotate(
                f"{growth_pct(r.required_cagr)} a year for {r.years} "
                f"year{'s' if r.years != 1 else ''}{pace}",
                xy=(r.required_cagr, y),
                xytext=(5, 0),
                textcoords="offset points",
                ha="left",
                va="center",
                fontsize=8,
                color=INK,
                # above the record lines, on white, so a line never runs through the words
                zorder=6,
                bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none"},
            )
        styles = ("-", "--", ":")
        ranked = sorted(rec.windows, key=lambda w: w.cagr)
        for k, w in enumerate(rec.windows):
            # The lowest line's label goes to its left, the others' to their right.
            left = w is ranked[0] and len(ranked) > 1
            ax.axvline(w.cagr, color=INK, lw=1.2, ls=styles[k % 3], zorder=4)
            ax.annotate(
                f"{w.label}\n{growth_pct(w.cagr)} a year",
                xy=(w.cagr, 1),
                xycoords=("data", "axes fraction"),
                xytext=(-3 if left else 3, -2),
                textcoords="offset points",
                ha="right" if left else "left",
                va="top",
                fontsize=7.5,
                color=INK,
            )
        best_year, best = rec.best_year
        ax.axvline(best, color=PALETTE["grey"], lw=1, ls=":", zorder=4)
        ax.annotate(
            f"best year\n{fy_label(best_year)} {growth_pct(best, 0)}",
            xy=(best, 1),
            xycoords=("data", "axes fraction"),
            xytext=(-3, -2),
            textcoords="offset points",
            ha="right",
            va="top",
            fontsize=7.5,
            color=PALETTE["grey"],
        )
        ax.set_yticks(ys)
        ax.set_yticklabels([target_label(r).replace(" (", "\n(") for r in rows])
        ax.set_ylim(-0.6, n - 0.4 + 0.7)
        xmax = max([r.required_cagr for r in rows] + [best])
        ax.set_xlim(0, xmax * 1.5)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:.0%}"))
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)
        ax.set_xlabel("Constant annual growth needed from the base (compound)")
        base = required.base
        if title is None:
            needs = [r.required_cagr for r in rows]
            w0 = rec.windows[0]
            span = (
                (f"{min(needs):.0%}\u2013{max(needs):.0%}" if len(needs) > 1 else f"{needs[0]:.0%}")
                if needs
                else "n/a"
            )
            title = f"Targets need {span} growth a year; {w0.label} averaged {w0.cagr:.0%}"
        w0_label = rec.windows[0].label
        set_titles(
            ax,
            title,
            f"From {fy_label(base.fiscal_year)} = {billions(base.value)}. Lines: the record "
            f"(compound annual growth) and the best single year. Ratio: {w0_label} growth / growth "
            "needed (UN SDG progress method; on track from 0.95, acceleration needed 0.6-0.95)",
            width=80,
            title_width=50,
        )
        source_note(ax, data_source_text(scenario=scenario))
    return ax


def plot_track_record(
    track: TrackRecord,
    history: Sequence[YearValue],
    *,
    ax: Axes | None = None,
    title: str | None = None,
    scenario: str | None = None,
) -> Axes:
    """Past official targets against what the year actually brought.

    Parameters
    ----------
    track : TrackRecord
        :func:`simulator.questions.record.track_record_summary` output.
    history : sequence of YearValue
        Observed totals (USD million), drawn as the line.
    ax : Axes, optional
    title : str, optional — default "Official IT-export targets met since 2016: 0 of 4"
    scenario : str, optional — the scenario whose history this is (source note)

    Returns
    -------
    Axes
    """
    if ax is None:
        _, ax = new_figure()
    with brief_style():
        hx = [h.fiscal_year for h in history]
        hy = [h.value for h in history]
        ax.plot(hx, hy, color=PALETTE["black"], lw=2, marker="o", ms=3.5, zorder=3)
        ax.annotate(
            "Actual (SBP)",
            xy=(hx[-1], hy[-1]),
            xytext=(6, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=8,
            fontweight="bold",
            color=INK,
        )
        red = PALETTE["vermillion"]
        green = PALETTE["green"]
        for t in track.targets:
            x, tv, av = t.fiscal_year, t.value, t.actual
            c = green if t.hit else red
            ax.plot([x, x], [av, tv], color=c, lw=1.2, ls=":", zorder=2)
            ax.plot([x], [tv], marker="D", ms=7, mec=c, mfc="white", mew=1.8, ls="none", zorder=4)
            verdict = "met" if t.hit else f"missed by {abs(t.gap):.0%}"
            stated = t.date_stated[:4]
            ax.annotate(
                f"{billions(tv)} target\n(set {stated})\n{verdict}",
                xy=(x, tv),
                xytext=(0, 7),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=7.5,
                color=INK,
                linespacing=1.1,
            )
        fy_axis(ax, hx)
        money_axis(ax)
        top = max(hy + [t.value for t in track.targets])
        ax.set_ylim(0, top * 1.3)
        ax.set_xlim(hx[0] - 0.5, hx[-1] + 1.1)
        ax.set_ylabel("IT exports a year")
        set_titles(
            ax,
            title or f"Official IT-export targets met since 2016: {track.met} of {track.total}",
            "Hollow diamonds: official targets for a fiscal year, at the level announced; "
            "dotted: gap to the actual",
        )
        source_note(
            ax,
            "Targets: official statements via press reports (targets_and_projections.csv). "
            + data_source_text(scenario=scenario),
        )
    return ax
