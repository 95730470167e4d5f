"""One-at-a-time sensitivity on common random numbers, its tornado chart and its command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from simulator.cli import cli
from simulator.plotting.style import new_figure
from simulator.plotting.tornado import plot_tornado
from simulator.questions.sensitivity import SensitivityError, named_inputs, sensitivity, spread
from simulator.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parent.parent
PATHS = 3_000


@pytest.fixture(scope="module")
def ai_push() -> Any:
    return sensitivity(
        load_scenario(ROOT / "scenarios" / "ai-push.yaml"), paths=PATHS, seed=7, threads=1
    )


@pytest.fixture(scope="module")
def fx_gap() -> Any:
    return sensitivity(
        load_scenario(ROOT / "scenarios" / "fx-gap.yaml"), paths=PATHS, seed=7, threads=1
    )


def _swing(result: Any, key: str) -> Any:
    return next(s for s in result.swings if s.input.key == key)


def test_growth_mean_swing_moves_every_target_the_right_way(ai_push: Any) -> None:
    for key in ("growth[0]", "levers.record_mean"):
        s = _swing(ai_push, key)
        for lo, base, hi in zip(s.low.p_hit, ai_push.base.p_hit, s.high.p_hit, strict=True):
            assert lo <= base <= hi
        for lo, base, hi in zip(s.low.median, ai_push.base.median, s.high.median, strict=True):
            assert lo <= base <= hi
    # Growth (growth: record resolves to one range, FY26-FY30) moves the FY29 target a lot:
    # more than its Monte Carlo noise.
    s = _swing(ai_push, "growth[0]")
    k = [t.fiscal_year for t in ai_push.targets].index(2029)
    assert s.high.p_hit[k] - s.low.p_hit[k] > 10 * s.span_se[k]


def test_inputs_that_cannot_reach_a_year_move_it_by_exactly_zero(ai_push: Any) -> None:
    # FY26 is partly reported and conditioned on its months; the lever starts later, and
    # persistence cannot change the first projected year (its scores are stationary N(0, 1)).
    # Common random numbers make these exactly 0, not merely small.
    k = [t.fiscal_year for t in ai_push.targets].index(2026)
    col = ai_push.years.index(2026)
    for key in ("levers.ai_services_push", "persistence"):
        s = _swing(ai_push, key)
        assert s.span[k] == 0.0
        assert s.low.p_hit[k] == s.high.p_hit[k] == ai_push.base.p_hit[k]
        assert s.low.median[col] == s.high.median[col] == ai_push.base.median[col]
        assert s.span_se[k] == 0.0


def test_sorted_by_span_for_the_headline_target(ai_push: Any) -> None:
    assert ai_push.headline.fiscal_year == 2029
    k = ai_push.targets.index(ai_push.headline)
    spans = [s.span[k] for s in ai_push.swings]
    assert spans == sorted(spans, reverse=True)
    assert ai_push.runs == 1 + 2 * len(ai_push.swings)
    assert {s.input.kind for s in ai_push.swings} == {"growth", "persistence", "lever"}


def test_another_headline_target_and_an_unknown_one() -> None:
    sc = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    res = sensitivity(sc, target=2026, paths=1_000, seed=1, threads=1)
    assert res.headline.fiscal_year == 2026
    assert res.swings[0].input.key == "growth[0]"  # the only range that reaches FY26
    with pytest.raises(SensitivityError, match=r"no target in FY2031.*FY2026, FY2029, FY2030"):
        sensitivity(sc, target=2031, paths=1_000, seed=1, threads=1)


def test_shock_swings_and_labels(fx_gap: Any) -> None:
    prob = _swing(fx_gap, "shocks.fx_gap_retention.probability")
    k = fx_gap.targets.index(fx_gap.headline)
    # No shock at all is better than twice the chance of one.
    assert prob.low.p_hit[k] >= fx_gap.base.p_hit[k] >= prob.high.p_hit[k]
    assert (prob.input.low_setting, prob.input.high_setting) == ("chance 0%", "chance 20%")
    impact = _swing(fx_gap, "shocks.fx_gap_retention.impact")
    assert impact.low.p_hit[k] <= impact.high.p_hit[k]  # P10 is the deeper fall
    growth = _swing(fx_gap, "growth[0]")
    # growth: record resolves to log_t, which has no finite mean: the label names its median.
    assert growth.input.label.startswith("Growth FY26\u2013FY30 (median 19.1%): \u00b1")


def test_lever_is_fixed_at_its_percentiles_and_nothing_is_mutated() -> None:
    sc = load_scenario(ROOT / "scenarios" / "ai-push.yaml")
    before = sc.model_dump()
    lever = next(i for i in named_inputs(sc) if i.kind == "lever")
    lo, hi = lever.low.levers[0], lever.high.levers[0]
    assert lo.dist == hi.dist == "fixed"
    assert 0.02 < lo.value < sc.levers[0].mean() < hi.value < 0.05
    assert sc.model_dump() == before
    resolved = ai_push_resolved()
    assert resolved.growth[0].dist == "log_t"
    # g has no finite sd under log_t: spread() is half its central 68% interval.
    lo, hi = (float(resolved.growth[0].from_normal(np.array([z]))[0]) for z in (-1.0, 1.0))
    assert spread(resolved.growth[0]) == pytest.approx((hi - lo) / 2)


def ai_push_resolved() -> Any:
    from simulator.engine.runs import simulate

    return simulate(load_scenario(ROOT / "scenarios" / "ai-push.yaml"), paths=10, seed=0).scenario


def test_components_and_binding_limits(tmp_path: Path) -> None:
    f = tmp_path / "tight.yaml"
    f.write_text(
        f"extends: {ROOT / 'scenarios' / 'call-centres.yaml'}\n"
        "name: Tight cap\n"
        "limits: {floor: -0.5, cap: 0.25}\n",
        encoding="utf-8",
    )
    res = sensitivity(load_scenario(f), paths=1_000, seed=3, threads=1)
    keys = {s.input.key for s in res.swings}
    assert "limits.cap" in keys and "limits.floor" not in keys
    assert {"growth[0]", "components.call_centres.growth[1]"} <= keys
    label = next(s.input.label for s in res.swings if s.input.key == "growth[0]")
    assert label.startswith("Rest of ICT growth FY26")
    cap = next(s for s in res.swings if s.input.key == "limits.cap")
    assert all(lo <= hi for lo, hi in zip(cap.low.p_hit, cap.high.p_hit, strict=True))


def test_tornado_axes(ai_push: Any) -> None:
    result = ai_push
    _fig, ax = new_figure()
    plot_tornado(result, target=2029, ax=ax)
    n = len(result.swings)
    assert len(ax.patches) == 2 * n
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == n
    assert labels[0].startswith("Growth FY26\u2013FY30")  # widest bar at the top
    assert ax.get_title(loc="left") == "What moves the chance of $10B by FY29"
    texts = [t.get_text() for t in ax.texts]
    assert any(t.startswith("base ") for t in texts)
    assert any(t.startswith("median ") for t in texts)
    # The FY26 tornado marks the inputs that cannot reach it.
    _, ax26 = new_figure()
    plot_tornado(result, target="Uraan Pakistan FY26", ax=ax26)
    assert sum(t.get_text() == "no effect" for t in ax26.texts) == 2  # lever, persistence
    assert ax26.get_title(loc="left") == "What moves the chance of $5B by FY26"
    with pytest.raises(KeyError):
        plot_tornado(result, target=2031)


def test_cli_writes_files_and_prints_the_table(tmp_path: Path) -> None:
    out = tmp_path / "sens"
    res = CliRunner().invoke(
        cli,
        [
            "sensitivity",
            str(ROOT / "scenarios" / "ai-push.yaml"),
            "--paths",
            "1000",
            "--seed",
            "5",
            "--out",
            str(out),
            "--format",
            "svg",
        ],
    )
    assert res.exit_code == 0, res.output
    assert "what moves the chance of $10B by FY29" in res.output
    assert "AI services push FY27\u2013FY30" in res.output
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "sensitivity.csv",
        "sensitivity.json",
        "tornado.svg",
    ]
    data = json.loads((out / "sensitivity.json").read_text(encoding="utf-8"))
    assert data["headline_target"] == "Uraan Pakistan FY29"
    assert data["run"]["paths"] == 1000 and data["run"]["seed"] == 5
    # growth, record_mean, ai_services_push, persistence and the cap (fat tails reach it).
    assert data["run"]["runs"] == 11
    csv_lines = (out / "sensitivity.csv").read_text(encoding="utf-8").splitlines()
    assert len(csv_lines) == 1 + 5 * 3  # header + inputs x targets


def test_cli_json_and_target(tmp_path: Path) -> None:
    res = CliRunner().invoke(
        cli,
        [
            "sensitivity",
            str(ROOT / "scenarios" / "baseline.yaml"),
            "--paths",
            "500",
            "--target",
            "FY26",
            "--out",
            str(tmp_path),
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["headline_target"] == "Uraan Pakistan FY26"
    assert data["inputs"][0]["key"] == "growth[0]"


def test_cli_unknown_target_year_is_one_line(tmp_path: Path) -> None:
    res = CliRunner().invoke(
        cli,
        [
            "sensitivity",
            str(ROOT / "scenarios" / "baseline.yaml"),
            "--paths",
            "200",
            "--target",
            "FY2031",
            "--out",
            str(tmp_path),
        ],
    )
    assert res.exit_code == 2
    assert res.output == (
        "no target in FY2031 among the projected years; expected one of: FY2026, FY2029, FY2030\n"
    )
    assert not any(tmp_path.iterdir())
