"""Chart functions: assertions on the returned Axes, and a few image comparisons.

Baselines live in ``tests/baseline_images`` and hold no text (see :func:`_render`): text is
checked on the Axes, where it is exact, and the images check what is drawn, at a tolerance
(``TOL``) tight enough to see a band or a line move. After a deliberate change to a chart,
look at the new chart itself (``simulator run scenarios/baseline.yaml``), then regenerate the
baselines with::

    SIMULATOR_NEW_BASELINES=1 .venv/bin/python -m pytest -q -p no:cacheprovider \
        tests/test_plotting.py -k image

and look at the new PNGs in ``tests/baseline_images`` before committing them.
"""

from __future__ import annotations

import copy
import itertools
import os
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.testing.compare import compare_images
from matplotlib.text import Text

from simulator.data.history import load_annual
from simulator.plotting.comparison import plot_comparison
from simulator.plotting.projection import (
    comparison_groups,
    plot_fan,
    plot_target_distribution,
    plot_target_probabilities,
    targets_as_groups,
)
from simulator.plotting.record import plot_required_growth, plot_track_record
from simulator.plotting.style import PALETTE, brief_style
from simulator.present.text import billions, chance_text, probability_text
from simulator.questions.compare import Comparison, run_comparison
from simulator.questions.record import (
    RequiredGrowthSummary,
    TrackRecord,
    past_targets,
    required_growth_summary,
    track_record_summary,
)
from simulator.report import charts
from simulator.scenario.loader import load_scenario
from simulator.scenario.schema import URAAN_TARGETS
from simulator.stats.chart_data import ChartData, sample_path_indices
from simulator.stats.summary import Summary, YearValue

BASELINES = Path(__file__).parent / "baseline_images"
IMAGE_DPI = 60  # small baselines; the layout is the same as at 200 dpi
# RMS over 0-255 pixel values. The images are text-free, so the same matplotlib draws them
# identically on any machine (0 here); 20 used to be needed for text and hid a change of
# every number on the chart (RMS 9).
TOL = 1


@pytest.fixture(autouse=True)
def _close() -> Iterator[None]:
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def history() -> dict[int, float]:
    a = load_annual()
    return dict(zip(a.fiscal_years.tolist(), a.values.tolist(), strict=True))


@pytest.fixture(scope="module")
def required(history: dict[int, float]) -> RequiredGrowthSummary:
    return required_growth_summary(URAAN_TARGETS, base_year=2025, base_value=3810, history=history)


@pytest.fixture(scope="module")
def track(history: dict[int, float]) -> TrackRecord:
    return track_record_summary(past_targets(history))


@pytest.fixture(scope="module")
def comparison(baseline_file: Path, variants: dict[str, Path]) -> Comparison:
    scs = [load_scenario(baseline_file), load_scenario(variants["ai"])]
    scs.append(load_scenario(variants["fast"]))
    return run_comparison(scs, paths=4000, seed=3, threads=1)


def _texts(ax: Axes) -> list[str]:
    return [t.get_text() for t in ax.texts]


def _typed(summary: dict[str, Any]) -> tuple[Summary, ChartData]:
    """The typed results behind a ``summary-<stem>.json`` (a summary with its chart data)."""
    return Summary.from_dict(summary), ChartData.from_dict(summary["chart_data"])


# --- fan chart ----------------------------------------------------------------------------


def test_fan_labels_match_summary(baseline_summary: dict[str, Any]) -> None:
    ax = plot_fan(Summary.from_dict(baseline_summary))
    p29 = next(t for t in baseline_summary["targets"] if t["fiscal_year"] == 2029)["p_hit"]
    assert ax.get_title(loc="left") == f"Chance of reaching $10B by FY29: {chance_text(p29)}"
    for t in baseline_summary["targets"]:
        label = f"P(hit) {chance_text(t['p_hit'])}"
        assert any(label in s and billions(t["value"]) in s for s in _texts(ax))
    assert ax.get_ylim()[0] == 0
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[:2] == ["Actual (SBP)", "Median projection"]
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks[0] == "FY16" and ticks[-1] == "FY30"
    # Round $ steps, never "$17.5B".
    assert all(v % 5000 == 0 for v in ax.get_yticks())
    # Industry projection drawn hollow, official targets filled.
    markers = [ln for ln in ax.lines if ln.get_marker() == "D"]
    faces = {int(ln.get_xdata()[0]): to_hex(ln.get_markerfacecolor()) for ln in markers}
    assert faces[2030] == "#ffffff"
    assert faces[2029] == PALETTE["vermillion"].lower()


