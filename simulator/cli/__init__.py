"""The ``simulator`` command line: a thin skin over the library.

Only this package imports click, prints, and exits. A user error (a bad file, a bad value, an
unknown key) prints one line ``FILE:LINE: key.path: what is wrong`` and exits with code 2;
``--debug`` shows the traceback instead; Ctrl-C exits with code 130. Heavy libraries are
imported inside the commands so ``simulator --help`` stays fast.

The commands live by group: :mod:`simulator.cli.run` (run, compare, report, validate, schema),
:mod:`simulator.cli.questions` (goal-seek, sensitivity, required-growth, backtest, calibrate)
and :mod:`simulator.cli.sweeps` (sweep, explore); their shared options are in
:mod:`simulator.cli.options` and their output helpers in :mod:`simulator.cli.output`.
"""

from __future__ import annotations

import logging
from typing import Any

import click

from simulator import __version__
from simulator.cli import questions, run, sweeps
from simulator.cli.options import EXIT_INTERRUPTED
from simulator.cli.output import fail
from simulator.errors import SimulatorError, UserInputError


class _Group(click.Group):
    """Turns the library's user errors into one line and exit code 2, and Ctrl-C into 130."""

    def invoke(self, ctx: click.Context) -> Any:
        def debug() -> bool:  # set by the group's callback, inside super().invoke
            return bool(ctx.obj and ctx.obj.get("debug"))

        try:
            return super().invoke(ctx)
        except UserInputError as exc:
            if debug():
                raise
            fail(str(exc))
        except SimulatorError as exc:
            if debug():
                raise
            fail(f"error: {exc}")
        except KeyboardInterrupt:
            if debug():
                raise
            fail("\ninterrupted: nothing written", EXIT_INTERRUPTED)


@click.group(
    cls=_Group,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="simulator")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.option("--quiet", "-q", is_flag=True, help="No progress output.")
@click.pass_context
def cli(ctx: click.Context, debug: bool, quiet: bool) -> None:
    """Will Pakistan's IT exports reach their targets, and what would it take?

    Money is USD million; fiscal years run July-June (2026 = FY2026).
    """
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())
        ctx.exit(0)
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    ctx.obj["quiet"] = quiet
    logging.basicConfig(level=logging.WARNING, format="warning: %(message)s")


for _module in (run, questions, sweeps):
    for _command in _module.COMMANDS:
        cli.add_command(_command)


def main() -> None:
    """Console-script entry point."""
    try:
        cli(prog_name="simulator")
    except KeyboardInterrupt:
        # Ctrl-C outside a command (while click parses, or before the group runs).
        fail("\ninterrupted", EXIT_INTERRUPTED)


__all__ = ["cli", "main"]
