"""Goal seek on common random numbers, its errors, and the goal-seek command."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from simulator.cli import cli
from simulator.engine.runs import simulate
from simulator.present.text import points_text
from simulator.questions.goalseek import (
    GoalSeekError,
    find_target,
    goal_seek,
    parse_fiscal_year,
    shift_growth,
    shift_lever,
)
from simulator.scenario.loader import load_scenario
from simulator.stats.targets import hit_indicators

PATHS = 4_000


@pytest.fixture(scope="module")
def baseline(baseline_file: Path):  # type: ignore[no-untyped-def]
    return load_scenario(baseline_file)


def _p(sc, target, delta: float, seed: int = 2026, paths: int = PATHS) -> float:  # type: ignore[no-untyped-def]
    proj = simulate(shift_growth(sc, delta), paths=paths, seed=seed, threads=1)
    hits = hit_indicators(proj.values, proj.years, target)
    assert hits is not None
    return float(hits.mean())


def test_goal_seek_reaches_the_probability(baseline) -> None:  # type: ignore[no-untyped-def]
    target = find_target(baseline, 2029)
    res = goal_seek(baseline, target=target, probability=0.5, paths=PATHS, threads=1)
    # On a finite sample P(hit) moves in steps of 1/paths.
    assert abs(res.p_hit - 0.5) <= 2 / PATHS
    assert 0.05 < res.uplift < 0.15
    assert res.p_hit_before < 0.25  # growth: record on FY16-FY25 gives about 15%
    # The same uplift, re-run on the same draws, gives the same P(hit); a little less misses.
    assert _p(baseline, target, res.uplift) == res.p_hit
    assert _p(baseline, target, res.uplift - 0.01) < 0.5 < _p(baseline, target, res.uplift + 0.01)
    # Every later year's median growth moved up by about the uplift. FY26 is partly reported
    # (July-October), so the uplift only reaches its remaining months: it moves less.
    pairs = list(zip(res.median_growth_before, res.median_growth, strict=True))
    for before, after in pairs[1:]:
        assert after - before == pytest.approx(res.uplift, abs=0.01)
    first_before, first_after = pairs[0]
    assert 0 < first_after - first_before < res.uplift


def test_shift_growth_does_not_mutate(baseline) -> None:  # type: ignore[no-untyped-def]
    before = baseline.model_dump()
    shifted = shift_growth(baseline, 0.05)  # growth: record is resolved, then shifted
    assert baseline.model_dump() == before
    resolved = shift_growth(baseline, 0.0)
    assert resolved.growth[0].median() == pytest.approx(0.191, abs=5e-4)
    assert shifted.growth[0].median() == pytest.approx(resolved.growth[0].median() + 0.05)
    assert shifted.growth[0].years == resolved.growth[0].years == (2026, 2030)


def test_lever_goal_seek(variants: dict[str, Path]) -> None:
    sc = load_scenario(variants["ai"])
    res = goal_seek(sc, target=find_target(sc, 2029), probability=0.3, lever="ai_push", paths=PATHS)
    assert res.lever == "ai_push"
    assert abs(res.p_hit - 0.3) <= 2 / PATHS
    # FY26 is before the lever: its growth is untouched.
    assert res.median_growth[0] == pytest.approx(res.median_growth_before[0])
    assert shift_lever(sc, "ai_push", 0.01).levers[0].mean() == pytest.approx(0.04)


def test_shift_growth_resolves_the_record_on_the_actuals_given(  # type: ignore[no-untyped-def]
    baseline, tmp_path: Path
) -> None:
    """``--actuals`` with a whole new fiscal year (FY26 here) moves the base year and refits the
    record; a shift of zero must give the growth the run has on those actuals, not the growth
    fitted on the bundled series (which starts a year early and has another centre)."""
    from simulator.engine.runs import prepare

    bundled = Path(__file__).resolve().parents[1] / "simulator" / "data"
    lines = (bundled / "ict_exports_monthly.csv").read_text(encoding="utf-8").splitlines()
    extra = [f"{m},300,stated,," for m in ("2025-11", "2025-12")]
    extra += [f"2026-{k:02d},300,stated,," for k in range(1, 7)]
    actuals = tmp_path / "monthly.csv"
    actuals.write_text("\n".join([*lines, *extra]) + "\n", encoding="utf-8")
    on_actuals = prepare(baseline, actuals=str(actuals)).scenario.growth
    assert on_actuals != prepare(baseline).scenario.growth  # the new year changes the fit
    assert shift_growth(baseline, 0.0, actuals=str(actuals)).growth == on_actuals
    shifted = shift_growth(baseline, 0.01, actuals=str(actuals)).growth
    assert isinstance(shifted, list) and isinstance(on_actuals, list)
    assert [g.years for g in shifted] == [g.years for g in on_actuals]
    assert shifted == [g.shifted(0.01) for g in on_actuals]


def test_parse_fiscal_year() -> None:
    assert parse_fiscal_year("FY2029") == 2029
    assert parse_fiscal_year("2029") == 2029
    assert parse_fiscal_year("fy29") == 2029
    with pytest.raises(GoalSeekError, match="bad target year 'next year'"):
        parse_fiscal_year("next year")


def _cli(*args: str) -> tuple[int, list[str]]:
    res = CliRunner().invoke(cli, ["goal-seek", *args])
    return res.exit_code, res.output.strip().splitlines()


def test_cli_goal_seek(baseline_file: Path) -> None:
    code, lines = _cli(
        str(baseline_file), "--target", "FY2029", "--probability", "0.5", "--paths", str(PATHS)
    )
    assert code == 0, lines
    assert lines[0] == "Goal: P(hit) 50% for Uraan Pakistan FY29 ($10,000M in FY29)"
    assert lines[1].startswith("Uplift to every year's growth: +")
    assert lines[2].startswith("P(hit) reached: 50.0%")
    # The growth table runs to the target's year, not past it (issue 13).
    fy_rows = [line.split()[0] for line in lines if line.startswith("  FY")]
    assert fy_rows == ["FY26", "FY27", "FY28", "FY29"]


def test_goal_seek_says_the_nowcast_damps_the_current_year(baseline_file: Path) -> None:
    """FY26 is four months reported: the uplift moves its growth by less, and the text says
    by how much (the numbers are the --json result's, same seed)."""
    import json

    args = [str(baseline_file), "--target", "FY26", "--probability", "0.5"]
    args += ["--paths", str(PATHS), "--seed", "3"]
    code, lines = _cli(*args)
    assert code == 0, lines
    assert [line.split()[0] for line in lines if line.startswith("  FY")] == ["FY26"]
    res = CliRunner().invoke(cli, ["goal-seek", *args, "--json"])
    data = json.loads(res.output)
    moved = data["median_growth"][0] - data["median_growth_before"][0]
    assert 0 < moved < data["uplift"]
    assert lines[-1] == (
        f"FY26 moves {points_text(moved, sign=True)}, not {points_text(data['uplift'], sign=True)}"
        ": 4 months of it are reported already, and the nowcast keeps them; the uplift acts on "
        "the rest."
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--target", "FY2031", "--probability", "0.5"],
            "no target in FY2031 among the projected years; expected one of: FY2026, FY2029, "
            "FY2030",
        ),
        (
            ["--target", "FY2029", "--probability", "1.5"],
            "probability must be between 0 and 1, exclusive (got 1.5)",
        ),
        (
            ["--target", "FY2029", "--probability", "0"],
            "probability must be between 0 and 1, exclusive (got 0)",
        ),
        (
            ["--target", "FY2029", "--probability", "0.5", "--lever", "ai"],
            "unknown lever 'ai': this scenario has no levers",
        ),
    ],
)
def test_cli_goal_seek_bad_input(baseline_file: Path, args: list[str], message: str) -> None:
    code, lines = _cli(str(baseline_file), *args, "--paths", "500")
    assert code == 2
    assert lines == [message]


