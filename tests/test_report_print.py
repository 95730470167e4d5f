"""The report PDF is print-grade: A4, two charts a page where they fit (at most 3 pages for one
scenario, 5 for two), TrueType fonts embedded (no Type 3, per poppler's pdffonts), charts in
the asked --format, and the Markdown twin quotes the same numbers."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from simulator.cli import cli
from simulator.present.text import chance_text

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"


def _poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{tool} (poppler-utils) is missing; .ci/run installs it")
        pytest.skip(f"{tool} not found (apt-get install poppler-utils)")
    return path


def _report(out: Path, *names: str, fmt: str = "png") -> None:
    args = ["-q", "report", *(str(SCENARIOS / n) for n in names), "--paths", "2000"]
    res = CliRunner().invoke(cli, [*args, "--format", fmt, "--out", str(out)])
    assert res.exit_code == 0, res.output


def _pages(pdf: Path) -> int:
    info = subprocess.run([_poppler("pdfinfo"), str(pdf)], capture_output=True, text=True)
    line = next(ln for ln in info.stdout.splitlines() if ln.startswith("Pages:"))
    return int(line.split()[1])


def _font_types(pdf: Path) -> list[str]:
    out = subprocess.run([_poppler("pdffonts"), str(pdf)], capture_output=True, text=True)
    rows = out.stdout.splitlines()[2:]  # after the header and its rule
    assert rows, out.stdout
    return [" ".join(r.split()[1:-5]) for r in rows]  # the type column (one or more words)


def test_two_scenarios_fit_five_pages_with_truetype_fonts(tmp_path: Path) -> None:
    _report(tmp_path, "baseline.yaml", "ai-push.yaml")
    pdf = tmp_path / "report.pdf"
    assert _pages(pdf) <= 5
    types = _font_types(pdf)
    assert all("TrueType" in t for t in types), types
    assert not any("Type 3" in t for t in types)


def test_charts_are_vector_graphics_with_searchable_text(tmp_path: Path) -> None:
    _report(tmp_path, "baseline.yaml")
    pdf = tmp_path / "report.pdf"
    # pdfimages lists every raster image in the file: a chart stamped as vectors adds none
    listed = subprocess.run(
        [_poppler("pdfimages"), "-list", str(pdf)], capture_output=True, text=True, check=True
    )
    assert listed.stdout.splitlines()[2:] == [], listed.stdout
    # text drawn inside the charts (axis labels, the source note) can be found and copied
    text = subprocess.run(
        [_poppler("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Share of paths" in text  # the target-distribution chart's axis label
    assert text.count("Source: SBP") >= 3  # each chart's own source note


def test_one_scenario_fits_three_pages_and_charts_take_the_format(tmp_path: Path) -> None:
    _report(tmp_path, "fx-gap.yaml", fmt="svg")
    assert _pages(tmp_path / "report.pdf") <= 3
    svgs = sorted(p.name for p in tmp_path.glob("*.svg"))
    assert "fan-fx-gap.svg" in svgs
    assert not list(tmp_path.glob("*.png"))
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "fan-fx-gap.svg" in md


def test_markdown_twin_quotes_the_summary_numbers(tmp_path: Path) -> None:
    _report(tmp_path, "baseline.yaml")
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    summary = json.loads((tmp_path / "summary-baseline.json").read_text())
    for t in summary["targets"]:
        if t["p_hit"] is not None:
            assert chance_text(t["p_hit"]) in md, t["name"]
    pdftotext = shutil.which("pdftotext")
    if pdftotext is not None:  # the PDF quotes them too (TrueType text is searchable)
        text = subprocess.run(
            [pdftotext, str(tmp_path / "report.pdf"), "-"], capture_output=True, text=True
        ).stdout
        for t in summary["targets"]:
            if t["p_hit"] is not None:
                assert chance_text(t["p_hit"]) in text, t["name"]
