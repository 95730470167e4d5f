"""The bundled historical series and user CSVs of monthly actuals.

All values are USD million. Fiscal years run July–June: fiscal year 2026 is July 2025 – June 2026,
so a calendar month ``(year, month)`` belongs to fiscal year ``year + 1`` when ``month >= 7``.

The bundled files are copied verbatim from the project's sourced data set (see
``simulator/data/SOURCES.md``): SBP "telecommunications, computer and information services"
exports, as quoted in press reports whose URLs are in the CSVs.
"""

from __future__ import annotations

import csv
import hashlib
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from simulator.errors import ActualsError
from simulator.fiscal import parse_year

MONTHS_PER_YEAR = 12
#: Plausibility: a month's growth over the same month a year earlier must lie in
#: (1 + MIN_YOY, 1 + MAX_YOY) times that month (a tenth of the record's worst and three times
#: its best: the record's monthly y/y ran from -23% to +62%). Without a year-earlier month,
#: the month must lie within a factor MAX_RATIO of the median of the months before it.
MAX_YOY = 2.0
MIN_YOY = -2.0 / 3.0
MAX_RATIO = 3.0
#: Optional CSV column: ``yes`` on a row accepts a genuine outlier that fails the checks above.
ACCEPT_COLUMN = "accept_outlier"
BUNDLED_MONTHLY = "ict_exports_monthly.csv"
BUNDLED_ANNUAL = "ict_exports_annual.csv"


def fiscal_year(year: int, month: int) -> int:
    """Fiscal year (July–June) of a calendar month; July 2025 → 2026."""
    return year + 1 if month >= 7 else year


def fiscal_month(month: int) -> int:
    """Position of a calendar month in its fiscal year: July → 1, June → 12."""
    return (month - 7) % 12 + 1


@dataclass(frozen=True)
class AnnualSeries:
    """Fiscal-year totals.

    Attributes
    ----------
    fiscal_years : ndarray of int, shape (n,)
    values : ndarray of float, shape (n,) — USD million
    sources : tuple of str — one source URL per year
    """

    fiscal_years: NDArray[np.int64]
    values: NDArray[np.float64]
    sources: tuple[str, ...]

    def value(self, fy: int) -> float:
        """Value of fiscal year ``fy`` (USD million); raises KeyError if absent."""
        idx = np.flatnonzero(self.fiscal_years == fy)
        if idx.size == 0:
            raise KeyError(fy)
        return float(self.values[idx[0]])

    def growth(self) -> NDArray[np.float64]:
        """Year-on-year growth rates, shape (n - 1,), aligned with ``fiscal_years[1:]``."""
        return self.values[1:] / self.values[:-1] - 1.0


@dataclass(frozen=True)
class MonthlySeries:
    """Monthly values in calendar order.

    Attributes
    ----------
    years, months : ndarray of int, shape (n,) — calendar year and month (1–12)
    values : ndarray of float, shape (n,) — USD million
    file : str — where the series was read from
    sha256 : str — digest of that file, recorded in outputs as the data vintage
    lines : tuple of int — the CSV line of each month (empty for a series built in code)
    """

    years: NDArray[np.int64]
    months: NDArray[np.int64]
    values: NDArray[np.float64]
    file: str
    sha256: str
    lines: tuple[int, ...] = ()

    def line_of(self, year: int, month: int) -> int | None:
        """The CSV line of calendar month (``year``, ``month``), or None if unknown."""
        hit = np.flatnonzero((self.years == year) & (self.months == month))
        if hit.size == 0 or not self.lines:
            return None
        return self.lines[int(hit[0])]

    @property
    def fiscal_years(self) -> NDArray[np.int64]:
        """Fiscal year of each month, shape (n,)."""
        return np.where(self.months >= 7, self.years + 1, self.years)

    @property
    def fiscal_months(self) -> NDArray[np.int64]:
        """Position of each month in its fiscal year (July = 1), shape (n,)."""
        return (self.months - 7) % 12 + 1

    @property
    def last(self) -> tuple[int, int]:
        """The last (year, month) in the series."""
        return int(self.years[-1]), int(self.months[-1])

    @property
    def vintage(self) -> str:
        """Data vintage as ``YYYY-MM``: the last month reported."""
        y, m = self.last
        return f"{y:04d}-{m:02d}"

    def complete_fiscal_years(self) -> AnnualSeries:
        """Fiscal years whose twelve months are all present, summed (USD million)."""
        fys = self.fiscal_years
        out_fy: list[int] = []
        out_v: list[float] = []
        for fy in np.unique(fys):
            mask = fys == fy
            if mask.sum() == MONTHS_PER_YEAR:
                out_fy.append(int(fy))
                out_v.append(float(self.values[mask].sum()))
        return AnnualSeries(
            np.asarray(out_fy, dtype=np.int64),
            np.asarray(out_v, dtype=np.float64),
            tuple(self.file for _ in out_fy),
        )

    def year(self, fy: int) -> NDArray[np.float64]:
        """Values of fiscal year ``fy`` by fiscal month; missing months are NaN, shape (12,)."""
        out = np.full(MONTHS_PER_YEAR, np.nan)
        mask = self.fiscal_years == fy
        out[self.fiscal_months[mask] - 1] = self.values[mask]
        return out


