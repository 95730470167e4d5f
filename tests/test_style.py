"""Every chart names its scenario: a chart cut out of a brief still says whose assumptions it shows.

The commands run in-process with ``--format svg`` (text stays text: ``svg.fonttype`` none), and
each chart's SVG text must hold the scenario name.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from click.testing import CliRunner

from simulator.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"


def svg_text(path: Path) -> str:
    """The text of an SVG's <text> elements, joined with spaces (lines of a note joined too)."""
    body = path.read_text(encoding="utf-8")
    parts = re.findall(r"<text[^>]*>(.*?)</text>", body, flags=re.S)
    words = " ".join(html.unescape(re.sub(r"<[^>]+>", "", p)) for p in parts)
    return " ".join(words.split())


def invoke(*args: str) -> None:
    result = CliRunner().invoke(cli, ["--quiet", *args])
    assert result.exit_code == 0, result.output


def test_every_run_chart_names_its_scenario(tmp_path: Path) -> None:
    invoke(
        "run",
        str(SCENARIOS / "ai-push.yaml"),
        "--paths",
        "2000",
        "--format",
        "svg",
        "--out",
        str(tmp_path),
    )
    charts = sorted(tmp_path.glob("*.svg"))
    assert {p.stem for p in charts} >= {"fan", "target_probabilities", "target_distributions"}
    for p in charts:
        assert "AI services push" in svg_text(p), p.name


def test_every_compare_chart_names_its_scenarios(tmp_path: Path) -> None:
    invoke(
        "compare",
        str(SCENARIOS / "baseline.yaml"),
        str(SCENARIOS / "fx-gap.yaml"),
        "--paths",
        "2000",
        "--format",
        "svg",
        "--out",
        str(tmp_path),
    )
    charts = sorted(tmp_path.glob("*.svg"))
    assert len(charts) >= 2
    for p in charts:
        text = svg_text(p)
        assert "Baseline momentum" in text, p.name
        assert "Exchange-rate gap returns" in text, p.name


def test_sensitivity_and_required_growth_charts_name_the_scenario(tmp_path: Path) -> None:
    invoke(
        "sensitivity",
        str(SCENARIOS / "fx-gap.yaml"),
        "--paths",
        "1000",
        "--format",
        "svg",
        "--out",
        str(tmp_path / "s"),
    )
    invoke(
        "required-growth",
        str(SCENARIOS / "fx-gap.yaml"),
        "--format",
        "svg",
        "--out",
        str(tmp_path / "r"),
    )
    charts = sorted(tmp_path.glob("*/*.svg"))
    assert {p.stem for p in charts} >= {"tornado", "required_growth", "track_record"}
    for p in charts:
        assert "Exchange-rate gap returns" in svg_text(p), p.name
