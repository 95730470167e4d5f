"""The public entry point: a projection that carries the backtest of its method.

:func:`simulate` is :func:`simulator.engine.runs.simulate` plus the ``calibration`` block
(how the growth method's bands held in the record's backtest), so ``res.summary().to_dict()``
is what ``simulator run`` writes as ``summary.json``. The engine itself does not run
backtests: goal seek, sensitivity and sweeps call :func:`simulator.engine.runs.simulate`.

The other functions here are thin wrappers for Python users (the notebooks): they take the
typed :class:`~simulator.stats.summary.Summary` and print or draw it as the CLI does.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.engine.runs import Plan, Projection
from simulator.engine.runs import simulate as simulate_paths
from simulator.questions.backtest import with_calibration
from simulator.scenario.schema import Scenario
from simulator.stats.summary import Summary, TargetStats

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from simulator.questions.backtest import RecordBacktest
    from simulator.questions.record import RequiredGrowthSummary
    from simulator.questions.sweep import SweepResult


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


# --- Wrappers for the notebooks and other Python users ---------------------------------------
# Each takes the typed ``Summary`` (or ``TargetStats``), as the function it wraps does; a
# ``summary.json`` read from a file becomes one with ``Summary.from_dict``.


def format_probability(p: TargetStats | float | None) -> str:
    """A P(hit) as the run table prints it (:func:`simulator.present.text.hit_text`).

    Parameters
    ----------
    p : TargetStats, float or None
        A target's statistics (a share of paths with no hit, or every path hitting, reads as
        its exact 95% bound, "below 0.015% (95% upper bound, 0 of 20,000 paths)"), or a
        simulated probability as a fraction.

    Returns
    -------
    str
        "18%", "0.6%", "n/a" for None.

    Examples
    --------
    >>> format_probability(0.1834)
    '18%'
    """
    from simulator.present.text import chance_text, hit_text

    if isinstance(p, TargetStats):
        return hit_text(p)
    return chance_text(p)


def target_table(summary: Summary) -> str:
    """The table ``simulator run`` prints (:func:`simulator.present.tables.target_table`)."""
    from simulator.present.tables import target_table as table

    return table(summary)


def plot_fan(summary: Summary, *, ax: Axes | None = None, log_scale: bool = False) -> Axes:
    """The fan chart of a run (:func:`simulator.plotting.projection.plot_fan`); USD million."""
    from simulator.plotting.projection import plot_fan as fan

    return fan(summary, ax=ax, log_scale=log_scale)


def plot_current_year(summary: Summary, *, ax: Axes | None = None) -> Axes:
    """The current fiscal year month by month
    (:func:`simulator.plotting.projection.plot_current_year`).

    Raises
    ------
    ValueError
        If the run has no partly reported current year (``summary.current_year`` is None).
    """
    from simulator.plotting.projection import plot_current_year as current

    if summary.current_year is None:
        raise ValueError("this run has no partly reported current year to draw")
    return current(summary, ax=ax)


def required_growth(scenario: str | Path | None = None) -> RequiredGrowthSummary:
    """What ``simulator required-growth`` computes: the constant growth each target needs
    from the base, against the record's growth over several windows.

    Parameters
    ----------
    scenario : str or Path, optional
        A scenario file whose base and targets to use; default the bundled data (base FY2025)
        and the Uraan targets.

    Returns
    -------
    RequiredGrowthSummary
        :func:`simulator.questions.record.required_growth_summary` (``base``, ``record``,
        ``targets`` with ``required_cagr`` as a fraction a year; ``to_dict()`` is
        ``required_growth.json`` less its track record); draw it with
        :func:`simulator.plotting.record.plot_required_growth`.
    """
    from simulator.questions.record import growth_inputs, required_growth_summary

    base_year, base_value, targets, history, monthly = growth_inputs(scenario)
    return required_growth_summary(
        targets, base_year=base_year, base_value=base_value, history=history, monthly=monthly
    )


def plot_sweep_contour(
    result: SweepResult, target: str | int = 0, *, ax: Axes | None = None
) -> Axes:
    """The P(hit) contour of a two-key :func:`simulator.questions.sweep.sweep`, as
    ``simulator sweep`` draws it (50% and 80% lines, the scenario's point, the source note).

    Parameters
    ----------
    result : SweepResult — with exactly two varied keys
    target : str or int — a target's name, or its index in ``result.targets``
    ax : Axes, optional

    Raises
    ------
    ValueError
        If the sweep does not vary exactly two keys.
    KeyError
        If no target has that name.
    """
    from simulator.plotting import style
    from simulator.plotting.sweep import plot_contour
    from simulator.questions.sweep import contour_data

    names = [t.name for t in result.targets]
    if isinstance(target, str):
        if target not in names:
            raise KeyError(f"no target {target!r}; the sweep's targets are {names}")
        target = names.index(target)
    return plot_contour(
        contour_data(result, target),
        result.targets[target],
        ax=ax,
        scenario_name=result.scenario.name,
        source=style.source_text(result),
    )


def plot_backtest(backtest: RecordBacktest) -> Figure:
    """The figure ``simulator backtest`` writes (``backtest.png``): coverage of each band
    against its nominal level with Clopper–Pearson bars, and the one-year-ahead PIT."""
    from simulator.report.charts import backtest_figure

    return backtest_figure(backtest)