def _data_path(name: str) -> Path:
    return Path(str(resources.files("simulator") / "data" / name))


@cache
def load_annual() -> AnnualSeries:
    """The bundled annual SBP ICT series, comparable years only (FY2016 onward).

    Returns
    -------
    AnnualSeries
        Fiscal years with ``comparable_with_sbp_ict == yes``; USD million.
    """
    path = _data_path(BUNDLED_ANNUAL)
    fys: list[int] = []
    vals: list[float] = []
    srcs: list[str] = []
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["comparable_with_sbp_ict"] != "yes" or not row["usd_million"]:
                continue
            fys.append(parse_year(row["fiscal_year"]))
            vals.append(float(row["usd_million"]))
            srcs.append(row["source_url"])
    return AnnualSeries(np.asarray(fys, dtype=np.int64), np.asarray(vals), tuple(srcs))


def bundled_monthly_path() -> Path:
    """Path of the bundled monthly CSV."""
    return _data_path(BUNDLED_MONTHLY)


def load_monthly(path: str | Path | None = None) -> MonthlySeries:
    """Read and check a CSV of monthly actuals (the bundled one when ``path`` is None).

    The file needs a ``month`` column (``YYYY-MM``) and a ``usd_million`` column; other columns
    (sources, notes) are kept in the file but ignored here. Rows must be in calendar order with
    no duplicates. From the first July in the file onward, months must be consecutive: that is
    where complete fiscal years start. Earlier months serve only as year-earlier references and
    may be sparse.

    Parameters
    ----------
    path : str or Path, optional
        CSV file of monthly actuals, USD million.

    Returns
    -------
    MonthlySeries

    Raises
    ------
    ActualsError
        One problem, naming the file, the line and the column: a missing or unreadable file, a
        missing column, a bad date, a duplicate, a gap, a month out of order, a value that is
        zero, negative, non-numeric or not finite, or an implausible value (see Notes).

    Notes
    -----
    Plausibility: a month whose growth over the same month a year earlier is above
    ``MAX_YOY`` (+200%) or below ``MIN_YOY`` (-67%) is refused, as is a month without a
    year-earlier reference that lies more than ``MAX_RATIO`` (3x) above or below the median of
    the months before it. These catch typos such as 3950 for 395 or a value in dollars. A
    genuine outlier is accepted by writing ``yes`` in an optional ``accept_outlier`` column of
    its row.
    """
    p = bundled_monthly_path() if path is None else Path(path)
    name = str(path) if path is not None else f"<bundled>/{BUNDLED_MONTHLY}"
    raw = _read_bytes(p, name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ActualsError("not a UTF-8 text CSV file", file=name) from exc
    if "\x00" in text:
        raise ActualsError("not a text CSV file (binary content)", file=name)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ActualsError("empty file; expected a CSV with columns month,usd_million", file=name)
    reader = csv.reader(lines)
    header = [h.strip() for h in next(reader)]
    for col in ("month", "usd_million"):
        if col not in header:
            raise ActualsError(
                f"missing column '{col}'; expected a CSV header with month,usd_million "
                f"(found: {','.join(header)[:80]})",
                file=name,
                line=1,
            )
    i_month, i_value = header.index("month"), header.index("usd_million")
    i_accept = header.index(ACCEPT_COLUMN) if ACCEPT_COLUMN in header else None
    years: list[int] = []
    months: list[int] = []
    values: list[float] = []
    rows: list[int] = []
    seen: dict[tuple[int, int], int] = {}
    by_month: dict[tuple[int, int], float] = {}
    first_july: int | None = None
    for lineno, row in enumerate(reader, start=2):
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) <= max(i_month, i_value):
            raise ActualsError(
                f"row has {len(row)} fields; expected at least {max(i_month, i_value) + 1}",
                file=name,
                line=lineno,
            )
        ym = _parse_month(row[i_month].strip(), name, lineno)
        value = _parse_value(row[i_value].strip(), name, lineno)
        if ym in seen:
            raise ActualsError(
                f"duplicate month {ym[0]:04d}-{ym[1]:02d} (first on line {seen[ym]})",
                file=name,
                line=lineno,
                key="month",
            )
        if years:
            prev = (years[-1], months[-1])
            if ym < prev:
                raise ActualsError(
                    f"month {ym[0]:04d}-{ym[1]:02d} comes after {prev[0]:04d}-{prev[1]:02d}; "
                    "rows must be in calendar order",
                    file=name,
                    line=lineno,
                    key="month",
                )
            expected = _next_month(prev)
            if first_july is not None and ym != expected:
                raise ActualsError(
                    f"gap: {expected[0]:04d}-{expected[1]:02d} is missing before "
                    f"{ym[0]:04d}-{ym[1]:02d}; months must be consecutive from the first July",
                    file=name,
                    line=lineno,
                    key="month",
                )
        if first_july is None and ym[1] == 7:
            first_july = lineno
        accepted = i_accept is not None and len(row) > i_accept and _yes(row[i_accept])
        if not accepted:
            _check_plausible(ym, value, by_month, values[-12:], name, lineno)
        seen[ym] = lineno
        by_month[ym] = value
        years.append(ym[0])
        months.append(ym[1])
        values.append(value)
        rows.append(lineno)
    if not values:
        raise ActualsError("no data rows; expected month,usd_million rows", file=name)
    return MonthlySeries(
        np.asarray(years, dtype=np.int64),
        np.asarray(months, dtype=np.int64),
        np.asarray(values, dtype=np.float64),
        name,
        hashlib.sha256(raw).hexdigest(),
        tuple(rows),
    )


