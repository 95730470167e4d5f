"""``simulator report``: the brief as Markdown and PDF, its numbers, files and errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from simulator.cli import cli
from simulator.engine.runs import simulate
from simulator.present.files import write_outputs
from simulator.present.text import chance_text, interval_text, spoken_chance
from simulator.questions.compare import simulate_all
from simulator.report.brief import Brief, Chart, describe_assumptions
from simulator.report.bundle import build_bundle, report_files
from simulator.report.markdown import brief_markdown
from simulator.report.pdf import write_pdf
from simulator.scenario.loader import load_scenario

PATHS = "3000"


def _pages(pdf: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))


@pytest.fixture(scope="module")
def one(tmp_path_factory: pytest.TempPathFactory, baseline_file: Path) -> Path:
    out = tmp_path_factory.mktemp("one")
    result = CliRunner().invoke(
        cli, ["report", str(baseline_file), "--paths", PATHS, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "The chance that IT exports reach $10B by FY29" in result.stdout
    return out


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory, baseline_file: Path) -> Path:
    out = tmp_path_factory.mktemp("two")
    ai = baseline_file.parent / "ai-push.yaml"
    result = CliRunner().invoke(
        cli, ["report", str(baseline_file), str(ai), "--paths", PATHS, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Under 'AI services push' it is" in result.stdout
    return out


def test_markdown_has_the_headline_and_summary_numbers(one: Path) -> None:
    md = (one / "report.md").read_text(encoding="utf-8")
    summary = json.loads((one / "summary-baseline.json").read_text())
    t29 = next(t for t in summary["targets"] if t["fiscal_year"] == 2029)
    head = (
        f"**The chance that IT exports reach $10B by FY29 is {spoken_chance(t29['p_hit'])} "
        "under 'Baseline momentum'.**"
    )
    assert head in md
    for t in summary["targets"]:
        lo, hi = t["p_hit_sim_error"]
        row = next(line for line in md.splitlines() if line.startswith(f"| {t['name']} |"))
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[3] == chance_text(t["p_hit"])
        assert cells[4] == interval_text([lo, hi], "–")
        assert cells[5] == f"${t['p50']:,.0f}M"
    assert summary["scenario"]["sha256"] in md
    assert f"--paths {PATHS} --seed 2026" in md
    cy = summary["current_year"]
    assert f"${cy['full_year']['p50']:,.0f}M" in md
    assert "Years are independent" in md  # growth: record estimates persistence 0
    assert summary["calibration"]["sentence"] in md


def test_image_links_point_to_written_files(one: Path) -> None:
    md = (one / "report.md").read_text(encoding="utf-8")
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", md)
    # fan, current year, probabilities, distributions, required growth, track record, tornado
    assert len(links) == 7
    assert sorted(links) == sorted(p.name for p in one.glob("*.png"))
    for link in links:
        assert (one / link).stat().st_size > 0
        assert link.endswith(".png")


def test_pdf_prints_four_charts_in_three_pages_and_names_the_rest(one: Path) -> None:
    pdf = one / "report.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert _pages(pdf) == 3
    assert not list(one.glob(".tmp-*"))
    md = (one / "report.md").read_text(encoding="utf-8")
    # the printed charts are numbered (as in the PDF); the others are linked, unnumbered
    assert re.findall(r"\*Figure (\d)\.\*", md) == ["1", "2", "3", "4"]
    assert md.count("*Chart.*") == 3
    leaves_out = next(line for line in md.splitlines() if "not printed in report.pdf" in line)
    for name in ("target_probabilities", "target_distributions", "track_record"):
        assert f"`{name}-baseline.png`" in leaves_out


def test_two_scenarios_add_comparison(two: Path) -> None:
    names = {p.name for p in two.iterdir()}
    assert {"summary-baseline.json", "summary-ai-push.json", "comparison.json"} <= names
    assert {"comparison.png", "comparison_probabilities.png", "fan-ai-push.png"} <= names
    md = (two / "report.md").read_text(encoding="utf-8")
    comp = json.loads((two / "comparison.json").read_text())
    assert "## Scenarios compared" in md
    for t in comp["targets"]:
        for r in t["results"]:
            assert f"| {r['scenario']} | {chance_text(r['p_hit'])} |" in md
    for link in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", md):
        assert (two / link).exists()
    # comparison, its probabilities, the reference's fan, current year and distributions and
    # the other's fan: six charts, two a page, after two pages of text
    assert _pages(two / "report.pdf") == 2 + 6 // 2
    assert "As the reference scenario, except:" in md
    assert "Lever 'ai_services_push'" in md


def test_markdown_is_pure_and_matches_summary(baseline_file: Path) -> None:
    sc = load_scenario(baseline_file)
    (proj,) = simulate_all([sc], paths=500, seed=1)
    summary = proj.summary()
    brief = Brief(
        summaries=(summary,),
        assumptions=(describe_assumptions(sc),),
        charts=(Chart("fan x.png", "A fan."),),
    )
    md = brief_markdown(brief)
    assert md == brief_markdown(brief)
    assert "(fan%20x.png)" in md
    assert md.startswith("# Pakistan's IT exports against their targets\n")
    assert "seed 1" in md


def test_assumptions_in_words(variants: dict[str, Path], baseline_file: Path) -> None:
    lines = describe_assumptions(load_scenario(baseline_file.parent / "fx-gap.yaml"))
    shock = next(line for line in lines if line.startswith("Shock"))
    assert "10% chance each year in FY27–FY30 (can recur)" in shock
    assert "falls by about 17%" in shock
    assert "25% of that comes back" in shock
    baseline = load_scenario(baseline_file)
    assert describe_assumptions(baseline)[0].startswith("Growth: the record rule")
    # As run, growth: record is explicit: the log-t years and the record_mean lever.
    resolved = describe_assumptions(simulate(baseline, paths=100, seed=0).scenario)
    assert resolved[0].startswith("Growth FY26–FY30: about +19.1% a year (log t; 90% of draws")
    assert any(line.startswith("Lever 'record_mean'") for line in resolved)


def test_missing_scenario_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["report", "scenarios/baseline.yaml", "nope.yaml", "--paths", "100", "--out", str(out)]
    )
    assert result.exit_code == 2
    assert result.stderr == "nope.yaml: file not found\n"
    assert not out.exists()


def test_a_failing_chart_leaves_no_files(tmp_path: Path, baseline_file: Path) -> None:
    sc = load_scenario(baseline_file)
    bundle = build_bundle(simulate_all([sc], paths=300, seed=3), [str(baseline_file)])
    files = report_files(bundle)

    def broken(path: Path) -> None:
        raise OSError("disk full")

    files["target_distributions-baseline.png"] = broken
    with pytest.raises(OSError):
        write_outputs(tmp_path, files)
    assert list(tmp_path.iterdir()) == []


def test_write_pdf_returns_page_count(tmp_path: Path, baseline_file: Path) -> None:
    sc = load_scenario(baseline_file)
    bundle = build_bundle(simulate_all([sc], paths=300, seed=3), [str(baseline_file)])
    n = write_pdf(tmp_path / "r.pdf", bundle.brief, bundle.draws)
    assert n == _pages(tmp_path / "r.pdf")
    printed = [c for c in bundle.brief.charts if c.printed]
    assert [c.name for c in printed] == ["fan", "current_year", "required_growth", "tornado"]
    assert n <= 3


def test_the_tornado_runs_on_the_reports_own_paths(tmp_path: Path, baseline_file: Path) -> None:
    """The tornado's base is the reference run itself, so its sentence quotes the chance the
    key-numbers table quotes. On a capped 4,000 paths a 20,000-path report read "17.0%" in one
    place and "17.5%" in the other."""
    out = tmp_path / "rep"
    result = CliRunner().invoke(
        cli, ["report", str(baseline_file), "--paths", "6000", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary-baseline.json").read_text())
    sens = json.loads((out / "sensitivity.json").read_text())
    assert sens["run"]["paths"] == summary["run"]["paths"] == 6000
    for t in summary["targets"]:
        if t["estimator"] == "paths":  # a rare target's is importance-sampled; the tornado's plain
            assert sens["base"]["p_hit"][t["name"]] == t["p_hit"]
    head = next(t for t in summary["targets"] if t["name"] == sens["headline_target"])
    md = (out / "report.md").read_text(encoding="utf-8")
    assert f"in FY29 is {chance_text(head['p_hit'])}." in md
