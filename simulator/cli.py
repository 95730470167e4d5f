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
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import click

from simulator import __version__
from simulator.errors import SimulatorError, UserInputError

EXIT_USER = 2
#: Most paths a run may ask for: the scenario format's own limit on ``paths`` (scenario.py).
MAX_PATHS = 100_000_000


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


@contextmanager
def _progress(length: int, label: str) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on a terminal (stderr), unless --quiet; otherwise nothing is shown."""
    ctx = click.get_current_context()
    quiet = bool(ctx.obj and ctx.obj.get("quiet"))
    if quiet or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=length, label=label, file=sys.stderr) as bar:
        yield bar.update


@contextmanager
def _counter(label: str) -> Iterator[Callable[[int], None] | None]:
    """A running count on a terminal (stderr), for work of unknown length; quiet otherwise."""
    ctx = click.get_current_context()
    quiet = bool(ctx.obj and ctx.obj.get("quiet"))
    if quiet or not sys.stderr.isatty():
        yield None
        return
    count = [0]

    def step(n: int) -> None:
        count[0] += n
        click.echo(f"\r{label} {count[0]}", err=True, nl=False)

    try:
        yield step
    finally:
        click.echo("\r" + " " * (len(label) + 8) + "\r", err=True, nl=False)


def _write(out: Path, files: dict[str, Any]) -> list[Path]:
    """Write a command's outputs; a folder that cannot be written is a user error, not a crash."""
    from simulator.present.files import write_outputs

    try:
        return write_outputs(out, files)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise UserInputError(
            f"cannot write the outputs: {reason}; choose another --out folder", file=str(out)
        ) from exc


def _write_with_charts(
    out: Path, files: dict[str, Any], draws: Mapping[str, Any], fmt: str
) -> list[Path]:
    """Write ``files`` plus one ``<name>.<fmt>`` per chart in ``draws`` (see ``charts.saver``)."""
    from simulator.report import charts

    files = {**files, **{f"{name}.{fmt}": charts.saver(draw) for name, draw in draws.items()}}
    return _write(out, files)


def _echo_written(out: Path, written: list[Path]) -> None:
    """The closing line of a command that wrote files."""
    click.echo(f"\nWrote {len(written)} files to {out}/: " + ", ".join(p.name for p in written))


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
    from simulator.scenario.check import validate_files

    problems = validate_files(list(files))
    for p in problems:
        click.echo(str(p), err=True)
    if problems:
        sys.exit(EXIT_USER)
    for f in files:
        click.echo(f"{f}: ok")


_SAMPLER = click.option(
    "--sampler",
    type=click.Choice(["mc", "sobol"]),
    help="Normal scores: plain Monte Carlo, or randomized scrambled Sobol (default: the file's).",
)


def _with_sampler(sc: Any, sampler: str | None) -> Any:
    """The scenario with ``--sampler`` applied (unchanged when it is not given)."""
    return sc if sampler is None else sc.model_copy(update={"sampler": sampler})


