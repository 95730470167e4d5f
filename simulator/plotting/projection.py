"""Charts of one projection: the fan chart, the current year by month, the chance of each
target, and the distribution in each target year. Plot functions only draw: they take the
statistics the library computed and an optional ``ax``, and return the Axes.
"""

from __future__ import annotations

import itertools
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.text import Annotation
from matplotlib.ticker import FuncFormatter, MaxNLocator

from simulator.plotting.labels import lift_clear, marker_label
from simulator.plotting.style import (
    BANDS,
    INK,
    PALETTE,
    SERIES_COLOURS,
    brief_style,
    fy_axis,
    mark_target,
    money_axis,
    new_figure,
    prob_axis,
    set_titles,
    source_note,
    source_text,
    target_label,
    target_outcome,
)
from simulator.present.text import (
    billions,
    chance_text,
    fy_label,
    hit_text,
    money,
    month_short,
    months_text,
    probability_text,
    short_name,
)
from simulator.scenario.schema import is_official_kind
from simulator.stats.chart_data import SamplePaths, TargetDistribution
from simulator.stats.summary import (
    Summary,
    TargetStats,
    headline_of,
)

if TYPE_CHECKING:
    from simulator.questions.compare import Comparison


def plot_fan(
    summary: Summary,
    *,
    ax: Axes | None = None,
    log_scale: bool = False,
    title: str | None = None,
    samples: SamplePaths | None = None,
) -> Axes:
    """Fan chart: actuals, nested 5–95 / 10–90 / 25–75 bands, the median and the targets.

    After the Bank of England fan chart (Britton, Fisher and Whitley 1998, BoE Quarterly
    Bulletin 38: 30–37); the bands are central ranges of the simulated paths (:data:`BANDS`).

    Parameters
    ----------
    summary : Summary
        ``Projection.summary()`` (a ``summary.json`` object: :meth:`Summary.from_dict`).
    ax : Axes, optional
    log_scale : bool
        Plot on a log axis (constant growth becomes a straight line).
    title : str, optional
        Default: the chance of the headline target, in words.
    samples : SamplePaths, optional
        Sample paths (USD million) to draw as thin lines over the fan (a spaghetti plot);
        ``ChartData.sample_paths``.

    Returns
    -------
    Axes
    """
    s = summary
    if ax is None:
        _, ax = new_figure()
    with brief_style():
        hist = [h for h in s.history if h.fiscal_year >= 2016]
        hx = [h.fiscal_year for h in hist]
        hy = [h.value for h in hist]
        base = s.base
        px = [base.fiscal_year] + [r.fiscal_year for r in s.years]

        def band(key: str) -> list[float]:
            return [base.value] + [r.quantile(key) for r in s.years]

        blue = PALETTE["blue"]
        for i, (share, lo, hi, alpha) in enumerate(BANDS):
            label = f"{share:.0%} of paths" if i == 0 else f"{share:.0%}"
            ax.fill_between(px, band(lo), band(hi), color=blue, alpha=alpha, lw=0, label=label)
        spaghetti: list[Line2D] = []
        if samples is not None:
            sx = [base.fiscal_year, *samples.fiscal_years]
            for i, path in enumerate(samples.values):
                spaghetti += ax.plot(
                    sx,
                    [base.value, *path],
                    color=PALETTE["grey"],
                    lw=0.5,
                    alpha=0.45,
                    zorder=2,
                    label="Sample paths" if i == 0 else "_nolegend_",
                )
        ax.plot(px, band("p50"), color=blue, lw=2.2, label="Median projection", zorder=3)
        ax.plot(hx, hy, color=PALETTE["black"], lw=2, marker="o", ms=3.5, label="Actual (SBP)")
        target_labels = _mark_targets(ax, s.targets)
        fy_axis(ax, hx + px[1:])
        money_axis(ax, log_scale=log_scale)
        if not log_scale:
            ax.set_ylim(bottom=0)
        ax.set_xlim(min(hx + px) - 0.4, max(px) + 0.6)
        ax.set_ylabel("IT exports a year (US$, log scale)" if log_scale else "IT exports a year")
        head = s.headline
        others = [t for t in s.targets if t is not head and t.p_hit is not None]
        shares = ", ".join(f"{b[0]:.0%}" for b in BANDS[:-1]) + f" and {BANDS[-1][0]:.0%}"
        sub = f"Actual and projected IT exports; shaded: where {shares} of paths fall"
        if others:
            sub += ". Also: " + "; ".join(
                f"{target_label(t)} {target_outcome(t).removeprefix('P(hit) ')}" for t in others
            )
        set_titles(ax, title or _fan_title(s), sub)
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
        source_note(ax, source_text(s))
        _clear_target_labels(ax, target_labels, skip=spaghetti)
    return ax


