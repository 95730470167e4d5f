"""Every file in ``scenarios/`` loads, runs small and behaves as its comments say."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from simulator.engine.runs import simulate
from simulator.scenario.check import validate_files
from simulator.scenario.loader import load_scenario

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
FILES = sorted(SCENARIOS.glob("*.yaml"))


def test_there_are_scenarios() -> None:
    names = {p.name for p in FILES}
    assert {"baseline.yaml", "ai-push.yaml", "global-slowdown.yaml", "call-centres.yaml"} <= names
    assert "fx-gap.yaml" in names


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_scenario_loads_and_runs(path: Path) -> None:
    assert validate_files([str(path)]) == []
    sc = load_scenario(path)
    res = simulate(sc, paths=2000, seed=1)
    assert res.values.shape == (2000, len(res.years))
    assert np.isfinite(res.values).all() and (res.values > 0).all()
    assert res.years[-1] == sc.horizon
    summary = res.summary().to_dict()
    assert summary["targets"]


@pytest.mark.parametrize(
    "path", [p for p in FILES if p.name != "baseline.yaml"], ids=lambda p: p.name
)
def test_variants_extend_the_baseline(path: Path) -> None:
    """Each variant extends the baseline, directly or through another shipped variant."""
    text = path.read_text(encoding="utf-8")
    chain = [path]
    while (parent := _extends(chain[-1])) is not None:
        chain.append(SCENARIOS / parent)
    assert chain[-1].name == "baseline.yaml", chain
    # every assumption carries its source or reasoning: at least one comment per top-level key
    assert text.count("#") >= 5


def _extends(path: Path) -> str | None:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("extends: "):
            return line.removeprefix("extends: ").strip()
    return None


def run(name: str, paths: int = 20_000):  # type: ignore[no-untyped-def]
    return simulate(load_scenario(SCENARIOS / name), paths=paths, seed=11)


def test_variants_move_the_median_the_expected_way() -> None:
    base = np.median(run("baseline.yaml").values[:, -1])
    assert np.median(run("ai-push.yaml").values[:, -1]) > base
    assert np.median(run("global-slowdown.yaml").values[:, -1]) < base
    assert np.median(run("fx-gap.yaml").values[:, -1]) < base


def test_call_centres_pass_500m_in_a_few_years() -> None:
    res = run("call-centres.yaml")
    cc = res.components["call_centres"]
    years = list(res.years)
    assert np.median(cc[:, years.index(2028)]) > 500
    assert np.median(cc[:, years.index(2026)]) < 500
    np.testing.assert_allclose(res.values, cc + res.components["rest_of_ict"])
    assert res.plan.base_values.tolist() == pytest.approx([328, 3810 - 328])


def test_shock_scenarios_strike_at_their_stated_rates() -> None:
    n = 20_000
    res = run("fx-gap.yaml", n)
    hits = dict(zip(res.years.tolist(), res.shock_hits["fx_gap_retention"], strict=True))
    assert hits[2026] == 0
    for y in range(2027, 2031):
        assert abs(hits[y] - 0.1) < 4 * np.sqrt(0.09 / n)
    res = run("global-slowdown.yaml", n)
    total = res.shock_hits["global_tech_slowdown"].sum()
    assert abs(total - (1 - 0.7**2)) < 4 * np.sqrt(0.25 / n)
