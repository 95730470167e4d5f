"""The current fiscal year's statistics: the months reported, the months to come, the run-rate
each target of the year needs (:class:`~simulator.stats.summary.CurrentYearStats`).

Built from the nowcast's arrays (``plan.current`` and the simulated remaining months); this
module reads no file and fits nothing. Money is USD million.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from simulator.fiscal import month_label
from simulator.scenario.schema import Target
from simulator.stats.summary import (
    WIDE_QUANTILE_NAMES,
    WIDE_QUANTILES,
    CurrentYearStats,
    FullYear,
    NeededRunRate,
    ObservedMonth,
    RemainingMonth,
)

if TYPE_CHECKING:
    from simulator.engine.seasonal import CurrentYear


@dataclass(frozen=True)
class RunRate:
    """What the months still to come must make for a year to reach a target.

    Attributes
    ----------
    months_left : int
    per_month : float — the average the rest must make, USD million a month
    last_year_per_month : float — the same months a year earlier, on average (USD million)
    growth : float — the rest's growth on the same months a year earlier, fraction
    """

    months_left: int
    per_month: float
    last_year_per_month: float
    growth: float


def run_rate(target: float, observed: float, last_year_rest: NDArray[np.float64]) -> RunRate:
    """The run-rate a year's total of ``target`` needs: ``(target - observed) / months left``,
    against the same months a year earlier (``last_year_rest``, USD million, one per month
    still to come). The one rule of the summary's ``needed_run_rate`` and of
    ``required-growth``'s remaining months.

    Examples
    --------
    >>> r = run_rate(5000.0, 1443.0, np.full(8, 325.0))
    >>> round(r.per_month, 1), round(r.growth, 3)
    (444.6, 0.368)
    """
    left = len(last_year_rest)
    rest = target - observed
    return RunRate(
        months_left=left,
        per_month=rest / left,
        last_year_per_month=float(last_year_rest.mean()),
        growth=rest / float(last_year_rest.sum()) - 1.0,
    )


def current_year_stats(
    cy: CurrentYear,
    remaining: NDArray[np.float64],
    totals: NDArray[np.float64],
    targets: Sequence[Target],
) -> CurrentYearStats:
    """The ``current_year`` block of a summary.

    Parameters
    ----------
    cy : CurrentYear
        What the actuals say about the year (``plan.current``).
    remaining : ndarray, shape (12 - k, m) — simulated remaining months for a sample of
        ``m`` paths, USD million
    totals : ndarray, shape (paths,) — the year's simulated totals, USD million
    targets : the targets on the total; those in this fiscal year get a needed run-rate

    Returns
    -------
    CurrentYearStats
    """
    k = cy.months_observed
    labels = [month_label(cy.fiscal_year, m) for m in range(1, 13)]
    month_q = (
        np.quantile(remaining, WIDE_QUANTILES, axis=1)
        if remaining.size
        else np.empty((len(WIDE_QUANTILES), 0))
    )
    full_q = np.quantile(totals, WIDE_QUANTILES)

    def named(row: NDArray[np.float64]) -> dict[str, float]:
        return {n: float(v) for n, v in zip(WIDE_QUANTILE_NAMES, row, strict=True)}

    return CurrentYearStats(
        fiscal_year=cy.fiscal_year,
        months_observed=k,
        observed_total=cy.observed_total,
        ytd_growth=cy.ytd_growth,
        last_year_total=cy.last_year_total,
        observed=tuple(
            ObservedMonth(
                month=labels[i], value=float(cy.observed[i]), last_year=float(cy.last_year[i])
            )
            for i in range(k)
        ),
        remaining=tuple(
            RemainingMonth(
                month=labels[k + i], last_year=float(cy.last_year[k + i]), **named(month_q[:, i])
            )
            for i in range(12 - k)
        ),
        remaining_sample_paths=int(remaining.shape[1]),
        full_year=FullYear(mean=float(totals.mean()), **named(full_q)),
        needed_run_rate=tuple(
            NeededRunRate(
                name=t.name,
                value=t.value,
                per_month=rate.per_month,
                last_year_per_month=rate.last_year_per_month,
            )
            for t in targets
            if t.fiscal_year == cy.fiscal_year and k < 12
            for rate in [run_rate(t.value, cy.observed_total, cy.last_year[k:])]
        ),
    )
