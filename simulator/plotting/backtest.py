"""Backtest charts: how past forecasts fared against what happened (coverage, PIT histograms)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from simulator.plotting.style import PALETTE, new_figure, set_titles

if TYPE_CHECKING:
    from simulator.questions.backtest import RecordBacktest


def plot_pit(pits: Sequence[float] | Any, *, bins: int = 10, ax: Axes | None = None) -> Axes:
    """Histogram of probability integral transforms (PIT) of a backtest, against uniform.

    A calibrated forecast's PIT values are uniform on [0, 1] (Dawid 1984; Gneiting, Balabdaoui
    & Raftery 2007): a U shape says the bands are too narrow, a hump that they are too wide, a
    slope that the centre is biased.

    Parameters
    ----------
    pits : sequence of float
        PIT values in [0, 1], one per scored forecast.
    bins : int
        Equal-width bins on [0, 1].
    ax : Axes, optional
        Drawn on a new brief-sized figure if omitted.

    Returns
    -------
    Axes
    """
    if ax is None:
        _, ax = new_figure()
    values = np.asarray(pits, dtype=np.float64)
    n = values.size
    edges = [i / bins for i in range(bins + 1)]
    ax.hist(values, bins=edges, color=PALETTE["blue"], alpha=0.8)
    ax.axhline(n / bins, color=PALETTE["grey"], linestyle="--", linewidth=1.0)
    ax.set_xlim(0.0, 1.0)
    ax.set_xlabel("PIT: share of simulated totals at or below the actual")
    ax.set_ylabel("forecasts")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    set_titles(
        ax,
        "Nowcast PIT, real-time replay",
        f"{n} forecasts (years × months observed); dashed: what a calibrated forecast expects",
    )
    return ax


def plot_backtest_coverage(backtest: RecordBacktest, *, ax: Axes | None = None) -> Axes:
    """Coverage of each central band against its nominal level, with Clopper–Pearson bars.

    Parameters
    ----------
    backtest : RecordBacktest — its pooled ``coverage`` (level, rate and the Clopper–Pearson
        interval, fractions)
    """
    if ax is None:
        _, ax = new_figure()
    cov = backtest.coverage
    levels = [100 * c.level for c in cov]
    rates = [100 * c.rate for c in cov]
    lo = [100 * (c.rate - c.ci_low) for c in cov]
    hi = [100 * (c.ci_high - c.rate) for c in cov]
    ax.plot([0, 100], [0, 100], color=PALETTE["grey"], lw=1, ls="--", label="nominal")
    ax.errorbar(
        levels,
        rates,
        yerr=[lo, hi],
        fmt="o",
        color=PALETTE["blue"],
        capsize=4,
        label="held (Clopper–Pearson 95%)",
    )
    for x, y, c in zip(levels, rates, cov, strict=True):
        ax.annotate(
            f"{c.hits}/{c.n}", (x, y), xytext=(6, -3), textcoords="offset points", fontsize=8
        )
    ax.set_xlim(30, 100)
    ax.set_ylim(0, 100)
    ax.set_xlabel("Band (nominal %)")
    ax.set_ylabel("Outcomes inside (%)")
    ax.set_title("Band coverage")
    ax.legend(loc="lower right")  # the upper left is where the nominal line runs
    return ax


def plot_pit_histogram(
    pits: Sequence[float], *, ax: Axes | None = None, bins: int = 5, title: str = ""
) -> Axes:
    """Histogram of PIT values on [0, 1]; a calibrated forecaster's is flat (dashed line)."""
    if ax is None:
        _, ax = new_figure()
    edges = [float(x) for x in np.linspace(0.0, 1.0, bins + 1)]
    counts, _, _ = ax.hist(list(pits), bins=edges, color=PALETTE["sky"], edgecolor="white")
    flat = len(pits) / bins
    ax.axhline(flat, color=PALETTE["grey"], lw=1, ls="--", label="flat (calibrated)")
    ax.set_xlim(0, 1)
    # Headroom above the tallest bar, so the legend at the top never sits on a bar.
    ax.set_ylim(0, 1.35 * max(float(np.max(counts, initial=0.0)), flat, 1.0))
    ax.set_xlabel("PIT of the one-year-ahead outcome")
    ax.set_ylabel("Forecasts")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title or f"PIT, {len(pits)} one-year-ahead forecasts")
    ax.legend(loc="upper left")
    return ax