def _read_bytes(p: Path, name: str) -> bytes:
    if not p.exists():
        raise ActualsError("file not found", file=name)
    if p.is_dir():
        raise ActualsError("is a directory; expected a CSV file", file=name)
    if p.suffix.lower() not in {".csv", ".txt"}:
        raise ActualsError(f"not a CSV file (suffix '{p.suffix}'); expected a .csv", file=name)
    try:
        return p.read_bytes()
    except OSError as exc:
        raise ActualsError(f"cannot read: {exc.strerror}", file=name) from exc


def _parse_month(text: str, name: str, lineno: int) -> tuple[int, int]:
    parts = text.split("-")
    ok = len(parts) == 2 and parts[0].isdigit() and parts[1].isdigit() and len(parts[0]) == 4
    if ok:
        y, m = int(parts[0]), int(parts[1])
        if 1 <= m <= 12:
            return y, m
    raise ActualsError(
        f"bad month '{text}'; expected YYYY-MM such as 2025-10", file=name, line=lineno, key="month"
    )


def _parse_value(text: str, name: str, lineno: int) -> float:
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        raise ActualsError(
            f"not a number: '{text}'; expected USD million such as 386",
            file=name,
            line=lineno,
            key="usd_million",
        ) from None
    if not math.isfinite(value):
        raise ActualsError(
            f"not a finite number: '{text}'", file=name, line=lineno, key="usd_million"
        )
    if value <= 0:
        raise ActualsError(
            f"{'zero' if value == 0 else 'negative'} value {value:g}; a month's exports "
            "must be > 0 (USD million)",
            file=name,
            line=lineno,
            key="usd_million",
        )
    return value


def _yes(text: str) -> bool:
    return text.strip().lower() in {"yes", "y", "true", "1"}


def _check_plausible(
    ym: tuple[int, int],
    value: float,
    earlier: dict[tuple[int, int], float],
    recent: list[float],
    name: str,
    lineno: int,
) -> None:
    """Refuse a month far outside its history (see :func:`load_monthly`, Notes)."""
    label = f"{ym[0]:04d}-{ym[1]:02d}"
    hint = f"if it is right, write yes in an '{ACCEPT_COLUMN}' column on this row"
    ref = earlier.get((ym[0] - 1, ym[1]))
    if ref is not None and ref > 0:
        growth = value / ref - 1.0
        if not MIN_YOY < growth < MAX_YOY:
            raise ActualsError(
                f"implausible value {value:,.6g} for {label}: {growth:+.0%} on the same month a "
                f"year earlier ({ref:,.6g}); allowed {MIN_YOY:+.0%} to {MAX_YOY:+.0%} (is it in "
                f"USD million?); {hint}",
                file=name,
                line=lineno,
                key="usd_million",
            )
        return
    if recent:
        median = float(np.median(recent))
        if median > 0 and not median / MAX_RATIO < value < median * MAX_RATIO:
            raise ActualsError(
                f"implausible value {value:,.6g} for {label}: {value / median:.2g}x the median "
                f"of the months before it ({median:,.6g}); allowed {1 / MAX_RATIO:.2g}x to "
                f"{MAX_RATIO:g}x (is it in USD million?); {hint}",
                file=name,
                line=lineno,
                key="usd_million",
            )


def _next_month(ym: tuple[int, int]) -> tuple[int, int]:
    y, m = ym
    return (y + 1, 1) if m == 12 else (y, m + 1)
