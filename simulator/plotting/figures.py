"""Charts for briefs. Plot functions only draw: they take statistics the library computed and an
optional ``ax``, and return the Axes. The caller saves and closes the figure.

One shared style lives here: :data:`PALETTE` (Okabe–Ito, colour-blind safe), fonts and the
source note. Charts label money in $ billions and years as "FY26".
"""

from __future__ import annotations

import itertools
import textwrap
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator, NullFormatter

from simulator import __version__

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


def fy_label(year: int) -> str:
    """2026 → "FY26"."""
    return f"FY{year % 100:02d}"


#: Most fiscal-year labels an axis of brief width shows; longer spans label every 2nd, 5th …
MAX_YEAR_LABELS = 14
_YEAR_STEPS = (1, 2, 5, 10, 20, 25, 50, 100)


def fy_axis(ax: Axes, years: Sequence[int], *, max_labels: int = MAX_YEAR_LABELS) -> None:
    """Fiscal-year ticks that thin out by themselves: every year up to ``max_labels`` years,
    else every 2nd, 5th, 10th … year (labels on round years, such as FY30, FY40), with an
    unlabelled minor tick on each year when there are few enough to read."""
    from matplotlib.ticker import FixedFormatter

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


def billions(x: float, _pos: Any = None) -> str:
    """USD million → "$4.5B" tick label."""
    b = x / 1000.0
    if b == 0:
        return "$0"
    if b == round(b):
        return f"${b:,.0f}B"
    return f"${b:,.1f}B"


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


def scenario_names(result: Mapping[str, Any]) -> list[str]:
    """The scenario names a result holds: one for a run or sensitivity, several for a comparison."""
    if "scenarios" in result:
        return [str(s["name"]) for s in result["scenarios"]]
    sc = result.get("scenario")
    if isinstance(sc, Mapping) and sc.get("name"):
        return [str(sc["name"])]
    return []


def scenario_text(result: Mapping[str, Any]) -> str:
    """ "Scenario: Baseline momentum. " (or "Scenarios: A; B. "), the first words of a source note.

    Every chart names what it shows, so one cut out of a brief still says which assumptions
    its numbers rest on. Empty when the result names no scenario.
    """
    names = scenario_names(result)
    if not names:
        return ""
    return f"Scenario{'s' if len(names) > 1 else ''}: {'; '.join(names)}. "


