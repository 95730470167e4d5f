"""What ``run`` writes (simulator/present/files.py): the summary, its chart data, the tables."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from simulator.cli import cli

BASELINE = Path(__file__).resolve().parent.parent / "scenarios" / "baseline.yaml"


def test_run_writes_chart_data_beside_the_summary_not_inside_it(tmp_path: Path) -> None:
    out = tmp_path / "run"
    args = ["run", str(BASELINE), "--paths", "400", "--seed", "3", "--out", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    charts = json.loads((out / "chart_data.json").read_text(encoding="utf-8"))
    assert "chart_data" not in summary
    projected = [t["name"] for t in summary["targets"] if t["status"] == "projected"]
    assert [d["name"] for d in charts["distributions"]] == projected
    assert len(charts["sample_paths"]["values"]) == 40
