"""Required growth against the record, and the track record of past official targets.

Deterministic arithmetic, no simulation:

- the constant annual growth (CAGR) needed from the base to reach each target;
- what the series actually did: CAGR over the last five years and over the whole comparable
  record (FY2016 on), the best and worst single years;
- the **progress ratio** = observed CAGR ÷ required CAGR, the "anticipated progress" measure used
  for SDG targets with a numerical value (UN ESCAP, Bidarbakht Nia 2017, "Tracking progress
  towards the SDGs", ESCAP Statistics Division Working Paper SD/WP/05; the Open SDG / Statistics
  Canada progress methodology, method 2, whose default thresholds we use).

Categories (thresholds of Open SDG's ``sdg-build`` ``ProgressMeasure``, method 2: 0.95 / 0.6 / 0):

======================  ===================  =====================================================
ratio                   category             reading
======================  ===================  =====================================================
>= 0.95                 on track             the record pace (nearly) reaches the target
0.60 – 0.95             acceleration needed  moving the right way, but too slowly
0 – 0.60                limited progress     the record pace is well short of what is needed
< 0                     moving away          the record is a decline
======================  ===================  =====================================================

A ratio needs a positive required CAGR; when the base is already at or above the target there
is nothing to require and the category is "already reached".

Money is USD million; years are fiscal years (2025 = FY2025, July 2024 – June 2025).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from simulator.scenario.schema import Target
from simulator.stats.current_year import run_rate
from simulator.stats.jsonable import JSONDict
from simulator.stats.summary import YearValue

if TYPE_CHECKING:
    from simulator.data.history import MonthlySeries

#: Progress-ratio thresholds (lower bounds) and their categories, best first.
PROGRESS_CATEGORIES: tuple[tuple[float, str], ...] = (
    (0.95, "on track"),
    (0.60, "acceleration needed"),
    (0.0, "limited progress"),
)
MOVING_AWAY = "moving away"
ALREADY_REACHED = "already reached"
#: First fiscal year of the comparable SBP ICT series.
FIRST_COMPARABLE_YEAR = 2016
#: Length of the "recent" record window, years.
RECENT_WINDOW = 5


def cagr(start_value: float, end_value: float, years: int) -> float:
    """Compound annual growth rate from ``start_value`` to ``end_value`` over ``years`` years.

    Examples
    --------
    >>> round(cagr(100.0, 121.0, 2), 6)
    0.1
    """
    if years <= 0:
        raise ValueError(f"need at least one year (got {years})")
    if start_value <= 0:
        raise ValueError(f"start value must be positive (got {start_value:g})")
    return float((end_value / start_value) ** (1.0 / years) - 1.0)


def progress_category(ratio: float | None) -> str:
    """Category of a progress ratio (see the module table); None → "already reached"."""
    if ratio is None:
        return ALREADY_REACHED
    for threshold, name in PROGRESS_CATEGORIES:
        if ratio >= threshold:
            return name
    return MOVING_AWAY


@dataclass(frozen=True)
class Window:
    """Growth over a span of fiscal years: ``start`` → ``end`` (both observed)."""

    label: str
    start: int
    end: int
    cagr: float


@dataclass(frozen=True)
class Record:
    """What the series did up to the base year.

    Attributes
    ----------
    windows : tuple of Window — recent (five-year) and full comparable record CAGRs
    best_year, worst_year : (fiscal year, growth) — single-year extremes
    growth : dict of int to float — year-on-year growth by fiscal year
    """

    end_year: int
    windows: tuple[Window, ...]
    best_year: tuple[int, float]
    worst_year: tuple[int, float]
    growth: dict[int, float]

    def to_dict(self) -> JSONDict:
        """The ``record`` block of ``required_growth.json`` (the year-by-year growth is left
        out)."""
        return {
            "end_year": self.end_year,
            "windows": [asdict(w) for w in self.windows],
            "best_year": {"fiscal_year": self.best_year[0], "growth": self.best_year[1]},
            "worst_year": {"fiscal_year": self.worst_year[0], "growth": self.worst_year[1]},
        }


def growth_record(history: Mapping[int, float], *, end_year: int | None = None) -> Record:
    """The record of a fiscal-year series up to ``end_year`` (default: its last year).

    Parameters
    ----------
    history : mapping of fiscal year to USD million
        Consecutive comparable years (the bundled SBP series from FY2016).
    end_year : int, optional

    Returns
    -------
    Record
        Windows "FY{end-5}–FY{end}" and "FY{first}–FY{end}" (the second only if longer).
    """
    years = sorted(y for y in history if end_year is None or y <= end_year)
    if len(years) < 2:
        raise ValueError("need at least two fiscal years of history")
    end = years[-1]
    first = years[0]
    starts = [max(first, end - RECENT_WINDOW), first]
    windows = []
    for s in dict.fromkeys(starts):
        if s < end:
            windows.append(
                Window(
                    label=f"FY{s % 100:02d}–FY{end % 100:02d}",
                    start=s,
                    end=end,
                    cagr=cagr(history[s], history[end], end - s),
                )
            )
    growth = {y: history[y] / history[y - 1] - 1.0 for y in years[1:] if y - 1 in history}
    best = max(growth.items(), key=lambda kv: kv[1])
    worst = min(growth.items(), key=lambda kv: kv[1])
    return Record(
        end_year=end, windows=tuple(windows), best_year=best, worst_year=worst, growth=growth
    )


@dataclass(frozen=True)
class Progress:
    """The record over one window against a target's need: the progress ratio (record CAGR /
    required CAGR; None when nothing is required) and its category."""

    window: str
    cagr: float
    ratio: float | None
    category: str


@dataclass(frozen=True)
class RequiredGrowth:
    """The constant growth a target needs from the base, and how the record compares.

    Attributes
    ----------
    name, kind : str
    fiscal_year : int
    value : float — the target, USD million
    years : int — from the base to the target's year
    required_cagr : float — a year, fraction
    multiple : float — target / base
    progress : tuple of Progress — one per record window (recent first)
    above_best_year : bool — the need exceeds the record's best single year
    """

    name: str
    fiscal_year: int
    value: float
    kind: str
    years: int
    required_cagr: float
    multiple: float
    progress: tuple[Progress, ...]
    above_best_year: bool

    def to_dict(self) -> JSONDict:
        return {**asdict(self), "progress": [asdict(p) for p in self.progress]}


def required_growth(
    targets: Iterable[Target], *, base_year: int, base_value: float, record: Record
) -> list[RequiredGrowth]:
    """For each target ahead of the base: the CAGR it needs and how the record compares.

    Parameters
    ----------
    targets : iterable of Target
    base_year, base_value : the starting fiscal year and its value (USD million)
    record : Record — from :func:`growth_record`

    Returns
    -------
    list of RequiredGrowth
        Targets not after the base are left out.
    """
    rows = []
    for t in targets:
        n = t.fiscal_year - base_year
        if n <= 0:
            continue
        need = cagr(base_value, t.value, n)
        progress = []
        for w in record.windows:
            ratio = w.cagr / need if need > 0 else None
            progress.append(Progress(w.label, w.cagr, ratio, progress_category(ratio)))
        rows.append(
            RequiredGrowth(
                name=t.name,
                fiscal_year=t.fiscal_year,
                value=t.value,
                kind=t.kind,
                years=n,
                required_cagr=need,
                multiple=t.value / base_value,
                progress=tuple(progress),
                above_best_year=need > record.best_year[1],
            )
        )
    return rows


@dataclass(frozen=True)
class RemainingNeed:
    """What a target in the partly reported current year asks of the months still to come.

    The annual rate (``required_cagr``) compares the whole year with the last; once some
    months are in, the same target asks a different rate of the rest: ``remaining_growth`` on
    the same months a year earlier. Both are right; they answer different questions.

    Attributes
    ----------
    name : str
    fiscal_year : int
    value : float — the target, USD million
    months_reported : int — months of the year in the actuals (1–11)
    last_month : str — the last one reported, "2025-10"
    ytd : float — their sum, USD million
    ytd_growth : float — on the same months a year earlier, fraction
    months_left : int
    per_month : float — the average the rest must make, USD million a month
    remaining_growth : float — the rest's growth on the same months a year earlier, fraction
    """

    name: str
    fiscal_year: int
    value: float
    months_reported: int
    last_month: str
    ytd: float
    ytd_growth: float
    months_left: int
    per_month: float
    remaining_growth: float

    def to_dict(self) -> JSONDict:
        return asdict(self)


def remaining_needs(
    targets: Iterable[Target], *, base_year: int, monthly: MonthlySeries
) -> list[RemainingNeed]:
    """For each target in the year after the base that the actuals have partly reported: what
    the remaining months must make (see :class:`RemainingNeed`).

    Parameters
    ----------
    targets : iterable of Target
    base_year : int — the last complete fiscal year
    monthly : MonthlySeries — the monthly actuals (bundled or ``--actuals``)

    Returns
    -------
    list of RemainingNeed
        Empty when the current year has no reported month, is complete, or the base year
        lacks any of its twelve months.

    Examples
    --------
    With the bundled series (July–October 2025 = 1,443 against 1,206 a year earlier), $5B in
    FY2026 needs (5,000 − 1,443) / 8 ≈ $445M a month, +37% on November–June of FY2025.
    """
    from simulator.fiscal import month_label

    year = base_year + 1
    now, before = monthly.year(year), monthly.year(base_year)
    seen = ~np.isnan(now)
    k = int(seen.sum())
    if not 0 < k < len(now) or np.isnan(before).any() or not seen[:k].all():
        return []
    ytd, ytd_before = float(now[:k].sum()), float(before[:k].sum())
    out = []
    for t in targets:
        if t.fiscal_year != year:
            continue
        rate = run_rate(t.value, ytd, before[k:])
        out.append(
            RemainingNeed(
                name=t.name,
                fiscal_year=year,
                value=t.value,
                months_reported=k,
                last_month=month_label(year, k),
                ytd=ytd,
                ytd_growth=ytd / ytd_before - 1.0,
                months_left=rate.months_left,
                per_month=rate.per_month,
                remaining_growth=rate.growth,
            )
        )
    return out


@dataclass(frozen=True)
class RequiredGrowthSummary:
    """Everything ``simulator required-growth`` prints and draws about the targets.

    Attributes
    ----------
    base : YearValue — the fiscal year the growth starts from (USD million)
    record : Record — what the series did up to the base
    targets : tuple of RequiredGrowth — the targets after the base
    current_year : tuple of RemainingNeed — targets in the partly reported current year
    """

    base: YearValue
    record: Record
    targets: tuple[RequiredGrowth, ...]
    current_year: tuple[RemainingNeed, ...] = ()

    def need(self, name: str, fiscal_year: int) -> RequiredGrowth:
        """The target called ``name`` in ``fiscal_year``."""
        return next(r for r in self.targets if (r.name, r.fiscal_year) == (name, fiscal_year))

    def to_dict(self) -> JSONDict:
        """``required_growth.json`` less its ``track_record`` (:func:`required_growth_json`)."""
        return {
            "base": self.base.to_dict(),
            "record": self.record.to_dict(),
            "thresholds": [{"min_ratio": t, "category": c} for t, c in PROGRESS_CATEGORIES],
            "targets": [r.to_dict() for r in self.targets],
            "current_year": [n.to_dict() for n in self.current_year],
        }


def required_growth_summary(
    targets: Sequence[Target],
    *,
    base_year: int,
    base_value: float,
    history: Mapping[int, float],
    monthly: MonthlySeries | None = None,
) -> RequiredGrowthSummary:
    """Everything ``simulator required-growth`` prints and draws.

    With ``monthly``, a target in the partly reported current year also gets what the
    remaining months need (``current_year``, :func:`remaining_needs`).
    """
    record = growth_record(history, end_year=base_year)
    needs = (
        remaining_needs(targets, base_year=base_year, monthly=monthly)
        if monthly is not None
        else []
    )
    return RequiredGrowthSummary(
        base=YearValue(fiscal_year=base_year, value=base_value),
        record=record,
        targets=tuple(
            required_growth(targets, base_year=base_year, base_value=base_value, record=record)
        ),
        current_year=tuple(needs),
    )


# --- Track record of past official targets -------------------------------------------------

BUNDLED_TARGETS = "targets_and_projections.csv"


@dataclass(frozen=True)
class PastTarget:
    """An official target for a fiscal year that is now observed.

    Attributes
    ----------
    target_id : str — row id in ``targets_and_projections.csv``
    fiscal_year : int
    value : float — USD million
    issuer, date_stated, source_url : str
    actual : float — observed total that year, USD million
    """

    target_id: str
    fiscal_year: int
    value: float
    issuer: str
    date_stated: str
    source_url: str
    note: str
    actual: float

    @property
    def hit(self) -> bool:
        """Whether the actual reached the target."""
        return self.actual >= self.value

    @property
    def gap(self) -> float:
        """Actual minus target, as a share of the target (−0.48 = missed by 48%)."""
        return self.actual / self.value - 1.0


def resolve_fiscal_year(horizon: str) -> int | None:
    """``"FY2025"`` or ``"2025"`` → 2025; anything vaguer (``"~2029"``) → None.

    A bare year is read as a fiscal year, as the sources use it ("by 2020" in a Pakistani
    budget context is FY2020).
    """
    from simulator.fiscal import parse_year

    try:
        return parse_year(horizon)
    except ValueError:
        return None


def past_targets(
    history: Mapping[int, float],
    *,
    since: int = FIRST_COMPARABLE_YEAR,
    until: int | None = None,
    path: str | Path | None = None,
) -> list[PastTarget]:
    """Official targets set since ``since`` for a fiscal year now observed, with the actual.

    Reads rows of ``type == official_target`` stated in calendar year ``since`` or later, with a
    resolvable fiscal year up to ``until`` (default: the last year of ``history``) that
    ``history`` covers, from the bundled ``targets_and_projections.csv`` (or ``path``). A target
    reported by several sources (same ``target_id`` and year) is kept once, with its earliest
    statement.

    With the bundled data and ``since=2016`` this leaves out the MoITT 2013 five-year plan
    (FY2014–FY2018 targets, on the ministry's older and narrower definition of IT exports), the
    "$3.8B" FY2025 figure reported to the PM (type ``official_target (as reported to PM)``,
    conflicting with the $4.2B target) and targets without a definite fiscal year.

    Returns
    -------
    list of PastTarget, by fiscal year
    """
    last = max(history) if until is None else until
    file = (
        Path(path)
        if path is not None
        else Path(str(resources.files("simulator") / "data" / BUNDLED_TARGETS))
    )
    seen: dict[tuple[str, int], PastTarget] = {}
    with file.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["type"].strip() != "official_target":
                continue
            fy = resolve_fiscal_year(row["horizon"])
            stated = _year_stated(row["date_stated"])
            if fy is None or fy > last or fy not in history or stated is None or stated < since:
                continue
            key = (row["target_id"], fy)
            item = PastTarget(
                target_id=row["target_id"],
                fiscal_year=fy,
                value=float(row["usd_million"]),
                issuer=row["issuer"],
                date_stated=row["date_stated"],
                source_url=row["source_url"],
                note=row["note"],
                actual=float(history[fy]),
            )
            if key not in seen or item.date_stated < seen[key].date_stated:
                seen[key] = item
    return sorted(seen.values(), key=lambda p: (p.fiscal_year, p.target_id))


def _year_stated(text: str) -> int | None:
    m = re.match(r"^\s*c?\.?\s*(\d{4})", text)
    return int(m.group(1)) if m else None


@dataclass(frozen=True)
class TrackRecord:
    """Past official targets for years now observed, each with its actual."""

    targets: tuple[PastTarget, ...]

    @property
    def met(self) -> int:
        """How many were met."""
        return sum(p.hit for p in self.targets)

    @property
    def total(self) -> int:
        return len(self.targets)

    def to_dict(self) -> JSONDict:
        """The ``track_record`` block of ``required_growth.json``."""
        return {
            "targets": [
                {
                    "target_id": p.target_id,
                    "fiscal_year": p.fiscal_year,
                    "value": p.value,
                    "actual": p.actual,
                    "hit": p.hit,
                    "gap": p.gap,
                    "issuer": p.issuer,
                    "date_stated": p.date_stated,
                    "source_url": p.source_url,
                }
                for p in self.targets
            ],
            "met": self.met,
            "total": self.total,
        }


def track_record_summary(items: Sequence[PastTarget]) -> TrackRecord:
    """The track record: each target with its actual, and the count met."""
    return TrackRecord(tuple(items))


def required_growth_json(required: RequiredGrowthSummary, track: TrackRecord) -> JSONDict:
    """The JSON object of ``required_growth.json`` (``required-growth`` and the report)."""
    return {**required.to_dict(), "track_record": track.to_dict()}


def growth_inputs(
    scenario: str | Path | None, *, actuals: str | Path | None = None
) -> tuple[int, float, list[Target], dict[int, float], MonthlySeries]:
    """Base, targets, observed history and monthly actuals for ``required-growth``.

    Parameters
    ----------
    scenario : str or Path, optional
        A scenario file; without one, the bundled data (base FY2025 = 3,810) and the Uraan
        targets.
    actuals : str or Path, optional
        Monthly actuals (``--actuals``): a fiscal year complete in them extends the record and
        becomes the base.

    Returns
    -------
    base_year, base_value (USD million), targets, history ({fiscal year: USD million}),
    monthly (the actuals, for :func:`remaining_needs`)
    """
    if scenario is None:
        from simulator.data.history import load_monthly
        from simulator.data.timeline import annual_record
        from simulator.scenario.schema import URAAN_TARGETS

        monthly = load_monthly(actuals)
        annual = annual_record(monthly)
        history = dict(zip(annual.fiscal_years.tolist(), annual.values.tolist(), strict=True))
        last = max(history)
        return last, history[last], list(URAAN_TARGETS), history, monthly
    from simulator.data.timeline import actuals_for, build_timeline
    from simulator.scenario.loader import load_scenario

    sc = load_scenario(scenario)
    monthly = actuals_for(sc, actuals)
    tl = build_timeline(sc, monthly)
    history = dict(zip(tl.history_years.tolist(), tl.history_values.tolist(), strict=True))
    return tl.base_year, tl.base_value, list(sc.targets), history, monthly