@cli.command()
@click.argument("scenario", type=click.Path(dir_okay=True))
@click.option(
    "--paths", type=click.IntRange(min=1, max=MAX_PATHS), help="Number of Monte Carlo paths."
)
@click.option("--seed", type=click.IntRange(min=0), help="Random seed (default: the file's).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="Output folder.")
@click.option(
    "--format", "fmt", type=click.Choice(["png", "svg", "pdf"]), default="png", show_default=True
)
@click.option("--actuals", type=click.Path(), help="CSV of monthly actuals (month,usd_million).")
@click.option("--threads", type=click.IntRange(min=1), help="Worker threads (default: all cores).")
@click.option("--json", "as_json", is_flag=True, help="Print summary.json instead of the table.")
@click.option(
    "--spaghetti", is_flag=True, help="Also draw 40 sample paths over the fan (fan_paths chart)."
)
@_SAMPLER
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
    from simulator.report import charts
    from simulator.scenario.loader import load_scenario
    from simulator.stats.targets import chart_data

    sc = _with_sampler(load_scenario(scenario), sampler)
    kwargs: dict[str, Any] = {"paths": paths, "threads": threads, "actuals": actuals}
    if seed is not None:
        kwargs["seed"] = seed
    with _progress(paths or sc.paths, "Simulating") as progress:
        result = simulate(sc, progress=progress, **kwargs)
    summary = result.summary()
    summary["chart_data"] = chart_data(result)
    out = Path(out_dir) if out_dir else Path("out") / Path(scenario).stem
    files = run_files(summary, fmt=fmt)
    if spaghetti:
        files[f"fan_paths.{fmt}"] = charts.saver(
            charts.run_charts(summary, spaghetti=True)["fan_paths"]
        )
    written = _write(out, files)
    if as_json:
        click.echo(summary_json(summary), nl=False)
        return
    click.echo(target_table(summary))
    _echo_written(out, written)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the scenario format (for editors and yaml-language-server).

    Save it and point an editor at it, for example with a first line
    ``# yaml-language-server: $schema=scenario.schema.json`` in a scenario file.
    """
    from simulator.scenario.schema import json_schema

    click.echo(json.dumps(json_schema(), indent=2))


_FORMAT = click.option(
    "--format", "fmt", type=click.Choice(["png", "svg", "pdf"]), default="png", show_default=True
)


@cli.command()
@click.argument("scenario", required=False, type=click.Path(dir_okay=False))
@click.option(
    "--nowcast/--annual",
    default=False,
    help="Replay the current-year nowcast month by month (--nowcast) or, by default, the "
    "record rule from past fiscal years (--annual).",
)
@click.option(
    "--horizon",
    type=click.IntRange(min=1, max=5),
    default=5,
    show_default=True,
    help="Annual: most years ahead scored.",
)
@click.option(
    "--actuals", type=click.Path(), help="Nowcast: CSV of monthly actuals (month,usd_million)."
)
@click.option(
    "--growth-mean",
    type=float,
    help="Nowcast: replace the real-time prior by Normal(mean, --growth-sd) growth.",
)
@click.option(
    "--growth-sd",
    type=click.FloatRange(min=0),
    help="Nowcast: sd of that Normal prior [default: 0.10].",
)
@click.option(
    "--pit-chart",
    type=click.Path(dir_okay=False),
    help="Nowcast: also write the PIT histogram to this PNG/SVG/PDF file.",
)
@click.option("--paths", type=click.IntRange(min=100), default=20_000, show_default=True)
@click.option("--seed", type=click.IntRange(min=0), help="Seed [default: 2026 annual, 0 nowcast].")
@click.option(
    "--details", is_flag=True, help="Also print every origin and horizon (every year and k)."
)
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="Annual: output folder.")
@_FORMAT
def backtest(
    scenario: str | None,
    nowcast: bool,
    horizon: int,
    actuals: str | None,
    growth_mean: float | None,
    growth_sd: float | None,
    paths: int,
    seed: int | None,
    details: bool,
    pit_chart: str | None,
    out_dir: str | None,
    fmt: str,
) -> None:
    """Rolling-origin checks of projection bands against history.

    By default (--annual) the record rule (growth: record, the default baseline's method; or
    SCENARIO's, which must be built on it) is replayed at every origin the annual record
    allows (FY2020..FY2024), fitted on the years up to the origin only, projected
    1..--horizon years ahead and scored: coverage of the 50/80/90% bands with
    Clopper-Pearson intervals, the PIT of every one-year-ahead forecast, and the CRPS against
    a random walk with drift in logs and ETS on logs. Writes backtest.json and backtest.png
    (coverage against nominal, PIT histogram) to --out [default: out/backtest].

    With --nowcast, every past fiscal year the seasonal model can forecast is replayed in real
    time with k = 1..11 months observed, its prior taken from the annual record before it:
    coverage of the 50/80/95% intervals of the full-year total (Clopper-Pearson intervals),
    PIT and CRPS, against a seasonal-share rule and "YTD growth continues".
    """
    if nowcast:
        from simulator.data.history import load_monthly
        from simulator.questions.backtest_nowcast import PriorRule, nowcast_backtest

        prior: PriorRule | None = None
        label = None
        if growth_mean is not None or growth_sd is not None:
            mean = 0.15 if growth_mean is None else growth_mean
            sd = 0.10 if growth_sd is None else growth_sd

            def prior(fy: int, z: Any) -> Any:
                return mean + sd * z

            label = f"Normal({mean:g}, {sd:g}) growth every year"
        result = nowcast_backtest(
            load_monthly(actuals),
            prior=prior,
            prior_label=label,
            paths=paths,
            seed=0 if seed is None else seed,
        )
        click.echo(result.format_table())
        if details:
            click.echo("")
            click.echo(result.format_details())
        if pit_chart is not None:
            from simulator.plotting.backtest import plot_pit
            from simulator.plotting.style import new_figure

            def draw() -> Any:
                fig, ax = new_figure()
                plot_pit(result.pits, ax=ax)
                return fig

            target = Path(pit_chart)
            if target.suffix.lower() not in (".png", ".svg", ".pdf"):
                raise UserInputError("--pit-chart: use a .png, .svg or .pdf file name")
            from simulator.report import charts

            _write(target.parent, {target.name: charts.saver(draw)})
            click.echo(f"Wrote {target}")
        return
    if pit_chart is not None:
        raise UserInputError("--pit-chart applies to --nowcast only")
    given = [
        name
        for name, value in (
            ("--actuals", actuals),
            ("--growth-mean", growth_mean),
            ("--growth-sd", growth_sd),
        )
        if value is not None
    ]
    if given:
        raise UserInputError(f"{', '.join(given)} applies to --nowcast only")
    from simulator.questions.backtest import BACKTEST_SEED, record_backtest
    from simulator.report import charts
    from simulator.scenario.loader import load_scenario

    sc = load_scenario(scenario) if scenario is not None else None
    annual = record_backtest(
        sc, max_horizon=horizon, paths=paths, seed=BACKTEST_SEED if seed is None else seed
    )
    click.echo(annual.format_table())
    if details:
        click.echo("")
        click.echo(annual.format_details())
    data = annual.to_dict()
    out = Path(out_dir) if out_dir else Path("out") / "backtest"
    files = {"backtest.json": json.dumps(data, indent=2) + "\n"}
    written = _write_with_charts(out, files, charts.backtest_charts(data), fmt)
    _echo_written(out, written)


@cli.command()
@click.option(
    "--write",
    "write_file",
    type=click.Path(dir_okay=False),
    help="Write the scenario YAML to this file instead of printing it.",
)
@click.option("--force", is_flag=True, help="Overwrite the --write file if it exists.")
@click.option(
    "--from", "first", help="First fiscal year of growth to use [default: FY2017, the first]."
)
@click.option(
    "--to", "last", help="Origin: last fiscal year the rule sees [default: FY2025, the last]."
)
@click.option(
    "--tails",
    type=click.Choice(["student", "normal"]),
    default="student",
    show_default=True,
    help="Tail model of the record rule.",
)
@click.option(
    "--horizon",
    type=click.IntRange(min=2001, max=2100),
    default=2030,
    show_default=True,
    help="Last fiscal year the scenario projects.",
)
def calibrate(
    write_file: str | None,
    force: bool,
    first: str | None,
    last: str | None,
    tails: str,
    horizon: int,
) -> None:
    """Resolve the record rule (growth: record) and write it as an explicit scenario.

    Fits the rule of the default baseline to the bundled annual series (comparable from
    FY2016, so growth FY2017-FY2025: nine numbers): centre and spread of log growth, the
    Student-t predictive for parameter uncertainty (each year's growth plus a per-path lever
    for the uncertain mean) and the AR(1) persistence, shrunk toward 0. Prints the fit and the
    scenario, or writes it with --write: the same numbers `run` uses for growth: record, as a
    file you can edit. Method: docs/calibration.md.
    """
    from simulator.questions.calibrate import calibrate as fit_history
    from simulator.questions.calibrate import (
        fit_table,
        parse_fiscal_year,
        scenario_yaml,
        write_text,
    )

    fit = fit_history(
        first=None if first is None else parse_fiscal_year(first, option="--from"),
        last=None if last is None else parse_fiscal_year(last, option="--to"),
        tails=tails,
    )
    text = scenario_yaml(fit, horizon=horizon)
    click.echo(fit_table(fit))
    if write_file is None:
        click.echo("")
        click.echo(text, nl=False)
        return
    write_text(Path(write_file), text, overwrite=force)
    click.echo(f"\nWrote {write_file}")


@cli.command()
@click.argument("scenarios", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.option(
    "--paths",
    type=click.IntRange(min=2, max=MAX_PATHS),
    help="Paths per scenario (default: first's).",
)
@click.option("--seed", type=click.IntRange(min=0), help="One seed for all (default: first's).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="Output folder.")
@_FORMAT
@click.option("--actuals", type=click.Path(), help="CSV of monthly actuals (month,usd_million).")
@click.option("--threads", type=click.IntRange(min=1), help="Worker threads (default: all cores).")
@click.option("--json", "as_json", is_flag=True, help="Print comparison.json instead of the table.")
@_SAMPLER
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
    from simulator.present.files import summary_json
    from simulator.present.newsroom import newsroom_files
    from simulator.present.tables import comparison_table
    from simulator.questions.compare import comparison_csv, run_comparison
    from simulator.report import charts
    from simulator.report.html import comparison_html
    from simulator.scenario.loader import load_scenario

    scs = [_with_sampler(load_scenario(f), sampler) for f in scenarios]
    total = (paths or scs[0].paths) * len(scs)
    with _progress(total, f"Simulating {len(scs)} scenarios") as progress:
        comparison = run_comparison(
            scs, paths=paths, seed=seed, threads=threads, actuals=actuals, progress=progress
        )
    out = Path(out_dir) if out_dir else Path("out") / "compare"
    files: dict[str, Any] = {
        "comparison.json": summary_json(comparison),
        "comparison.csv": comparison_csv(comparison),
        **newsroom_files(comparison),
        "comparison.html": comparison_html(comparison),
    }
    written = _write_with_charts(out, files, charts.compare_charts(comparison), fmt)
    if as_json:
        click.echo(summary_json(comparison), nl=False)
        return
    click.echo(comparison_table(comparison))
    _echo_written(out, written)


@cli.command("required-growth")
@click.argument("scenario", required=False, type=click.Path(dir_okay=True))
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="Output folder.")
@_FORMAT
@click.option("--json", "as_json", is_flag=True, help="Print required_growth.json instead.")
def required_growth(scenario: str | None, out_dir: str | None, fmt: str, as_json: bool) -> None:
    """Constant annual growth each target needs, against the historical record.

    The base is FY2025 = 3,810 (bundled SBP data) and the targets are Uraan Pakistan's, unless
    a SCENARIO gives its own base and targets. Also shows the track record of official
    targets since 2016. Writes required_growth.json and two charts to --out (default
    out/required-growth/).
    """
    from simulator.present.files import summary_json
    from simulator.present.tables import required_growth_table
    from simulator.questions.record import (
        growth_inputs,
        past_targets,
        required_growth_summary,
        track_record_summary,
    )
    from simulator.report import charts

    base_year, base_value, targets, history = growth_inputs(scenario)
    required = required_growth_summary(
        targets, base_year=base_year, base_value=base_value, history=history
    )
    track = track_record_summary(past_targets(history))
    hist_rows = [{"fiscal_year": y, "value": v} for y, v in sorted(history.items())]
    payload = {**required, "track_record": track}
    out = Path(out_dir) if out_dir else Path("out") / "required-growth"
    files: dict[str, Any] = {"required_growth.json": summary_json(payload)}
    name = None
    if scenario is not None:
        from simulator.scenario.loader import load_scenario

        name = load_scenario(scenario).name
    draws = charts.required_growth_charts(required, track, hist_rows, scenario=name)
    written = _write_with_charts(out, files, draws, fmt)
    if as_json:
        click.echo(summary_json(payload), nl=False)
        return
    click.echo(required_growth_table(required, track))
    _echo_written(out, written)


@cli.command("goal-seek")
@click.argument("scenario", type=click.Path(dir_okay=True))
@click.option(
    "--target",
    "target_year",
    required=True,
    help="Target fiscal year (FY2029) or name (a component's target too).",
)
@click.option("--probability", required=True, type=float, help="Wanted P(hit), between 0 and 1.")
@click.option("--lever", help="Shift only this lever (default: every year's growth).")
@click.option("--shock", help="Solve for this shock's yearly probability instead of an uplift.")
@click.option("--paths", type=click.IntRange(min=2, max=MAX_PATHS), help="Paths per evaluation.")
@click.option("--seed", type=click.IntRange(min=0), help="Random seed (default: the file's).")
@click.option("--actuals", type=click.Path(), help="CSV of monthly actuals (month,usd_million).")
@click.option("--threads", type=click.IntRange(min=1), help="Worker threads (default: all cores).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def goal_seek(
    scenario: str,
    target_year: str,
    probability: float,
    lever: str | None,
    shock: str | None,
    paths: int | None,
    seed: int | None,
    actuals: str | None,
    threads: int | None,
    as_json: bool,
) -> None:
    """The uplift to growth that gives a target in SCENARIO the chance --probability.

    The uplift is added to every projected year's growth (or, with --lever, to one lever)
    and found by root-finding on common random numbers (the same draws at every step).
    With --shock it solves instead for that shock's yearly probability.
    """
    from simulator.engine.runs import prepare
    from simulator.present.files import summary_json
    from simulator.present.tables import goal_seek_text, shock_seek_text
    from simulator.questions.goalseek import GoalSeekError, find_target_by, goal_seek, shock_seek
    from simulator.scenario.loader import load_scenario

    plan = prepare(load_scenario(scenario), actuals=actuals)
    target = find_target_by(plan, target_year)
    if shock is not None:
        if lever is not None:
            raise GoalSeekError("give --lever or --shock, not both")
        with _counter("Goal seek: runs on the same draws") as progress:
            found = shock_seek(
                plan,
                target=target,
                probability=probability,
                shock=shock,
                paths=paths,
                seed=seed,
                threads=threads,
                progress=progress,
            ).as_dict()
        click.echo(summary_json(found) if as_json else shock_seek_text(found), nl=not as_json)
        return
    with _counter("Goal seek: runs on the same draws") as progress:
        result = goal_seek(
            plan,
            target=target,
            probability=probability,
            lever=lever,
            paths=paths,
            seed=seed,
            threads=threads,
            progress=progress,
        ).as_dict()
    if as_json:
        click.echo(summary_json(result), nl=False)
        return
    click.echo(goal_seek_text(result))


@cli.command()
@click.argument("scenario", type=click.Path(dir_okay=True))
@click.option(
    "--target",
    "target_year",
    help="Sort by this target's fiscal year, e.g. FY2026 (default: the latest official).",
)
@click.option(
    "--paths",
    type=click.IntRange(min=2, max=MAX_PATHS),
    default=20_000,
    show_default=True,
    help="Paths per run (1 base run + 2 per input).",
)
@click.option("--seed", type=click.IntRange(min=0), help="Random seed (default: the file's).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="Output folder.")
@_FORMAT
@click.option("--actuals", type=click.Path(), help="CSV of monthly actuals (month,usd_million).")
@click.option("--threads", type=click.IntRange(min=1), help="Worker threads (default: all cores).")
@click.option("--json", "as_json", is_flag=True, help="Print sensitivity.json instead.")
@click.option(
    "--global",
    "global_",
    is_flag=True,
    help="Sobol' and PAWN indices (SALib) over every assumption at once, instead of the tornado.",
)
@click.option(
    "--samples",
    type=click.IntRange(min=2),
    default=64,
    show_default=True,
    help="--global: Saltelli base sample N, a power of 2 (N x (assumptions + 2) runs).",
)
@click.option(
    "--vary",
    "varies",
    multiple=True,
    metavar="KEY=LO:HI",
    help="--global: replace an assumption's range, or add any sweep key (repeatable).",
)
@click.option("--workers", type=click.IntRange(min=1), help="--global: processes on this machine.")
@click.option("--scheduler", metavar="local|ADDRESS", help="--global: run on Dask.")
def sensitivity(
    scenario: str,
    target_year: str | None,
    paths: int,
    seed: int | None,
    out_dir: str | None,
    fmt: str,
    actuals: str | None,
    threads: int | None,
    as_json: bool,
    global_: bool = False,
    samples: int = 64,
    varies: tuple[str, ...] = (),
    workers: int | None = None,
    scheduler: str | None = None,
) -> None:
    """What drives SCENARIO: a tornado of every named input's effect on P(hit).

    Each growth range, persistence, lever, shock and binding limit is set low and then high,
    one at a time, on the same random draws as the base run. Prints the inputs sorted by
    their effect on the headline target; writes sensitivity.json, sensitivity.csv and
    tornado.<format> to --out (default out/sensitivity/).

    With --global, every assumption moves at once over its documented range (a Saltelli
    design run on the sweep machinery, same draws in every run) and SALib gives first-order
    and total Sobol' indices of each target's P(hit) with bootstrap intervals, plus PAWN as
    a check; writes sensitivity_global.csv and sensitivity_global.<format> (default
    out/sensitivity-global/).
    """
    if global_:
        _global_sensitivity(
            scenario,
            paths=paths,
            seed=seed,
            out_dir=out_dir,
            fmt=fmt,
            actuals=actuals,
            samples=samples,
            varies=varies,
            workers=workers,
            scheduler=scheduler,
            as_json=as_json,
        )
        return
    from simulator.engine.runs import prepare
    from simulator.present.files import sensitivity_csv, summary_json
    from simulator.present.tables import sensitivity_table
    from simulator.questions.goalseek import parse_fiscal_year
    from simulator.questions.sensitivity import sensitivity as run_sensitivity
    from simulator.report import charts
    from simulator.scenario.loader import load_scenario

    plan = prepare(load_scenario(scenario), actuals=actuals)
    fy = parse_fiscal_year(target_year) if target_year is not None else None
    with _counter("Sensitivity: runs on the same draws") as progress:
        result = run_sensitivity(
            plan,
            target=fy,
            paths=paths,
            seed=seed,
            threads=threads,
            progress=progress,
        ).as_dict()
    out = Path(out_dir) if out_dir else Path("out") / "sensitivity"
    files: dict[str, Any] = {
        "sensitivity.json": summary_json(result),
        "sensitivity.csv": sensitivity_csv(result),
    }
    written = _write_with_charts(out, files, charts.sensitivity_charts(result), fmt)
    if as_json:
        click.echo(summary_json(result), nl=False)
        return
    click.echo(sensitivity_table(result))
    _echo_written(out, written)


@cli.command()
@click.argument("scenarios", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.option(
    "--paths",
    type=click.IntRange(min=2, max=MAX_PATHS),
    help="Paths per scenario (default: first's).",
)
@click.option("--seed", type=click.IntRange(min=0), help="One seed for all (default: first's).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="Output folder.")
@_FORMAT
@click.option("--actuals", type=click.Path(), help="CSV of monthly actuals (month,usd_million).")
@click.option("--threads", type=click.IntRange(min=1), help="Worker threads (default: all cores).")
def report(
    scenarios: tuple[str, ...],
    paths: int | None,
    seed: int | None,
    out_dir: str | None,
    fmt: str,
    actuals: str | None,
    threads: int | None,
) -> None:
    """A brief-ready bundle for SCENARIOS: report.md, report.pdf, charts and the numbers.

    With several scenarios they also are compared on common random numbers (the first is the
    reference). Writes report.md, report.pdf (A4), the chart PNGs, summary-<name>.json per
    scenario and comparison.json to --out (default out/report/), whole or not at all.
    """
    from simulator.questions.compare import simulate_all
    from simulator.report.brief import comparison_sentence, headline
    from simulator.report.bundle import build_bundle, report_files
    from simulator.scenario.loader import load_scenario

    scs = [load_scenario(f) for f in scenarios]
    total = (paths or scs[0].paths) * len(scs)
    with _progress(total, f"Simulating {len(scs)} scenario(s)") as progress:
        projections = simulate_all(
            scs, paths=paths, seed=seed, threads=threads, actuals=actuals, progress=progress
        )
    bundle = build_bundle(projections, list(scenarios), fmt=fmt)
    out = Path(out_dir) if out_dir else Path("out") / "report"
    written = _write(out, report_files(bundle))
    brief = bundle.brief
    click.echo(headline(brief.summaries, brief.comparison))
    if brief.comparison is not None:
        click.echo(comparison_sentence(brief.summaries, brief.comparison))
    _echo_written(out, written)


@cli.command()
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
@click.option(
    "--paths",
    type=click.IntRange(min=2, max=MAX_PATHS),
    help="Paths per point (default: the file's).",
)
@click.option("--seed", type=click.IntRange(min=0), help="One seed for every point.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Processes on this machine (with --scheduler local: the cluster's workers).",
)
@click.option(
    "--scheduler",
    metavar="local|ADDRESS",
    help="Run on Dask: 'local' starts a LocalCluster, tcp://host:8786 uses a running one.",
)
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="Output folder.")
@_FORMAT
@click.option("--actuals", type=click.Path(), help="CSV of monthly actuals (month,usd_million).")
@click.option("--json", "as_json", is_flag=True, help="Print sweep.json instead of the table.")
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

    sc = load_scenario(scenario)
    parsed = [parse_vary(v, need_n=design == "grid") for v in varies]
    if design == "sobol" and points is None:
        raise UserInputError("--design sobol needs --points N", key="--points")
    total = n_points(parsed, design=design, points=points)
    try:
        with (
            make_executor(workers=workers, scheduler=scheduler) as ex,
            _progress(total, f"Sweep: {total} points") as progress,
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
    except KeyboardInterrupt:
        click.echo("\ninterrupted: outstanding runs cancelled; nothing written", err=True)
        sys.exit(130)
    out = Path(out_dir) if out_dir else Path("out") / "sweep"
    payload = result.to_dict()
    files: dict[str, Any] = {"sweep.csv": sweep_csv(result), "sweep.json": summary_json(payload)}
    written = _write_with_charts(out, files, sweep_charts(result), fmt)
    if as_json:
        click.echo(summary_json(payload), nl=False)
        return
    click.echo(sweep_table(result))
    _echo_written(out, written)


def _global_sensitivity(
    scenario: str,
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
    from simulator.scenario.loader import load_scenario

    sc = load_scenario(scenario)
    ranges = {v.key: (v.low, v.high) for v in (parse_vary(t, need_n=False) for t in varies)}
    total = samples * (len(factors_for(sc, ranges)) + 2)
    try:
        with (
            make_executor(workers=workers, scheduler=scheduler) as ex,
            _progress(total, f"Global sensitivity: {total} runs") as progress,
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
    except KeyboardInterrupt:
        click.echo("\ninterrupted: outstanding runs cancelled; nothing written", err=True)
        sys.exit(130)
    out = Path(out_dir) if out_dir else Path("out") / "sensitivity-global"
    payload = result.to_dict()
    files: dict[str, Any] = {"sensitivity_global.csv": global_csv(result)}
    written = _write_with_charts(out, files, global_charts(result), fmt)
    if as_json:
        click.echo(summary_json(payload), nl=False)
        return
    click.echo(global_table(result))
    _echo_written(out, written)


@cli.command()
@click.argument("scenario", type=click.Path(dir_okay=True))
@click.option(
    "--vary",
    "varies",
    multiple=True,
    metavar="KEY=LO:HI:N",
    help="A slider: N values of KEY from LO to HI (repeat; default: levers and growth means).",
)
@click.option(
    "--paths",
    type=click.IntRange(min=100, max=MAX_PATHS),
    default=4000,
    show_default=True,
    help="Paths per grid point.",
)
@click.option("--seed", type=click.IntRange(min=0), help="Random seed (default: the file's).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="Output folder.")
@click.option("--actuals", type=click.Path(), help="CSV of monthly actuals (month,usd_million).")
def explore(
    scenario: str,
    varies: tuple[str, ...],
    paths: int,
    seed: int | None,
    out_dir: str | None,
    actuals: str | None,
) -> None:
    """A what-if page for SCENARIO: explorer.html, with sliders over levers and assumptions.

    Every slider position is simulated in advance on common random numbers (the same draws
    for each), so the page needs no server and no network. Writes explorer.html to --out
    (default out/<scenario file name>-explore/).
    """
    import math

    from simulator.report.explorer import default_knobs, explore, explorer_html, parse_vary
    from simulator.scenario.loader import load_scenario

    sc = load_scenario(scenario)
    knobs = [parse_vary(v, sc) for v in varies] if varies else default_knobs(sc)
    n = math.prod(len(k.values) for k in knobs) if knobs else 0
    with _progress(n, f"Simulating {n} grid points") as progress:
        result = explore(sc, knobs, paths=paths, seed=seed, actuals=actuals, progress=progress)
    out = Path(out_dir) if out_dir else Path("out") / f"{Path(scenario).stem}-explore"
    written = _write(out, {"explorer.html": explorer_html(result)})
    click.echo(
        f"{n} grid points over "
        + ", ".join(f"{k.key} ({len(k.values)} values)" for k in knobs)
        + f"; {paths:,} paths each"
    )
    _echo_written(out, written)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="simulator")


__all__ = ["cli", "json", "main"]
