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
@click.option(
    "--nowcast/--no-nowcast",
    default=True,
    show_default=True,
    help="Replay the current-year nowcast (the only backtest so far).",
)
@click.option("--actuals", type=click.Path(), help="CSV of monthly actuals (month,usd_million).")
@click.option(
    "--growth-mean", type=float, default=0.15, show_default=True, help="Scenario growth prior."
)
@click.option(
    "--growth-sd",
    type=click.FloatRange(min=0),
    default=0.10,
    show_default=True,
    help="Scenario growth prior's standard deviation.",
)
@click.option("--paths", type=click.IntRange(min=100), default=20_000, show_default=True)
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True)
def backtest(
    nowcast: bool,
    actuals: str | None,
    growth_mean: float,
    growth_sd: float,
    paths: int,
    seed: int,
) -> None:
    """Replay past fiscal years: coverage and error of the current-year nowcast.

    Every past fiscal year with monthly data is replayed with k = 1..11 months observed; the
    table gives the coverage of the 50/80/95% intervals of the full-year total and the median's
    absolute percentage error against two naive rules.
    """
    from simulator.backtest import nowcast_backtest
    from simulator.errors import UserInputError
    from simulator.history import load_monthly

    if not nowcast:
        raise UserInputError("only the nowcast backtest exists so far; drop --no-nowcast")
    result = nowcast_backtest(
        load_monthly(actuals), growth_mean=growth_mean, growth_sd=growth_sd, paths=paths, seed=seed
    )
    click.echo(result.format_table())


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="simulator")


__all__ = ["cli", "json", "main"]
