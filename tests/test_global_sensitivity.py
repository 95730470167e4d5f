"""Global sensitivity: SALib's Sobol' indices against a test function with known indices, and on
the real engine (a factor that cannot reach a target gets exactly 0)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from simulator.cli import cli
from simulator.questions.global_sensitivity import (
    Factor,
    analyse,
    default_factors,
    global_sensitivity,
    saltelli_design,
)
from simulator.questions.variants import SweepError
from simulator.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parent.parent
SLOWDOWN = ROOT / "scenarios" / "global-slowdown.yaml"


def test_additive_function_indices_fall_within_their_bootstrap_intervals() -> None:
    # Y = X1 + 2 X2 + 0 X3 with X ~ U(0, 1): V_i = a_i^2 / 12, so S1 = ST = (1/5, 4/5, 0).
    factors = [Factor(k, 0.0, 1.0, k) for k in ("x1", "x2", "x3")]
    x = saltelli_design(factors, 1024, seed=7)
    assert x.shape == (1024 * 5, 3)
    y = x[:, 0] + 2.0 * x[:, 1]
    ix = analyse(factors, x, y, seed=7)
    exact = np.array([0.2, 0.8, 0.0])
    assert np.all(np.abs(ix.s1 - exact) <= ix.s1_conf), (ix.s1, ix.s1_conf)
    assert np.all(np.abs(ix.st - exact) <= ix.st_conf), (ix.st, ix.st_conf)
    # The input that does not enter: total index 0, inside its interval.
    assert ix.st[2] == 0.0 and ix.st_conf[2] >= 0.0
    assert ix.pawn_median[1] > ix.pawn_median[0] > ix.pawn_median[2]


def test_samples_must_be_a_power_of_two() -> None:
    with pytest.raises(SweepError, match="power of 2"):
        saltelli_design([Factor("a", 0.0, 1.0, "a")], 48, seed=1)


def test_default_factors_cover_every_named_assumption() -> None:
    # The shipped scenarios extend the baseline's growth: record, which has no growth ranges
    # to shift (the rule is resolved from the data when a plan is made).
    keys = [f.key for f in default_factors(load_scenario(SLOWDOWN))]
    assert keys == [
        "persistence",
        "shocks.global_tech_slowdown.probability",
        "shocks.global_tech_slowdown.impact.shift",
    ]


@pytest.fixture
def explicit_slowdown(tmp_path: Path) -> Path:
    """The shipped slowdown with explicit growth ranges (the baseline's growth: record has
    none to shift)."""
    path = tmp_path / "slowdown.yaml"
    path.write_text(
        f"extends: {SLOWDOWN}\n"
        "growth:\n"
        "  - {years: 2026-2027, dist: normal, mean: 0.19, sd: 0.06}\n"
        "  - {years: 2028-2030, dist: normal, mean: 0.17, sd: 0.08}\n",
        encoding="utf-8",
    )
    return path


def test_on_the_engine_a_factor_that_cannot_reach_a_target_gets_zero(
    explicit_slowdown: Path,
) -> None:
    sc = load_scenario(explicit_slowdown)
    res = global_sensitivity(sc, samples=8, paths=1500, seed=3)
    assert res.points == 8 * (len(res.factors) + 2)
    fy26 = next(i for i, t in enumerate(res.targets) if t.fiscal_year == 2026)
    ix = res.indices[fy26]
    keys = [f.key for f in res.factors]
    # FY26 growth comes from growth[0] only: nothing else can move P(FY26 hit).
    for k, key in enumerate(keys):
        if key != "growth[0].shift":
            assert ix.st[k] == 0.0 and ix.s1[k] == 0.0
    assert ix.st[keys.index("growth[0].shift")] > 0.0  # the one that does enter


def test_cli_global_writes_csv_and_chart(tmp_path: Path, explicit_slowdown: Path) -> None:
    out = tmp_path / "g"
    result = CliRunner().invoke(
        cli,
        [
            "--quiet",
            "sensitivity",
            str(explicit_slowdown),
            "--global",
            "--samples",
            "4",
            "--paths",
            "1000",
            "--vary",
            "persistence=0:0.9",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "sensitivity_global.csv",
        "sensitivity_global.png",
    ]
    rows = (out / "sensitivity_global.csv").read_text().splitlines()
    assert rows[0].startswith("target,fiscal_year,target_value,key,label,low,high,S1,S1_lo")
    assert len(rows) == 1 + 3 * 5
    assert any(",persistence,persistence 0 to 0.9 (given),0,0.9," in r for r in rows)
    assert "global sensitivity of P(hit)" in result.stdout
