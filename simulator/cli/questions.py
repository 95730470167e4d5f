"""Commands that ask questions of a scenario or of the record: ``goal-seek``, ``sensitivity``,
``required-growth``, ``backtest`` and ``calibrate``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
    threads_option,
    with_sampler,
    workers_option,
)
from simulator.cli.output import counter, echo_written, output_folder, write_one, write_with_charts
from simulator.cli.sweeps import global_sensitivity_command
from simulator.errors import UserInputError

if TYPE_CHECKING:
    from simulator.present.files import FileContent


@click.command()
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
@actuals_option(
    "CSV of monthly actuals (month,usd_million); annual: a fiscal year complete in it extends "
    "the record."
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
@paths_option("Paths per origin.", default=20_000)
@seed_option("Seed [default: 2026 annual, 0 nowcast].")
@click.option(
    "--details", is_flag=True, help="Also print every origin and horizon (every year and k)."
)
@out_option("out/backtest/; annual only")
@format_option()
@sampler_option()
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
    sampler: str | None,
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
        if sampler is not None:
            raise UserInputError("--sampler applies to --annual only")
        _nowcast_backtest(
            actuals=actuals,
            growth_mean=growth_mean,
            growth_sd=growth_sd,
            paths=paths,
            seed=seed,
            details=details,
            pit_chart=pit_chart,
        )
        return
    if pit_chart is not None:
        raise UserInputError("--pit-chart applies to --nowcast only")
    given = [
        name
        for name, value in (
            ("--growth-mean", growth_mean),
            ("--growth-sd", growth_sd),
        )
        if value is not None
    ]
    if given:
        raise UserInputError(f"{', '.join(given)} applies to --nowcast only")
    from simulator.data.timeline import actuals_for, annual_record
    from simulator.questions.backtest import BACKTEST_SEED, record_backtest
    from simulator.report import charts
    from simulator.scenario.loader import load_scenario

    sc = load_scenario(scenario) if scenario is not None else None
    record = annual_record(actuals if sc is None else actuals_for(sc, actuals))
    out = output_folder(out_dir, Path("out") / "backtest")
    annual = record_backtest(
        sc,
        years=record.fiscal_years,
        values=record.values,
        max_horizon=horizon,
        paths=paths,
        seed=BACKTEST_SEED if seed is None else seed,
        sampler=sampler,
    )
    click.echo(annual.format_table())
    if details:
        click.echo("")
        click.echo(annual.format_details())
    files = {"backtest.json": json.dumps(annual.to_dict(), indent=2) + "\n"}
    written = write_with_charts(out, files, charts.backtest_charts(annual), fmt)
    echo_written(out, written)


def _nowcast_backtest(
    *,
    actuals: str | None,
    growth_mean: float | None,
    growth_sd: float | None,
    paths: int,
    seed: int | None,
    details: bool,
    pit_chart: str | None,
) -> None:
    """``simulator backtest --nowcast``: the current-year nowcast replayed month by month."""
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
    if pit_chart is None:
        return
    from simulator.plotting.backtest import plot_pit
    from simulator.plotting.style import new_figure
    from simulator.report import charts

    def draw() -> Any:
        fig, ax = new_figure()
        plot_pit(result.pits, ax=ax)
        return fig

    target = Path(pit_chart)
    if target.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise UserInputError("--pit-chart: use a .png, .svg or .pdf file name")
    write_one(target, charts.saver(draw))
    click.echo(f"Wrote {target}")


@click.command()
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
@actuals_option("CSV of monthly actuals; a fiscal year complete in it extends the record.")
def calibrate(
    write_file: str | None,
    force: bool,
    first: str | None,
    last: str | None,
    tails: str,
    horizon: int,
    actuals: str | None,
) -> None:
    """Resolve the record rule (growth: record) and write it as an explicit scenario.

    Fits the rule of the default baseline to the bundled annual series (comparable from
    FY2016, so growth FY2017-FY2025: nine numbers): centre and spread of log growth, the
    Student-t predictive for parameter uncertainty (each year's growth plus a per-path lever
    for the uncertain mean) and the AR(1) persistence, shrunk toward 0. Prints the fit and the
    scenario, or writes it with --write: the same numbers `run` uses for growth: record, as a
    file you can edit. Method: docs/calibration.md.
    """
    from simulator.data.timeline import annual_record
    from simulator.questions.calibrate import calibrate as fit_history
    from simulator.questions.calibrate import (
        fit_table,
        parse_fiscal_year,
        scenario_yaml,
        write_text,
    )

    fit = fit_history(
        annual_record(actuals),
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


@click.command("required-growth")
@click.argument("scenario", required=False, type=click.Path(dir_okay=True))
@out_option("out/required-growth/")
@format_option()
@json_option("required_growth.json")
@actuals_option()
def required_growth(
    scenario: str | None, out_dir: str | None, fmt: str, as_json: bool, actuals: str | None
) -> None:
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
        required_growth_json,
        required_growth_summary,
        track_record_summary,
    )
    from simulator.report import charts
    from simulator.stats.summary import YearValue

    base_year, base_value, targets, history, monthly = growth_inputs(scenario, actuals=actuals)
    out = output_folder(out_dir, Path("out") / "required-growth")
    required = required_growth_summary(
        targets, base_year=base_year, base_value=base_value, history=history, monthly=monthly
    )
    track = track_record_summary(past_targets(history))
    hist_rows = [YearValue(fiscal_year=y, value=v) for y, v in sorted(history.items())]
    payload = required_growth_json(required, track)
    files: dict[str, FileContent] = {"required_growth.json": summary_json(payload)}
    name = None
    if scenario is not None:
        from simulator.scenario.loader import load_scenario

        name = load_scenario(scenario).name
    draws = charts.required_growth_charts(required, track, hist_rows, scenario=name)
    written = write_with_charts(out, files, draws, fmt)
    if as_json:
        click.echo(summary_json(payload), nl=False)
        return
    click.echo(required_growth_table(required, track))
    echo_written(out, written)


@click.command("goal-seek")
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
@paths_option("Paths per evaluation (default: the file's).")
@seed_option()
@actuals_option()
@threads_option()
@json_option("the result as JSON")
@sampler_option()
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
    sampler: str | None,
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

    plan = prepare(with_sampler(load_scenario(scenario), sampler), actuals=actuals)
    target = find_target_by(plan, target_year)
    if shock is not None:
        if lever is not None:
            raise GoalSeekError("give --lever or --shock, not both")
        with counter("Goal seek: runs on the same draws") as progress:
            found = shock_seek(
                plan,
                target=target,
                probability=probability,
                shock=shock,
                paths=paths,
                seed=seed,
                threads=threads,
                progress=progress,
            )
        text = summary_json(found.to_dict()) if as_json else shock_seek_text(found)
        click.echo(text, nl=not as_json)
        return
    with counter("Goal seek: runs on the same draws") as progress:
        result = goal_seek(
            plan,
            target=target,
            probability=probability,
            lever=lever,
            paths=paths,
            seed=seed,
            threads=threads,
            progress=progress,
        )
    if as_json:
        click.echo(summary_json(result.to_dict()), nl=False)
        return
    cy = plan.current
    reported = cy.months_observed if cy is not None and cy.fiscal_year == result.years[0] else 0
    click.echo(goal_seek_text(result, months_reported=reported))


@click.command()
@click.argument("scenario", type=click.Path(dir_okay=True))
@click.option(
    "--target",
    "target_year",
    help="Sort by this target's fiscal year, e.g. FY2026 (default: the latest official).",
)
@paths_option("Paths per run (1 base run + 2 per input).", default=20_000)
@seed_option()
@out_option("out/sensitivity/, or out/sensitivity-global/ with --global")
@format_option()
@actuals_option()
@threads_option()
@json_option("sensitivity.json")
@sampler_option()
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
@workers_option("--global: processes on this machine.")
@scheduler_option("--global: run on Dask ('local' or an address).")
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
    sampler: str | None,
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
    from simulator.scenario.loader import load_scenario

    sc = with_sampler(load_scenario(scenario), sampler)
    if global_:
        global_sensitivity_command(
            sc,
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

    plan = prepare(sc, actuals=actuals)
    out = output_folder(out_dir, Path("out") / "sensitivity")
    fy = parse_fiscal_year(target_year) if target_year is not None else None
    with counter("Sensitivity: runs on the same draws") as progress:
        result = run_sensitivity(
            plan,
            target=fy,
            paths=paths,
            seed=seed,
            threads=threads,
            progress=progress,
        )
    data = summary_json(result.to_dict())
    files: dict[str, FileContent] = {
        "sensitivity.json": data,
        "sensitivity.csv": sensitivity_csv(result),
    }
    written = write_with_charts(out, files, charts.sensitivity_charts(result), fmt)
    if as_json:
        click.echo(data, nl=False)
        return
    click.echo(sensitivity_table(result))
    echo_written(out, written)


COMMANDS = (goal_seek, sensitivity, required_growth, backtest, calibrate)
