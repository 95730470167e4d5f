"""Typed results of a run: the summary of a projection, as frozen dataclasses.

:func:`simulator.stats.targets.summarize` builds a :class:`Summary`; consumers read its
attributes (``summary.targets[0].p_hit``), which mypy checks. ``to_dict()`` is the JSON edge:
``summary.json`` is ``json.dumps(summary.to_dict())`` and nothing else, with the keys in the
order the file has always had. Money is USD million; probabilities are fractions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from simulator.scenario.schema import is_official_kind
from simulator.stats.jsonable import JSONDict, json_fields

#: Quantile levels of every per-year table, and their names (p05 … p95).
QUANTILES = (0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95)
QUANTILE_NAMES = tuple(f"p{round(q * 100):02d}" for q in QUANTILES)


class ToDict(Protocol):
    """A result block that writes itself as JSON and says itself in one sentence (the record
    rule's fit, the calibration)."""

    def to_dict(self) -> JSONDict: ...

    def sentence(self) -> str: ...


@dataclass(frozen=True)
class JSONBlock:
    """A :class:`ToDict` block read back from a file: its JSON object, as written."""

    data: JSONDict

    def to_dict(self) -> JSONDict:
        return dict(self.data)

    def sentence(self) -> str:
        return str(self.data.get("sentence", ""))


def _json_object(obj: object, **renamed: Any) -> JSONDict:
    """:func:`~simulator.stats.jsonable.json_fields` of ``obj``, with the fields in ``renamed``
    written as given (a 128-bit entropy as a string, years as keys), in their places."""
    out = json_fields(obj)
    out.update(renamed)
    return out


def _int_keys(x: Mapping[str, float]) -> dict[int, float]:
    return {int(k): float(v) for k, v in x.items()}


class Ranked(Protocol):
    """What the headline rule reads of a target (its statistics, or a chart's group)."""

    @property
    def fiscal_year(self) -> int: ...

    @property
    def official(self) -> bool: ...

    @property
    def projected(self) -> bool: ...


R = TypeVar("R", bound=Ranked)


def headline_of(targets: Sequence[R]) -> R | None:
    """The target a headline leads with: the rule of ``Target.headline`` (the last official
    target, else the last one) among the projected targets; None when none is projected.

    The one rule for chart titles, tables, the report and sensitivity.
    """
    projected = [t for t in targets if t.projected]
    pool = [t for t in projected if t.official] or projected
    return max(pool, key=lambda t: t.fiscal_year) if pool else None


def _by_year(x: Mapping[int, float]) -> dict[str, float]:
    return {str(y): v for y, v in x.items()}


@dataclass(frozen=True)
class ScenarioInfo:
    """Which scenario was run: its name, description, file and the file's sha256 (None for a
    derived variant, which names no file of its own)."""

    name: str
    description: str
    file: str | None
    sha256: str | None

    def to_dict(self) -> JSONDict:
        return _json_object(self)


@dataclass(frozen=True)
class RunInfo:
    """Provenance of a run: what replays it (paths, seed, entropy, version, data)."""

    paths: int
    seed: int | None
    seed_entropy: int
    version: str
    data_vintage: str
    actuals_file: str | None
    actuals_sha256: str | None
    sampler: str
    randomizations: int | None

    def to_dict(self) -> JSONDict:
        # 128-bit: a string survives JSON readers
        return _json_object(self, seed_entropy=str(self.seed_entropy))


@dataclass(frozen=True)
class YearValue:
    """One fiscal year's total (USD million): the base, or a year of the record."""

    fiscal_year: int
    value: float

    def to_dict(self) -> JSONDict:
        return _json_object(self)


@dataclass(frozen=True)
class YearStats:
    """Mean and quantiles (:data:`QUANTILES`) of the simulated total of one fiscal year."""

    fiscal_year: int
    mean: float
    p05: float
    p10: float
    p25: float
    p50: float
    p75: float
    p90: float
    p95: float

    def quantile(self, name: str) -> float:
        """The quantile named ``name`` ("p05" … "p95"), USD million."""
        if name not in QUANTILE_NAMES:
            raise KeyError(f"unknown quantile {name!r}; expected one of {QUANTILE_NAMES}")
        return float(getattr(self, name))

    def to_dict(self) -> JSONDict:
        return _json_object(self)


@dataclass(frozen=True)
class PHitBound:
    """The exact one-sided 95% Clopper–Pearson bound of a P(hit) with 0 or every path hitting."""

    side: str  # "upper" (0 hits) or "lower" (every path hit)
    value: float
    hits: int
    paths: int

    def to_dict(self) -> JSONDict:
        return _json_object(self)


@dataclass(frozen=True)
class ImportanceInfo:
    """The mean-shifted run that estimated a rare target's P(hit) (:mod:`simulator.stats.rare`)."""

    paths: int
    side: str
    hits: int
    shift: dict[str, list[float]]  # mean shift of each growth role's scores, by year
    mean_weight: float
    ess: float

    def to_dict(self) -> JSONDict:
        return _json_object(self)


#: The fields of a target's outcome (:class:`TargetStats`), from its status on.
_OUTCOME_FIELDS = ("status", "p_hit", "p_hit_sim_error", "p50", "p50_gap", "expected_shortfall")


@dataclass(frozen=True)
class TargetStats:
    """Statistics of one target.

    ``status`` is "projected" (judged on the paths), "observed" (its year is in the record) or
    "beyond horizon" (every statistic None). ``estimator`` says where ``p_hit`` came from:
    "paths", "smoothed", "importance" or "observed"; ``p_hit_se`` is its simulation error and
    ``p_hit_sim_error`` its 95% interval.
    """

    name: str
    fiscal_year: int
    value: float
    kind: str
    component: str | None
    source: str
    required_cagr: float | None
    status: str
    p_hit: float | None
    p_hit_sim_error: tuple[float, float] | None
    p50: float | None
    p50_gap: float | None
    expected_shortfall: float | None
    estimator: str | None
    hits: int | None
    p_hit_se: float | None
    p_hit_bound: PHitBound | None
    importance: ImportanceInfo | None = None

    @property
    def official(self) -> bool:
        """Whether this is an official (government) target: the headline prefers these."""
        return is_official_kind(self.kind)

    @property
    def projected(self) -> bool:
        """Whether the target is judged on the simulated paths."""
        return self.status == "projected"

    @staticmethod
    def headline(targets: Sequence[TargetStats]) -> TargetStats | None:
        """The target a headline leads with: :func:`headline_of` the targets."""
        return headline_of(targets)

    @staticmethod
    def from_dict(data: Mapping[str, Any]) -> TargetStats:
        """A target's statistics from its ``summary.json`` entry (inverse of :meth:`to_dict`)."""
        return _target_from_dict(data)

    def to_dict(self) -> JSONDict:
        out = _json_object(self)
        importance = out.pop("importance")
        # The order summary.json has always had: a target beyond the horizon lists its
        # (empty) estimate before its status and outcome.
        if self.status == "beyond horizon":
            for k in _OUTCOME_FIELDS:
                out[k] = out.pop(k)
        if importance is not None:
            out["importance"] = importance
        return out


@dataclass(frozen=True)
class FirstCrossing:
    """P(the paths have reached ``level`` in some year up to each fiscal year)."""

    level: float
    component: str | None
    by_year: dict[int, float]

    def to_dict(self) -> JSONDict:
        return _json_object(self, by_year=_by_year(self.by_year))


@dataclass(frozen=True)
class LimitStats:
    """The growth floor and cap, and the share of path-years where each bound, by year."""

    floor: float | None
    cap: float | None
    floor_binds: dict[int, float]
    cap_binds: dict[int, float]

    def to_dict(self) -> JSONDict:
        return _json_object(
            self, floor_binds=_by_year(self.floor_binds), cap_binds=_by_year(self.cap_binds)
        )


#: Quantile levels of the current year's months and full year (a wider set than
#: :data:`QUANTILES`: the monthly chart draws a 95% band), and their names (p2_5 … p97_5).
WIDE_QUANTILES = (0.025, 0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95, 0.975)
WIDE_QUANTILE_NAMES = ("p2_5", "p05", "p10", "p25", "p50", "p75", "p90", "p95", "p97_5")


class _Wide:
    """Reads the :data:`WIDE_QUANTILES` fields of a current-year row by name."""

    def quantile(self, name: str) -> float:
        """The quantile named ``name`` ("p2_5" … "p97_5"), USD million."""
        if name not in WIDE_QUANTILE_NAMES:
            raise KeyError(f"unknown quantile {name!r}; expected one of {WIDE_QUANTILE_NAMES}")
        return float(getattr(self, name))


@dataclass(frozen=True)
class ObservedMonth:
    """A reported month of the current fiscal year and the same month a year earlier (USD
    million); ``month`` is "2025-07"."""

    month: str
    value: float
    last_year: float

    def to_dict(self) -> JSONDict:
        return _json_object(self)


@dataclass(frozen=True)
class RemainingMonth(_Wide):
    """A month still to come: the same month a year earlier and the quantiles of the
    simulated month (USD million)."""

    month: str
    last_year: float
    p2_5: float
    p05: float
    p10: float
    p25: float
    p50: float
    p75: float
    p90: float
    p95: float
    p97_5: float

    def to_dict(self) -> JSONDict:
        return _json_object(self)


@dataclass(frozen=True)
class FullYear(_Wide):
    """Mean and quantiles of the current fiscal year's simulated total (USD million)."""

    mean: float
    p2_5: float
    p05: float
    p10: float
    p25: float
    p50: float
    p75: float
    p90: float
    p95: float
    p97_5: float

    def to_dict(self) -> JSONDict:
        return _json_object(self)


@dataclass(frozen=True)
class NeededRunRate:
    """What a target in the current year needs a month over the remaining months, against
    the same months a year earlier (USD million a month)."""

    name: str
    value: float
    per_month: float
    last_year_per_month: float

    def to_dict(self) -> JSONDict:
        return _json_object(self)


@dataclass(frozen=True)
class CurrentYearStats:
    """The partly observed current fiscal year (:mod:`simulator.stats.current_year`).

    Attributes
    ----------
    fiscal_year, months_observed : int
    observed_total, last_year_total : float — USD million (the months so far; last year's 12)
    ytd_growth : float — year-to-date growth on the same months a year earlier (fraction)
    observed : tuple of ObservedMonth — the months reported
    remaining : tuple of RemainingMonth — the months to come, simulated
    remaining_sample_paths : int — paths the monthly quantiles are taken over
    full_year : FullYear — the year's total
    needed_run_rate : tuple of NeededRunRate — one per target in this fiscal year
    """

    fiscal_year: int
    months_observed: int
    observed_total: float
    ytd_growth: float
    last_year_total: float
    observed: tuple[ObservedMonth, ...]
    remaining: tuple[RemainingMonth, ...]
    remaining_sample_paths: int
    full_year: FullYear
    needed_run_rate: tuple[NeededRunRate, ...]

    @property
    def months(self) -> tuple[str, ...]:
        """The twelve month labels of the year ("2025-07" … "2026-06")."""
        return tuple(m.month for m in self.observed) + tuple(m.month for m in self.remaining)

    @property
    def last_year(self) -> tuple[float, ...]:
        """The twelve months a year earlier, USD million."""
        return tuple(m.last_year for m in self.observed) + tuple(
            m.last_year for m in self.remaining
        )

    def to_dict(self) -> JSONDict:
        return _json_object(self)


@dataclass(frozen=True)
class Summary:
    """Everything ``summary.json`` holds about one run (see ``stats.targets.summarize``).

    Attributes
    ----------
    scenario, run : ScenarioInfo, RunInfo — what was run, and what replays it
    base : YearValue — the last observed fiscal year the projection starts from
    history : tuple of YearValue — the annual record
    years : tuple of YearStats — the projected total by fiscal year
    targets : tuple of TargetStats
    p_all_targets : float or None — share of paths reaching every judged target
    first_crossing : dict of target name to FirstCrossing
    limits : LimitStats
    shocks : dict of shock name to {fiscal year: share of paths struck}
    components : dict of component name to tuple of YearStats
    growth_rule : the resolved ``growth: record`` fit (``RecordFit``), or None
    levels : tuple — the resolved level assumptions (``simulator.scenario.levels.LevelFit``)
    calibration : the backtest of the run's method (``Calibration``), or None
    current_year : CurrentYearStats or None — when the current fiscal year is partly observed
    """

    scenario: ScenarioInfo
    run: RunInfo
    base: YearValue
    history: tuple[YearValue, ...]
    years: tuple[YearStats, ...]
    targets: tuple[TargetStats, ...]
    p_all_targets: float | None
    first_crossing: dict[str, FirstCrossing]
    limits: LimitStats
    shocks: dict[str, dict[int, float]]
    components: dict[str, tuple[YearStats, ...]]
    growth_rule: ToDict | None = None
    levels: tuple[ToDict, ...] = ()
    calibration: ToDict | None = None
    current_year: CurrentYearStats | None = None

    @property
    def headline(self) -> TargetStats | None:
        """The target a title leads with (:meth:`TargetStats.headline`)."""
        return TargetStats.headline(self.targets)

    def target(self, name: str) -> TargetStats:
        """The statistics of the target called ``name``."""
        for t in self.targets:
            if t.name == name:
                return t
        raise KeyError(f"no target {name!r}; the targets are {[t.name for t in self.targets]}")

    def to_dict(self) -> JSONDict:
        """The JSON object of ``summary.json``."""
        out: JSONDict = {
            "scenario": self.scenario.to_dict(),
            "run": self.run.to_dict(),
            "base": self.base.to_dict(),
            "history": [h.to_dict() for h in self.history],
            "years": [y.to_dict() for y in self.years],
            "targets": [t.to_dict() for t in self.targets],
            "p_all_targets": self.p_all_targets,
            "first_crossing": {k: v.to_dict() for k, v in self.first_crossing.items()},
            "limits": self.limits.to_dict(),
            "shocks": {k: _by_year(v) for k, v in self.shocks.items()},
            "components": {k: [y.to_dict() for y in v] for k, v in self.components.items()},
        }
        if self.growth_rule is not None:
            out["growth_rule"] = self.growth_rule.to_dict()
        if self.levels:
            out["levels"] = [lv.to_dict() for lv in self.levels]
        if self.calibration is not None:
            out["calibration"] = self.calibration.to_dict()
        if self.current_year is not None:
            out["current_year"] = self.current_year.to_dict()
        return out

    @staticmethod
    def from_dict(data: Mapping[str, Any]) -> Summary:
        """The summary a ``summary.json`` object holds (the inverse of :meth:`to_dict`;
        ``growth_rule`` and ``calibration`` come back as :class:`JSONBlock`)."""
        run = dict(data["run"])
        run["seed_entropy"] = int(run["seed_entropy"])
        cy = data.get("current_year")
        return Summary(
            scenario=ScenarioInfo(**data["scenario"]),
            run=RunInfo(**run),
            base=YearValue(**data["base"]),
            history=tuple(YearValue(**h) for h in data["history"]),
            years=tuple(YearStats(**y) for y in data["years"]),
            targets=tuple(_target_from_dict(t) for t in data["targets"]),
            p_all_targets=data["p_all_targets"],
            first_crossing={
                k: FirstCrossing(
                    level=v["level"], component=v["component"], by_year=_int_keys(v["by_year"])
                )
                for k, v in data["first_crossing"].items()
            },
            limits=LimitStats(
                floor=data["limits"]["floor"],
                cap=data["limits"]["cap"],
                floor_binds=_int_keys(data["limits"]["floor_binds"]),
                cap_binds=_int_keys(data["limits"]["cap_binds"]),
            ),
            shocks={k: _int_keys(v) for k, v in data["shocks"].items()},
            components={k: tuple(YearStats(**y) for y in v) for k, v in data["components"].items()},
            growth_rule=JSONBlock(dict(data["growth_rule"])) if "growth_rule" in data else None,
            levels=tuple(JSONBlock(dict(lv)) for lv in data.get("levels", ())),
            calibration=JSONBlock(dict(data["calibration"])) if "calibration" in data else None,
            current_year=None if cy is None else _current_year_from_dict(cy),
        )


def _target_from_dict(t: Mapping[str, Any]) -> TargetStats:
    ci, bound, imp = t["p_hit_sim_error"], t["p_hit_bound"], t.get("importance")
    fields = {k: v for k, v in t.items() if k not in ("p_hit_sim_error", "p_hit_bound")}
    fields["importance"] = None if imp is None else ImportanceInfo(**imp)
    return TargetStats(
        **fields,
        p_hit_sim_error=None if ci is None else (float(ci[0]), float(ci[1])),
        p_hit_bound=None if bound is None else PHitBound(**bound),
    )


def _current_year_from_dict(cy: Mapping[str, Any]) -> CurrentYearStats:
    return CurrentYearStats(
        **{k: cy[k] for k in ("fiscal_year", "months_observed", "observed_total")},
        ytd_growth=cy["ytd_growth"],
        last_year_total=cy["last_year_total"],
        observed=tuple(ObservedMonth(**m) for m in cy["observed"]),
        remaining=tuple(RemainingMonth(**m) for m in cy["remaining"]),
        remaining_sample_paths=cy["remaining_sample_paths"],
        full_year=FullYear(**cy["full_year"]),
        needed_run_rate=tuple(NeededRunRate(**n) for n in cy["needed_run_rate"]),
    )