def _clear_target_labels(ax: Axes, labels: Sequence[Annotation], *, skip: Sequence[Artist]) -> None:
    """Lift each target label off the actual line, the median, the bands, the other labels and
    the legend (the $5B label sat on the FY25 actual and the band's edge), once the layout is
    final. Thin sample paths are drawn over everything and are not avoided."""
    fig = ax.get_figure(root=True)
    if fig is None:
        return
    fig.draw_without_rendering()
    data = [a for a in (*ax.lines, *ax.collections) if a not in skip]
    legend = ax.get_legend()
    placed: list[Artist] = [] if legend is None else [legend]
    for label in labels:
        lift_clear(ax, label, [*data, *placed])
        placed.append(label)


def _fan_title(s: Summary) -> str:
    head = s.headline
    if head is None or head.p_hit is None:
        return f"{short_name(s.scenario.name)}: projected IT exports"
    return (
        f"Chance of reaching {billions(head.value)} by {fy_label(head.fiscal_year)}: "
        f"{hit_text(head)}"
    )


def _mark_targets(ax: Axes, targets: Sequence[TargetStats]) -> list[Annotation]:
    """Diamonds at the targets: filled for official targets, hollow for other kinds; returns
    their labels (left of each diamond, with a leader line shown only if a label is lifted)."""
    labels = []
    for t in targets:
        if t.p_hit is None:
            continue
        official = t.official
        x, y = t.fiscal_year, t.value
        mark_target(ax, x, y, official=official, size=7, edge=1.8)
        kind = "" if official else f"\n({t.kind})"
        label = f"{billions(y)} target{kind}\n{target_outcome(t)}"
        # Placed inside the plot by _clear_target_labels.
        ann = marker_label(ax, label, (x, y), offset=(-9, 0), gap=6)
        labels.append(ann)
    return labels


def plot_current_year(summary: Summary, *, ax: Axes | None = None) -> Axes:
    """Current-year monthly chart: last year's months, this year's so far, the rest as bands.

    Shows last fiscal year's months (grey), the months reported this year (black), the
    remaining months' median with the :data:`BANDS` ranges, and the monthly run-rate each
    target in this fiscal year needs for the remaining months (dashed).

    Parameters
    ----------
    summary : Summary
        With a ``current_year``.
    ax : Axes, optional

    Returns
    -------
    Axes
    """
    s = summary
    cy = s.current_year
    if cy is None:
        raise ValueError("the summary has no current year (no month of it is reported)")
    if ax is None:
        _, ax = new_figure()
    k = cy.months_observed
    with brief_style():
        x = list(range(12))
        ax.plot(
            x,
            list(cy.last_year),
            color=PALETTE["grey"],
            lw=1.5,
            marker="o",
            ms=3,
            label=f"{fy_label(cy.fiscal_year - 1)} (last year)",
        )
        rx = x[k:]
        blue = PALETTE["blue"]
        for share, lo, hi, alpha in BANDS:
            ax.fill_between(
                rx,
                [r.quantile(lo) for r in cy.remaining],
                [r.quantile(hi) for r in cy.remaining],
                color=blue,
                alpha=alpha,
                lw=0,
                label=f"{share:.0%} range",
                step=None,
            )
        ax.plot(
            rx,
            [r.p50 for r in cy.remaining],
            color=blue,
            lw=2,
            marker="o",
            ms=3,
            label="Median projection",
        )
        ax.plot(
            x[:k],
            [r.value for r in cy.observed],
            color=PALETTE["black"],
            lw=2.2,
            marker="o",
            ms=4,
            label=f"{fy_label(cy.fiscal_year)} reported",
        )
        need_labels: list[Annotation] = []
        for need in cy.needed_run_rate:
            ax.hlines(
                need.per_month,
                rx[0] - 0.3,
                rx[-1] + 0.3,
                colors=PALETTE["vermillion"],
                linestyles="--",
                lw=1.5,
            )
            # Named at the line's start, left of the bands (above them it sat on the 90% range).
            need_labels.append(
                ax.annotate(
                    f"Needed for {billions(need.value)}: {money(need.per_month)} a month",
                    xy=(rx[0] - 0.3, need.per_month),
                    xytext=(-4, 0),
                    textcoords="offset points",
                    ha="right",
                    va="center",
                    fontsize=8,
                    color=PALETTE["vermillion"],
                    fontweight="bold",
                )
            )
        ax.set_xticks(x)
        ax.set_xticklabels([month_short(m) for m in cy.months])
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: money(v)))
        ax.set_ylabel("IT exports per month (US$)")
        fy = fy_label(cy.fiscal_year)
        ax.set_title(
            f"{fy}: {months_text(k)} reported, full year heading for {billions(cy.full_year.p50)}"
        )
        ax.legend(loc="lower left", ncols=3)
        source_note(ax, source_text(s))
        fig = ax.get_figure(root=True)
        if need_labels and fig is not None:
            fig.draw_without_rendering()
            legend = ax.get_legend()
            placed: list[Artist] = [] if legend is None else [legend]
            for label in need_labels:
                label.set_in_layout(False)
                lift_clear(ax, label, [*ax.collections, *ax.lines, *placed])
                placed.append(label)
    return ax