def test_fan_says_met_or_missed_for_observed_targets(baseline_summary: dict[str, Any]) -> None:
    # Actuals that complete FY26 make its target observed: a fact, not a Monte Carlo estimate.
    summary = copy.deepcopy(baseline_summary)
    fy26 = next(t for t in summary["targets"] if t["fiscal_year"] == 2026)
    fy26.update(status="observed", p_hit=0.0, p_hit_sim_error=[0.0, 0.0], p50=4693.0)
    ax = plot_fan(Summary.from_dict(summary))
    label = next(s for s in _texts(ax) if s.startswith("$5B target"))
    assert label.endswith("missed")
    assert "P(hit)" not in label
    assert "$5B by FY26 missed" in " ".join(_texts(ax)).replace("\n", " ")
    fy26.update(p_hit=1.0, p_hit_sim_error=[1.0, 1.0], p50=5100.0)
    ax = plot_fan(Summary.from_dict(summary))
    assert next(s for s in _texts(ax) if s.startswith("$5B target")).endswith("met")


def test_fan_log_scale(baseline_summary: dict[str, Any]) -> None:
    ax = plot_fan(Summary.from_dict(baseline_summary), log_scale=True)
    assert ax.get_yscale() == "log"
    fig = ax.get_figure()
    assert fig is not None
    fig.canvas.draw()
    lo, hi = ax.get_ylim()
    assert lo > 0
    shown = [t for t in ax.get_yticks() if lo <= t <= hi]
    # Every 1-2-5 step in range is labelled, in $ billions.
    assert {1000.0, 2000.0, 5000.0, 10000.0} <= set(shown)
    labels = {t.get_text() for t in ax.get_yticklabels() if t.get_text()}
    assert {"$1B", "$2B", "$5B", "$10B"} <= labels
    assert "log scale" in ax.get_ylabel()


def test_fan_with_sample_paths(baseline_run: Any, baseline_summary: dict[str, Any]) -> None:
    samples = baseline_summary["chart_data"]["sample_paths"]
    assert len(samples["values"]) == 40
    data = ChartData.from_dict(baseline_summary["chart_data"])
    ax = plot_fan(Summary.from_dict(baseline_summary), samples=data.sample_paths)
    thin = [ln for ln in ax.lines if ln.get_linewidth() == 0.5]
    assert len(thin) == 40
    # The sample is stratified on the last year: it spans the spread.
    idx = sample_path_indices(baseline_run.values, 40)
    last = baseline_run.values[idx, -1]
    q = np.quantile(baseline_run.values[:, -1], [0.05, 0.95])
    assert last.min() < q[0] and last.max() > q[1]


# --- target probabilities and distributions -----------------------------------------------


def test_target_probability_bars(baseline_summary: dict[str, Any]) -> None:
    groups = targets_as_groups(Summary.from_dict(baseline_summary))
    ax = plot_target_probabilities(groups)
    heights = [p.get_height() for p in ax.patches]
    assert heights == pytest.approx([t["p_hit"] for t in baseline_summary["targets"]])
    # The axis fits the values (all under 10% here) rather than running to 100%.
    top = max(t["p_hit_sim_error"][1] for t in baseline_summary["targets"])
    assert ax.get_ylim()[0] == 0 and top < ax.get_ylim()[1] <= max(2 * top + 0.01, 0.15)
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "$5B by FY26",
        "$10B by FY29",
        "$20B by FY30\n(industry projection)",
    ]
    assert ax.get_legend() is None  # one scenario: nothing to tell apart


def test_target_probabilities_grouped(comparison: Comparison) -> None:
    ax = plot_target_probabilities(comparison_groups(comparison))
    assert len(ax.patches) == 3 * 3
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["Baseline momentum", "AI services push", "Policy boost"]


