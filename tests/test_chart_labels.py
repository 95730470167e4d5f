"""Axes tests of label placement: a label never sits on the data it describes (lines, bands,
target lines), and rows and panels are named in words a reader of a brief understands.

Each test renders the figure (``draw_without_rendering``, so constrained layout has run) and
compares window extents in display pixels.
"""

from __future__ import annotations

from collections.abc import Iterator
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


@pytest.fixture(autouse=True)
def _close() -> Iterator[None]:
    yield
    plt.close("all")


def _draw(ax: Axes) -> None:
    ax.get_figure(root=True).draw_without_rendering()  # type: ignore[union-attr]


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
    fig = charts.distributions_figure(baseline_summary)
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
    ax = plot_fan(baseline_summary)
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
