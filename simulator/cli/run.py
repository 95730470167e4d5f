"""Commands that project scenarios: ``run``, ``compare``, ``report``, ``validate``, ``schema``."""

from __future__ import annotations

import json
import sys
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import click

from simulator.cli.options import (
    EXIT_USER,
    actuals_option,
    format_option,
    json_option,
    out_option,
    paths_option,
    sampler_option,
    seed_option,
    threads_option,
    with_sampler,
)
from simulator.cli.output import echo_written, output_folder, progress_bar, write, write_with_charts

if TYPE_CHECKING:
    from simulator.present.files import FileContent


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True))
@actuals_option("CSV of monthly actuals to check the files against (as run --actuals).")
def validate(files: tuple[str, ...], actuals: str | None) -> None:
    """Check scenario FILES as run would, without simulating; one line per problem."""
    from simulator.scenario.check import validate_files

    problems = validate_files(list(files), actuals=actuals)
    for p in problems:
        click.echo(str(p), err=True)
    if problems:
        sys.exit(EXIT_USER)
    for f in files:
        click.echo(f"{f}: ok")


@click.command()
@click.argument("scenario", type=click.Path(dir_okay=True))
@paths_option()
@seed_option()
@out_option("out/<scenario file name>/")
@format_option()
@actuals_option()
@threads_option()
@json_option("summary.json")
@click.option(
    "--spaghetti", is_flag=True, help="Also draw 40 sample paths over the fan (fan_paths chart)."
)
@sampler_option()
def run(
    scenario: str,
    paths: int | None,
    seed: int | None,
    out_dir: str | None,
    fmt: str,
    actuals: str | None,
    threads: int | None,
    as_json: bool,
    spaghetti: bool,
    sampler: str | None,
) -> None:
    """Project one SCENARIO: print the target table, write charts and tables.

    Outputs go to --out (default out/<scenario file name>/): summary.json, quantiles.csv,
    targets.csv and the charts.
    """
    from simulator.api import simulate
    from simulator.present.files import run_files, summary_json
    from simulator.present.tables import target_table
    from simulator.scenario.loader import load_scenario
    from simulator.stats.chart_data import chart_data

    sc = with_sampler(load_scenario(scenario), sampler)
    out = output_folder(out_dir, Path("out") / Path(scenario).stem)
    project = partial(simulate, sc, paths=paths, threads=threads, actuals=actuals)
    with progress_bar(paths or sc.paths, "Simulating") as progress:
        # Without --seed, the scenario's own seed (or fresh entropy when it has none).
        result = (
            project(progress=progress) if seed is None else project(progress=progress, seed=seed)
        )
    summary = result.summary()
    files = run_files(summary, chart_data(result), fmt=fmt, spaghetti=spaghetti)
    written = write(out, files)
    if as_json:
        click.echo(summary_json(summary.to_dict()), nl=False)
        return
    click.echo(target_table(summary))
    echo_written(out, written)


@click.command()
def schema() -> None:
    """Print the JSON Schema of the scenario format (for editors and yaml-language-server).

    Save it and point an editor at it, for example with a first line
    ``# yaml-language-server: $schema=scenario.schema.json`` in a scenario file.
    """
    from simulator.scenario.json_schema import json_schema

    click.echo(json.dumps(json_schema(), indent=2))


@click.command()
@click.argument("scenarios", nargs=-1, required=True, type=click.Path(dir_okay=True))
@paths_option("Paths per scenario (default: the first's).")
@seed_option("One seed for all (default: the first's).")
@out_option("out/compare/")
@format_option()
@actuals_option()
@threads_option()
@json_option("comparison.json")
@sampler_option()
def compare(
    scenarios: tuple[str, ...],
    paths: int | None,
    seed: int | None,
    out_dir: str | None,
    fmt: str,
    actuals: str | None,
    threads: int | None,
    as_json: bool,
    sampler: str | None,
) -> None:
    """Compare SCENARIOS on common random numbers (the same draws for each).

    Prints P(hit) per target and scenario, each scenario's difference from the first and the
    paired standard error of that difference. Writes comparison.json, comparison.csv and the
    comparison charts to --out (default out/compare/).
    """
    from simulator.present.files import comparison_csv, summary_json
    from simulator.present.newsroom import newsroom_files
    from simulator.present.tables import comparison_table
    from simulator.present.text import count_text
    from simulator.questions.compare import run_comparison
    from simulator.report import charts
    from simulator.report.html import comparison_html
    from simulator.scenario.loader import load_scenario

    scs = [with_sampler(load_scenario(f), sampler) for f in scenarios]
    out = output_folder(out_dir, Path("out") / "compare")
    total = (paths or scs[0].paths) * len(scs)
    with progress_bar(total, f"Simulating {count_text(len(scs), 'scenario')}") as progress:
        comparison = run_comparison(
            scs, paths=paths, seed=seed, threads=threads, actuals=actuals, progress=progress
        )
    data = summary_json(comparison.to_dict())
    files: dict[str, FileContent] = {
        "comparison.json": data,
        "comparison.csv": comparison_csv(comparison),
        **newsroom_files(comparison),
        "comparison.html": comparison_html(comparison),
    }
    written = write_with_charts(out, files, charts.compare_charts(comparison), fmt)
    if as_json:
        click.echo(data, nl=False)
        return
    click.echo(comparison_table(comparison))
    echo_written(out, written)


@click.command()
@click.argument("scenarios", nargs=-1, required=True, type=click.Path(dir_okay=True))
@paths_option("Paths per scenario (default: the first's).")
@seed_option("One seed for all (default: the first's).")
@out_option("out/report/")
@format_option()
@actuals_option()
@threads_option()
@sampler_option()
def report(
    scenarios: tuple[str, ...],
    paths: int | None,
    seed: int | None,
    out_dir: str | None,
    fmt: str,
    actuals: str | None,
    threads: int | None,
    sampler: str | None,
) -> None:
    """A brief-ready bundle for SCENARIOS: report.md, report.pdf, charts and the numbers.

    With several scenarios they also are compared on common random numbers (the first is the
    reference). Writes report.md, report.pdf (A4), the chart PNGs, summary-<name>.json per
    scenario, comparison.json, and required_growth.json and sensitivity.json (the first
    scenario's record and tornado, on the same paths) to --out (default out/report/),
    whole or not at all.
    """
    from simulator.present.text import count_text
    from simulator.questions.compare import simulate_all
    from simulator.report.brief import comparison_sentence, headline
    from simulator.report.bundle import build_bundle, report_files
    from simulator.scenario.loader import load_scenario

    scs = [with_sampler(load_scenario(f), sampler) for f in scenarios]
    out = output_folder(out_dir, Path("out") / "report")
    total = (paths or scs[0].paths) * len(scs)
    with progress_bar(total, f"Simulating {count_text(len(scs), 'scenario')}") as progress:
        projections = simulate_all(
            scs, paths=paths, seed=seed, threads=threads, actuals=actuals, progress=progress
        )
    bundle = build_bundle(projections, list(scenarios), fmt=fmt)
    written = write(out, report_files(bundle))
    brief = bundle.brief
    click.echo(headline(brief.summaries, brief.comparison))
    if brief.comparison is not None:
        click.echo(comparison_sentence(brief.summaries, brief.comparison))
    echo_written(out, written)


COMMANDS = (run, compare, report, validate, schema)
