"""Where a projection starts: the base year, the projected years and the actuals behind them.

``base: history`` means the latest complete fiscal year in the actuals. The bundled annual SBP
series gives the official total for the years it covers (FY2025 = 3,810); a later fiscal year
completed in a user's monthly actuals (``--actuals``) is the sum of its twelve months.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from simulator.data.history import AnnualSeries, MonthlySeries, load_annual, load_monthly
from simulator.errors import ActualsError, ScenarioError, format_path
from simulator.scenario.schema import Scenario, growth_for_year


@dataclass(frozen=True)
class Timeline:
    """The fiscal years a scenario projects and what they start from.

    Attributes
    ----------
    base_year : int — last complete fiscal year (or the scenario's explicit base)
    base_value : float — USD million in ``base_year``
    years : ndarray of int, shape (n_years,) — projected fiscal years, base_year + 1 .. horizon
    monthly : MonthlySeries — the actuals in use
    history_years, history_values : ndarray — complete fiscal years up to the base (USD million)
    series_bases : tuple of float — base-year value of each simulated series (the components,
        or the total alone), USD million
    """

    base_year: int
    base_value: float
    years: NDArray[np.int64]
    monthly: MonthlySeries
    history_years: NDArray[np.int64]
    history_values: NDArray[np.float64]
    series_bases: tuple[float, ...]


def history_totals(monthly: MonthlySeries) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Complete fiscal-year totals: the bundled annual series, extended by the monthly actuals.

    Returns
    -------
    years, values : ndarrays of shape (n,) — fiscal years and USD million, ascending
    """
    annual = load_annual()
    merged = dict(zip(annual.fiscal_years.tolist(), annual.values.tolist(), strict=True))
    from_months = monthly.complete_fiscal_years()
    for fy, v in zip(from_months.fiscal_years.tolist(), from_months.values.tolist(), strict=True):
        merged.setdefault(fy, v)
    years = np.asarray(sorted(merged), dtype=np.int64)
    return years, np.asarray([merged[int(y)] for y in years], dtype=np.float64)


def annual_record(actuals: str | Path | MonthlySeries | None = None) -> AnnualSeries:
    """The annual record every command fits and scores on: the bundled comparable SBP years,
    extended by each fiscal year complete in the monthly actuals (``--actuals``), so the record
    moves on once FY2026 has all twelve months.

    Returns
    -------
    AnnualSeries
        Ascending fiscal years, USD million; a year taken from the months has the CSV as its
        source.
    """
    monthly = actuals if isinstance(actuals, MonthlySeries) else load_monthly(actuals)
    years, values = history_totals(monthly)
    annual = load_annual()
    bundled = dict(zip(annual.fiscal_years.tolist(), annual.sources, strict=True))
    sources = tuple(bundled.get(int(y), monthly.file) for y in years)
    return AnnualSeries(years, values, sources)


def actuals_for(scenario: Scenario, actuals: str | Path | None = None) -> MonthlySeries:
    """The monthly actuals a scenario uses: ``actuals`` if given, else its own, else bundled.

    Raises
    ------
    ActualsError
        A problem inside the CSV (it names the CSV's line), or with a file given as ``actuals``.
    ScenarioError
        When the scenario's own ``actuals:`` names a file that is missing or unreadable as a
        whole: located at that key, as any other bad value in the scenario.
    """
    if actuals is not None or scenario.actuals is None:
        return load_monthly(actuals)
    try:
        return load_monthly(scenario.actuals)
    except ActualsError as exc:
        if exc.line is not None:
            raise
        raise _located(scenario, ("actuals",), str(exc)) from exc


def build_timeline(scenario: Scenario, monthly: MonthlySeries) -> Timeline:
    """Resolve the base and the projected years, and check growth covers each year once.

    Raises
    ------
    ScenarioError
        When the horizon is not after the base, or a projected year has no growth range.
    """
    hist_years, hist_values = history_totals(monthly)
    if scenario.base == "history":
        base_year, base_value = int(hist_years[-1]), float(hist_values[-1])
    else:
        base_year, base_value = scenario.base.fiscal_year, scenario.base.value
    keep = hist_years <= base_year
    if scenario.horizon <= base_year:
        raise _located(
            scenario,
            ("horizon",),
            f"must be after the base year {base_year} (got {scenario.horizon})",
        )
    years = np.arange(base_year + 1, scenario.horizon + 1, dtype=np.int64)
    _check_coverage(scenario, years)
    return Timeline(
        base_year,
        base_value,
        years,
        monthly,
        hist_years[keep],
        hist_values[keep],
        series_bases(scenario, base_value),
    )


def series_bases(scenario: Scenario, base_value: float) -> tuple[float, ...]:
    """Base-year value of each simulated series, USD million.

    A component's base is its ``value``, its ``share`` of the base, or (``rest``) what the
    others leave of the base.

    Raises
    ------
    ScenarioError
        When the components' bases add up to more than the base and one is ``rest``.
    """
    if scenario.components is None:
        return (base_value,)
    fixed: dict[str, float] = {}
    for c in scenario.components:
        if c.base == "rest":
            continue
        share = c.base.share
        fixed[c.name] = c.base.value if c.base.value is not None else float(share or 0) * base_value
    rest = base_value - sum(fixed.values())
    if rest < 0 and any(c.base == "rest" for c in scenario.components):
        raise _located(
            scenario,
            ("components",),
            f"components' bases add up to {sum(fixed.values()):,.0f}, more than the base "
            f"{base_value:,.0f}; nothing is left for base: rest",
        )
    return tuple(fixed.get(c.name, rest) for c in scenario.components)


def _check_coverage(scenario: Scenario, years: NDArray[np.int64]) -> None:
    lists: list[tuple[tuple[str | int, ...], list[object]]] = []
    # A growth rule (growth: record) covers every projected year.
    top: list[object] | None = list(scenario.growth) if isinstance(scenario.growth, list) else None
    if scenario.components is None:
        if top is not None or scenario.growth is None:
            lists.append((("growth",), top or []))
    else:
        for i, c in enumerate(scenario.components):
            if c.growth is not None:
                lists.append((("components", i, "growth"), list(c.growth)))
            elif top is not None or scenario.growth is None:
                lists.append((("growth",), top or []))
    for path, ranges in lists:
        missing = [int(y) for y in years if growth_for_year(ranges, int(y)) is None]
        if missing:
            raise _located(
                scenario,
                path,
                f"no growth range covers fiscal year(s) {_spans(missing)}; ranges must cover "
                f"{int(years[0])}-{int(years[-1])} exactly once",
            )


def unused_months(monthly: MonthlySeries, fiscal_year: int, *, min_months: int) -> ActualsError:
    """The error for actuals whose months of ``fiscal_year`` the nowcast cannot use.

    The current year's reported months are compared with the same months a year earlier
    through a seasonal model fitted on the months before the year, so the year's months must
    start in July, the twelve months of the year before must all be there, and at least
    ``min_months`` months must precede the year. Rather than drop the reported months
    silently (and project the year as if nothing were known), the run is refused.

    Returns
    -------
    ActualsError
        Naming the CSV and the line of the year's first reported month.
    """
    cur = monthly.year(fiscal_year)
    have = ~np.isnan(cur)
    k = int(have.sum())
    mask = monthly.fiscal_years == fiscal_year
    first = (int(monthly.years[mask][0]), int(monthly.months[mask][0])) if k else (0, 0)
    label = f"FY{fiscal_year}"
    if not have[:k].all():
        why = (
            f"holds {k} month(s) of {label} starting {first[0]:04d}-{first[1]:02d}, not July "
            f"{fiscal_year - 1}; the current year's months must start in July"
        )
    elif np.isnan(monthly.year(fiscal_year - 1)).any():
        why = (
            f"holds {k} month(s) of {label} but not all twelve months of FY{fiscal_year - 1}, "
            "which the nowcast compares them with"
        )
    else:
        before = int((monthly.fiscal_years < fiscal_year).sum())
        why = (
            f"holds {k} month(s) of {label} but only {before} months before it; the nowcast's "
            f"seasonal model needs at least {min_months}, with every calendar month seen"
        )
    return ActualsError(
        f"{why}; add the earlier months (the bundled simulator/data/ict_exports_monthly.csv "
        f"has them) or set nowcast: false to project {label} from the base alone",
        file=monthly.file,
        line=monthly.line_of(*first),
        key="month",
    )


def _spans(years: list[int]) -> str:
    out: list[str] = []
    start = prev = years[0]
    for y in [*years[1:], None]:
        if y is not None and y == prev + 1:
            prev = y
            continue
        out.append(f"{start}" if start == prev else f"{start}-{prev}")
        if y is not None:
            start = prev = y
    return ", ".join(out)


def _located(scenario: Scenario, path: tuple[str | int, ...], message: str) -> ScenarioError:
    file, line = scenario.provenance.locate(path)
    return ScenarioError(message, file=file, line=line, key=format_path(path))
