"""Charts for briefs. Plot functions only draw: they take statistics the library computed and an
optional ``ax``, and return the Axes. The caller saves and closes the figure.

One shared style lives here: :data:`PALETTE` (Okabe–Ito, colour-blind safe), fonts and the
source note. Charts label money in $ billions and years as "FY26".
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

#: Okabe & Ito (2008) colour-blind-safe palette.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
    "grey": "#6B6B6B",
}
SERIES_COLOURS = ("blue", "vermillion", "green", "purple", "orange", "sky")
BRIEF_SIZE = (7.0, 4.2)  # inches: a half-page figure in a brief
DPI = 200

STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 9.5,
    "axes.titlesize": 11.5,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 9.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#444444",
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.6,
    "xtick.color": "#444444",
    "ytick.color": "#444444",
    "legend.frameon": False,
    "legend.fontsize": 8.5,
    "figure.dpi": 100,
    "savefig.dpi": DPI,
    "savefig.bbox": "tight",
    "svg.fonttype": "none",
    "text.parse_math": False,  # "$5B ... $445M" is money, not mathtext
}


@contextmanager
def brief_style() -> Iterator[None]:
    """Apply the shared chart style inside a ``with`` block."""
    with mpl.rc_context(STYLE):  # type: ignore[arg-type]
        yield


def new_figure(size: tuple[float, float] = BRIEF_SIZE) -> tuple[Figure, Axes]:
    """A figure and axes in the shared style, sized for a brief.

    The figure is not managed by pyplot (no GUI backend, nothing to close); in a notebook,
    display it by leaving ``fig`` as the cell's last expression after importing pyplot.
    """
    with brief_style():
        fig = Figure(figsize=size, layout="constrained")
        ax = fig.add_subplot()
    return fig, ax


def fy_label(year: int) -> str:
    """2026 → "FY26"."""
    return f"FY{year % 100:02d}"


def billions(x: float, _pos: Any = None) -> str:
    """USD million → "$4.5B" tick label."""
    b = x / 1000.0
    if b == 0:
        return "$0"
    if b == round(b):
        return f"${b:,.0f}B"
    return f"${b:,.1f}B"


def source_note(ax: Axes, note: str) -> None:
    """Write the source note under the plot, left-aligned.

    It is the figure's ``supxlabel``, so constrained layout keeps room for it below the tick
    labels, however tall they are.
    """
    fig = ax.get_figure()
    if fig is None:
        return
    fig.supxlabel(note, x=0.01, ha="left", fontsize=7, color=PALETTE["grey"])


def source_text(summary: Mapping[str, Any]) -> str:
    """The standard source note: data, version, paths and seed."""
    run = summary["run"]
    seed = run["seed"] if run["seed"] is not None else f"entropy {run['seed_entropy']}"
    return (
        f"Source: SBP via press reports (data to {run['data_vintage']}); "
        f"simulator v{run['version']}; {run['paths']:,} paths, seed {seed}"
    )


def pct(p: float | None) -> str:
    """A probability as a reader would say it: "<1%", "37%", ">99%"."""
    if p is None:
        return "n/a"
    if 0 < p < 0.005:
        return "<1%"
    if 0.995 < p < 1:
        return ">99%"
    return f"{p:.0%}"


def plot_fan(
    summary: Mapping[str, Any],
    *,
    ax: Axes | None = None,
    log_scale: bool = False,
    title: str | None = None,
) -> Axes:
    """Fan chart: actuals, nested 5–95 / 10–90 / 25–75 bands, the median and the targets.

    Parameters
    ----------
    summary : mapping
        :func:`simulator.targets.summarize` output (``history``, ``base``, ``years``, ``targets``).
    ax : Axes, optional
    log_scale : bool
        Plot on a log axis (growth rates become slopes).
    title : str, optional
        Default: the chance of the headline target, in words.

    Returns
    -------
    Axes
    """
    if ax is None:
        _, ax = new_figure()
    with brief_style():
        hist = [h for h in summary["history"] if h["fiscal_year"] >= 2016]
        hx = [h["fiscal_year"] for h in hist]
        hy = [h["value"] for h in hist]
        base = summary["base"]
        rows = summary["years"]
        px = [base["fiscal_year"]] + [r["fiscal_year"] for r in rows]

        def band(key: str) -> list[float]:
            return [base["value"]] + [r[key] for r in rows]

        blue = PALETTE["blue"]
        for lo, hi, alpha, label in (
            ("p05", "p95", 0.15, "90% range"),
            ("p10", "p90", 0.22, "80% range"),
            ("p25", "p75", 0.32, "50% range"),
        ):
            ax.fill_between(px, band(lo), band(hi), color=blue, alpha=alpha, lw=0, label=label)
        ax.plot(px, band("p50"), color=blue, lw=2, label="Median projection")
        ax.plot(hx, hy, color=PALETTE["black"], lw=2, marker="o", ms=3.5, label="Actual (SBP)")
        _mark_targets(ax, summary)
        ax.set_xticks(hx + px[1:])
        ax.set_xticklabels([fy_label(y) for y in hx + px[1:]])
        ax.yaxis.set_major_formatter(FuncFormatter(billions))
        if log_scale:
            ax.set_yscale("log")
            ax.yaxis.set_major_formatter(FuncFormatter(billions))
            ax.yaxis.set_minor_formatter(FuncFormatter(lambda *_: ""))
        else:
            ax.set_ylim(bottom=0)
        ax.set_xlim(min(hx + px) - 0.4, max(px) + 0.9)
        ax.set_ylabel("IT exports per fiscal year (US$)")
        ax.set_title(title or _fan_title(summary))
        ax.legend(loc="upper left", ncols=1)
        source_note(ax, source_text(summary))
    return ax


def _fan_title(summary: Mapping[str, Any]) -> str:
    ts = [t for t in summary["targets"] if t["p_hit"] is not None and t["status"] == "projected"]
    if not ts:
        return f"{summary['scenario']['name']}: projected IT exports"
    parts = [
        f"{billions(t['value'])} by {fy_label(t['fiscal_year'])}: {pct(t['p_hit'])}" for t in ts
    ]
    return "Chance of reaching " + "; ".join(parts)


def _mark_targets(ax: Axes, summary: Mapping[str, Any]) -> None:
    for t in summary["targets"]:
        if t["p_hit"] is None:
            continue
        colour = PALETTE["vermillion"] if t["kind"] == "official target" else PALETTE["orange"]
        x, y = t["fiscal_year"], t["value"]
        ax.plot([x], [y], marker="D", ms=7, color=colour, zorder=5, ls="none")
        kind = "" if t["kind"] == "official target" else f" ({t['kind']})"
        label = f"{billions(y)} target{kind}\nP(hit) {pct(t['p_hit'])}"
        ax.annotate(
            label,
            xy=(x, y),
            xytext=(-8, 0),
            textcoords="offset points",
            ha="right",
            va="center",
            fontsize=8,
            color=colour,
            fontweight="bold",
        )


def plot_current_year(summary: Mapping[str, Any], *, ax: Axes | None = None) -> Axes:
    """Current-year monthly chart: last year's months, this year's so far, the rest as bands.

    Shows last fiscal year's months (grey), the months reported this year (black), the
    remaining months' median with 50/80/95% bands, and the monthly run-rate each target in
    this fiscal year needs for the remaining months (dashed).

    Parameters
    ----------
    summary : mapping
        Output of :func:`simulator.targets.summarize` with a ``current_year`` block.
    ax : Axes, optional

    Returns
    -------
    Axes
    """
    if ax is None:
        _, ax = new_figure()
    cy = summary["current_year"]
    k = cy["months_observed"]
    with brief_style():
        labels = [r["month"] for r in cy["observed"]] + [r["month"] for r in cy["remaining"]]
        x = list(range(12))
        last_year = [r["last_year"] for r in cy["observed"]] + [
            r["last_year"] for r in cy["remaining"]
        ]
        ax.plot(
            x,
            last_year,
            color=PALETTE["grey"],
            lw=1.5,
            marker="o",
            ms=3,
            label=f"{fy_label(cy['fiscal_year'] - 1)} (last year)",
        )
        rx = x[k:]
        blue = PALETTE["blue"]
        for lo, hi, alpha, label in (
            ("p2_5", "p97_5", 0.15, "95% range"),
            ("p10", "p90", 0.22, "80% range"),
            ("p25", "p75", 0.32, "50% range"),
        ):
            ax.fill_between(
                rx,
                [r[lo] for r in cy["remaining"]],
                [r[hi] for r in cy["remaining"]],
                color=blue,
                alpha=alpha,
                lw=0,
                label=label,
                step=None,
            )
        ax.plot(
            rx,
            [r["p50"] for r in cy["remaining"]],
            color=blue,
            lw=2,
            marker="o",
            ms=3,
            label="Median projection",
        )
        ax.plot(
            x[:k],
            [r["value"] for r in cy["observed"]],
            color=PALETTE["black"],
            lw=2.2,
            marker="o",
            ms=4,
            label=f"{fy_label(cy['fiscal_year'])} reported",
        )
        for need in cy["needed_run_rate"]:
            ax.hlines(
                need["per_month"],
                rx[0] - 0.3,
                rx[-1] + 0.3,
                colors=PALETTE["vermillion"],
                linestyles="--",
                lw=1.5,
            )
            ax.annotate(
                f"Needed for {billions(need['value'])}: ${need['per_month']:,.0f}M a month",
                xy=(rx[-1] + 0.3, need["per_month"]),
                xytext=(0, 4),
                textcoords="offset points",
                ha="right",
                va="bottom",
                fontsize=8,
                color=PALETTE["vermillion"],
                fontweight="bold",
            )
        ax.set_xticks(x)
        ax.set_xticklabels([_month_short(m) for m in labels])
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"${v:,.0f}M"))
        ax.set_ylabel("IT exports per month (US$)")
        fy = fy_label(cy["fiscal_year"])
        ax.set_title(
            f"{fy}: {k} months reported, full year heading for {billions(cy['full_year']['p50'])}"
        )
        ax.legend(loc="lower left", ncols=3)
        source_note(ax, source_text(summary))
    return ax


def _month_short(label: str) -> str:
    """Month label "2025-11" → "Nov"; July and January also carry the year ("Jul\n2025")."""
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    year, month = label.split("-")
    name = names[int(month) - 1]
    return f"{name}\n{year}" if int(month) in (1, 7) else name
