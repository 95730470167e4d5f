"""Label placement: move a chart label until it sits on no data (lines, bands, markers), no
other label and no legend, inside its axes.

Charts first place a label where a reader looks for it (beside its marker), then call
:func:`lift_clear` once the figure's layout is final (after titles, legend and source note),
so the check is made at the positions the saved file will have.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.lines import Line2D
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox

from simulator.plotting.style import INK

#: Clearance kept around a label, in display pixels.
PAD = 2.0


def marker_label(
    ax: Axes,
    text: str,
    xy: tuple[float, float],
    *,
    offset: tuple[float, float] = (-8, 0),
    fontsize: float = 8,
    bold: bool = True,
    gap: float = 5,
) -> Annotation:
    """A label left of a marker at ``xy`` (data), ready for :func:`lift_clear`.

    Its box is invisible, so a leader line starts at the edge of the text; the leader (``gap``
    points short of the marker) shows only once the label is moved; and it stays out of the
    layout, since it is placed inside the axes. ``offset`` is in points from ``xy``.
    """
    ann = ax.annotate(
        text,
        xy=xy,
        xytext=offset,
        textcoords="offset points",
        ha="right",
        va="center",
        fontsize=fontsize,
        fontweight="bold" if bold else "normal",
        color=INK,
        linespacing=1.15,
        bbox={"boxstyle": "square,pad=0.15", "fc": "none", "ec": "none"},
        arrowprops={"arrowstyle": "-", "shrinkA": 1, "shrinkB": gap, "lw": 0.7, "color": INK},
    )
    assert ann.arrow_patch is not None
    ann.arrow_patch.set_visible(False)
    ann.set_in_layout(False)
    return ann


def text_box(label: Text) -> Bbox:
    """The label's text in display pixels (an annotation's leader line left out)."""
    if isinstance(label, Annotation):
        label.get_window_extent()  # positions the text at its current offset
    return Text.get_window_extent(label)


def hits(box: Bbox, artist: Artist) -> bool:
    """Whether ``artist`` (a line, its markers, a filled band, a text or legend) touches
    ``box`` (display pixels)."""
    if isinstance(artist, PolyCollection):
        tr = artist.get_transform()
        return any(p.transformed(tr).intersects_bbox(box, filled=True) for p in artist.get_paths())
    if isinstance(artist, Line2D):
        path = artist.get_transform().transform_path(artist.get_path())
        points = np.asarray(path.vertices, dtype=float).reshape(-1, 2)
        if artist.get_marker() not in (None, "None", "none", ""):
            fig = artist.get_figure(root=True)
            dpi = 72.0 if fig is None else fig.dpi
            grown = box.padded(float(artist.get_markersize()) / 72 * dpi / 2)
            if any(grown.contains(float(x), float(y)) for x, y in points):
                return True
        if artist.get_linestyle() in ("None", "none", "", " ") or len(points) < 2:
            return False
        return bool(path.intersects_bbox(box, filled=False))
    if isinstance(artist, Text):
        return bool(box.overlaps(text_box(artist)))
    return bool(box.overlaps(artist.get_window_extent()))


def lift_clear(
    ax: Axes,
    label: Annotation,
    avoid: Sequence[Artist],
    *,
    step: float = 2.0,
    most: float = 72.0,
) -> bool:
    """Move ``label`` up or down from its offset, ``step`` points at a time and at most
    ``most`` points, to the nearest place where it touches nothing in ``avoid`` and stays
    inside ``ax``; at each height its own side of the point is tried first, then the other
    (a right-aligned label becomes left-aligned at the mirrored offset). A label lifted by 10
    points or more shows its leader line (``label.arrow_patch``, if it has one), so it still
    points at what it names (give the label an invisible ``bbox`` so the leader starts at
    the edge of its text). If no place is clear, the label stays where it was.

    Returns
    -------
    bool
        Whether the label ends clear of everything in ``avoid``.
    """
    dx, dy = label.xyann
    ha = label.get_horizontalalignment()
    frame = ax.get_window_extent()
    n = int(most // step)
    # Up first, then down by as much: 0, +1, -1, +2, -2 … steps (down fits a label at the top),
    # at each height on its own side of the point first, then on the other ("right" ↔ "left").
    lifts = [j * sign for j in range(n + 1) for sign in ((1,) if j == 0 else (1, -1))]
    sides = [(dx, ha)]
    if ha in ("left", "right"):
        sides.append((-dx, "left" if ha == "right" else "right"))
    for k in lifts:
        for side_dx, side_ha in sides:
            label.set_horizontalalignment(side_ha)
            label.xyann = (side_dx, dy + k * step)
            box = text_box(label).padded(PAD)
            inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0
            if inside and box.y1 <= frame.y1 and not any(hits(box, a) for a in avoid):
                if label.arrow_patch is not None:
                    label.arrow_patch.set_visible(abs(k) * step >= 10)
                return True
    label.set_horizontalalignment(ha)
    label.xyann = (dx, dy)
    return False
