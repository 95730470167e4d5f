"""The current-year monthly chart draws what the summary says."""

from __future__ import annotations

from pathlib import Path

import pytest
from matplotlib.collections import LineCollection, PolyCollection

from simulator.engine.runs import simulate
from simulator.plotting.projection import plot_current_year
from simulator.plotting.style import new_figure
from simulator.scenario.loader import load_scenario
from simulator.stats.summary import Summary


@pytest.fixture(scope="module")
def summary() -> dict[str, object]:
    return (
        simulate(load_scenario(Path("scenarios/baseline.yaml")), paths=5000, seed=1)
        .summary()
        .to_dict()
    )


def test_current_year_chart_artists(summary: dict[str, object]) -> None:
    _fig, ax = new_figure()
    out = plot_current_year(Summary.from_dict(summary), ax=ax)
    assert out is ax
    cy = summary["current_year"]
    assert isinstance(cy, dict)
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels[0] == "Jul\n2025" and labels[4] == "Nov" and len(labels) == 12
    reported = next(ln for ln in ax.get_lines() if ln.get_label() == "FY26 reported")
    assert list(reported.get_ydata()) == [354, 337, 366, 386]
    median = next(ln for ln in ax.get_lines() if ln.get_label() == "Median projection")
    assert list(median.get_ydata()) == [r["p50"] for r in cy["remaining"]]
    assert len([c for c in ax.collections if isinstance(c, PolyCollection)]) == 3
    needed = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert len(needed) == 1
    texts = [t.get_text() for t in ax.texts]
    assert any("Needed for $5B: $445M a month" in t for t in texts)
    assert ax.get_title(loc="left").startswith("FY26: 4 months reported, full year heading for $")
    # The source note names the scenario first, then the source.
    assert any(
        t.startswith("Scenario: Baseline momentum.") and "Source: SBP via press reports" in t
        for t in texts
    )
