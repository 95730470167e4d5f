"""``simulator validate``: every check ``run`` makes on a scenario, short of simulating.

A file that passes :func:`validate_files` runs: :func:`check_scenario` reads it (with ``extends``),
reads and checks its actuals, builds its timeline (base, horizon, growth coverage, components'
bases), resolves ``growth: record``, repairs the correlation matrix (with the same warning as
``run``) and fits the current-year nowcast, exactly as :func:`simulator.engine.runs.prepare`
does for a run, because it is that function.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from simulator.errors import ScenarioErrors, UserInputError
from simulator.scenario.loader import load_scenario
from simulator.scenario.schema import Scenario

if TYPE_CHECKING:
    from simulator.engine.runs import Plan


def check_scenario(scenario: Scenario, *, actuals: str | Path | None = None) -> Plan:
    """Prepare ``scenario`` as ``run`` would, and return the plan (nothing is simulated).

    Parameters
    ----------
    scenario : Scenario
    actuals : str or Path, optional
        A CSV of monthly actuals replacing the scenario's own (``--actuals``).

    Raises
    ------
    UserInputError
        The first problem: a ``ScenarioError`` located in the scenario file, or an
        ``ActualsError`` located in the CSV.
    """
    from simulator.engine.runs import prepare

    return prepare(scenario, actuals=actuals)


def validate_files(paths: list[str], *, actuals: str | Path | None = None) -> list[UserInputError]:
    """Check scenario files as ``run`` would, without simulating; one error per problem.

    Parameters
    ----------
    paths : list of str
        Scenario files.
    actuals : str or Path, optional
        A CSV of monthly actuals used for every file instead of its own.

    Returns
    -------
    list of UserInputError
        In file order; empty when every file would run.
    """
    problems: list[UserInputError] = []
    for p in paths:
        try:
            check_scenario(load_scenario(p), actuals=actuals)
        except ScenarioErrors as exc:
            problems.extend(exc.errors)
        except UserInputError as exc:  # a ScenarioError, or an ActualsError naming its CSV
            problems.append(exc)
    return problems


__all__ = ["check_scenario", "validate_files"]