def test_distribution_shaded_mass_is_p_hit(baseline_summary: dict[str, Any]) -> None:
    data = ChartData.from_dict(baseline_summary["chart_data"])
    dicts = baseline_summary["chart_data"]["distributions"]
    for d, dist in zip(dicts, data.distributions, strict=True):
        ax = plot_target_distribution(dist)
        shaded = [
            p for p in ax.patches if to_hex(p.get_facecolor()) == PALETTE["vermillion"].lower()
        ]
        area = sum(p.get_width() * p.get_height() for p in shaded)
        assert area + d["above_range"] == pytest.approx(d["p_hit"], abs=1e-9)
        total = sum(p.get_width() * p.get_height() for p in ax.patches)
        assert total + d["below_range"] + d["above_range"] == pytest.approx(1.0)
        # Only the far tail is left out: beyond the 99.9% quantile, less up to one bin (the
        # range shifts to put the target on a bin edge). With fat tails the last bins hold
        # single paths, so that bin's share is known only to one path.
        one_bin = max(d["density"][-3:]) * (d["edges"][1] - d["edges"][0])
        one_path = 1 / baseline_summary["run"]["paths"]
        assert d["above_range"] <= 0.001 + one_bin + one_path
        assert any(f"P(hit) {chance_text(d['p_hit'])}" in s for s in _texts(ax))
        plt.close("all")


def test_distributions_figure_one_panel_per_target(baseline_summary: dict[str, Any]) -> None:
    fig = charts.distributions_figure(*_typed(baseline_summary))
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    assert titles[0].startswith("$5B in FY26: ")
    assert len(titles) == 3


# --- comparison, required growth, track record --------------------------------------------


def test_same_label_in_every_scenario_is_said_once(comparison: Comparison) -> None:
    # Give every scenario the FY30 P(hit) of the first, so the label is the same in all.
    groups = comparison_groups(comparison)
    i = next(k for k, g in enumerate(groups) if g.fiscal_year == 2030)
    first = groups[i].results[0]
    same = (
        replace(r, p_hit=first.p_hit, hits=first.hits, paths=first.paths) for r in groups[i].results
    )
    groups[i] = twenty = replace(groups[i], results=tuple(same))
    ax = plot_target_probabilities(groups)
    texts = _texts(ax)
    labels = {chance_text(r.p_hit) for r in twenty.results}
    if first.hits == 0:
        labels = {"below 0.075% (95% upper bound, 0 of 4,000 paths)"}
    assert len(labels) == 1
    assert f"{labels.pop()} in every scenario" in texts


def test_line_end_labels_stay_near_their_lines_without_overlap(
    comparison: Comparison,
) -> None:
    ax = plot_comparison(comparison)
    ax.figure.canvas.draw()
    ends = [a for a in ax.texts if a.get_text().endswith("B") and "target" not in a.get_text()]
    assert len(ends) == len(comparison.scenarios)
    boxes = sorted((a.get_window_extent() for a in ends), key=lambda b: b.y0)
    for lower, upper in itertools.pairwise(boxes):
        assert lower.y1 <= upper.y0 + 0.5  # no overlap
    lo, hi = ax.get_ylim()
    medians = [sc.years[-1].p50 for sc in comparison.scenarios]
    for a in ends:
        y = a.xyann[1]
        assert lo <= y <= hi
        # Centred stack: no label is pushed further than a fifth of the axis from the lines.
        assert min(abs(y - m) for m in medians) < 0.2 * (hi - lo)


def test_comparison_direct_labels(comparison: Comparison) -> None:
    ax = plot_comparison(comparison)
    texts = _texts(ax)
    for sc in comparison.scenarios:
        assert any(s.startswith(sc.label.split()[0]) for s in texts)
    assert ax.get_legend() is None
    assert ax.get_title(loc="left").startswith("Chance of reaching $10B by FY29:")
    # Labels sit inside the axes, right of the last year.
    assert ax.get_xlim()[1] > 2030.5


def test_comparison_two_scenarios_are_fans(comparison: Comparison) -> None:
    two = replace(comparison, scenarios=comparison.scenarios[:2])
    ax = plot_comparison(two)
    assert len(ax.collections) == 4  # 80% and 50% bands for each
    three = plot_comparison(comparison)
    assert len(three.collections) == 3  # one light band each


def test_required_growth_bars(required: RequiredGrowthSummary) -> None:
    ax = plot_required_growth(required)
    widths = [p.get_width() for p in ax.patches]
    assert widths == pytest.approx([t.required_cagr for t in required.targets])
    assert "acceleration needed (ratio 0.79)" in " ".join(_texts(ax))


def test_track_record(track: TrackRecord, history: dict[int, float]) -> None:
    hist = [YearValue(fiscal_year=y, value=v) for y, v in sorted(history.items())]
    ax = plot_track_record(track, hist)
    assert ax.get_title(loc="left") == "Official IT-export targets met since 2016: 0 of 4"
    diamonds = [ln for ln in ax.lines if ln.get_marker() == "D"]
    assert sorted(int(ln.get_xdata()[0]) for ln in diamonds) == [2020, 2022, 2023, 2025]
    assert any("missed by 9%" in s for s in _texts(ax))


