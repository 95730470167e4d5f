"""``report.pdf``: the brief's blocks laid out on A4 pages with matplotlib, then the charts,
two to a page where they fit, placed as vector graphics.

The text pages are drawn with matplotlib's PDF backend, leaving a box for each chart. Each chart
is drawn once more as a PDF of its own (the same function and size as its PNG) and stamped
into its box with pypdf (``PageObject.merge_transformed_page``), so the charts' lines stay
sharp at any zoom and their text stays searchable, in embedded TrueType fonts. Written by hand
on pypdf rather than with a layout engine (reportlab, WeasyPrint) because those would need the
charts as images or SVG and a second typesetting of the text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.report.blocks import Block, Bullets, Chart, Heading, Paragraph, Table
from simulator.report.brief import TITLE, Brief, brief_blocks
from simulator.report.charts import Draw

if TYPE_CHECKING:
    from matplotlib.figure import Figure

A4 = (8.27, 11.69)  # inches, portrait


MARGIN = 0.75  # inches, left and right


TOP, BOTTOM = 0.65, 0.75  # inches


INK = "#222222"


GREY = "#6B6B6B"


RULE = "#999999"


FONT = "DejaVu Sans"


LEADING = 1.32  # line height / type size


#: Lines of a paragraph that never breaks across pages.
SHORT_PARAGRAPH = 4


#: Paragraph styles: size (points), bold, colour.
_PARAGRAPH = {"body": (9.0, False, INK), "lead": (12.0, True, INK), "note": (7.8, False, GREY)}


#: Bullet-list styles: size (points), colour.
_BULLET = {"body": (8.5, INK), "note": (7.8, GREY)}


class _Flow:
    """Lays text blocks out on A4 pages, top to bottom, starting a page when one is full."""

    def __init__(self, pdf: Any, footer: str, header: str = "") -> None:
        from matplotlib.backends.backend_agg import RendererAgg

        self.pdf = pdf
        self.footer = footer
        self.header = header  # the running head of every page after the first
        self.number = 0  # the last figure number given
        self.pending: list[_Float] = []
        self.renderer = RendererAgg(10, 10, 72)  # type: ignore[no-untyped-call]  # 72 dpi: widths come out in points
        self.fig: Figure | None = None
        self.y = 0.0  # inches from the bottom of the page
        self.top = A4[1] - TOP  # where this page's text starts
        self.pages = 0
        self.width = A4[0] - 2 * MARGIN
        #: (page index from 0, left, bottom, width in inches, the chart as PDF bytes)
        self.placements: list[tuple[int, float, float, float, bytes]] = []

    # measuring
    def text_width(self, text: str, size: float, bold: bool = False) -> float:
        from matplotlib.font_manager import FontProperties

        prop = FontProperties(family=FONT, size=size, weight="bold" if bold else "normal")
        text = text.replace("`", "")
        w, _, _ = self.renderer.get_text_width_height_descent(  # type: ignore[no-untyped-call]
            text, prop, ismath=False
        )
        return float(w) / 72.0

    def wrap(self, text: str, size: float, width: float, bold: bool = False) -> list[str]:
        lines: list[str] = []
        line = ""
        for word in text.split():
            cand = f"{line} {word}" if line else word
            if line and self.text_width(cand, size, bold) > width:
                lines.append(line)
                line = word
            else:
                line = cand
        if line:
            lines.append(line)
        return lines or [""]

    # pages
    def new_page(self) -> Figure:
        from matplotlib.figure import Figure

        self.finish()
        self.fig = Figure(figsize=A4)
        self.pages += 1
        self.y = A4[1] - TOP
        if self.pages > 1 and self.header:
            self.put(MARGIN, self.y, self.header, 7.5, color=GREY, va="top")
            self.y -= 0.25
        self.top = self.y
        self._place_pending()
        return self.fig

    def finish(self) -> None:
        if self.fig is not None:
            self.put(
                MARGIN, BOTTOM - 0.35, f"{self.footer} · page {self.pages}", 7, color=GREY, va="top"
            )
            self.pdf.savefig(self.fig)
            self.fig = None

    def need(self, height: float) -> None:
        if self.fig is None or self.y - height < BOTTOM:
            self.new_page()

    def put(
        self,
        x: float,
        y: float,
        text: str,
        size: float,
        *,
        bold: bool = False,
        color: str = INK,
        ha: str = "left",
        va: str = "baseline",
        family: str = FONT,
    ) -> None:
        assert self.fig is not None
        self.fig.text(
            x / A4[0],
            y / A4[1],
            text.replace("`", ""),
            fontsize=size,
            fontweight="bold" if bold else "normal",
            color=color,
            ha=ha,
            va=va,
            family=family,
            parse_math=False,  # "$5B … $10B" is money, not TeX
        )

    def rule(self, x0: float, x1: float, y: float, width: float = 0.6) -> None:
        from matplotlib.lines import Line2D

        assert self.fig is not None
        self.fig.add_artist(
            Line2D(
                [x0 / A4[0], x1 / A4[0]],
                [y / A4[1], y / A4[1]],
                transform=self.fig.transFigure,
                color=RULE,
                linewidth=width,
            )
        )

    # blocks
    def lines(
        self,
        lines: list[str],
        size: float,
        *,
        x: float = MARGIN,
        bold: bool = False,
        color: str = INK,
        after: float = 0.08,
        bullet: str | None = None,
    ) -> None:
        step = size * LEADING / 72
        for i, line in enumerate(lines):
            self.need(step)
            self.y -= step
            if bullet and i == 0:
                self.put(x - 0.16, self.y, bullet, size, color=color)
            self.put(x, self.y, line, size, bold=bold, color=color)
        self.y -= after

    def heading(self, h: Heading, keep: float = 3 * 9.0 * LEADING / 72) -> None:
        """A heading, kept on one page with the first ``keep`` inches of what follows."""
        size = {1: 17.0, 2: 12.0}.get(h.level, 10.0)
        self.need(size * LEADING / 72 + 0.15 + keep)
        if self.y < self.top - 0.01:
            self.y -= 0.1 if h.level <= 2 else 0.04
        self.lines(self.wrap(h.text, size, self.width, True), size, bold=True, after=0.06)

    def start_height(self, block: Block) -> float:
        """How much of ``block`` a heading before it keeps on its page, in inches: a short
        paragraph, a table or a bullet item whole (they do not break), else two lines."""
        if isinstance(block, Paragraph):
            size = _PARAGRAPH.get(block.style, _PARAGRAPH["body"])[0]
            n = len(self.wrap(block.text, size, self.width, block.style == "lead"))
            return (n if n <= SHORT_PARAGRAPH else 2) * size * LEADING / 72
        if isinstance(block, Bullets) and block.items:
            size = _BULLET[block.style][0]
            return len(self.wrap(block.items[0], size, self.width - 0.2)) * size * LEADING / 72
        if isinstance(block, Table):
            return (len(block.rows) + 1) * 8.5 * 1.75 / 72 + 0.1
        return 0.0

    def paragraph(self, p: Paragraph) -> None:
        size, bold, color = _PARAGRAPH.get(p.style, _PARAGRAPH["body"])
        after = 0.12 if p.style == "lead" else 0.06
        lines = self.wrap(p.text, size, self.width, bold)
        step = size * LEADING / 72
        room = int((self.y - BOTTOM) // step) if self.fig is not None else 0
        n = len(lines)
        if n > room:
            # A short paragraph stays on one page; a longer one breaks with at least two
            # lines on each side (no orphans, no widows).
            keep = room if n - room >= 2 else room - 1
            if n <= SHORT_PARAGRAPH or keep < 2:
                self.new_page()
            else:
                self.lines(lines[:keep], size, bold=bold, color=color, after=0.0)
                self.new_page()
                lines = lines[keep:]
        self.lines(lines, size, bold=bold, color=color, after=after)

    def bullets(self, b: Bullets) -> None:
        indent = 0.2
        size, color = _BULLET[b.style]
        for item in b.items:
            lines = self.wrap(item, size, self.width - indent)
            self.need(len(lines) * size * LEADING / 72)  # an item stays on one page
            self.lines(lines, size, x=MARGIN + indent, color=color, after=0.02, bullet="•")
        self.y -= 0.05

    def table(self, t: Table) -> None:
        pad = 0.12
        size = 8.5
        while True:
            widths = [
                max(
                    [self.text_width(t.header[j], size, True)]
                    + [self.text_width(r[j], size) for r in t.rows]
                )
                for j in range(len(t.header))
            ]
            if sum(widths) + pad * (len(widths) - 1) <= self.width or size <= 6.5:
                break
            size -= 0.25
        step = size * 1.75 / 72
        self.need(step * (len(t.rows) + 1) + 0.1)
        x0, x1 = MARGIN, MARGIN + sum(widths) + pad * (len(widths) - 1)
        self.rule(x0, x1, self.y, 0.9)
        xs = []
        x = MARGIN
        for w in widths:
            xs.append(x)
            x += w + pad

        def row(cells: Sequence[str], bold: bool) -> None:
            self.y -= step
            for j, cell in enumerate(cells):
                right = t.align[j] == "r"
                xx = xs[j] + widths[j] if right else xs[j]
                self.put(
                    xx,
                    self.y + size * 0.45 / 72,
                    cell,
                    size,
                    bold=bold,
                    ha="right" if right else "left",
                )

        row(t.header, True)
        self.rule(x0, x1, self.y, 0.6)
        for r in t.rows:
            row(r, False)
        self.rule(x0, x1, self.y, 0.9)
        self.y -= 0.12

    # charts: floats, LaTeX-style
    def chart(self, chart: Chart, draw: Draw) -> None:
        """Place a chart and its caption here if the page has room and no chart is waiting,
        else hold it for the top of the next page while the text goes on filling this one
        (the charts keep their order; the chart itself goes in later, :func:`_stamp_charts`).
        """
        self.number += 1
        item = (chart, self.number, *_chart_pdf(draw, self.width))
        if not self.pending and self.fig is not None and self._box(item) <= self.y - BOTTOM:
            self._place(item)
        else:
            self.pending.append(item)

    def flush(self) -> None:
        """Place every chart still waiting, on new pages."""
        while self.pending:
            self.new_page()

    def _box(self, item: _Float) -> float:
        chart, number, _, h_in = item
        caption = self.wrap(f"Figure {number}. {chart.caption}", CAPTION, self.width)
        return 0.15 + h_in + 0.12 + len(caption) * CAPTION * LEADING / 72 + 0.1

    def _place(self, item: _Float) -> None:
        chart, number, pdf, h_in = item
        self.y -= 0.15
        self.placements.append((self.pages - 1, MARGIN, self.y - h_in, self.width, pdf))
        self.y -= h_in + 0.12
        caption = self.wrap(f"Figure {number}. {chart.caption}", CAPTION, self.width)
        self.lines(caption, CAPTION, color=INK, after=0.1)

    def _place_pending(self) -> None:
        first = True
        while self.pending and (first or self._box(self.pending[0]) <= self.y - BOTTOM):
            self._place(self.pending.pop(0))
            first = False


#: A chart waiting for its place: the chart, its figure number, its PDF and its height (in).
_Float = tuple[Chart, int, bytes, float]


CAPTION = 8.5  # points


#: Tallest chart on paper, height / width: the brief's 7 x 4.2 in charts print at 7 x 3.36.
PRINT_ASPECT = 0.48


def _chart_pdf(draw: Draw, width: float) -> tuple[bytes, float]:
    """The chart drawn as a one-page PDF (TrueType fonts), and its height in inches when
    scaled to ``width`` inches."""
    import io

    import matplotlib as mpl

    from simulator.plotting.style import brief_style

    buf = io.BytesIO()
    with brief_style(), mpl.rc_context({"pdf.fonttype": 42}):
        figure = draw()
        w_fig, h_fig = (float(v) for v in figure.get_size_inches())
        if h_fig > PRINT_ASPECT * w_fig:  # a little flatter on paper: the layout redoes it
            h_fig = PRINT_ASPECT * w_fig
            figure.set_size_inches(w_fig, h_fig)
        figure.savefig(buf, format="pdf", metadata={"CreationDate": None})
    return buf.getvalue(), width * h_fig / w_fig


def _stamp_charts(
    text_pdf: bytes, placements: Sequence[tuple[int, float, float, float, bytes]], path: Path
) -> None:
    """Stamp each chart's PDF page into its box on the text pages and write ``path``."""
    import io

    from pypdf import PdfReader, PdfWriter, Transformation

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf)))
    for page_index, left, bottom, width, chart in placements:
        src = PdfReader(io.BytesIO(chart)).pages[0]
        scale = width * 72.0 / float(src.mediabox.width)
        move = Transformation().scale(scale, scale).translate(left * 72.0, bottom * 72.0)
        writer.pages[page_index].merge_transformed_page(src, move)
    writer.add_metadata({"/Producer": "simulator (matplotlib, pypdf)"})
    with open(path, "wb") as f:
        writer.write(f)


