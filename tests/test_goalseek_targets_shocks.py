"""Goal seek on a target by name (a component's too) and on a shock's probability (issue 12)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from simulator.cli import cli
from simulator.questions.goalseek import GoalSeekError, find_target_by, shock_seek
from simulator.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parent.parent
CALL_CENTRES = ROOT / "scenarios" / "call-centres.yaml"

# Zero volatility: FY2027 reaches 1000 * 1.1**2 = 1210, and 605 if the shock strikes in FY27.
# A target of 1000 in FY2027 is hit exactly when the shock does not strike, so
# P(hit) = 1 - q, and P(hit) = 0.7 needs q = 0.3.
CLOSED = """\
name: Closed form
base: {fiscal_year: 2025, value: 1000}
horizon: 2028
nowcast: false
growth:
  - years: 2026-2028
    dist: fixed
    value: 0.10
targets:
  - name: Thousand
    fiscal_year: 2027
    value: 1000
shocks:
  - name: crash
    years: 2027
    probability: 0.5
    impact: {dist: fixed, value: -0.5}
"""


def test_shock_probability_has_the_closed_form_answer(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(CLOSED, encoding="utf-8")
    sc = load_scenario(path)
    n = 20_000
    res = shock_seek(
        sc, target=sc.targets[0], probability=0.7, shock="crash", paths=n, seed=4, threads=1
    )
    se = math.sqrt(0.3 * 0.7 / n)
    assert abs(res.shock_probability - 0.3) < 4 * se
    assert abs(res.p_hit - 0.7) <= 1 / n
    assert res.p_hit_never == 1.0
    assert res.p_hit_always == 0.0
    assert abs(res.p_hit_before - 0.5) < 4 * math.sqrt(0.25 / n)


def test_unreachable_shock_probability_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(CLOSED.replace("value: -0.5}", "value: -0.01}"), encoding="utf-8")
    sc = load_scenario(path)
    with pytest.raises(GoalSeekError) as info:
        shock_seek(sc, target=sc.targets[0], probability=0.5, shock="crash", paths=500, seed=1)
    assert str(info.value) == (
        "P(hit) 50% for Thousand ($1B in FY2027) cannot be reached by changing shock "
        "'crash': P(hit) is 100.0% whether it never strikes or strikes every year; change the "
        "growth or a lever instead"
    )


def test_target_by_name_or_year() -> None:
    sc = load_scenario(CALL_CENTRES)
    assert find_target_by(sc, "call centres $500m").component == "call_centres"
    assert find_target_by(sc, "FY2028").component == "call_centres"
    assert find_target_by(sc, "FY29").name == "Uraan Pakistan FY29"
    with pytest.raises(GoalSeekError, match="did you mean 'Call centres"):
        find_target_by(sc, "Call centers $500M")


def test_goal_seek_on_a_component_target_cli() -> None:
    res = CliRunner().invoke(
        cli,
        [
            "goal-seek",
            str(CALL_CENTRES),
            "--target",
            "Call centres $500M",
            "--probability",
            "0.8",
            "--paths",
            "2000",
            "--seed",
            "1",
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    import json

    out = json.loads(res.stdout)
    assert out["target"]["component"] == "call_centres"
    assert out["p_hit"] >= 0.8 > out["p_hit_before"]
    assert out["uplift"] > 0


def test_shock_seek_cli_errors(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(CLOSED, encoding="utf-8")
    args = ["goal-seek", str(path), "--target", "FY2027", "--probability", "0.7"]
    res = CliRunner().invoke(cli, [*args, "--shock", "crsh", "--paths", "100"])
    assert res.exit_code == 2
    assert "unknown shock 'crsh' (did you mean 'crash'?); shocks: crash" in res.output
    res = CliRunner().invoke(cli, [*args, "--shock", "crash", "--paths", "4000", "--seed", "2"])
    assert res.exit_code == 0, res.output
    assert "Yearly probability of shock 'crash': 30." in res.output or "29." in res.output
