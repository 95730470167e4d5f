"""The command line's shared options, each spelled once (sqlite-utils' ``output_options`` idea).

Every command that takes ``--paths``, ``--seed``, ``--actuals``, ``--threads``, ``--out``,
``--format``, ``--sampler``, ``--json``, ``--workers`` or ``--scheduler`` takes it from here, so
the name, type, limits and wording are the same everywhere; a command only words its help.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from simulator.scenario.schema import Scenario

F = TypeVar("F", bound=Callable[..., Any])
Decorator = Callable[[F], F]

#: Exit code of a user error (a bad file, a bad value, an unknown key).
EXIT_USER = 2
#: Exit code after Ctrl-C (128 + SIGINT), as shells report it.
EXIT_INTERRUPTED = 130
#: Fewest paths a command may ask for: below this no band or P(hit) means anything.
MIN_PATHS = 100
#: Most paths a run may ask for: the scenario format's own limit on ``paths`` (scenario/schema.py).
MAX_PATHS = 100_000_000
#: Chart formats every command that draws can write.
FORMATS = ("png", "svg", "pdf")
#: Normal-score samplers (scenario key ``sampler``).
SAMPLERS = ("mc", "sobol")


def paths_option(
    help: str = "Number of Monte Carlo paths (default: the file's).",
    *,
    default: int | None = None,
) -> Decorator[Any]:
    """``--paths N``: between :data:`MIN_PATHS` and :data:`MAX_PATHS` for every command."""
    return click.option(
        "--paths",
        type=click.IntRange(min=MIN_PATHS, max=MAX_PATHS),
        default=default,
        show_default=default is not None,
        help=help,
    )


def seed_option(help: str = "Random seed (default: the file's).") -> Decorator[Any]:
    """``--seed S``: a non-negative integer."""
    return click.option("--seed", type=click.IntRange(min=0), help=help)


def actuals_option(
    help: str = "CSV of monthly actuals (month,usd_million).",
) -> Decorator[Any]:
    """``--actuals FILE``: monthly actuals in place of the bundled series."""
    return click.option("--actuals", type=click.Path(), help=help)


def threads_option() -> Decorator[Any]:
    """``--threads N``: worker threads of one run."""
    return click.option(
        "--threads", type=click.IntRange(min=1), help="Worker threads (default: all cores)."
    )


def out_option(default: str) -> Decorator[Any]:
    """``--out DIR`` (parameter ``out_dir``); ``default`` words the folder used without it."""
    return click.option(
        "--out",
        "out_dir",
        type=click.Path(file_okay=False),
        help=f"Output folder (default: {default}).",
    )


def format_option() -> Decorator[Any]:
    """``--format png|svg|pdf`` (parameter ``fmt``) of the charts."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="png",
        show_default=True,
        help="Chart file format.",
    )


def sampler_option() -> Decorator[Any]:
    """``--sampler mc|sobol``: overrides the scenario's ``sampler``."""
    return click.option(
        "--sampler",
        type=click.Choice(SAMPLERS),
        help="Normal scores: plain Monte Carlo, or randomized scrambled Sobol "
        "(default: the file's).",
    )


def json_option(what: str) -> Decorator[Any]:
    """``--json`` (parameter ``as_json``): print ``what`` instead of the table."""
    return click.option("--json", "as_json", is_flag=True, help=f"Print {what} instead.")


def workers_option(help: str = "Processes on this machine.") -> Decorator[Any]:
    """``--workers N``: processes of a sweep."""
    return click.option("--workers", type=click.IntRange(min=1), help=help)


def scheduler_option(
    help: str = "Run on Dask: 'local' starts a LocalCluster, tcp://host:8786 uses a running one.",
) -> Decorator[Any]:
    """``--scheduler local|ADDRESS``: run a sweep on Dask."""
    return click.option("--scheduler", metavar="local|ADDRESS", help=help)


def with_sampler(scenario: Scenario, sampler: str | None) -> Scenario:
    """The scenario with ``--sampler`` applied (unchanged when it is not given)."""
    return scenario if sampler is None else scenario.model_copy(update={"sampler": sampler})
