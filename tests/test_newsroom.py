"""Newsroom files: fan_wide.csv (Datawrapper/Flourish) and long.csv (Our World in Data), written
by ``run`` and ``compare``, hold the same numbers as summary.json / comparison.json."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from click.testing import CliRunner

from simulator.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_run_writes_wide_and_long_files_matching_the_summary(tmp_path: Path) -> None:
    res = CliRunner().invoke(
        cli,
        ["-q", "run", str(SCENARIOS / "baseline.yaml"), "--paths", "2000", "--out", str(tmp_path)],
    )
    assert res.exit_code == 0, res.output
    summary = json.loads((tmp_path / "summary.json").read_text())
    wide = rows(tmp_path / "fan_wide.csv")
    cols = list(wide[0])
    assert cols[:9] == ["fiscal_year", "actual", "p05", "p10", "p25", "p50", "p75", "p90", "p95"]
    assert all(re.fullmatch(r"FY\d\d", r["fiscal_year"]) for r in wide)
    labels = [r["fiscal_year"] for r in wide]
    assert len(labels) == len(set(labels))  # one row per year
    by_fy = {r["fiscal_year"]: r for r in wide}
    for y in summary["years"]:
        r = by_fy[f"FY{y['fiscal_year'] % 100:02d}"]
        assert float(r["p50"]) == round(y["p50"], 2)  # the one CSV cell rule (present/rows.py)
    base = by_fy[f"FY{summary['base']['fiscal_year'] % 100:02d}"]
    assert float(base["actual"]) == float(base["p05"]) == summary["base"]["value"]
    for t in summary["targets"]:
        col = f"target_fy{t['fiscal_year'] % 100:02d}_{t['value']:g}"
        filled = [r["fiscal_year"] for r in wide if r[col]]
        assert filled == [f"FY{t['fiscal_year'] % 100:02d}"]
    long = rows(tmp_path / "long.csv")
    assert list(long[0]) == ["scenario", "fiscal_year", "indicator", "value"]
    p_hit = {
        (r["fiscal_year"], r["indicator"]): float(r["value"])
        for r in long
        if r["indicator"].startswith("p_hit")
    }
    for t in summary["targets"]:
        key = (str(t["fiscal_year"]), f"p_hit_fy{t['fiscal_year'] % 100:02d}_{t['value']:g}")
        assert abs(p_hit[key] - t["p_hit"]) < 1e-6


def test_compare_writes_one_band_set_per_scenario(tmp_path: Path) -> None:
    res = CliRunner().invoke(
        cli,
        [
            "-q",
            "compare",
            str(SCENARIOS / "baseline.yaml"),
            str(SCENARIOS / "fx-gap.yaml"),
            "--paths",
            "2000",
            "--out",
            str(tmp_path),
        ],
    )
    assert res.exit_code == 0, res.output
    comparison = json.loads((tmp_path / "comparison.json").read_text())
    wide = rows(tmp_path / "fan_wide.csv")
    for s in comparison["scenarios"]:
        assert f"{s['label']} p50" in wide[0]
    long = rows(tmp_path / "long.csv")
    names = {r["scenario"] for r in long}
    assert names == {"Actual (SBP)", *(s["name"] for s in comparison["scenarios"])}
