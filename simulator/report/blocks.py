"""The report's building blocks: plain frozen data that :mod:`simulator.report.markdown` and
:mod:`simulator.report.pdf` both render, so the two say the same thing."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Heading:
    """A section heading; level 1 is the title."""

    text: str
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    """Running text; ``style`` is ``"body"``, ``"lead"`` (the headline) or ``"note"``."""

    text: str
    style: str = "body"


@dataclass(frozen=True)
class Bullets:
    """A list of short items; ``style`` is ``"body"`` or ``"note"`` (small print)."""

    items: tuple[str, ...]
    style: str = "body"


@dataclass(frozen=True)
class Table:
    """A table of text cells; ``align`` has one ``"l"`` or ``"r"`` per column."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    align: str


@dataclass(frozen=True)
class Chart:
    """A chart file written beside the report, and its caption.

    ``name`` is the kind of chart ("fan", "tornado" …), which places it in its section (a
    chart of no known kind goes to a closing "Charts" section). ``printed`` is False for a
    chart that only the bundle and the Markdown show: the PDF names its file instead, to keep
    within its page budget. Figure numbers count the printed charts only, in both.
    """

    file: str
    caption: str
    printed: bool = True
    name: str = ""


Block = Heading | Paragraph | Bullets | Table | Chart
