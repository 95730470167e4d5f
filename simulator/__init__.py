"""simulator: will Pakistan's IT exports reach their targets, and what would it take?

The public API (everything in ``__all__``; the notebooks in ``notebooks/`` use nothing else)::

    import simulator
    sc = simulator.load_scenario("scenarios/baseline.yaml")
    res = simulator.simulate(sc, paths=100_000, seed=1)
    res.years, res.values, res.summary()  # a typed Summary; .to_dict() is summary.json

Run a scenario:

- ``load_scenario``, ``Scenario``: read a YAML scenario (with ``extends``) into a frozen model.
- ``prepare``: read a scenario's actuals and fit its nowcast once, into a plan to run many times.
- ``simulate``, ``Projection``, ``Summary``: the Monte Carlo run, and its typed summary.

Ask it a question (each is what a CLI command runs):

- ``run_comparison``: scenarios on common random numbers, with paired differences (``compare``).
- ``required_growth``: the growth each target needs, against the record (``required-growth``).
- ``goal_seek``, ``find_target_by``: the uplift that gives a target a chance (``goal-seek``).
- ``sweep``, ``Vary``: P(hit) over a grid of assumptions (``sweep``).
- ``record_backtest``: the record rule replayed at past origins (``backtest``).
- ``nowcast_backtest``, ``load_monthly``: the nowcast replayed month by month
  (``backtest --nowcast``).
- ``clopper_pearson``: the exact interval of a coverage count.

Print and draw it as the CLI does:

- ``format_probability``, ``money``, ``fy_label``, ``pp``: the project's one way to write a
  probability, an amount (USD million), a fiscal year, a difference in percentage points.
- ``target_table``, ``comparison_table``: the tables ``run`` and ``compare`` print.
- ``new_figure``, ``plot_fan``, ``plot_current_year``, ``plot_comparison``,
  ``plot_required_growth``, ``plot_sweep_contour``, ``plot_pit``: charts (each draws on an
  Axes and returns it; the caller shows or saves the figure); ``plot_backtest`` returns the
  whole figure ``backtest`` writes.

Money is USD million; fiscal years run July–June (2026 = FY2026).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from simulator.api import (
        format_probability,
        plot_backtest,
        plot_current_year,
        plot_fan,
        plot_sweep_contour,
        required_growth,
        simulate,
        target_table,
    )
    from simulator.data.history import load_monthly
    from simulator.engine.runs import Projection, prepare
    from simulator.plotting.backtest import plot_pit
    from simulator.plotting.comparison import plot_comparison
    from simulator.plotting.record import plot_required_growth
    from simulator.plotting.style import new_figure
    from simulator.present.tables import comparison_table
    from simulator.present.text import fy_label, money, pp
    from simulator.questions.backtest import record_backtest
    from simulator.questions.backtest_nowcast import clopper_pearson, nowcast_backtest
    from simulator.questions.compare import run_comparison
    from simulator.questions.goalseek import find_target_by, goal_seek
    from simulator.questions.sweep import Vary, sweep
    from simulator.scenario.loader import load_scenario
    from simulator.scenario.schema import Scenario
    from simulator.stats.summary import Summary

#: Public name -> the module that defines it (imported on first use).
_LAZY = {
    # run a scenario
    "load_scenario": "simulator.scenario.loader",
    "Scenario": "simulator.scenario.schema",
    "prepare": "simulator.engine.runs",
    "simulate": "simulator.api",
    "Projection": "simulator.engine.runs",
    "Summary": "simulator.stats.summary",
    # questions
    "run_comparison": "simulator.questions.compare",
    "required_growth": "simulator.api",
    "goal_seek": "simulator.questions.goalseek",
    "find_target_by": "simulator.questions.goalseek",
    "sweep": "simulator.questions.sweep",
    "Vary": "simulator.questions.sweep",
    "record_backtest": "simulator.questions.backtest",
    "nowcast_backtest": "simulator.questions.backtest_nowcast",
    "load_monthly": "simulator.data.history",
    "clopper_pearson": "simulator.questions.backtest_nowcast",
    # text and tables
    "format_probability": "simulator.api",
    "money": "simulator.present.text",
    "fy_label": "simulator.present.text",
    "pp": "simulator.present.text",
    "target_table": "simulator.api",
    "comparison_table": "simulator.present.tables",
    # charts
    "new_figure": "simulator.plotting.style",
    "plot_fan": "simulator.api",
    "plot_current_year": "simulator.api",
    "plot_comparison": "simulator.plotting.comparison",
    "plot_required_growth": "simulator.plotting.record",
    "plot_sweep_contour": "simulator.api",
    "plot_backtest": "simulator.api",
    "plot_pit": "simulator.plotting.backtest",
}

__all__ = [
    "Projection",
    "Scenario",
    "Summary",
    "Vary",
    "__version__",
    "clopper_pearson",
    "comparison_table",
    "find_target_by",
    "format_probability",
    "fy_label",
    "goal_seek",
    "load_monthly",
    "load_scenario",
    "money",
    "new_figure",
    "nowcast_backtest",
    "plot_backtest",
    "plot_comparison",
    "plot_current_year",
    "plot_fan",
    "plot_pit",
    "plot_required_growth",
    "plot_sweep_contour",
    "pp",
    "prepare",
    "record_backtest",
    "required_growth",
    "run_comparison",
    "simulate",
    "sweep",
    "target_table",
]


def __getattr__(name: str) -> Any:
    """Import the API lazily so that ``simulator --help`` stays fast."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'simulator' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
