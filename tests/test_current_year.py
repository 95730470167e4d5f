"""The current year's typed statistics (simulator/stats/current_year.py), on the shipped data."""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from simulator.fiscal import month_label
from simulator.stats.summary import WIDE_QUANTILE_NAMES, CurrentYearStats


def test_the_current_year_is_typed_and_built_from_the_nowcast(baseline_run: Any) -> None:
    cy = baseline_run.summary().current_year
    current = baseline_run.plan.current
    assert isinstance(cy, CurrentYearStats)
    k = current.months_observed
    assert cy.fiscal_year == current.fiscal_year and cy.months_observed == k
    assert [m.value for m in cy.observed] == current.observed.tolist()
    assert list(cy.last_year) == current.last_year.tolist()
    assert cy.months == tuple(month_label(cy.fiscal_year, m) for m in range(1, 13))
    assert len(cy.remaining) == 12 - k
    for row in (*cy.remaining, cy.full_year):
        qs = [row.quantile(n) for n in WIDE_QUANTILE_NAMES]
        assert qs == sorted(qs)
    # The full year is the reported months plus the simulated rest: its median is the year's.
    assert cy.full_year.p50 == float(np.quantile(baseline_run.values[:, 0], 0.5))
    (need,) = [n for n in cy.needed_run_rate if n.name.endswith("FY26")]
    assert need.per_month == (need.value - cy.observed_total) / (12 - k)


def test_its_json_keeps_the_block_summary_json_has_always_had(baseline_run: Any) -> None:
    block = baseline_run.summary().to_dict()["current_year"]
    assert list(block) == [
        "fiscal_year",
        "months_observed",
        "observed_total",
        "ytd_growth",
        "last_year_total",
        "observed",
        "remaining",
        "remaining_sample_paths",
        "full_year",
        "needed_run_rate",
    ]
    assert list(block["remaining"][0]) == ["month", "last_year", *WIDE_QUANTILE_NAMES]
    assert list(block["full_year"]) == ["mean", *WIDE_QUANTILE_NAMES]
    json.dumps(block, allow_nan=False)
