"""The command line, run in-process with click's CliRunner."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from simulator.cli import cli

BASELINE = "scenarios/baseline.yaml"


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_run_prints_table_and_writes_outputs(tmp_path: Path) -> None:
    code, out, err = invoke("run", BASELINE, "--paths", "4000", "--out", str(tmp_path))
    assert code == 0, err
    assert "Uraan Pakistan FY29" in out
    assert "P(hit)" in out
    for name in ("summary.json", "quantiles.csv", "targets.csv", "fan.png"):
        assert (tmp_path / name).stat().st_size > 0
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["run"]["paths"] == 4000
    assert summary["base"] == {"fiscal_year": 2025, "value": 3810.0}
    assert [y["fiscal_year"] for y in summary["years"]] == [2026, 2027, 2028, 2029, 2030]
    for key in ("scenario", "run", "targets", "p_all_targets", "first_crossing"):
        assert key in summary
    assert not list(tmp_path.glob(".tmp-*"))


def test_run_json_prints_summary(tmp_path: Path) -> None:
    code, out, _ = invoke("run", BASELINE, "--paths", "2000", "--out", str(tmp_path), "--json")
    assert code == 0
    assert json.loads(out)["run"]["seed"] == 2026


@pytest.mark.parametrize("fmt", ["svg", "pdf"])
def test_run_other_formats(tmp_path: Path, fmt: str) -> None:
    code, _, err = invoke(
        "run", BASELINE, "--paths", "2000", "--out", str(tmp_path), "--format", fmt
    )
    assert code == 0, err
    assert (tmp_path / f"fan.{fmt}").stat().st_size > 0


def test_seed_option_overrides_file(tmp_path: Path) -> None:
    invoke("run", BASELINE, "--paths", "2000", "--seed", "1", "--out", str(tmp_path / "a"))
    invoke("run", BASELINE, "--paths", "2000", "--seed", "1", "--out", str(tmp_path / "b"))
    a = json.loads((tmp_path / "a" / "summary.json").read_text())
    b = json.loads((tmp_path / "b" / "summary.json").read_text())
    assert a["years"] == b["years"]
    assert a["run"]["seed"] == 1


BAD_SD = """name: bad
growth:
  - years: 2026-2030
    dist: normal
    mean: 0.19
    sd: -0.02
