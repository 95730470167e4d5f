"""CSV text: the one writer and the one cell rule every CSV file of the package uses.

A cell is empty for None; a float below 1 in size (a probability, a share, a growth rate)
keeps 6 significant digits, any other float 2 decimals (USD million to the ten thousand
dollars); anything else is its ``str``. Rows end in ``\\n`` on every platform.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence


def csv_cell(x: object) -> str:
    """One CSV cell by the package's rule: "" for None, "0.179667", "4660.74", "2026"."""
    if x is None:
        return ""
    if isinstance(x, float):
        return f"{x:.6g}" if abs(x) < 1 else f"{x:.2f}"
    return str(x)


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV text of ``header`` and ``rows``, each cell by :func:`csv_cell`."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for row in rows:
        w.writerow([csv_cell(c) for c in row])
    return buf.getvalue()
