"""Axes tests of the chart fixes a graphics desk asked for: fiscal-year ticks that thin out on
long horizons without overlapping, and probability axes that fit small values with a clear
zero."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from matplotlib.text import Text

from simulator.plotting.comparison import plot_comparison
from simulator.plotting.projection import (
    ScenarioShare,
    TargetGroup,
    plot_fan,
    plot_target_probabilities,
)
from simulator.plotting.style import MAX_YEAR_LABELS
from simulator.present.text import TITLE_NAME_CHARS, billions, short_name
from simulator.stats.chart_data import ChartData
from simulator.stats.summary import Summary

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scenarios" / "baseline.yaml"


def _summary(tmp_path: Path, horizon: int) -> dict[str, Any]:
    from simulator.engine.runs import simulate
    from simulator.scenario.loader import load_scenario

    f = tmp_path / f"h{horizon}.yaml"
    f.write_text(
        f"extends: {BASELINE}\nname: Long run to {horizon}\nhorizon: {horizon}\n"
        f"growth:\n  - years: 2026-{horizon}\n    dist: normal\n    mean: 0.08\n    sd: 0.05\n",
        encoding="utf-8",
    )
    return simulate(load_scenario(f), paths=500, seed=1, threads=1).summary().to_dict()


def _visible_labels(ax: Any) -> list[Any]:
    fig = ax.get_figure(root=True)
    fig.canvas.draw()
    return [t for t in ax.get_xticklabels() if t.get_text() and t.get_visible()]


@pytest.mark.parametrize("horizon", [2040, 2100])
def test_fan_year_labels_thin_out_and_never_overlap(tmp_path: Path, horizon: int) -> None:
    ax = plot_fan(Summary.from_dict(_summary(tmp_path, horizon)))
    labels = _visible_labels(ax)
    assert 4 <= len(labels) <= MAX_YEAR_LABELS
    texts = [t.get_text() for t in labels]
    # The horizon is a round year, so it is labelled; past 2099 the year is spelled out.
    assert (f"FY{horizon}" if horizon > 2099 else f"FY{horizon % 100:02d}") in texts
    boxes = [t.get_window_extent() for t in labels]
    for a, b in itertools.pairwise(boxes):
        assert a.x1 < b.x0, (texts, "labels overlap")


def test_short_horizon_labels_every_other_year_at_most(tmp_path: Path) -> None:
    ax = plot_fan(Summary.from_dict(_summary(tmp_path, 2030)))
    texts = [t.get_text() for t in _visible_labels(ax)]
    assert "FY30" in texts and "FY16" in texts
    assert len(texts) <= MAX_YEAR_LABELS


def _groups(ps: list[float]) -> list[TargetGroup]:
    return [
        TargetGroup(
            name=f"t{i}",
            fiscal_year=2026 + i,
            value=5000.0 * (i + 1),
            kind="official target",
            results=(ScenarioShare("S", p, (p * 0.9, p * 1.1 + 0.002)),),
        )
        for i, p in enumerate(ps)
    ]


def test_probability_axis_fits_small_values_with_a_clear_zero() -> None:
    ax = plot_target_probabilities(_groups([0.059, 0.025, 0.0]))
    lo, hi = ax.get_ylim()
    assert lo == 0
    assert 0.07 < hi <= 0.15  # not 0-100% for values under 7%
    ticks = list(ax.yaxis.get_major_locator()())
    assert ticks[0] == 0 and len(ticks) >= 3
    # Every tick label states its value exactly (no 2.5% shown as "2%").
    fmt = ax.yaxis.get_major_formatter()
    for t in ticks:
        assert float(fmt(t, 0).rstrip("%")) == pytest.approx(t * 100)
    zero_lines = [ln for ln in ax.get_lines() if list(ln.get_ydata()) == [0, 0]]
    assert zero_lines and zero_lines[0].get_linewidth() >= 1


def test_probability_axis_keeps_0_to_100_for_large_values() -> None:
    ax = plot_target_probabilities(_groups([0.8, 0.4]))
    assert ax.get_ylim() == (0, 1.08)


def test_comparison_labels_quote_the_year_the_title_names(tmp_path: Path) -> None:
    from simulator.engine.runs import simulate
    from simulator.questions.compare import compare_projections
    from simulator.scenario.loader import load_scenario

    names = ("baseline.yaml", "fx-gap.yaml", "ai-push.yaml")
    runs = [
        simulate(load_scenario(ROOT / "scenarios" / n), paths=500, seed=2, threads=1) for n in names
    ]
    comparison = compare_projections(runs)
    ax = plot_comparison(comparison)
    title = ax.get_title(loc="left")
    assert "by FY29" in title

    def flat(t: Any) -> str:
        return " ".join(t.get_text().split())

    labels = [flat(t) for t in ax.texts if "FY29: $" in flat(t)]
    assert len(labels) == 3  # one per scenario, each quoting FY29
    for sc in comparison.scenarios:
        fy29 = next(r for r in sc.years if r.fiscal_year == 2029)
        assert any(billions(fy29.p50) in t and sc.label in t.replace("\n", " ") for t in labels)
    # More than two scenarios: light bands (one per scenario) and labels kept apart.
    fig = ax.get_figure(root=True)
    fig.canvas.draw()
    boxes = sorted(
        # The text's own box (an annotation's window extent also covers its leader line).
        (Text.get_window_extent(t) for t in ax.texts if "FY29: $" in flat(t)),
        key=lambda b: b.y0,
    )
    for a, b in itertools.pairwise(boxes):
        assert a.y1 <= b.y0 + 0.5
    assert all(c.get_alpha() is not None and c.get_alpha() <= 0.1 for c in ax.collections)


def test_names_the_font_cannot_draw_give_one_warning_line(
    baseline_summary: dict[str, Any], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import copy
    import logging

    from simulator.report import charts

    summary = copy.deepcopy(baseline_summary)
    summary["scenario"]["name"] = "\u60c5\u666f B (CJK)"
    with caplog.at_level(logging.WARNING, logger="simulator.report.charts"):
        typed = Summary.from_dict(summary), ChartData.from_dict(summary["chart_data"])
        for name, draw in charts.run_charts(*typed).items():
            charts.saver(draw)(tmp_path / f"{name}.png")
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 1, lines  # not one per glyph, nor one per chart
    assert "'\u60c5', '\u666f'" in lines[0] and "cannot draw" in lines[0]


def test_long_names_are_shortened_in_titles() -> None:
    long = "Exchange-rate gap returns with a lasting retention of export earnings abroad"
    short = short_name(long)
    assert short.endswith("\u2026") and len(short) <= TITLE_NAME_CHARS
    assert long.startswith(short[:-1])
    assert short_name("Baseline momentum") == "Baseline momentum"


def test_a_certain_target_keeps_its_distribution_panels_readable(
    write_yaml: Any,
) -> None:
    """Every path hits: each P(hit) reads as its bound, "above 99.85% (95% lower bound, 2,000 of
    2,000 paths)". Put whole in three panel titles it collapsed the layout (a matplotlib
    warning, an error under the tests' filterwarnings) and ran the titles into each other; the
    panel titles keep "above 99.85%" and the labels inside the panels carry the bound."""
    from simulator.engine.runs import simulate
    from simulator.report.charts import distributions_figure
    from simulator.scenario.loader import load_scenario
    from simulator.stats.chart_data import chart_data

    path = write_yaml(
        "name: near certain\nbase: {fiscal_year: 2025, value: 3810}\nhorizon: 2030\nseed: 5\n"
        "nowcast: false\ngrowth:\n  - {years: 2026-2030, dist: normal, mean: 0.9, sd: 0.01}\n"
    )
    res = simulate(load_scenario(path), paths=2000, seed=1, threads=1)
    fig = distributions_figure(res.summary(), chart_data(res))
    fig.draw_without_rendering()
    axes = fig.axes
    assert len(axes) == 3
    titles = [ax._left_title for ax in axes]  # the brief style titles panels on the left
    for ax, title in zip(axes, titles, strict=True):
        assert title.get_text().replace("\n", " ").endswith("above 99.85%")
        assert any("95% lower bound" in t.get_text() for t in ax.texts)
    boxes = [t.get_window_extent() for t in titles]
    for a, b in itertools.pairwise(boxes):
        assert a.x1 <= b.x0, "panel titles overlap"
    assert fig._suptitle is not None
    assert fig._suptitle.get_window_extent().x1 <= fig.bbox.width, "the title runs off the page"