@dataclass(frozen=True)
class ScenarioShare:
    """One scenario's P(hit) of a target, as a probability chart draws it: the share, its 95%
    simulation interval, and (a share of plain paths) its hits of paths."""

    scenario: str
    p_hit: float | None
    p_hit_sim_error: tuple[float, float] | None
    hits: int | None = None
    paths: int | None = None

    @property
    def text(self) -> str:
        """The share as labels quote it (its bound when 0 or all paths hit)."""
        return probability_text(self.p_hit, estimate=True, hits=self.hits, paths=self.paths)


@dataclass(frozen=True)
class TargetGroup:
    """One target and its share in each scenario: a group of bars on a probability chart."""

    name: str
    fiscal_year: int
    value: float
    kind: str
    results: tuple[ScenarioShare, ...]
    projected: bool = True

    @property
    def official(self) -> bool:
        """Whether this is an official (government) target."""
        return is_official_kind(self.kind)


def targets_as_groups(summary: Summary, label: str | None = None) -> list[TargetGroup]:
    """A run's projected targets as :func:`plot_target_probabilities` groups (one scenario)."""
    s = summary
    name = label or s.scenario.name
    groups = []
    for t in s.targets:
        if not t.projected:
            continue
        bound = t.p_hit_bound if t.estimator == "paths" else None
        share = ScenarioShare(
            scenario=name,
            p_hit=t.p_hit,
            p_hit_sim_error=t.p_hit_sim_error,
            hits=None if bound is None else bound.hits,
            paths=None if bound is None else bound.paths,
        )
        groups.append(TargetGroup(t.name, t.fiscal_year, t.value, t.kind, (share,)))
    return groups


def comparison_groups(comparison: Comparison) -> list[TargetGroup]:
    """The targets of a ``compare_projections`` result as probability-chart groups."""
    return [
        TargetGroup(
            t.name,
            t.fiscal_year,
            t.value,
            t.kind,
            tuple(
                ScenarioShare(r.scenario, r.p_hit, r.p_hit_sim_error, r.hits, r.paths)
                for r in t.results
            ),
        )
        for t in comparison.targets
    ]


def plot_target_probabilities(
    groups: Sequence[TargetGroup],
    *,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """Bars of P(hit) per target with simulation-error whiskers (Wilson 95%); one group per target.

    Parameters
    ----------
    groups : sequence of TargetGroup
        One per target (:func:`targets_as_groups` for one run, :func:`comparison_groups` for a
        comparison). Results with ``p_hit`` None are skipped.
    ax : Axes, optional
    title, source : str, optional — headline and source note

    Returns
    -------
    Axes
    """
    gs = list(groups)
    if ax is None:
        _, ax = new_figure()
    with brief_style():
        scenarios = list(dict.fromkeys(r.scenario for g in gs for r in g.results))
        k = max(1, len(scenarios))
        width = min(0.7 / k, 0.32)
        for j, name in enumerate(scenarios):
            colour = PALETTE[SERIES_COLOURS[j % len(SERIES_COLOURS)]]
            for i, g in enumerate(gs):
                r = next((r for r in g.results if r.scenario == name), None)
                if r is None or r.p_hit is None or r.p_hit_sim_error is None:
                    continue
                x = i + (j - (k - 1) / 2) * width
                p = r.p_hit
                lo, hi = r.p_hit_sim_error
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
                labels = {r2.text for r2 in g.results}
                if len(labels) == 1 and k > 1:
                    # Every scenario rounds to the same label: say it once, above the group.
                    if j == 0:
                        top = max(r2.p_hit_sim_error[1] for r2 in g.results if r2.p_hit_sim_error)
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
                    r.text,
                    xy=(x, hi),
                    xytext=(0, 3),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    fontsize=8.5 if k <= 3 else 7,
                    fontweight="bold",
                    color=INK,
                )
        ax.set_xticks(range(len(gs)))
        ax.set_xticklabels([target_label(g).replace(" (", "\n(") for g in gs])
        ax.set_xlim(-0.6, len(gs) - 0.4)
        prob_axis(
            ax,
            max(
                [r.p_hit_sim_error[1] for g in gs for r in g.results if r.p_hit_sim_error] or [0.0]
            ),
        )
        ax.set_ylabel("Chance of reaching the target")
        ax.grid(axis="x", visible=False)
        if title is None:
            head = headline_of(gs)
            if head is None:
                title = "Chance of reaching each target"
            elif k == 1:
                title = (
                    f"Chance of reaching {billions(head.value)} by "
                    f"{fy_label(head.fiscal_year)}: {head.results[0].text}"
                )
            else:
                title = "Chance of reaching each target, by scenario"
        set_titles(
            ax,
            title,
            "Bars: share of simulated paths at or above the target; "
            "whiskers: simulation error (Wilson 95% interval of the Monte Carlo error)",
        )
        if k > 1:
            ax.legend(loc="upper right", ncols=1)
        if source:
            source_note(ax, source)
    return ax