def write_pdf(path: Path, brief: Brief, draws: Mapping[str, Draw]) -> int:
    """Write ``report.pdf``: the text (title, headline, tables, notes), then the charts, two to
    an A4 page where they fit, with TrueType fonts embedded.

    Parameters
    ----------
    path : Path
        Where to write the PDF.
    brief : Brief
    draws : mapping of chart file name to a function drawing its figure

    Returns
    -------
    int — the number of pages written
    """
    from matplotlib.backends.backend_pdf import PdfPages

    blocks = brief_blocks(brief)
    run = brief.summaries[0].run
    footer = f"{TITLE} · simulator v{run.version} · data to {run.data_vintage}"
    metadata = {"Title": TITLE, "Creator": f"simulator v{run.version}", "CreationDate": None}
    import io

    import matplotlib as mpl

    text_pdf = io.BytesIO()
    # TrueType (Type 42) fonts, embedded: Type 3 prints and searches badly.
    header = f"{TITLE} · {brief.summaries[0].scenario.name}"
    if len(brief.summaries) > 1:
        header = f"{TITLE} · {len(brief.summaries)} scenarios"
    with mpl.rc_context({"pdf.fonttype": 42}), PdfPages(text_pdf, metadata=metadata) as pdf:
        flow = _Flow(pdf, footer, header)
        flow.new_page()
        for i, b in enumerate(blocks):
            if isinstance(b, Heading):
                after = blocks[i + 1] if i + 1 < len(blocks) else None
                flow.heading(b, flow.start_height(after) if after is not None else 0.0)
            elif isinstance(b, Paragraph):
                flow.paragraph(b)
            elif isinstance(b, Bullets):
                flow.bullets(b)
            elif isinstance(b, Table):
                flow.table(b)
            elif b.printed:  # an unprinted chart is named in the reproducibility list
                flow.chart(b, draws[b.file])
        flow.flush()
        flow.finish()
    _stamp_charts(text_pdf.getvalue(), flow.placements, path)
    return flow.pages
