"""The ``simulator`` command line: a thin skin over the library.

Only this module imports click, prints, and exits. A user error (a bad file, a bad value, an
unknown key) prints one line ``FILE:LINE: key.path: what is wrong`` and exits with code 2;
``--debug`` shows the traceback instead. Heavy libraries are imported inside the commands so
``simulator --help`` stays fast.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from simulator import __version__
from simulator.errors import SimulatorError, UserInputError

EXIT_USER = 2


class _Group(click.Group):
    """Turns the library's user errors into one line and exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UserInputError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            _fail(str(exc))
        except SimulatorError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            _fail(f"error: {exc}")


def _fail(message: str) -> NoReturn:
    for line in message.splitlines() or [message]:
        click.echo(line, err=True)
    sys.exit(EXIT_USER)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="simulator")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.option("--quiet", "-q", is_flag=True, help="No progress output.")
@click.pass_context
def cli(ctx: click.Context, debug: bool, quiet: bool) -> None:
    """Will Pakistan's IT exports reach their targets, and what would it take?

    Money is USD million; fiscal years run July-June (2026 = FY2026).
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    ctx.obj["quiet"] = quiet
    logging.basicConfig(level=logging.WARNING, format="warning: %(message)s")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True))
def validate(files: tuple[str, ...]) -> None:
    """Check scenario FILES without running them; one line per problem."""
    from simulator.loader import validate_files

    problems = validate_files(list(files))
    for p in problems:
        click.echo(str(p), err=True)
    if problems:
        sys.exit(EXIT_USER)
    for f in files:
        click.echo(f"{f}: ok")


@cli.command()
@click.argument("scenario", type=click.Path(dir_okay=True))
@click.option("--paths", type=click.IntRange(min=1), help="Number of Monte Carlo paths.")
@click.option("--seed", type=click.IntRange(min=0), help="Random seed (default: the file's).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="Output folder.")
@click.option(
    "--format", "fmt", type=click.Choice(["png", "svg", "pdf"]), default="png", show_default=True
)
@click.option("--actuals", type=click.Path(), help="CSV of monthly actuals (month,usd_million).")
@click.option("--threads", type=click.IntRange(min=1), help="Worker threads (default: all cores).")
@click.option("--json", "as_json", is_flag=True, help="Print summary.json instead of the table.")
def run(
    scenario: str,
    paths: int | None,
    seed: int | None,
    out_dir: str | None,
    fmt: str,
    actuals: str | None,
    threads: int | None,
    as_json: bool,
) -> None:
    """Project one SCENARIO: print the target table, write charts and tables.

    Outputs go to --out (default out/<scenario file name>/): summary.json, quantiles.csv,
    targets.csv and the charts.
    """
    from simulator.engine import simulate
    from simulator.loader import load_scenario
    from simulator.report import run_files, summary_json, write_outputs
    from simulator.tables import target_table

    sc = load_scenario(scenario)
    kwargs: dict[str, Any] = {"paths": paths, "threads": threads, "actuals": actuals}
    if seed is not None:
        kwargs["seed"] = seed
    result = simulate(sc, **kwargs)
    summary = result.summary()
    out = Path(out_dir) if out_dir else Path("out") / Path(scenario).stem
    written = write_outputs(out, run_files(summary, fmt=fmt))
    if as_json:
        click.echo(summary_json(summary), nl=False)
        return
    click.echo(target_table(summary))
    click.echo(f"\nWrote {len(written)} files to {out}/: " + ", ".join(p.name for p in written))


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the scenario format (for editors and yaml-language-server).

    Save it and point an editor at it, for example with a first line
    ``# yaml-language-server: $schema=scenario.schema.json`` in a scenario file.
    """
    from simulator.scenario import json_schema

    click.echo(json.dumps(json_schema(), indent=2))


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="simulator")


__all__ = ["cli", "json", "main"]