#: Characters a line of a target-distribution panel's title or label holds.
PANEL_CHARS = 22


def plot_target_distribution(
    dist: TargetDistribution,
    *,
    target: TargetStats | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    show_ylabel: bool = True,
) -> Axes:
    """Distribution of the total in one target year: histogram, target line, mass above shaded.

    Parameters
    ----------
    dist : TargetDistribution
        ``ChartData.distributions`` entry (``edges``, ``density``, ``value``, ``p_hit``,
        ``p50``; USD million).
    target : TargetStats, optional
        The target's statistics: the label quotes its P(hit) (importance-sampled for a rare
        target), as the table does; without it, the plain share of paths the bars show.
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
        edges = dist.edges
        dens = dist.density
        level = dist.value
        lefts, widths = list(edges[:-1]), [b - a for a, b in itertools.pairwise(edges)]
        colours = [PALETTE["vermillion"] if a >= level else PALETTE["sky"] for a in lefts]
        ax.bar(lefts, dens, width=widths, align="edge", color=colours, lw=0)
        ax.axvline(level, color=INK, lw=1.4, ls="--")
        top = max(dens) if dens else 1.0
        ax.set_ylim(0, top * 1.55)
        p = hit_text(target) if target is not None else chance_text(dist.p_hit)
        right_half = level > (edges[0] + edges[-1]) / 2
        # A panel is a third of the figure: a long P(hit) (a bound, "above 99.85% (95% lower
        # bound, 2,000 of 2,000 paths)") wraps, or the layout collapses the panel.
        ax.annotate(
            f"{billions(level)} target\n" + textwrap.fill(f"P(hit) {p}", PANEL_CHARS),
            xy=(level, top * 1.52),
            xytext=(-4 if right_half else 4, 0),
            textcoords="offset points",
            ha="right" if right_half else "left",
            va="top",
            fontsize=8,
            fontweight="bold",
            color=INK,
        )
        ax.axvline(dist.p50, color=PALETTE["blue"], lw=1.2, ymax=1.2 / 1.55)
        median = ax.annotate(
            f"median {billions(dist.p50)}",
            xy=(dist.p50, top * 1.2),
            xytext=(0, 2),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=7.5,
            color=PALETTE["blue"],
        )
        # Centred over its line unless it would cross the target line ($4.7B against $5B):
        # then it runs from the median line away from the target.
        box = median.get_window_extent()
        line_x = ax.transData.transform((level, 0))[0]
        if box.x0 - 4 <= line_x <= box.x1 + 4:
            median.set_horizontalalignment("right" if dist.p50 < level else "left")
        money_axis(ax, axis="x")
        ax.xaxis.set_major_locator(MaxNLocator(nbins=3, steps=[1, 2, 2.5, 5, 10]))
        ax.set_yticks([])
        ax.grid(False)
        ax.spines["left"].set_visible(False)
        if show_ylabel:
            ax.set_ylabel("Share of paths")
        # A bound's explanation ("(95% lower bound, 2,000 of 2,000 paths)") is in the label.
        short = p.split(" (", 1)[0]
        ax.set_title(
            textwrap.fill(
                title or f"{billions(level)} in {fy_label(dist.fiscal_year)}: {short}",
                PANEL_CHARS,
            ),
            fontsize=10,
        )
    return ax