def test_pct() -> None:
    assert probability_text(0.0) == "0%"
    assert chance_text(0.0) == "0%"  # no counts given: no bound to state
    assert probability_text(0.0004) == "0.040%"
    assert chance_text(2.1e-5) == "0.0021%"
    assert probability_text(0.004) == "0.4%"
    assert probability_text(0.0545) == "5.5%"
    assert probability_text(0.37) == "37.0%"  # one decimal everywhere above 1% (issue 13)
    assert probability_text(0.95) == "95.0%"


# --- image comparisons --------------------------------------------------------------------


def _render(draw: Callable[[], Figure], out: Path) -> None:
    """Save the chart without its text, for an image comparison.

    The layout is made with the text (DejaVu Sans, which matplotlib ships, so the metrics are
    the same everywhere) and then frozen; every text artist (titles, ticks, labels, legend
    entries, annotations and their leader lines) is then hidden. What is compared is what
    the Axes tests cannot see well: the bands, lines, bars, markers and their colours.
    """
    with brief_style():
        fig = draw()
        fig.draw_without_rendering()
        fig.set_layout_engine("none")
        for t in fig.findobj(Text):
            t.set_visible(False)
        fig.savefig(out, dpi=IMAGE_DPI)
    plt.close(fig)


def _check_image(name: str, draw: Callable[[], Figure], tmp_path: Path) -> None:
    out = tmp_path / f"{name}.png"
    _render(draw, out)
    baseline = BASELINES / f"{name}.png"
    if os.environ.get("SIMULATOR_NEW_BASELINES"):
        BASELINES.mkdir(exist_ok=True)
        baseline.write_bytes(out.read_bytes())
    assert baseline.exists(), f"no baseline {baseline}; see the module docstring"
    result = compare_images(str(baseline), str(out), tol=TOL)
    assert result is None, result


def test_image_comparisons_ignore_text(baseline_summary: dict[str, Any], tmp_path: Path) -> None:
    # Text is drawn differently by each machine's fonts and FreeType, so the images compared
    # hold none: a chart whose numbers change in its text (digits have one width, so the
    # layout stays) gives the same image.
    draw = charts.run_charts(*_typed(baseline_summary))["fan"]
    other = str.maketrans("0123456789", "9876543210")

    def reworded() -> Figure:
        fig = draw()
        for t in fig.findobj(Text):
            t.set_text(t.get_text().translate(other))
        return fig

    _render(draw, tmp_path / "a.png")
    _render(reworded, tmp_path / "b.png")
    assert compare_images(str(tmp_path / "a.png"), str(tmp_path / "b.png"), tol=0) is None


def test_image_fan(baseline_summary: dict[str, Any], tmp_path: Path) -> None:
    _check_image("fan", charts.run_charts(*_typed(baseline_summary))["fan"], tmp_path)


def test_image_required_growth(
    required: RequiredGrowthSummary, track: TrackRecord, history: dict[int, float], tmp_path: Path
) -> None:
    hist = [YearValue(fiscal_year=y, value=v) for y, v in sorted(history.items())]
    drawn = charts.required_growth_charts(required, track, hist)
    _check_image("required_growth", drawn["required_growth"], tmp_path)
    _check_image("track_record", drawn["track_record"], tmp_path)


def test_image_distributions(baseline_summary: dict[str, Any], tmp_path: Path) -> None:
    _check_image(
        "target_distributions",
        charts.run_charts(*_typed(baseline_summary))["target_distributions"],
        tmp_path,
    )


def test_run_writes_the_charts(tmp_path: Path, baseline_file: Path) -> None:
    from click.testing import CliRunner

    from simulator.cli import cli

    res = CliRunner().invoke(
        cli,
        [
            "run",
            str(baseline_file),
            "--paths",
            "2000",
            "--out",
            str(tmp_path),
            "--format",
            "pdf",
            "--spaghetti",
        ],
    )
    assert res.exit_code == 0, res.output
    names = {p.name for p in tmp_path.iterdir()}
    assert {
        "fan.pdf",
        "target_probabilities.pdf",
        "target_distributions.pdf",
        "fan_paths.pdf",
    } <= names
