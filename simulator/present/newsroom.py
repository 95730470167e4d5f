"""Data in the shapes newsroom tools read: Datawrapper/Flourish wide tables and the Our World in
Data long format.

``fan_wide.csv`` has one row per fiscal year and one column per series, which is what a
Datawrapper or Flourish line chart (with a range band) maps directly. ``long.csv`` has one row
per scenario, fiscal year and indicator (``scenario, fiscal_year, indicator, value``), the
shape Our World in Data's grapher and most pivot tools take. Both are written by ``run`` (one
scenario) and ``compare`` (several). Money is USD million, probabilities 0-1.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from simulator.present.rows import csv_text
from simulator.present.text import fy_label
from simulator.stats.summary import QUANTILES, Summary, YearStats, YearValue

if TYPE_CHECKING:
    from simulator.questions.compare import Comparison

#: Quantile columns, in order: p05, p10, p25, p50, p75, p90, p95.
QUANTILE_KEYS = tuple(f"p{round(q * 100):02d}" for q in QUANTILES)


@dataclass(frozen=True)
class SeriesView:
    """One scenario's projection as the newsroom files and the HTML charts use it.

    Attributes
    ----------
    name : str — the scenario's name
    label : str — its short label (as in a comparison; the name for one run)
    base : YearValue — where the fan starts (USD million)
    years : tuple of YearStats — mean and quantiles per projected year (USD million)
    """

    name: str
    label: str
    base: YearValue
    years: tuple[YearStats, ...]


@dataclass(frozen=True)
class TargetView:
    """One target and its P(hit) per scenario label (None where its year is not projected)."""

    name: str
    fiscal_year: int
    value: float
    kind: str
    p_hit: Mapping[str, float | None]

    @property
    def column(self) -> str:
        """Its column in ``fan_wide.csv``: ``target_fy26_5000`` (level in USD million)."""
        return f"target_fy{self.fiscal_year % 100:02d}_{self.value:g}"


@dataclass(frozen=True)
class Views:
    """A run or a comparison in one shape: history, one :class:`SeriesView` per scenario and the
    targets."""

    history: tuple[YearValue, ...]
    series: tuple[SeriesView, ...]
    targets: tuple[TargetView, ...]


def views(result: Summary | Comparison) -> Views:
    """A run's :class:`Summary` or a :class:`~simulator.questions.compare.Comparison` as
    :class:`Views`."""
    if isinstance(result, Summary):
        s = result
        name = s.scenario.name
        return Views(
            history=s.history,
            series=(SeriesView(name=name, label=name, base=s.base, years=s.years),),
            targets=tuple(
                TargetView(t.name, t.fiscal_year, float(t.value), t.kind, {name: t.p_hit})
                for t in s.targets
            ),
        )
    return Views(
        history=result.reference.history,
        series=tuple(
            SeriesView(name=s.name, label=s.label, base=s.base, years=s.years)
            for s in result.scenarios
        ),
        targets=tuple(
            TargetView(
                t.name,
                t.fiscal_year,
                float(t.value),
                t.kind,
                {r.scenario: r.p_hit for r in t.results},
            )
            for t in result.targets
        ),
    )


def fan_wide_csv(result: Summary | Comparison, *, since: int = 2016) -> str:
    """``fan_wide.csv`` text for Datawrapper and Flourish: one row per fiscal year.

    Columns: ``fiscal_year`` (the label, "FY26"), ``actual``, then ``p05 … p95`` (one scenario)
    or ``<label> p05 … <label> p95`` per scenario (several), then one ``target_fyYY_VALUE``
    column per target holding its level in its own year only (a marker, not a line). The
    base year carries the actual and every quantile, so the bands start at the last actual.

    Parameters
    ----------
    result : Summary or Comparison
    since : int — first fiscal year of actuals to include
    """
    v = views(result)
    single = len(v.series) == 1
    qcols = [(s, k, k if single else f"{s.label} {k}") for s in v.series for k in QUANTILE_KEYS]
    actual = {h.fiscal_year: float(h.value) for h in v.history}
    years = sorted(
        {y for y in actual if y >= since}
        | {s.base.fiscal_year for s in v.series}
        | {r.fiscal_year for s in v.series for r in s.years}
    )
    rows: list[list[object]] = []
    for y in years:
        row: list[object] = [fy_label(y), actual.get(y)]
        for s, k, _ in qcols:
            if y == s.base.fiscal_year:
                row.append(float(s.base.value))
                continue
            r = next((r for r in s.years if r.fiscal_year == y), None)
            row.append(None if r is None else r.quantile(k))
        row += [t.value if t.fiscal_year == y else None for t in v.targets]
        rows.append(row)
    header = ["fiscal_year", "actual", *(c for _, _, c in qcols), *(t.column for t in v.targets)]
    return csv_text(header, rows)


def long_csv(result: Summary | Comparison, *, since: int = 2016) -> str:
    """``long.csv`` text in the Our World in Data long shape: ``scenario, fiscal_year, indicator,
    value``.

    Indicators: ``actual`` (USD million; scenario "Actual (SBP)"), ``mean`` and ``p05 … p95``
    per projected year (USD million), and per target ``target_fyYY_VALUE`` (its level) and
    ``p_hit_fyYY_VALUE`` (its chance, 0-1) in the target's year. ``fiscal_year`` is the
    year the fiscal year ends (2026 = FY26, July 2025 - June 2026).
    """
    v = views(result)
    rows: list[list[object]] = []
    for h in v.history:
        if h.fiscal_year >= since:
            rows.append(["Actual (SBP)", h.fiscal_year, "actual", float(h.value)])
    for s in v.series:
        for r in s.years:
            rows.append([s.name, r.fiscal_year, "mean", float(r.mean)])
            rows += [[s.name, r.fiscal_year, k, r.quantile(k)] for k in QUANTILE_KEYS]
        for t in v.targets:
            p = t.p_hit.get(s.label)
            rows.append([s.name, t.fiscal_year, t.column, float(t.value)])
            if p is not None:
                rows.append([s.name, t.fiscal_year, t.column.replace("target", "p_hit", 1), p])
    return csv_text(["scenario", "fiscal_year", "indicator", "value"], rows)


def newsroom_files(result: Summary | Comparison) -> dict[str, str]:
    """``fan_wide.csv`` and ``long.csv`` for a run or a comparison, by file name."""
    return {"fan_wide.csv": fan_wide_csv(result), "long.csv": long_csv(result)}
