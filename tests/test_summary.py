"""Typed results (simulator/stats/summary.py): ``summary.json`` and ``chart_data.json`` read back
into the frozen objects they were written from."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from simulator.stats.chart_data import ChartData, chart_data
from simulator.stats.summary import Summary

GOLDEN = sorted((Path(__file__).resolve().parent / "golden").glob("*/summary.json"))


@pytest.mark.parametrize("path", GOLDEN, ids=[p.parent.name for p in GOLDEN])
def test_every_shipped_summary_reads_back_to_the_same_json(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    summary = Summary.from_dict(data)
    assert summary.to_dict() == data
    assert list(summary.to_dict()) == list(data)


def test_a_run_reads_back_whole(baseline_run: Any) -> None:
    summary = baseline_run.summary()
    again = Summary.from_dict(json.loads(json.dumps(summary.to_dict())))
    assert again.to_dict() == summary.to_dict()
    assert again.current_year == summary.current_year
    assert again.targets == summary.targets
    charts = chart_data(baseline_run)
    assert ChartData.from_dict(json.loads(json.dumps(charts.to_dict()))) == charts
    head = summary.headline
    assert head is not None and charts.distribution(head) is not None
