"""Sweeps: keys, ranges, common random numbers, identical results on every executor, charts.

Real engine, small runs (a few thousand paths); the CLI runs in-process.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from simulator.cli import cli
from simulator.engine.executors import ThreadExecutor, import_distributed, make_executor
from simulator.errors import UserInputError
from simulator.questions.sweep import Vary, contour_data, parse_vary, response_curve, sweep
from simulator.questions.variants import SweepError, resolve_key, sweepable_keys
from simulator.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parent.parent
AI_PUSH = ROOT / "scenarios" / "ai-push.yaml"
SLOWDOWN = ROOT / "scenarios" / "global-slowdown.yaml"
PATHS = 3_000

EXPLICIT = """\
name: Explicit growth
description: Growth given as ranges, so every growth key can be swept.
base: history
horizon: 2030
paths: 3000
seed: 7
growth:
  - years: 2026-2027
    dist: normal
    mean: 0.19
    sd: 0.06
  - years: 2028-2030
    dist: lognormal
    mean: 0.17
    sd: 0.08
persistence: 0.4
levers:
  - name: push
    years: 2027-2030
    dist: pert
    low: 0.0
    mode: 0.02
    high: 0.04
targets: uraan
"""


@pytest.fixture(scope="module")
def explicit(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sweep") / "explicit.yaml"
    path.write_text(EXPLICIT, encoding="utf-8")
    return path


def _invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--quiet", *args])
    return result.exit_code, result.stdout, result.stderr


def _fy29(res: object) -> int:
    targets = res.targets  # type: ignore[attr-defined]
    return next(i for i, t in enumerate(targets) if t.fiscal_year == 2029)


# --- keys and ranges --------------------------------------------------------------------------


def test_sweepable_keys_name_items_by_name(explicit: Path) -> None:
    keys = sweepable_keys(load_scenario(explicit))
    assert keys["growth[0].mean"] == ("growth", 0, "mean")
    assert keys["levers.push.high"] == ("levers", 0, "high")
    assert keys["growth[1].shift"] == ("growth", 1, "shift")
    shocks = sweepable_keys(load_scenario(SLOWDOWN))
    assert shocks["shocks.global_tech_slowdown.probability"] == ("shocks", 0, "probability")
    assert "shocks.global_tech_slowdown.impact.mean" in shocks


def test_unknown_key_is_one_line_with_a_hint(explicit: Path, tmp_path: Path) -> None:
    code, _, err = _invoke(
        "sweep", str(explicit), "--vary", "growth[0].men=0.1:0.3:3", "--out", str(tmp_path / "o")
    )
    assert code == 2
    assert err.count("\n") == 1
    assert "unknown key 'growth[0].men' (did you mean 'growth[0].mean'?)" in err
    assert "sweepable keys: growth[0].mean, growth[0].sd" in err
    assert not (tmp_path / "o").exists()


def test_value_the_schema_refuses_is_one_located_line(explicit: Path, tmp_path: Path) -> None:
    code, _, err = _invoke(
        "sweep", str(explicit), "--vary", "growth[0].sd=-0.02:0.1:3", "--out", str(tmp_path / "o")
    )
    assert code == 2
    assert err == (
        f"{explicit}:11: growth[0].sd: not allowed in a sweep (growth[0].sd=-0.02): "
        "must be >= 0 (got -0.02)\n"
    )
    sc = load_scenario(SLOWDOWN)
    with pytest.raises(UserInputError, match=r"must be <= 1 \(got 1.5\)"):
        sweep(sc, [Vary("shocks.global_tech_slowdown.probability", 0.0, 1.5, 3)], paths=100)


def test_parse_vary_forms() -> None:
    assert parse_vary("persistence=0:0.8:5") == Vary("persistence", 0.0, 0.8, 5)
    assert parse_vary("persistence=0:0.8", need_n=False).n is None
    for bad in ("persistence", "persistence=0.8:0:3", "persistence=0:1:1", "p=a:b:3"):
        with pytest.raises(SweepError):
            parse_vary(bad)


def test_a_growth_range_the_scenario_lacks_is_unknown(explicit: Path) -> None:
    with pytest.raises(SweepError, match="sweepable keys"):
        resolve_key(load_scenario(explicit), "growth[2].mean")


# --- common random numbers --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scenario", "key", "lo", "hi"),
    [
        ("explicit", "growth[0].mean", 0.05, 0.35),
        ("explicit", "growth[1].shift", -0.1, 0.1),
        (str(AI_PUSH), "levers.ai_services_push.shift", -0.02, 0.06),
        (str(SLOWDOWN), "shocks.global_tech_slowdown.impact.shift", -0.1, 0.08),
    ],
)
def test_p_hit_never_falls_as_growth_rises(
    explicit: Path, scenario: str, key: str, lo: float, hi: float
) -> None:
    path = explicit if scenario == "explicit" else Path(scenario)
    res = sweep(load_scenario(path), [Vary(key, lo, hi, 7)], paths=PATHS, seed=11)
    p = res.p_hit(_fy29(res))
    assert np.all(np.diff(p) >= 0), p
    assert p[-1] > p[0]  # and the key does move it


def test_every_point_runs_on_the_same_draws(explicit: Path) -> None:
    # Two sweeps that share a point give that point the same result: the draws do not depend
    # on the other points.
    sc = load_scenario(explicit)
    a = sweep(sc, [Vary("growth[0].mean", 0.1, 0.3, 3)], paths=PATHS, seed=3)
    b = sweep(sc, [Vary("growth[0].mean", 0.2, 0.4, 3)], paths=PATHS, seed=3)
    assert a.points[1].targets == b.points[0].targets
    c = sweep(sc, [Vary("growth[0].mean", 0.1, 0.3, 3)], paths=PATHS, seed=4)
    assert a.points[1].targets != c.points[1].targets


def test_sobol_design_covers_the_ranges(explicit: Path) -> None:
    sc = load_scenario(explicit)
    res = sweep(
        sc,
        [Vary("growth[0].mean", 0.1, 0.3), Vary("persistence", 0.0, 0.8)],
        design="sobol",
        points=16,
        paths=500,
    )
    vals = np.array([p.values for p in res.points])
    assert vals.shape == (16, 2)
    assert (vals[:, 0] >= 0.1).all() and (vals[:, 0] <= 0.3).all()
    assert (vals[:, 1] >= 0.0).all() and (vals[:, 1] <= 0.8).all()
    # Each half of each range holds half the points (a balanced Sobol' sequence).
    assert (vals[:, 0] < 0.2).sum() == 8 and (vals[:, 1] < 0.4).sum() == 8


# --- identical results on every executor ------------------------------------------------------


def test_sweep_files_are_identical_on_threads_processes_and_a_local_cluster(
    explicit: Path, tmp_path: Path
) -> None:
    args = [
        "sweep",
        str(explicit),
        "--vary",
        "growth[0].mean=0.12:0.24:3",
        "--vary",
        "levers.push.shift=-0.01:0.01:2",
        "--paths",
        "2000",
        "--seed",
        "5",
    ]
    runs = {
        "threads": [],
        "two_processes": ["--workers", "2"],
        "local_cluster": ["--scheduler", "local", "--workers", "2"],
    }
    texts = {}
    for name, extra in runs.items():
        out = tmp_path / name
        code, _, err = _invoke(*args, *extra, "--out", str(out))
        assert code == 0, err
        texts[name] = (out / "sweep.csv").read_bytes()
        assert (out / "sweep.json").read_bytes() == (
            tmp_path / "threads" / "sweep.json"
        ).read_bytes()
    assert len(set(texts.values())) == 1
    assert texts["threads"].count(b"\n") == 1 + 6


def test_missing_dask_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(__import__("sys").modules, "distributed", None)
    with pytest.raises(UserInputError, match=r'pip install "simulator\[dask\]"'):
        import_distributed()
    with pytest.raises(UserInputError):
        make_executor(scheduler="local")


def _interrupt_at_three(i: int) -> int:
    if i == 3:
        raise KeyboardInterrupt
    return i * i


def test_interrupt_cancels_outstanding_tasks() -> None:
    made = []

    def tasks() -> object:
        for i in range(1000):
            made.append(i)
            yield i

    with ThreadExecutor(2) as ex, pytest.raises(KeyboardInterrupt):
        ex.map(_interrupt_at_three, tasks())  # type: ignore[arg-type]
    assert len(made) < 50  # tasks are made as workers free up, and stop at the interrupt


def test_results_come_back_in_task_order() -> None:
    with ThreadExecutor(2) as ex:
        assert ex.map(abs, range(-20, 0)) == list(range(20, 0, -1))


# --- files and charts -------------------------------------------------------------------------


def test_cli_writes_csv_json_and_charts(explicit: Path, tmp_path: Path) -> None:
    out = tmp_path / "o"
    code, stdout, err = _invoke(
        "sweep",
        str(explicit),
        "--vary",
        "growth[1].mean=0.10:0.40:4",
        "--vary",
        "levers.push.shift=-0.02:0.06:3",
        "--paths",
        "2000",
        "--out",
        str(out),
    )
    assert code == 0, err
    names = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert names == [
        "contour_fy26_5000.png",
        "contour_fy29_10000.png",
        "contour_fy30_20000.png",
        "response_growth_1_mean.png",
        "response_levers_push_shift.png",
        "sweep.csv",
        "sweep.json",
    ]
    head = (out / "sweep.csv").read_text().splitlines()[0].split(",")
    assert head[:3] == ["point", "growth[1].mean", "levers.push.shift"]
    assert "p_hit:Uraan Pakistan FY29" in head and "median:Uraan Pakistan FY29" in head
    assert "12 points (grid)" in stdout


def test_response_and_contour_charts(explicit: Path) -> None:
    from simulator.plotting.sweep import plot_contour, plot_response

    sc = load_scenario(explicit)
    res = sweep(
        sc,
        [Vary("growth[1].mean", 0.10, 0.40, 5), Vary("persistence", 0.0, 0.8, 3)],
        paths=2000,
    )
    curve = response_curve(res, 0)
    assert curve.held == (("persistence", 0.4),)
    assert curve.p_hit.shape == (len(res.targets), 5)
    ax = plot_response(curve, res.targets)
    assert [line.get_label() for line in ax.get_lines()[:3]] == [
        "$5B by FY26",
        "$10B by FY29",
        "$20B by FY30",
    ]
    assert any(line.get_ydata()[0] == 0.5 for line in ax.get_lines())  # the 50% line
    k = _fy29(res)
    grid = contour_data(res, k)
    p = grid.p_hit
    assert p.min() < 0.5 < p.max()
    ax = plot_contour(grid, res.targets[k])
    labels = [t.get_text() for t in ax.texts]
    assert "50%" in labels
    assert ("80%" in labels) == (p.min() < 0.8 < p.max())
