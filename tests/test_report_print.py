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
from simulator.present.text import chance_text, growth_pct, interval_text, money
from simulator.report.sections import TORNADO_NAMED

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
    assert "Constant annual growth needed" in text  # the required-growth chart's axis label
    assert text.count("Source: SBP") >= 4  # each chart's own source note


def test_one_scenario_fits_three_pages_and_charts_take_the_format(tmp_path: Path) -> None:
    _report(tmp_path, "fx-gap.yaml", fmt="svg")
    assert _pages(tmp_path / "report.pdf") <= 3
    svgs = sorted(p.name for p in tmp_path.glob("*.svg"))
    assert "fan-fx-gap.svg" in svgs
    assert not list(tmp_path.glob("*.png"))
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "fan-fx-gap.svg" in md


def _record_and_tornado_numbers(folder: Path) -> list[str]:
    """The required growth, record pace, track record and tornado numbers the report quotes,
    formatted from the JSON files written beside it."""
    required = json.loads((folder / "required_growth.json").read_text())
    sens = json.loads((folder / "sensitivity.json").read_text())
    numbers = [growth_pct(t["required_cagr"]) for t in required["targets"]]
    numbers += [growth_pct(w["cagr"]) for w in required["record"]["windows"]]
    numbers += [money(t["actual"]) for t in required["track_record"]["targets"]]
    head = sens["headline_target"]
    numbers.append(chance_text(sens["base"]["p_hit"][head]))
    for row in sens["inputs"][:TORNADO_NAMED]:
        numbers += [chance_text(row["low"]["p_hit"][head]), chance_text(row["high"]["p_hit"][head])]
    return numbers


def test_markdown_twin_quotes_the_summary_numbers(tmp_path: Path) -> None:
    _report(tmp_path, "baseline.yaml")
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    summary = json.loads((tmp_path / "summary-baseline.json").read_text())
    numbers = [chance_text(t["p_hit"]) for t in summary["targets"] if t["p_hit"] is not None]
    numbers += _record_and_tornado_numbers(tmp_path)
    assert len(numbers) >= 3 + 3 + 2 + 4 + 1 + 2 * TORNADO_NAMED
    for number in numbers:
        assert number in md, number
    # the PDF quotes them too (TrueType text is searchable)
    text = subprocess.run(
        [_poppler("pdftotext"), str(tmp_path / "report.pdf"), "-"], capture_output=True, text=True
    ).stdout
    for number in numbers:
        assert number in text, number


def test_call_centre_report_has_its_section_and_charts_in_three_pages(tmp_path: Path) -> None:
    _report(tmp_path, "call-centres.yaml")
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    summary = json.loads((tmp_path / "summary-call-centres.json").read_text())
    t = next(t for t in summary["targets"] if t["component"] == "call_centres")
    section = md.split("## Call centres\n", 1)[1].split("\n## ", 1)[0]
    assert f"P(hit) {chance_text(t['p_hit'])}" in section
    assert interval_text(t["p_hit_sim_error"], "–") in section
    assert "industry expectation" in section and t["source"] in section
    cc = summary["components"]["call_centres"]
    assert all(money(y["p50"]) in section for y in cc)  # the median path, year by year
    for chart in ("components_fan-call-centres.png", "components_stack-call-centres.png"):
        assert (tmp_path / chart).stat().st_size > 0
        assert f"]({chart})" in md
    pdf = tmp_path / "report.pdf"
    assert _pages(pdf) <= 3
    text = subprocess.run(
        [_poppler("pdftotext"), str(pdf), "-"], capture_output=True, text=True
    ).stdout
    assert f"P(hit) {chance_text(t['p_hit'])}" in text
