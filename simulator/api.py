"""The public entry point: a projection that carries the backtest of its method.

:func:`simulate` is :func:`simulator.engine.runs.simulate` plus the ``calibration`` block
(how the growth method's bands held in the record's backtest), so ``res.summary()`` is the
same dict that ``simulator run`` writes as ``summary.json``. The engine itself does not run
backtests: goal seek, sensitivity and sweeps call :func:`simulator.engine.runs.simulate`.
"""

from __future__ import annotations

from typing import Any

from simulator.engine.runs import Plan, Projection
from simulator.engine.runs import simulate as simulate_paths
from simulator.questions.backtest import with_calibration
from simulator.scenario.schema import Scenario


def simulate(scenario: Scenario | Plan, **kwargs: Any) -> Projection:
    """Project a scenario by Monte Carlo (see :func:`simulator.engine.runs.simulate` for the
    keywords: ``paths``, ``seed``, ``threads``, ``chunk_size``, ``actuals``, ``progress``).

    Returns
    -------
    Projection
        ``values`` has shape (paths, n_years), USD million; ``summary()`` includes the
        ``calibration`` block.

    Examples
    --------
    >>> import simulator
    >>> sc = simulator.load_scenario("scenarios/baseline.yaml")  # doctest: +SKIP
    >>> res = simulator.simulate(sc, paths=10_000, seed=1)  # doctest: +SKIP
    """
    return with_calibration(simulate_paths(scenario, **kwargs))
