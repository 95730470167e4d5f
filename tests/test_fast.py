"""The one-pass per-year statistics are NumPy's, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.stats.fast import column_stats
from simulator.stats.summary import QUANTILES
from simulator.stats.targets import first_crossing


@pytest.mark.parametrize("n", [1, 2, 3, 10, 1001, 4096])
@pytest.mark.parametrize("order", ["C", "F"])
def test_equals_numpy(n: int, order: str) -> None:
    gen = np.random.default_rng(n)
    values = np.asarray(3000 + 500 * gen.standard_normal((n, 5)), order=order)
    values[: n // 3, 2] = 4000.0  # ties
    stats = column_stats(values, QUANTILES, threads=2)
    np.testing.assert_array_equal(stats.quantiles, np.quantile(values, QUANTILES, axis=0))
    np.testing.assert_array_equal(stats.median, np.median(values, axis=0))
    np.testing.assert_array_equal(stats.mean, values.mean(axis=0))


def test_first_crossing_equals_the_accumulated_indicator() -> None:
    gen = np.random.default_rng(3)
    values = np.cumsum(gen.standard_normal((2000, 5)), axis=1)
    years = np.arange(2026, 2031)
    crossed = np.logical_or.accumulate(values >= 1.5, axis=1).mean(axis=0)
    by_year = first_crossing(values, years, 1.5, known={2: values[:, 2] >= 1.5})
    assert list(by_year.values()) == [float(p) for p in crossed]
