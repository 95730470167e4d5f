"""The one chart style: palette (Okabe–Ito, colour-blind safe), fonts, figure size, the
source note, titles, the money axis, and how a target is named on a chart.

Charts label money in $ billions and years as "FY26" (:mod:`simulator.present.text`).
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Protocol

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.ticker import (
    FixedFormatter,
    FixedLocator,
    FuncFormatter,
    MaxNLocator,
    NullFormatter,
)

from simulator import __version__
from simulator.present.text import (
    billions,
    fy_label,
    hit_text,
    seed_note,
)
from simulator.scenario.schema import is_official_kind
from simulator.stats.summary import Summary, TargetStats

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


#: Scenario colours, in order. Vermillion and orange are left out: they mark targets.
# Black is the actuals and vermillion/orange the targets, so scenarios use the rest.
SERIES_COLOURS = ("blue", "green", "purple", "sky", "grey", "yellow")


#: The central ranges every chart shades, widest first: (share of paths, lower and upper
#: quantile names, fill alpha). One set on the fan, the current-year chart and the comparison.
BANDS = ((0.90, "p05", "p95", 0.15), (0.80, "p10", "p90", 0.22), (0.50, "p25", "p75", 0.32))


BRIEF_SIZE = (7.0, 4.2)  # inches: a half-page figure in a brief


DPI = 200


STYLE: dict[str, object] = {
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
    # Constrained layout fits everything inside the figure; no tight crop, so every chart is
    # exactly BRIEF_SIZE (7 x 4.2 in = 1400 x 840 px at 200 dpi) and the source note is kept.
    "savefig.bbox": "standard",
    "svg.fonttype": "none",
    "text.parse_math": False,  # "$5B … $10B" is money, not TeX
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


def source_note(ax: Axes, note: str, width: int = 118) -> None:
    """Write the source note under the plot, left-aligned, wrapped to the figure's width.

    The note sits in a band at the foot of the figure that constrained layout keeps free
    (its ``rect``), so tick labels never run into it and a long note never squeezes the plot.
    """
    text = textwrap.fill(note, width)
    fig = ax.get_figure(root=True)
    ann = ax.annotate(
        text,
        xy=(0, 0),
        xycoords="figure fraction",
        xytext=(6, 4),
        textcoords="offset points",
        fontsize=7,
        color=PALETTE["grey"],
        ha="left",
        va="bottom",
    )
    ann.set_in_layout(False)
    engine = fig.get_layout_engine() if fig is not None else None
    if isinstance(fig, Figure) and isinstance(engine, ConstrainedLayoutEngine):
        lines = text.count("\n") + 1
        band = (8 + 9 * lines) / 72 / fig.get_figheight()
        engine.set(rect=(0, band, 1, 1 - band))


class Provenance(Protocol):
    """What a source note reads of a run (:class:`~simulator.stats.summary.RunInfo` has it)."""

    @property
    def data_vintage(self) -> str: ...

    @property
    def version(self) -> str: ...

    @property
    def paths(self) -> int: ...

    @property
    def seed(self) -> int | None: ...


class Sourced(Protocol):
    """A typed result a source note names, beside a run's :class:`Summary` (a comparison, a
    sensitivity, a sweep): its run and the scenarios it holds."""

    @property
    def run(self) -> Provenance: ...

    @property
    def scenario_names(self) -> tuple[str, ...]: ...


def scenario_names(result: Summary | Sourced) -> list[str]:
    """The scenario names a result holds: one for a run, sensitivity or sweep, several for a
    comparison."""
    if isinstance(result, Summary):
        return [result.scenario.name] if result.scenario.name else []
    return [n for n in result.scenario_names if n]


def scenario_text(result: Summary | Sourced) -> str:
    """ "Scenario: Baseline momentum. " (or "Scenarios: A; B. "), the first words of a source note.

    Every chart names what it shows, so one cut out of a brief still says which assumptions
    its numbers rest on. Empty when the result names no scenario.
    """
    names = scenario_names(result)
    if not names:
        return ""
    return f"Scenario{'s' if len(names) > 1 else ''}: {'; '.join(names)}. "


def source_text(result: Summary | Sourced) -> str:
    """The standard source note: scenario, data, version, paths and seed, and what "FY" means.

    ``result`` is a run's :class:`Summary` or a :class:`Sourced` result (a comparison, a
    sensitivity, a sweep). An unseeded run's 128-bit entropy is not printed
    (:func:`~simulator.present.text.seed_note`): the output file records it.
    """
    r = result.run
    vintage, version, paths, seed = r.data_vintage, r.version, r.paths, r.seed
    return (
        f"{scenario_text(result)}"
        f"Source: SBP via press reports (data to {vintage}); "
        f"simulator v{version}; {paths:,} paths, {seed_note(seed)}. "
        "Fiscal years end in June (FY26 = Jul 2025-Jun 2026)."
    )


def data_source_text(vintage: str | None = None, *, scenario: str | None = None) -> str:
    """Source note for charts of data only (no simulation); ``scenario`` names whose base and
    targets the chart uses (default: the bundled FY25 base and the Uraan targets)."""
    data = f" (data to {vintage})" if vintage else ""
    lead = (
        f"Scenario: {scenario}. "
        if scenario
        else "Scenario: none (bundled base, Uraan Pakistan targets). "
    )
    return (
        f"{lead}Source: SBP via press reports{data}; simulator v{__version__}. "
        "Fiscal years end in June (FY26 = Jul 2025-Jun 2026)."
    )


#: Most fiscal-year labels an axis of brief width shows; longer spans label every 2nd, 5th …
MAX_YEAR_LABELS = 14
_YEAR_STEPS = (1, 2, 5, 10, 20, 25, 50, 100)


def fy_axis(ax: Axes, years: Sequence[int], *, max_labels: int = MAX_YEAR_LABELS) -> None:
    """Fiscal-year ticks that thin out by themselves: every year up to ``max_labels`` years,
    else every 2nd, 5th, 10th … year (labels on round years, such as FY30, FY40), with an
    unlabelled minor tick on each year when there are few enough to read."""
    lo, hi = min(years), max(years)
    step = next((k for k in _YEAR_STEPS if (hi - lo) // k + 1 <= max_labels), _YEAR_STEPS[-1])
    if step == 1:
        major = list(range(lo, hi + 1))
    else:
        major = [y for y in range(lo, hi + 1) if y % step == 0]
    ax.xaxis.set_major_locator(FixedLocator(major))
    # Past 2099 "FY00" would be ambiguous: long spans spell the year out ("FY2100").
    label = (lambda y: f"FY{y}") if hi > 2099 else fy_label
    ax.xaxis.set_major_formatter(FixedFormatter([label(y) for y in major]))
    if step > 1 and hi - lo <= 60:
        ax.xaxis.set_minor_locator(FixedLocator([y for y in range(lo, hi + 1) if y % step]))
    else:
        ax.xaxis.set_minor_locator(FixedLocator([]))


def prob_axis(ax: Axes, top: float) -> None:
    """A probability y axis that fits the values: 0 to a round step above ``top`` (with room for
    a label), never past 100%, with a solid zero line so a bar of 0.5% still reads as small,
    not as missing."""
    if top >= 0.5:
        ax.set_ylim(0, 1.08)
        ax.yaxis.set_major_locator(FixedLocator([0, 0.25, 0.5, 0.75, 1.0]))
    else:
        loc = MaxNLocator(nbins=5, steps=[1, 2, 5, 10])
        ticks = [t for t in loc.tick_values(0, max(top * 1.25, 0.01)) if t >= 0]
        ax.set_ylim(0, ticks[-1] * 1.06)
        ax.yaxis.set_major_locator(FixedLocator(ticks))
    ticks = list(ax.yaxis.get_major_locator()())
    # As many decimals as the ticks need, so no tick label is a rounded value (2.5% never "2%").
    digits = next(
        d
        for d in (0, 1, 2)
        if all(
            abs(t * 100 * 10**d % 1) < 1e-6 or abs(t * 100 * 10**d % 1 - 1) < 1e-6 for t in ticks
        )
    )
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:.{digits}%}"))
    ax.axhline(0, color="#444444", lw=1.0, zorder=1)


#: Text colour for labels: near-black reads on screen and in greyscale print.
INK = "#222222"


def mark_target(
    ax: Axes, x: float, y: float, *, official: bool = True, size: float = 6, edge: float = 1.6
) -> None:
    """A target's diamond at (fiscal year, USD million): filled vermillion for an official
    target, hollow orange for another kind (an industry projection); ``size`` and ``edge`` in
    points. The one way every chart marks a target."""
    colour = PALETTE["vermillion"] if official else PALETTE["orange"]
    ax.plot(
        [x],
        [y],
        marker="D",
        ms=size,
        mec=colour,
        mfc=colour if official else "white",
        mew=edge,
        ls="none",
        zorder=5,
        label="_target",
    )


def set_titles(
    ax: Axes, title: str, subtitle: str | None = None, width: int = 92, title_width: int = 60
) -> None:
    """A bold headline that says what the chart shows, and an optional grey line under it.

    The subtitle is wrapped to ``width`` characters (about the plot's width at brief size)
    and the headline is lifted above however many lines it takes.
    """
    # Titles align with the plot's left edge: a bold 11.5-pt line holds about 62 characters
    # over a full-width plot; pass a smaller title_width when long tick labels narrow it.
    title = textwrap.fill(title, title_width)
    if subtitle:
        text = textwrap.fill(subtitle, width)
        lines = text.count("\n") + 1
        ax.set_title(title, pad=9 + 11 * lines)
        ax.annotate(
            text,
            xy=(0, 1),
            xycoords="axes fraction",
            xytext=(0, 6),
            textcoords="offset points",
            ha="left",
            va="bottom",
            fontsize=8.5,
            color=PALETTE["grey"],
            linespacing=1.15,
        )
    else:
        ax.set_title(title)


def money_axis(ax: Axes, *, log_scale: bool = False, axis: str = "y") -> None:
    """Label an axis of USD million in $ billions at round steps ($0, $5B, $10B …).

    On a log scale the ticks run 1–2–5 ($0.5B, $1B, $2B, $5B, $10B, $20B) so every decade is
    labelled, not only $1B and $10B.
    """
    target = ax.yaxis if axis == "y" else ax.xaxis
    if log_scale:
        (ax.set_yscale if axis == "y" else ax.set_xscale)("log")
        ticks = [m * 10.0**e for e in range(1, 6) for m in (1, 2, 5)]
        target.set_major_locator(FixedLocator(ticks))
        target.set_minor_formatter(NullFormatter())
    else:
        target.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
    target.set_major_formatter(FuncFormatter(billions))


class Labelled(Protocol):
    """What a chart names a target by: its level, its year and its kind."""

    @property
    def value(self) -> float: ...

    @property
    def fiscal_year(self) -> int: ...

    @property
    def kind(self) -> str: ...


def target_label(t: Labelled) -> str:
    """ "$10B by FY29", with the kind of a target that is not official ("(industry projection)")."""
    kind = "" if is_official(t) else f" ({t.kind})"
    return f"{billions(t.value)} by {fy_label(t.fiscal_year)}{kind}"


def target_outcome(t: TargetStats) -> str:
    """A target's chance as a label: "met" or "missed" once its year is observed, else P(hit)."""
    if t.status == "observed":
        return "met" if (t.p_hit or 0.0) >= 1 else "missed"
    return f"P(hit) {hit_text(t)}"


def is_official(t: Labelled) -> bool:
    """Whether a target is an official target (:func:`is_official_kind`)."""
    return is_official_kind(t.kind)