def source_text(summary: Mapping[str, Any]) -> str:
    """The standard source note: scenario, data, version, paths and seed, and what "FY" means."""
    run = summary["run"]
    seed = run["seed"] if run["seed"] is not None else f"entropy {run['seed_entropy']}"
    return (
        f"{scenario_text(summary)}"
        f"Source: SBP via press reports (data to {run['data_vintage']}); "
        f"simulator v{run['version']}; {run['paths']:,} paths, seed {seed}. "
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


#: Text colour for labels: near-black reads on screen and in greyscale print.
INK = "#222222"
#: Okabe–Ito colours are for marks; labels that name a mark use a darker text shade.
TARGET_COLOURS = {"official target": PALETTE["vermillion"]}


def pct(p: float | None, *, estimate: bool = False) -> str:
    """A probability as a reader would say it: "<0.1%", "2.2%", "37%", ">99.9%".

    The same rule as the printed tables (:func:`simulator.tables.probability_text`), so a
    chart and a table never quote one number two ways. With ``estimate`` (a Monte Carlo
    share), 0 and 1 read "<0.1%" and ">99.9%": no finite sample shows a chance to be exactly
    nil or certain.
    """
    from simulator.present.tables import probability_text

    return probability_text(p, estimate=estimate)


def growth_pct(g: float, digits: int = 1) -> str:
    """0.1912 → "19.1%"; a minus sign, not a hyphen, for falls."""
    return f"{g:.{digits}%}".replace("-", "\u2212")


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


def _target_label(t: Mapping[str, Any]) -> str:
    kind = "" if t["kind"] == "official target" else f" ({t['kind']})"
    return f"{billions(t['value'])} by {fy_label(t['fiscal_year'])}{kind}"


def _outcome(t: Mapping[str, Any]) -> str:
    """A target's chance as a label: "met" or "missed" once its year is observed, else P(hit)."""
    if t.get("status") == "observed":
        return "met" if t["p_hit"] >= 1 else "missed"
    return f"P(hit) {pct(t['p_hit'], estimate=True)}"


def _is_official(t: Mapping[str, Any]) -> bool:
    return bool(t["kind"] == "official target")


def headline_target(targets: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The target a title leads with: the last projected official target, else the last one."""
    projected = [t for t in targets if t.get("status", "projected") == "projected"]
    official = [t for t in projected if _is_official(t)]
    pool = official or projected
    return max(pool, key=lambda t: t["fiscal_year"]) if pool else None


def plot_fan(
    summary: Mapping[str, Any],
    *,
    ax: Axes | None = None,
    log_scale: bool = False,
    title: str | None = None,
    samples: Mapping[str, Any] | None = None,
) -> Axes:
    """Fan chart: actuals, nested 5–95 / 10–90 / 25–75 bands, the median and the targets.

    After the Bank of England fan chart (Britton, Fisher and Whitley 1998, BoE Quarterly
    Bulletin 38: 30–37); the bands are central ranges of the simulated paths.

    Parameters
    ----------
    summary : mapping
        :func:`simulator.targets.summarize` output (``history``, ``base``, ``years``, ``targets``).
    ax : Axes, optional
    log_scale : bool
        Plot on a log axis (constant growth becomes a straight line).
    title : str, optional
        Default: the chance of the headline target, in words.
    samples : mapping, optional
        ``{"fiscal_years": [...], "values": [[...], ...]}`` (USD million) of sample paths to draw
        as thin lines over the fan (a spaghetti plot); from
        :func:`simulator.targets.chart_data`.

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
            ("p05", "p95", 0.15, "90% of paths"),
            ("p10", "p90", 0.22, "80%"),
            ("p25", "p75", 0.32, "50%"),
        ):
            ax.fill_between(px, band(lo), band(hi), color=blue, alpha=alpha, lw=0, label=label)
        if samples is not None:
            sx = [base["fiscal_year"], *samples["fiscal_years"]]
            for i, path in enumerate(samples["values"]):
                ax.plot(
                    sx,
                    [base["value"], *path],
                    color=PALETTE["grey"],
                    lw=0.5,
                    alpha=0.45,
                    zorder=2,
                    label="Sample paths" if i == 0 else "_nolegend_",
                )
        ax.plot(px, band("p50"), color=blue, lw=2.2, label="Median projection", zorder=3)
        ax.plot(hx, hy, color=PALETTE["black"], lw=2, marker="o", ms=3.5, label="Actual (SBP)")
        _mark_targets(ax, summary["targets"])
        fy_axis(ax, hx + px[1:])
        money_axis(ax, log_scale=log_scale)
        if not log_scale:
            ax.set_ylim(bottom=0)
        ax.set_xlim(min(hx + px) - 0.4, max(px) + 0.6)
        ax.set_ylabel("IT exports a year (US$, log scale)" if log_scale else "IT exports a year")
        head = headline_target(summary["targets"])
        others = [t for t in summary["targets"] if t is not head and t["p_hit"] is not None]
        sub = "Actual and projected IT exports; shaded: where 90%, 80% and 50% of paths fall"
        if others:
            sub += ". Also: " + "; ".join(
                f"{_target_label(t)} {_outcome(t).removeprefix('P(hit) ')}" for t in others
            )
        set_titles(ax, title or _fan_title(summary), sub)
        handles, labels = ax.get_legend_handles_labels()
        order = [labels.index(k) for k in ("Actual (SBP)", "Median projection")]
        order += [i for i in range(len(labels)) if i not in order]
        ax.legend(
            [handles[i] for i in order],
            [labels[i] for i in order],
            loc="upper left",
            ncols=1,
            handlelength=1.6,
        )
        source_note(ax, source_text(summary))
    return ax


def _fan_title(summary: Mapping[str, Any]) -> str:
    head = headline_target(summary["targets"])
    if head is None or head["p_hit"] is None:
        return f"{short_name(summary['scenario']['name'])}: projected IT exports"
    return (
        f"Chance of reaching {billions(head['value'])} by {fy_label(head['fiscal_year'])}: "
        f"{pct(head['p_hit'], estimate=True)}"
    )


def _mark_targets(ax: Axes, targets: Sequence[Mapping[str, Any]]) -> None:
    """Diamonds at the targets: filled for official targets, hollow for other kinds."""
    for t in targets:
        if t["p_hit"] is None:
            continue
        official = _is_official(t)
        colour = PALETTE["vermillion"] if official else PALETTE["orange"]
        x, y = t["fiscal_year"], t["value"]
        ax.plot(
            [x],
            [y],
            marker="D",
            ms=7,
            mec=colour,
            mfc=colour if official else "white",
            mew=1.8,
            zorder=5,
            ls="none",
        )
        kind = "" if official else f"\n({t['kind']})"
        label = f"{billions(y)} target{kind}\n{_outcome(t)}"
        ax.annotate(
            label,
            xy=(x, y),
            xytext=(-9, 0),
            textcoords="offset points",
            ha="right",
            va="center",
            fontsize=8,
            color=INK,
            fontweight="bold",
            linespacing=1.15,
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
            f"{fy}: {k} month{'' if k == 1 else 's'} reported, full year heading for "
            f"{billions(cy['full_year']['p50'])}"
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


def targets_as_groups(summary: Mapping[str, Any], label: str | None = None) -> list[Any]:
    """A run's targets in the per-scenario form :func:`plot_target_probabilities` takes."""
    name = label or summary["scenario"]["name"]
    return [
        {
            **{k: t[k] for k in ("name", "fiscal_year", "value", "kind")},
            "results": [{"scenario": name, "p_hit": t["p_hit"], "p_hit_ci95": t["p_hit_ci95"]}],
        }
        for t in summary["targets"]
        if t["status"] == "projected"
    ]


def plot_target_probabilities(
    groups: Sequence[Mapping[str, Any]],
    *,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """Bars of P(hit) per target with 95% (Wilson) whiskers; one group per target.

    Parameters
    ----------
    groups : sequence of mapping
        One per target: ``{name, fiscal_year, value, kind, results: [{scenario, p_hit,
        p_hit_ci95}]}`` (as in ``comparison.json``; :func:`targets_as_groups` for one run).
        Results with ``p_hit`` None are skipped.
    ax : Axes, optional
    title, source : str, optional — headline and source note

    Returns
    -------
    Axes
    """
    if ax is None:
        _, ax = new_figure()
    with brief_style():
        scenarios = list(dict.fromkeys(r["scenario"] for g in groups for r in g["results"]))
        k = max(1, len(scenarios))
        width = min(0.7 / k, 0.32)
        for j, name in enumerate(scenarios):
            colour = PALETTE[SERIES_COLOURS[j % len(SERIES_COLOURS)]]
            for i, g in enumerate(groups):
                r = next((r for r in g["results"] if r["scenario"] == name), None)
                if r is None or r["p_hit"] is None:
                    continue
                x = i + (j - (k - 1) / 2) * width
                p = r["p_hit"]
                lo, hi = r["p_hit_ci95"]
                ax.bar(
                    x,
                    p,
                    width=width * 0.9,
                    color=colour,
                    label=name if i == 0 or name not in ax.get_legend_handles_labels()[1] else "_",
                )
                ax.errorbar(
                    x,
                    p,
                    yerr=[[max(p - lo, 0.0)], [max(hi - p, 0.0)]],
                    fmt="none",
                    ecolor=INK,
                    elinewidth=1,
                    capsize=3,
                )
                labels = {pct(r2["p_hit"], estimate=True) for r2 in g["results"]}
                if len(labels) == 1 and k > 1:
                    # Every scenario rounds to the same label: say it once, above the group.
                    if j == 0:
                        top = max(r2["p_hit_ci95"][1] for r2 in g["results"])
                        ax.annotate(
                            f"{labels.pop()} in every scenario",
                            xy=(i, top),
                            xytext=(0, 3),
                            textcoords="offset points",
                            ha="center",
                            va="bottom",
                            fontsize=8.5,
                            fontweight="bold",
                            color=INK,
                        )
                    continue
                ax.annotate(
                    pct(p, estimate=True),
                    xy=(x, hi),
                    xytext=(0, 3),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    fontsize=8.5 if k <= 3 else 7,
                    fontweight="bold",
                    color=INK,
                )
        ax.set_xticks(range(len(groups)))
        ax.set_xticklabels([_target_label(g).replace(" (", "\n(") for g in groups])
        ax.set_xlim(-0.6, len(groups) - 0.4)
        prob_axis(
            ax,
            max(
                [r["p_hit_ci95"][1] for g in groups for r in g["results"] if r["p_hit"] is not None]
                or [0.0]
            ),
        )
        ax.set_ylabel("Chance of reaching the target")
        ax.grid(axis="x", visible=False)
        if title is None:
            head = headline_target(groups) if groups else None
            if head is None:
                title = "Chance of reaching each target"
            elif k == 1:
                p = head["results"][0]["p_hit"]
                title = (
                    f"Chance of reaching {billions(head['value'])} by "
                    f"{fy_label(head['fiscal_year'])}: {pct(p, estimate=True)}"
                )
            else:
                title = "Chance of reaching each target, by scenario"
        set_titles(
            ax,
            title,
            "Bars: share of simulated paths at or above the target; "
            "whiskers: 95% interval (Wilson)",
        )
        if k > 1:
            ax.legend(loc="upper right", ncols=1)
        if source:
            source_note(ax, source)
    return ax


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


def plot_target_distribution(
    dist: Mapping[str, Any],
    *,
    ax: Axes | None = None,
    title: str | None = None,
    show_ylabel: bool = True,
) -> Axes:
    """Distribution of the total in one target year: histogram, target line, mass above shaded.

    Parameters
    ----------
    dist : mapping
        :func:`simulator.targets.target_distribution` output (``edges``, ``density``,
        ``value``, ``p_hit``, ``p50``; USD million).
    ax : Axes, optional
    title : str, optional — default "$10B in FY29: 2%"
    show_ylabel : bool

    Returns
    -------
    Axes
    """
    if ax is None:
        _, ax = new_figure()
    with brief_style():
        edges = dist["edges"]
        dens = dist["density"]
        level = dist["value"]
        lefts, widths = edges[:-1], [b - a for a, b in itertools.pairwise(edges)]
        colours = [PALETTE["vermillion"] if a >= level else PALETTE["sky"] for a in lefts]
        ax.bar(lefts, dens, width=widths, align="edge", color=colours, lw=0)
        ax.axvline(level, color=INK, lw=1.4, ls="--")
        top = max(dens) if dens else 1.0
        ax.set_ylim(0, top * 1.55)
        p = pct(dist["p_hit"], estimate=True)
        right_half = level > (edges[0] + edges[-1]) / 2
        ax.annotate(
            f"{billions(level)} target\nP(hit) {p}",
            xy=(level, top * 1.52),
            xytext=(-4 if right_half else 4, 0),
            textcoords="offset points",
            ha="right" if right_half else "left",
            va="top",
            fontsize=8,
            fontweight="bold",
            color=INK,
        )
        ax.axvline(dist["p50"], color=PALETTE["blue"], lw=1.2, ymax=1.2 / 1.55)
        ax.annotate(
            f"median {billions(dist['p50'])}",
            xy=(dist["p50"], top * 1.2),
            xytext=(0, 2),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=7.5,
            color=PALETTE["blue"],
        )
        money_axis(ax, axis="x")
        ax.xaxis.set_major_locator(MaxNLocator(nbins=3, steps=[1, 2, 2.5, 5, 10]))
        ax.set_yticks([])
        ax.grid(False)
        ax.spines["left"].set_visible(False)
        if show_ylabel:
            ax.set_ylabel("Share of paths")
        ax.set_title(
            title or f"{billions(level)} in {fy_label(dist['fiscal_year'])}: {p}",
            fontsize=10,
        )
    return ax


def plot_comparison(
    comparison: Mapping[str, Any],
    *,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Scenarios side by side: fans for up to two, median lines with light 80% bands for more.

    Lines are labelled at their ends (scenario and median in the last year), so there is no
    legend to hunt through.

    Parameters
    ----------
    comparison : mapping
        :func:`simulator.compare.compare_projections` output.
    ax : Axes, optional
    title : str, optional — default: the headline target's chance in each scenario

    Returns
    -------
    Axes
    """
    if ax is None:
        _, ax = new_figure()
    with brief_style():
        scs = comparison["scenarios"]
        fans = len(scs) <= 2
        first = scs[0]
        hist = [h for h in first["history"] if h["fiscal_year"] >= 2016]
        ax.plot(
            [h["fiscal_year"] for h in hist],
            [h["value"] for h in hist],
            color=PALETTE["black"],
            lw=2,
            marker="o",
            ms=3,
        )
        ends: list[tuple[float, str, str]] = []
        last_x = 0
        # The line labels quote the year the title names (the headline target's), not the last.
        head = headline_target(comparison["targets"])
        label_year = int(head["fiscal_year"]) if head is not None else None
        for j, sc in enumerate(scs):
            colour = PALETTE[SERIES_COLOURS[j % len(SERIES_COLOURS)]]
            base = sc["base"]
            xs = [base["fiscal_year"]] + [r["fiscal_year"] for r in sc["years"]]

            def band(key: str, sc: Mapping[str, Any] = sc) -> list[float]:
                return [sc["base"]["value"]] + [r[key] for r in sc["years"]]

            if fans:
                ax.fill_between(xs, band("p10"), band("p90"), color=colour, alpha=0.14, lw=0)
                ax.fill_between(xs, band("p25"), band("p75"), color=colour, alpha=0.22, lw=0)
            else:
                ax.fill_between(xs, band("p10"), band("p90"), color=colour, alpha=0.07, lw=0)
            med = band("p50")
            ax.plot(xs, med, color=colour, lw=2.2)
            year = label_year if label_year is not None and label_year in xs else xs[-1]
            at = med[xs.index(year)]
            ends.append((med[-1], f"{sc['label']}|{fy_label(year)}: {billions(at)}", colour))
            last_x = max(last_x, xs[-1])
        for t in comparison["targets"]:
            if all(r["p_hit"] is None for r in t["results"]):
                continue
            official = _is_official(t)
            c = PALETTE["vermillion"] if official else PALETTE["orange"]
            ax.plot(
                [t["fiscal_year"]],
                [t["value"]],
                marker="D",
                ms=6,
                mec=c,
                mfc=c if official else "white",
                mew=1.6,
                ls="none",
                zorder=5,
            )
            ax.annotate(
                f"{billions(t['value'])} target",
                xy=(t["fiscal_year"], t["value"]),
                xytext=(-8, 0),
                textcoords="offset points",
                ha="right",
                va="center",
                fontsize=7.5,
                color=INK,
            )
        years = [h["fiscal_year"] for h in hist] + [r["fiscal_year"] for r in first["years"]]
        years = sorted(set(years) | {int(last_x)})
        fy_axis(ax, years, max_labels=8)
        money_axis(ax)
        ax.set_ylim(bottom=0)
        # Room on the right, inside the axes, for the line-end labels.
        room = 0.32 * (last_x - years[0] + 1)
        ax.set_xlim(years[0] - 0.4, last_x + room)
        _label_line_ends(ax, ends, last_x)
        ax.set_ylabel("IT exports a year")
        band_text = "50% and 80% of paths" if fans else "80% of paths"
        set_titles(
            ax,
            title or _comparison_title(comparison),
            "Median projection per scenario (labelled: its median in "
            f"{fy_label(label_year) if label_year else 'the last year'}); shaded: where "
            f"{band_text} fall; same random draws in every scenario",
        )
        source_note(ax, source_text(comparison))
    return ax


#: Longest scenario name a chart title quotes whole; longer ones end in an ellipsis.
TITLE_NAME_CHARS = 28


def short_name(name: str, limit: int = TITLE_NAME_CHARS) -> str:
    """A scenario name fit for a title: whole if short, else cut at a word with "…"."""
    if len(name) <= limit:
        return name
    cut = name[: limit - 1].rsplit(" ", 1)[0] if " " in name[: limit - 1] else name[: limit - 1]
    return cut.rstrip(" ,;:-") + "…"


def _comparison_title(comparison: Mapping[str, Any]) -> str:
    head = headline_target(comparison["targets"])
    if head is None:
        return "Projected IT exports by scenario"
    what = f"Chance of reaching {billions(head['value'])} by {fy_label(head['fiscal_year'])}"
    res = [r for r in head["results"] if r["p_hit"] is not None]
    if len(res) <= 2:
        return (
            what
            + ": "
            + ", ".join(
                f"{pct(r['p_hit'], estimate=True)} under {short_name(r['scenario'])}" for r in res
            )
        )
    ps = sorted(r["p_hit"] for r in res)
    return (
        f"{what}: {pct(ps[0], estimate=True)} to {pct(ps[-1], estimate=True)} "
        f"across {len(res)} scenarios"
    )


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


def plot_required_growth(
    required: Mapping[str, Any],
    *,
    ax: Axes | None = None,
    title: str | None = None,
    scenario: str | None = None,
) -> Axes:
    """Growth each target needs a year from the base, against the record.

    Parameters
    ----------
    required : mapping
        :func:`simulator.record.required_growth_summary` output.
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
        rows = required["targets"]
        rec = required["record"]
        n = len(rows)
        ys = list(range(n))[::-1]
        for y, r in zip(ys, rows, strict=True):
            official = _is_official(r)
            c = PALETTE["vermillion"] if official else PALETTE["orange"]
            ax.barh(
                y,
                r["required_cagr"],
                height=0.55,
                color=c if official else "white",
                edgecolor=c,
                lw=1.6,
                hatch=None if official else "///",
            )
            pr = r["progress"][0] if r["progress"] else None
            pace = (
                f"\n{pr['category']} (ratio {pr['ratio']:.2f})"
                if pr and pr["ratio"] is not None
                else ""
            )
            ax.annotate(
                f"{growth_pct(r['required_cagr'])} a year for {r['years']} "
                f"year{'s' if r['years'] != 1 else ''}{pace}",
                xy=(r["required_cagr"], y),
                xytext=(5, 0),
                textcoords="offset points",
                ha="left",
                va="center",
                fontsize=8,
                color=INK,
            )
        styles = ("-", "--", ":")
        ranked = sorted(rec["windows"], key=lambda w: w["cagr"])
        for k, w in enumerate(rec["windows"]):
            # The lowest line's label goes to its left, the others' to their right.
            left = w is ranked[0] and len(ranked) > 1
            ax.axvline(w["cagr"], color=INK, lw=1.2, ls=styles[k % 3], zorder=4)
            ax.annotate(
                f"{w['label']}\n{growth_pct(w['cagr'])} a year",
                xy=(w["cagr"], 1),
                xycoords=("data", "axes fraction"),
                xytext=(-3 if left else 3, -2),
                textcoords="offset points",
                ha="right" if left else "left",
                va="top",
                fontsize=7.5,
                color=INK,
            )
        best = rec["best_year"]
        ax.axvline(best["growth"], color=PALETTE["grey"], lw=1, ls=":", zorder=4)
        ax.annotate(
            f"best year\n{fy_label(best['fiscal_year'])} {growth_pct(best['growth'], 0)}",
            xy=(best["growth"], 1),
            xycoords=("data", "axes fraction"),
            xytext=(-3, -2),
            textcoords="offset points",
            ha="right",
            va="top",
            fontsize=7.5,
            color=PALETTE["grey"],
        )
        ax.set_yticks(ys)
        ax.set_yticklabels([_target_label(r).replace(" (", "\n(") for r in rows])
        ax.set_ylim(-0.6, n - 0.4 + 0.7)
        xmax = max([r["required_cagr"] for r in rows] + [best["growth"]])
        ax.set_xlim(0, xmax * 1.5)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:.0%}"))
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)
        ax.set_xlabel("Constant annual growth needed from the base (compound)")
        base = required["base"]
        if title is None:
            needs = [r["required_cagr"] for r in rows]
            w0 = rec["windows"][0]
            span = (
                (f"{min(needs):.0%}\u2013{max(needs):.0%}" if len(needs) > 1 else f"{needs[0]:.0%}")
                if needs
                else "n/a"
            )
            title = f"Targets need {span} growth a year; {w0['label']} averaged {w0['cagr']:.0%}"
        w0 = rec["windows"][0]["label"]
        set_titles(
            ax,
            title,
            f"From {fy_label(base['fiscal_year'])} = {billions(base['value'])}. Lines: the record "
            f"(compound annual growth) and the best single year. Ratio: {w0} growth / growth "
            "needed (UN SDG progress method; on track from 0.95, acceleration needed 0.6-0.95)",
            width=80,
            title_width=50,
        )
        source_note(ax, data_source_text(scenario=scenario))
    return ax


def plot_track_record(
    track: Mapping[str, Any],
    history: Sequence[Mapping[str, Any]],
    *,
    ax: Axes | None = None,
    title: str | None = None,
    scenario: str | None = None,
) -> Axes:
    """Past official targets against what the year actually brought.

    Parameters
    ----------
    track : mapping
        :func:`simulator.record.track_record_summary` output.
    history : sequence of {fiscal_year, value}
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
        hx = [h["fiscal_year"] for h in history]
        hy = [h["value"] for h in history]
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
        for t in track["targets"]:
            x, tv, av = t["fiscal_year"], t["value"], t["actual"]
            c = green if t["hit"] else red
            ax.plot([x, x], [av, tv], color=c, lw=1.2, ls=":", zorder=2)
            ax.plot([x], [tv], marker="D", ms=7, mec=c, mfc="white", mew=1.8, ls="none", zorder=4)
            verdict = "met" if t["hit"] else f"missed by {abs(t['gap']):.0%}"
            stated = t["date_stated"][:4]
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
        top = max(hy + [t["value"] for t in track["targets"]])
        ax.set_ylim(0, top * 1.3)
        ax.set_xlim(hx[0] - 0.5, hx[-1] + 1.1)
        ax.set_ylabel("IT exports a year")
        set_titles(
            ax,
            title
            or f"Official IT-export targets met since 2016: {track['met']} of {track['total']}",
            "Hollow diamonds: official targets for a fiscal year, at the level announced; "
            "dotted: gap to the actual",
        )
        source_note(
            ax,
            "Targets: official statements via press reports (targets_and_projections.csv). "
            + data_source_text(scenario=scenario),
        )
    return ax


#: Most inputs a tornado chart shows; the rest (the smallest spans) are counted in a note.
TORNADO_MAX_BARS = 12


def _p_label(p: float) -> str:
    """A Monte Carlo P(hit) for a bar label: one decimal below 10%, so small swings show."""
    if p == 0:
        return "<0.1%"
    if p == 1:
        return ">99.9%"
    return f"{p:.1%}" if p < 0.1 else f"{p:.0%}"


def _tornado_label(label: str) -> str:
    """ "Growth FY28–FY30 (mean 17%): ±8 pts" → "Growth FY28–FY30" over "mean 17%: ±8 pts"."""
    import re

    m = re.fullmatch(r"(.*?)(?: \((.*)\))?: (.*)", label)
    if m is None:
        return textwrap.fill(label, 36)
    what, paren, swing = m.groups()
    return textwrap.fill(what, 36) + "\n" + (f"{paren}: {swing}" if paren else swing)


def plot_tornado(
    result: Mapping[str, Any],
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
    result : mapping
        ``sensitivity.json`` (:meth:`simulator.sensitivity.SensitivityResult.as_dict`).
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
    t = next(
        (x for x in result["targets"] if target in (x["name"], x["fiscal_year"])),
        None,
    )
    if t is None:
        raise KeyError(f"no target {target!r} in the sensitivity result")
    name = t["name"]
    if ax is None:
        _, ax = new_figure()
    with brief_style():
        rows = list(result["inputs"])
        if name != result["headline_target"]:
            rows.sort(key=lambda r: -r["span"][name])
        hidden = len(rows) - TORNADO_MAX_BARS
        rows = rows[:TORNADO_MAX_BARS]
        base = result["base"]["p_hit"][name]
        n = len(rows)
        ys = list(range(n))[::-1]
        lows = [r["low"]["p_hit"][name] for r in rows]
        highs = [r["high"]["p_hit"][name] for r in rows]
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
                text = f"{r[f'{side}_setting']}: {_p_label(p)}"
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
        ax.set_yticklabels([_tornado_label(r["label"]) for r in rows], fontsize=8)
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
            f"Chance of reaching {billions(t['value'])} by {fy_label(t['fiscal_year'])} (P(hit))"
        )
        note = f"; {hidden} smaller not shown" if hidden > 0 else ""
        set_titles(
            ax,
            title
            or f"What moves the chance of {billions(t['value'])} by {fy_label(t['fiscal_year'])}",
            "Light bars: an input set low; dark: set high; every other input as in the "
            f"scenario, on the same random draws. Sorted by effect{note}",
            width=64,
            title_width=44,
        )
        source_note(ax, source_text(result))
    return ax
