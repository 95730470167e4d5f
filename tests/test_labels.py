"""Axes tests of label placement: a label never sits on the data it describes (lines, bands,
target lines), and rows and panels are named in words a reader of a brief understands.

Each test renders the figure (``draw_without_rendering``, so constrained layout has run) and
compares window extents in display pixels.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pytest
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from simulator.plotting.projection import plot_fan
from simulator.report import charts
from simulator.stats.chart_data import ChartData
from simulator.stats.summary import Summary

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


@pytest.fixture(autouse=True)
def _close() -> Iterator[None]:
    yield
    plt.close("all")


def _draw(ax: Axes) -> None:
    ax.get_figure(root=True).draw_without_rendering()  # type: ignore[union-attr]


def _typed(summary: dict[str, Any]) -> tuple[Summary, ChartData]:
    """The typed summary and chart data of the session's ``baseline_summary`` JSON object."""
    return Summary.from_dict(summary), ChartData.from_dict(summary["chart_data"])


def _hits(box: Bbox, artist: Any) -> bool:
    """Whether a filled band or a line crosses the box (display pixels)."""
    if isinstance(artist, PolyCollection):
        tr = artist.get_transform()
        return any(p.transformed(tr).intersects_bbox(box, filled=True) for p in artist.get_paths())
    if isinstance(artist, Line2D):
        path = artist.get_path().transformed(artist.get_transform())
        if len(path.vertices) == 1:
            x, y = path.vertices[0]
            return bool(box.x0 <= x <= box.x1 and box.y0 <= y <= box.y1)
        return bool(path.intersects_bbox(box, filled=False))
    raise TypeError(artist)


# --- distributions: the median label and the target line -----------------------------------


def test_median_labels_stay_off_the_target_line(baseline_summary: dict[str, Any]) -> None:
    fig = charts.distributions_figure(*_typed(baseline_summary))
    fig.draw_without_rendering()
    for ax in fig.axes:
        (median,) = [t for t in ax.texts if t.get_text().startswith("median ")]
        (target,) = [t for t in ax.texts if "target" in t.get_text()]
        box = median.get_window_extent()
        dashed = [ln for ln in ax.lines if ln.get_linestyle() == "--"]
        assert len(dashed) == 1
        x = ax.transData.transform((dashed[0].get_xdata()[0], 0))[0]
        title = ax.get_title(loc="left")
        assert not box.x0 - 1 <= x <= box.x1 + 1, (title, "median label on the target line")
        assert not box.overlaps(target.get_window_extent())
        assert ax.bbox.contains(box.x0, box.y0) and ax.bbox.contains(box.x1, box.y1)


# --- fan: the target labels and the actual line, median and bands --------------------------


def _text_box(label: Text) -> Bbox:
    """The text alone (a leader line from a lifted label may cross the band it points into)."""
    label.get_window_extent()
    return Text.get_window_extent(label)


def _target_labels(ax: Axes) -> list[Text]:
    return [t for t in ax.texts if " target" in t.get_text()]


def test_fan_target_labels_sit_off_lines_and_bands(baseline_summary: dict[str, Any]) -> None:
    ax = plot_fan(Summary.from_dict(baseline_summary))
    _draw(ax)
    labels = _target_labels(ax)
    assert len(labels) == 3
    data = [ln for ln in ax.lines if ln.get_label() in ("Actual (SBP)", "Median projection")]
    data += [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(data) == 5
    for label in labels:
        box = _text_box(label)
        for artist in data:
            assert not _hits(box, artist), (label.get_text(), artist.get_label())
        assert ax.bbox.contains(box.x0, box.y0) and ax.bbox.contains(box.x1, box.y1)
    legend = ax.get_legend().get_window_extent()
    boxes = [_text_box(t) for t in labels]
    for i, a in enumerate(boxes):
        assert not a.overlaps(legend)
        assert not any(a.overlaps(b) for b in boxes[i + 1 :])


def test_fan_target_labels_sit_off_the_data_for_every_shipped_run(
    variants: dict[str, Any],
) -> None:
    from simulator.engine.runs import simulate
    from simulator.scenario.loader import load_scenario

    for f in variants.values():
        s = simulate(load_scenario(f), paths=2000, seed=5, threads=1).summary()
        ax = plot_fan(s)
        _draw(ax)
        data = [ln for ln in ax.lines if ln.get_label() in ("Actual (SBP)", "Median projection")]
        data += [c for c in ax.collections if isinstance(c, PolyCollection)]
        for label in _target_labels(ax):
            box = _text_box(label)
            assert not any(_hits(box, a) for a in data), (f.name, label.get_text())
        plt.close("all")


# --- components: shared style, names, the source note and the target label -----------------


@pytest.fixture(scope="module")
def cc_summary() -> Any:
    from simulator.engine.runs import simulate
    from simulator.scenario.loader import load_scenario
    from simulator.stats.targets import summarize

    sc = load_scenario(SCENARIOS / "call-centres.yaml")
    return summarize(simulate(sc, paths=4000, seed=2026, threads=1))


def test_component_fans_read_as_a_brief_chart(cc_summary: Any) -> None:
    from simulator.plotting.components import plot_component_fans
    from simulator.plotting.style import BRIEF_SIZE

    fig = plot_component_fans(cc_summary)
    fig.draw_without_rendering()
    axes = fig.get_axes()
    # Panels named in words from the scenario's component names, in the shared style.
    assert [ax.get_title(loc="left") for ax in axes] == ["Call centres", "Rest of ICT"]
    assert tuple(fig.get_size_inches()) == pytest.approx(BRIEF_SIZE)
    for ax in axes:
        assert not ax.spines["top"].get_visible() and not ax.spines["right"].get_visible()
        assert all(t.get_fontfamily() == ["DejaVu Sans"] for t in ax.get_xticklabels())
    # The source note names the scenario, stays inside the figure and clear of the tick labels.
    (note,) = [t for t in axes[0].texts if t.get_text().startswith("Scenario: ")]
    assert "Call centres grow to $500M" in note.get_text().replace("\n", " ")
    box = note.get_window_extent()
    assert fig.bbox.contains(box.x0, box.y0) and fig.bbox.contains(box.x1, box.y1)
    for ax in axes:
        for tick in ax.get_xticklabels():
            if tick.get_text() and tick.get_visible():
                assert not box.overlaps(tick.get_window_extent()), tick.get_text()
    # The target's label sits off the bands and the median.
    (label,) = [t for t in axes[0].texts if "P(hit)" in t.get_text()]
    assert label.get_text().startswith("Call centres $500M:\nP(hit) ")
    tbox = _text_box(label)
    data = [*axes[0].collections, *[ln for ln in axes[0].lines if ln.get_label() != "_target"]]
    for artist in data:
        if isinstance(artist, (PolyCollection, Line2D)) and artist.get_label() != "_target":
            assert not _hits(tbox, artist), artist.get_label()
    assert axes[0].bbox.contains(tbox.x0, tbox.y0) and axes[0].bbox.contains(tbox.x1, tbox.y1)


def test_component_stack_names_parts_in_words(cc_summary: Any) -> None:
    from simulator.plotting.components import plot_component_stack

    fig = plot_component_stack(cc_summary)
    fig.draw_without_rendering()
    ax = fig.get_axes()[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Call centres", "Rest of ICT"]
    assert not ax.spines["top"].get_visible()
    (note,) = [t for t in ax.texts if t.get_text().startswith("Scenario: ")]
    box = note.get_window_extent()
    assert fig.bbox.contains(box.x1, box.y1)
    for tick in ax.get_xticklabels():
        if tick.get_text():
            assert not box.overlaps(tick.get_window_extent()), tick.get_text()


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("rest_of_ict", "Rest of ICT"),
        ("call_centres", "Call centres"),
        ("ai_services_push", "AI services push"),
        ("record_mean", "Growth record: mean"),
        ("Tech slowdown", "Tech slowdown"),
    ],
)
def test_display_name(name: str, words: str) -> None:
    from simulator.present.text import display_name
    from simulator.stats.record_rule import MEAN_LEVER

    assert display_name(name) == words
    assert display_name(MEAN_LEVER) == "Growth record: mean"