"""


def test_bad_value_is_one_located_line(write_yaml: Callable[..., Path]) -> None:
    path = write_yaml(BAD_SD, "fast.yaml")
    code, out, err = invoke("run", str(path))
    assert code == 2
    assert err == f"{path}:6: growth[0].sd: must be >= 0 (got -0.02)\n"
    assert "Traceback" not in out + err


def test_unknown_key_suggests(write_yaml: Callable[..., Path]) -> None:
    path = write_yaml(
        "name: x\npersistance: 0.4\ngrowth:\n  - {years: 2026-2030, dist: normal, "
        "mean: 0.1, sd: 0.1}\n"
    )
    code, _, err = invoke("validate", str(path))
    assert code == 2
    assert err.startswith(f"{path}:2: persistance: unknown key 'persistance'")
    assert "did you mean 'persistence'" in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "file not found"),
        ("", "empty file"),
        ("name: [unclosed\n", "YAML syntax"),
    ],
)
def test_unreadable_files_get_one_line(tmp_path: Path, content: str | None, expected: str) -> None:
    path = tmp_path / "s.yaml"
    if content is not None:
        path.write_text(content)
    for command in ("run", "validate"):
        code, out, err = invoke(command, str(path))
        assert code == 2
        assert err.startswith(f"{path}")
        assert expected in err
        assert len(err.strip().splitlines()) == 1
        assert "Traceback" not in out + err


def test_missing_year_range_is_located(write_yaml: Callable[..., Path]) -> None:
    path = write_yaml(
        "name: gap\ngrowth:\n  - {years: 2026-2027, dist: normal, mean: 0.1, sd: 0.1}\n"
    )
    code, _, err = invoke("validate", str(path))
    assert code == 2
    assert err.startswith(f"{path}:2: growth: no growth range covers fiscal year(s) 2028-2030")


def test_validate_reports_every_problem(write_yaml: Callable[..., Path]) -> None:
    path = write_yaml(
        "name: x\nhorizon: 2030\ngrowth:\n  - {years: 2026-2030, dist: lognorm, mean: 0.1}\n"
        "persistence: 3\n"
    )
    code, _, err = invoke("validate", str(path), BASELINE)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 2
    assert any("growth[0].dist: unknown dist 'lognorm'" in ln for ln in lines)
    assert any(ln.startswith(f"{path}:5: persistence:") for ln in lines)


def test_validate_ok(tmp_path: Path) -> None:
    code, out, _ = invoke("validate", BASELINE)
    assert code == 0
    assert "ok" in out


def test_debug_shows_traceback(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--debug", "run", str(tmp_path / "none.yaml")])
    assert result.exit_code != 0
    assert result.exception is not None


def test_every_command_has_help() -> None:
    for name, command in cli.commands.items():
        assert command.help, name
        code, out, _ = invoke(name, "--help")
        assert code == 0
        assert "Usage" in out


def test_backtest_nowcast_prints_table() -> None:
    code, out, err = invoke("backtest", "--nowcast", "--paths", "2000")
    assert code == 0, err
    assert "| k | cells | cover 50%" in out
    assert "Replayed FY2023, FY2024, FY2025" in out


def test_quiet_off_a_terminal_prints_no_progress(tmp_path: Path) -> None:
    code, out, err = invoke("run", BASELINE, "--paths", "3000", "--out", str(tmp_path))
    assert code == 0
    assert "Simulating" not in out + err


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("month,usd_million\n2021-07,1\n2021-07,2\n", ":3: month: duplicate month 2021-07"),
        ("month,usd_million\n2021-07,1\n2021-09,2\n", ":3: month: gap: 2021-08 is missing"),
        ("month,usd_million\n2021-07,1\n2021-08,-5\n", ":3: usd_million: negative value"),
        ("month,usd_million\n2021-07,1\n2021-08,n/a\n", ":3: usd_million: not a number"),
    ],
)
def test_bad_actuals_get_one_line(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "actuals.csv"
    path.write_text(text)
    code, out, err = invoke(
        "run", BASELINE, "--paths", "1000", "--actuals", str(path), "--out", str(tmp_path / "o")
    )
    assert code == 2
    assert err == f"{path}{err[len(str(path)) :]}"
    assert fragment in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in out + err
    assert not (tmp_path / "o").exists()


def test_actuals_that_are_not_csv(tmp_path: Path) -> None:
    path = tmp_path / "actuals.xlsx"
    path.write_bytes(b"PK\x03\x04")
    code, _, err = invoke("run", BASELINE, "--actuals", str(path))
    assert code == 2
    assert err.startswith(f"{path}: not a CSV file")


def test_run_table_reports_components_shocks_and_limits(tmp_path: Path) -> None:
    code, out, _ = invoke(
        "run", "scenarios/call-centres.yaml", "--paths", "4000", "--out", str(tmp_path / "a")
    )
    assert code == 0
    assert "Components in FY30 (medians): call centres $" in out
    code, out, _ = invoke(
        "run", "scenarios/global-slowdown.yaml", "--paths", "4000", "--out", str(tmp_path / "b")
    )
    assert code == 0
    assert "Shock 'global_tech_slowdown' struck in: FY27" in out
    summary = json.loads((tmp_path / "b" / "summary.json").read_text())
    share = summary["shocks"]["global_tech_slowdown"]["2027"]
    assert f"FY27 {share:.1%}" in out  # one decimal above 1% (issue 13)


def test_validate_catches_components_larger_than_the_base(
    write_yaml: Callable[..., Path],
) -> None:
    path = write_yaml(
        "name: too big\n"
        "growth:\n  - {years: 2026-2030, dist: normal, mean: 0.1, sd: 0.05}\n"
        "components:\n"
        "  - {name: call_centres, base: 5000}\n"
        "  - {name: rest, base: rest}\n"
    )
    code, _, err = invoke("validate", str(path))
    assert code == 2
    assert err.startswith(f"{path}:4: components: components' bases add up to 5,000, more than")


def test_bounded_shock_impact_at_or_below_minus_one_is_refused(
    write_yaml: Callable[..., Path],
) -> None:
    path = write_yaml(
        "name: x\n"
        "growth:\n  - {years: 2026-2030, dist: normal, mean: 0.1, sd: 0.05}\n"
        "shocks:\n"
        "  - name: crash\n"
        "    years: 2027-2028\n"
        "    probability: 0.1\n"
        "    impact: {dist: uniform, low: -1.5, high: -0.1}\n"
    )
    code, _, err = invoke("validate", str(path))
    assert code == 2
    assert err == (
        f"{path}:8: shocks[0].impact.low: must be > -1: a fall of 100% or more is impossible "
        "(got -1.5)\n"
    )


@pytest.mark.parametrize(
    "args",
    [
        ("run", BASELINE, "--paths", "500"),
        ("compare", BASELINE, "--paths", "500"),
        ("required-growth",),
    ],
)
def test_unwritable_out_folder_is_one_line(tmp_path: Path, args: tuple[str, ...]) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    out_dir = blocker / "sub"
    code, out, err = invoke(*args, "--out", str(out_dir))
    assert code == 2, err
    assert err.startswith(f"{out_dir}: cannot write the outputs: ")
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in out + err


def test_unseeded_run_prints_the_entropy_that_replays_it(
    tmp_path: Path, write_yaml: Callable[..., Path]
) -> None:
    path = write_yaml(
        "name: unseeded\npaths: 500\ngrowth:\n  - {years: 2026-2030, dist: normal, "
        "mean: 0.15, sd: 0.05}\n"
    )
    code, out, err = invoke("run", str(path), "--out", str(tmp_path / "a"))
    assert code == 0, err
    entropy = json.loads((tmp_path / "a" / "summary.json").read_text())["run"]["seed_entropy"]
    assert "seed None" not in out
    assert f"seed {entropy}" in out.splitlines()[0]
    code, out, err = invoke("compare", str(path), str(path), "--out", str(tmp_path / "b"))
    assert code == 0, err
    entropy = json.loads((tmp_path / "b" / "comparison.json").read_text())["run"]["seed_entropy"]
    assert "seed None" not in out
    assert f"seed {entropy}" in out.splitlines()[0]


def test_every_target_counts_observed_misses_and_names_the_horizon(
    tmp_path: Path, write_yaml: Callable[..., Path]
) -> None:
    growth = "growth:\n  - {years: 2026-2028, dist: normal, mean: 0.15, sd: 0.05}\n"
    path = write_yaml(
        "name: custom\nhorizon: 2028\npaths: 2000\nseed: 3\n" + growth + "targets:\n"
        "  - {name: Missed, fiscal_year: 2023, value: 3000}\n"
        "  - {name: Next, fiscal_year: 2027, value: 5000}\n"
    )
    # A target after the horizon cannot be judged: refused at its line, naming the horizon.
    later = write_yaml(
        path.read_text() + "  - {name: Later, fiscal_year: 2031, value: 20000}\n", "later.yaml"
    )
    code, _, err = invoke("run", str(later), "--out", str(tmp_path / "b"))
    assert code == 2 and "targets[2].fiscal_year" in err and "horizon 2028" in err, err
    assert not (tmp_path / "b").exists()
    code, out, err = invoke("run", str(path), "--out", str(tmp_path / "a"))
    assert code == 0, err
    summary = json.loads((tmp_path / "a" / "summary.json").read_text())
    next_p = next(t["p_hit"] for t in summary["targets"] if t["name"] == "Next")
    assert next_p > 0.5
    # FY2023's 2,596 already missed 3,000: no path can hit every target.
    assert summary["p_all_targets"] == 0.0
    assert "Chance of hitting every target: 0% (FY23 already missed)" in out


@pytest.mark.parametrize(("target", "what"), [(".", "is a directory"), ("nope.csv", "not found")])
def test_scenario_actuals_problem_names_the_scenario_line(
    tmp_path: Path, write_yaml: Callable[..., Path], target: str, what: str
) -> None:
    path = write_yaml(
        f"name: x\nactuals: {target}\ngrowth:\n  - {{years: 2026-2030, dist: normal, "
        "mean: 0.15, sd: 0.05}\n"
    )
    for command in ("validate", "run"):
        code, _, err = invoke(
            command, str(path), *(["--out", str(tmp_path / "o")] * (command == "run"))
        )
        assert code == 2, err
        assert err.startswith(f"{path}:2: actuals: ")
        assert what in err
        assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("command", ["run", "compare", "goal-seek"])
def test_paths_beyond_the_format_limit_is_an_option_error(tmp_path: Path, command: str) -> None:
    from simulator.scenario.json_schema import json_schema

    limit = json_schema()["$defs"]["Scenario"]["properties"]["paths"]["maximum"]
    extra = ["--target", "FY2029", "--probability", "0.5"] if command == "goal-seek" else []
    code, out, err = invoke(command, BASELINE, *extra, "--paths", str(limit + 1), "--seed", "1")
    assert code == 2
    assert f"Invalid value for '--paths': {limit + 1} is not in the range" in err
    assert "Traceback" not in out + err


def test_run_refuses_a_typo_in_actuals_with_one_line(tmp_path: Path) -> None:
    """A month of 3950 for 395 used to give P(FY26) >99.9%; now it is refused at its line."""
    bundled = Path(__file__).resolve().parent.parent / "simulator/data/ict_exports_monthly.csv"
    actuals = tmp_path / "actuals.csv"
    actuals.write_text(bundled.read_text(encoding="utf-8") + "2025-11,3950,,,\n", encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = invoke("run", BASELINE, "--actuals", str(actuals), "--out", str(out))
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"{actuals}:67: usd_million: implausible value 3,950 for 2025-11")
    assert not out.exists()


def test_no_arguments_shows_help_and_exits_0() -> None:
    code, out, err = invoke()
    assert code == 0, err
    assert out.startswith("Usage: ")
    assert "Commands:" in out


def _paths_option(command: Any) -> click.Option:
    return next(p for p in command.params if isinstance(p, click.Option) and p.name == "paths")


def test_every_paths_option_has_the_same_limits() -> None:
    from simulator.cli.options import MAX_PATHS, MIN_PATHS

    with_paths = {n: c for n, c in cli.commands.items() if any(p.name == "paths" for p in c.params)}
    assert {"run", "compare", "report", "goal-seek", "sensitivity", "backtest", "sweep"} <= set(
        with_paths
    )
    for name, command in with_paths.items():
        kind = _paths_option(command).type
        assert isinstance(kind, click.IntRange), name
        assert (kind.min, kind.max) == (MIN_PATHS, MAX_PATHS), name


@pytest.mark.parametrize("command", ["run", "compare", "sensitivity", "explore"])
def test_too_few_paths_is_the_same_option_error_everywhere(command: str) -> None:
    from simulator.cli.options import MIN_PATHS

    code, out, err = invoke(command, BASELINE, "--paths", str(MIN_PATHS - 1))
    assert code == 2
    assert f"Invalid value for '--paths': {MIN_PATHS - 1} is not in the range" in err
    assert "Traceback" not in out + err


@pytest.mark.parametrize("command", ["goal-seek", "sensitivity", "backtest", "report", "explore"])
def test_sampler_is_an_option_of_every_command_that_simulates(command: str) -> None:
    names = {p.name for p in cli.commands[command].params}
    assert "sampler" in names


def test_goal_seek_takes_the_sampler(tmp_path: Path) -> None:
    args = ["goal-seek", BASELINE, "--target", "FY2029", "--probability", "0.5"]
    args += ["--paths", "1024", "--seed", "3", "--json"]
    code, out, err = invoke(*args, "--sampler", "sobol")
    assert code == 0, err
    sobol = json.loads(out)
    code, out, err = invoke(*args, "--sampler", "mc")
    assert code == 0, err
    # Different normal scores, so the solved uplift differs (both solve the same question).
    assert sobol != json.loads(out)


def test_backtest_sampler_is_annual_only() -> None:
    code, _, err = invoke("backtest", "--nowcast", "--sampler", "sobol")
    assert code == 2
    assert err.strip() == "--sampler applies to --annual only"


def test_one_scenario_is_not_plural(tmp_path: Path) -> None:
    code, out, err = invoke("compare", BASELINE, "--paths", "500", "--out", str(tmp_path))
    assert code == 0, err
    assert "1 scenarios" not in out + err
    assert "Wrote 1 files" not in out


def test_a_new_run_leaves_no_stale_charts(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _, err = invoke("run", BASELINE, "--paths", "500", "--seed", "1", "--out", str(out))
    assert code == 0, err
    assert list(out.glob("*.png"))
    args = ["run", BASELINE, "--paths", "500", "--seed", "2", "--format", "svg"]
    code, _, err = invoke(*args, "--out", str(out))
    assert code == 0, err
    assert not list(out.glob("*.png"))
    assert (out / "fan.svg").is_file()
    assert json.loads((out / "summary.json").read_text())["run"]["seed"] == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize("command", ["run", "compare", "report", "sweep"])
def test_a_folder_of_other_files_is_refused_before_any_work(tmp_path: Path, command: str) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    extra = ["--vary", "growth[0].mean=0.1:0.2:2"] if command == "sweep" else []
    code, out, err = invoke(command, BASELINE, *extra, "--paths", "500", "--out", str(tmp_path))
    assert code == 2
    assert err.startswith(f"{tmp_path}: holds files this tool did not write; ")
    assert len(err.strip().splitlines()) == 1
    assert out == ""  # refused before simulating
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_ctrl_c_during_a_run_exits_130_and_keeps_the_old_folder(tmp_path: Path) -> None:
    """SIGINT while a long run computes: exit code 130, one line, the previous run intact."""
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "out"
    code, _, err = invoke("run", BASELINE, "--paths", "500", "--seed", "1", "--out", str(out))
    assert code == 0, err
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    args = ["run", BASELINE, "--paths", "2000000", "--threads", "1", "--seed", "2"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator", *args, "--format", "svg", "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(8)
    assert proc.poll() is None, "the run finished before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stdout + stderr
    assert stderr.strip().splitlines()[-1].startswith("interrupted")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
