"""Backtest charts: how past forecasts fared against what happened (PIT histograms)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from simulator.plotting.style import PALETTE, new_figure, set_titles


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