def test_report_headings_use_the_same_names() -> None:
    from simulator.report.sections import component_label

    assert component_label("rest_of_ict") == "Rest of ICT"
    assert component_label("call_centres") == "Call centres"


# --- tornado: rows named in words -----------------------------------------------------------


def test_tornado_rows_are_named_in_words() -> None:
    from simulator.plotting.style import new_figure
    from simulator.plotting.tornado import plot_tornado
    from simulator.questions.sensitivity import sensitivity
    from simulator.scenario.loader import load_scenario

    result = sensitivity(load_scenario(SCENARIOS / "ai-push.yaml"), paths=1000, seed=7, threads=1)
    _fig, ax = new_figure()
    plot_tornado(result, target=2029, ax=ax)
    rows = [t.get_text().split("\n")[0] for t in ax.get_yticklabels()]
    assert "AI services push FY27\u2013FY30" in rows
    assert "Growth record: mean FY26\u2013FY30" in rows
    for row in rows:
        assert "_" not in row and row[0].isupper(), row


# --- comparison: the target labels and the scenarios' bands --------------------------------


def test_comparison_target_labels_sit_off_lines_and_bands() -> None:
    from simulator.plotting.comparison import plot_comparison
    from simulator.questions.compare import run_comparison
    from simulator.scenario.loader import load_scenario

    files = ("baseline.yaml", "ai-push.yaml", "global-slowdown.yaml")
    comparison = run_comparison(
        [load_scenario(SCENARIOS / f) for f in files], paths=4000, seed=2026, threads=1
    )
    ax = plot_comparison(comparison)
    _draw(ax)
    labels = [t for t in ax.texts if t.get_text().endswith(" target")]
    assert len(labels) == 3
    data = [*ax.collections, *[ln for ln in ax.lines if len(ln.get_xdata()) > 1]]
    others = [t for t in ax.texts if t not in labels]
    for label in labels:
        box = _text_box(label)
        for artist in data:
            assert not _hits(box, artist), (label.get_text(), artist)
        assert not any(box.overlaps(_text_box(o)) for o in others), label.get_text()
        assert ax.bbox.contains(box.x0, box.y0) and ax.bbox.contains(box.x1, box.y1)


# --- current year: the needed run-rate label and the bands ---------------------------------


def test_needed_run_rate_label_sits_off_the_bands(baseline_summary: dict[str, Any]) -> None:
    from matplotlib.collections import LineCollection

    from simulator.plotting.projection import plot_current_year

    ax = plot_current_year(Summary.from_dict(baseline_summary))
    _draw(ax)
    (label,) = [t for t in ax.texts if t.get_text().startswith("Needed for ")]
    box = _text_box(label)
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(bands) == 3
    for artist in [*bands, *ax.lines]:
        assert not _hits(box, artist), artist.get_label()
    (dashed,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    seg = dashed.get_segments()[0]
    y = ax.transData.transform(seg[0])[1]
    assert box.y0 - 2 <= y <= box.y1 + 2  # beside its line, at its height
    assert not box.overlaps(ax.get_legend().get_window_extent())
    assert ax.bbox.contains(box.x0, box.y0) and ax.bbox.contains(box.x1, box.y1)