def test_cli_unknown_lever_did_you_mean(variants: dict[str, Path]) -> None:
    code, lines = _cli(
        str(variants["ai"]), "--target", "2029", "--probability", "0.5", "--lever", "ai_psuh"
    )
    assert code == 2
    assert lines == ["unknown lever 'ai_psuh' (did you mean 'ai_push'?); levers: ai_push"]


def test_cli_unreachable_lever(variants: dict[str, Path]) -> None:
    code, lines = _cli(
        str(variants["ai"]),
        "--target",
        "FY2026",
        "--probability",
        "0.5",
        "--lever",
        "ai_push",
        "--paths",
        "1000",
    )
    assert code == 2
    assert len(lines) == 1
    assert lines[0].startswith("P(hit) 50% for $5B in FY2026 cannot be reached: P(hit) stays at ")
    assert "whatever the shift to lever 'ai_push' (the lever acts in FY2027-FY2030)" in lines[0]


def test_cli_unreachable_cap(tmp_path: Path, baseline_file: Path) -> None:
    capped = tmp_path / "capped.yaml"
    capped.write_text(
        f"extends: {baseline_file}\nname: Capped\nlimits:\n  floor: -0.5\n  cap: 0.2\n",
        encoding="utf-8",
    )
    code, lines = _cli(str(capped), "--target", "FY2029", "--probability", "0.5", "--paths", "1000")
    assert code == 2
    assert lines == [
        "P(hit) 50% for $10B in FY2029 cannot be reached: P(hit) stays at 0.0% whatever the "
        "shift to growth; yearly growth is capped at 20% (limits.cap)"
    ]


def test_unreachable_within_bracket(baseline) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(GoalSeekError) as err:
        goal_seek(
            baseline,
            target=find_target(baseline, 2029),
            probability=0.9,
            paths=1000,
            bracket=(-0.01, 0.01),
        )
    assert str(err.value).startswith(
        "P(hit) 90% for $10B in FY2029 cannot be reached: shifting growth by +1 points a year "
        "gives only "
    )
    assert str(err.value).endswith("(the search covers -1 to +1 points)")


@pytest.mark.parametrize("n", [1, 7, 50])
def test_reported_uplift_reaches_the_goal_even_on_few_paths(baseline, n: int) -> None:  # type: ignore[no-untyped-def]
    target = find_target(baseline, 2029)
    res = goal_seek(baseline, target=target, probability=0.5, paths=n, threads=1)
    assert res.p_hit >= 0.5
    # ... and a little less uplift would not.
    assert _p(baseline, target, res.uplift - 0.01, paths=n) < 0.5
