"""Commands that run a scenario at many settings: ``sweep``, ``sensitivity --global`` and
``explore``."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

import click

from simulator.cli.options import (
    actuals_option,
    format_option,
    json_option,
    out_option,
    paths_option,
    sampler_option,
    scheduler_option,
    seed_option,
    with_sampler,
    workers_option,
)
from simulator.cli.output import (
    echo_written,
    output_folder,
    progress_bar,
    write,
    write_with_charts,
)
from simulator.errors import UserInputError

if TYPE_CHECKING:
    from simulator.present.files import FileContent
    from simulator.scenario.schema import Scenario


@click.command()
@click.argument("scenario", type=click.Path(dir_okay=True))
@click.option(
    "--vary",
    "varies",
    multiple=True,
    required=True,
    metavar="KEY=LO:HI:N",
    help="A key of the scenario and its range, e.g. growth[0].mean=0.10:0.30:9 (repeatable; "
    "N may be left out with --design sobol).",
)
@click.option("--design", type=click.Choice(["grid", "sobol"]), default="grid", show_default=True)
@click.option("--points", type=click.IntRange(min=1), help="Points of a Sobol' design.")
@paths_option("Paths per point (default: the file's).")
@seed_option("One seed for every point (default: the file's).")
@workers_option("Processes on this machine (with --scheduler local: the cluster's workers).")
@scheduler_option()
@out_option("out/sweep/")
@format_option()
@actuals_option()
@json_option("sweep.json")
@sampler_option()
def sweep(
    scenario: str,
    varies: tuple[str, ...],
    design: str,
    points: int | None,
    paths: int | None,
    seed: int | None,
    workers: int | None,
    scheduler: str | None,
    out_dir: str | None,
    fmt: str,
    actuals: str | None,
    as_json: bool,
    sampler: str | None,
) -> None:
    """Run SCENARIO at many settings of its keys, on common random numbers.

    Each --vary KEY=LO:HI:N sets a key (a dotted path such as growth[0].mean, persistence,
    levers.NAME.high or shocks.NAME.probability; a wrong key lists the valid ones) to N
    values from LO to HI; the points are every combination (--design grid) or --points of a
    Sobol' sequence (--design sobol). Every point uses the same seed. Runs on threads, on
    --workers processes or on Dask (--scheduler), with identical results. Writes sweep.csv,
    sweep.json, a response chart per key and, with two keys, a P(hit) contour per target to
    --out (default out/sweep/); nothing is written if the sweep is interrupted.
    """
    from simulator.engine.executors import make_executor
    from simulator.plotting.sweep import sweep_charts
    from simulator.present.files import summary_json
    from simulator.questions.sweep import n_points, parse_vary, sweep_csv, sweep_table
    from simulator.questions.sweep import sweep as run_sweep
    from simulator.scenario.loader import load_scenario

    sc = with_sampler(load_scenario(scenario), sampler)
    out = output_folder(out_dir, Path("out") / "sweep")
    parsed = [parse_vary(v, need_n=design == "grid") for v in varies]
    if design == "sobol" and points is None:
        raise UserInputError("--design sobol needs --points N", key="--points")
    total = n_points(parsed, design=design, points=points)
    with (
        make_executor(workers=workers, scheduler=scheduler) as ex,
        progress_bar(total, f"Sweep: {total} points") as progress,
    ):
        result = run_sweep(
            sc,
            parsed,
            design=design,
            points=points,
            paths=paths,
            seed=seed,
            executor=ex,
            actuals=actuals,
            progress=progress,
        )
    payload = result.to_dict()
    files: dict[str, FileContent] = {
        "sweep.csv": sweep_csv(result),
        "sweep.json": summary_json(payload),
    }
    written = write_with_charts(out, files, sweep_charts(result), fmt)
    if as_json:
        click.echo(summary_json(payload), nl=False)
        return
    click.echo(sweep_table(result))
    echo_written(out, written)


def global_sensitivity_command(
    sc: Scenario,
    *,
    paths: int,
    seed: int | None,
    out_dir: str | None,
    fmt: str,
    actuals: str | None,
    samples: int,
    varies: tuple[str, ...],
    workers: int | None,
    scheduler: str | None,
    as_json: bool,
) -> None:
    """``simulator sensitivity --global``: Sobol' and PAWN indices of P(hit)."""
    from simulator.engine.executors import make_executor
    from simulator.plotting.sweep import global_charts
    from simulator.present.files import summary_json
    from simulator.questions.global_sensitivity import (
        factors_for,
        global_csv,
        global_sensitivity,
        global_table,
    )
    from simulator.questions.sweep import parse_vary

    ranges = {v.key: (v.low, v.high) for v in (parse_vary(t, need_n=False) for t in varies)}
    out = output_folder(out_dir, Path("out") / "sensitivity-global")
    total = samples * (len(factors_for(sc, ranges)) + 2)
    with (
        make_executor(workers=workers, scheduler=scheduler) as ex,
        progress_bar(total, f"Global sensitivity: {total} runs") as progress,
    ):
        result = global_sensitivity(
            sc,
            samples=samples,
            ranges=ranges,
            paths=paths,
            seed=seed,
            executor=ex,
            actuals=actuals,
            progress=progress,
        )
    payload = result.to_dict()
    files: dict[str, FileContent] = {"sensitivity_global.csv": global_csv(result)}
    written = write_with_charts(out, files, global_charts(result), fmt)
    if as_json:
        click.echo(summary_json(payload), nl=False)
        return
    click.echo(global_table(result))
    echo_written(out, written)


@click.command()
@click.argument("scenario", type=click.Path(dir_okay=True))
@click.option(
    "--vary",
    "varies",
    multiple=True,
    metavar="KEY=LO:HI:N",
    help="A slider: N values of KEY from LO to HI (repeat; default: levers and growth means).",
)
@paths_option("Paths per grid point.", default=4000)
@seed_option()
@out_option("out/<scenario file name>-explore/")
@actuals_option()
@sampler_option()
def explore(
    scenario: str,
    varies: tuple[str, ...],
    paths: int,
    seed: int | None,
    out_dir: str | None,
    actuals: str | None,
    sampler: str | None,
) -> None:
    """A what-if page for SCENARIO: explorer.html, with sliders over levers and assumptions.

    Every slider position is simulated in advance on common random numbers (the same draws
    for each), so the page needs no server and no network. Writes explorer.html to --out
    (default out/<scenario file name>-explore/).
    """
    from simulator.present.text import count_text
    from simulator.report.explorer import default_knobs, explorer_html, parse_vary
    from simulator.report.explorer import explore as run_explore
    from simulator.scenario.loader import load_scenario

    sc = with_sampler(load_scenario(scenario), sampler)
    out = output_folder(out_dir, Path("out") / f"{Path(scenario).stem}-explore")
    knobs = [parse_vary(v, sc) for v in varies] if varies else default_knobs(sc)
    n = math.prod(len(k.values) for k in knobs) if knobs else 0
    with progress_bar(n, f"Simulating {count_text(n, 'grid point')}") as progress:
        result = run_explore(sc, knobs, paths=paths, seed=seed, actuals=actuals, progress=progress)
    written = write(out, {"explorer.html": explorer_html(result)})
    click.echo(
        f"{count_text(n, 'grid point')} over "
        + ", ".join(f"{k.key} ({len(k.values)} values)" for k in knobs)
        + f"; {paths:,} paths each"
    )
    echo_written(out, written)


COMMANDS = (sweep, explore)
