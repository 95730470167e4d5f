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
from matplotlib.transforms import Bbox

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
