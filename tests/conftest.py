"""Shared fixtures: scenario files in a temporary folder, and small real runs of the bundled
baseline and two variants of it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
BASELINE = ROOT / "scenarios" / "baseline.yaml"
PATHS = 10_000


@pytest.fixture(scope="session")
def baseline_file() -> Path:
    return BASELINE


@pytest.fixture(scope="session")
def variants(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Scenario files that extend the baseline: a lever from FY27, and faster growth."""
    d = tmp_path_factory.mktemp("scenarios")
    ai = d / "ai.yaml"
    ai.write_text(
        f"extends: {BASELINE}\n"
        "name: AI services push\n"
        "levers:\n"
        "  - name: ai_push\n"
        "    years: 2027-2030\n"
        "    dist: uniform\n"
        "    low: 0.0\n"
        "    high: 0.06\n",
        encoding="utf-8",
    )
    fast = d / "fast.yaml"
    fast.write_text(
        f"extends: {BASELINE}\n"
        "name: Policy boost\n"
        "growth:\n"
        "  - years: 2026-2030\n"
        "    dist: normal\n"
        "    mean: 0.25\n"
        "    sd: 0.07\n",
        encoding="utf-8",
    )
    return {"ai": ai, "fast": fast}


@pytest.fixture(scope="session")
def baseline_run() -> Any:
    from simulator.engine.runs import simulate
    from simulator.scenario.loader import load_scenario

    return simulate(load_scenario(BASELINE), paths=PATHS, seed=2026, threads=1)


@pytest.fixture(scope="session")
def baseline_summary(baseline_run: Any) -> dict[str, Any]:
    from simulator.stats.chart_data import chart_data

    summary = baseline_run.summary().to_dict()
    summary["chart_data"] = chart_data(baseline_run).to_dict()
    return summary  # type: ignore[no-any-return]


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[..., Path]:
    """Write YAML text to a file in a temporary folder and return its path."""

    def write(text: str, name: str = "scenario.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
