"""Levels as assumptions: "call centres reach about $500M by FY2028 (80% range $450M-$560M)".

A growth range written with ``level`` (:class:`~simulator.scenario.schema.LevelRange`) stands
for the constant growth that takes its series from the base to that level:

    g50 = (level / base) ** (1 / n) - 1,     n = by - base year,

and likewise g10 from ``low`` and g90 from ``high`` (the level's 80% range maps to the growth's
10th and 90th percentiles, since the level is increasing in g). Once the base is known (it
depends on the actuals), :func:`resolve_levels` replaces each such range by ``dist:
percentiles`` growth with those three percentiles in every year of the range; the engine then
draws it like any other range, through the copula and the scenario's ``persistence``.

What that means for the level in ``by``: its median is ``level`` exactly when the spread is zero
(every year grows at g50); with a spread, each year draws its own growth, so the level's 80%
range in ``by`` is narrower than ``low``-``high`` unless growth surprises persist from year to
year (``persistence`` near 1). The range states the uncertainty of each year's growth.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypedDict

from pydantic import TypeAdapter

from simulator.errors import ScenarioError, format_path
from simulator.fiscal import label, span_label
from simulator.scenario.schema import Component, GrowthRange, LevelRange, Scenario


@dataclass(frozen=True)
class LevelFit:
    """A level assumption, resolved against its base.

    Attributes
    ----------
    series : str — "total" or the component's name
    years : (int, int) — fiscal years the growth applies to
    by : int — fiscal year the level is reached in
    base_year : int
    base : float — the series' base-year value, USD million
    level, low, high : float — the level in ``by`` and its 80% range, USD million (low = high
        = level when no range is given)
    growth : (float, float, float) — the implied constant growth's 10th, 50th and 90th
        percentiles, a fraction a year (goal seek's shift included)
    """

    series: str
    years: tuple[int, int]
    by: int
    base_year: int
    base: float
    level: float
    low: float
    high: float
    growth: tuple[float, float, float]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (recorded in ``summary.json``)."""
        return {
            "series": self.series,
            "years": list(self.years),
            "by": self.by,
            "base_year": self.base_year,
            "base": self.base,
            "level": self.level,
            "low": self.low,
            "high": self.high,
            "growth_p10": self.growth[0],
            "growth_p50": self.growth[1],
            "growth_p90": self.growth[2],
            "sentence": self.sentence(),
        }

    def sentence(self) -> str:
        """One line for the run's output, e.g. "call_centres reaches $500M by FY28 ..."."""
        g10, g50, g90 = self.growth
        spread = (
            ""
            if self.low == self.high
            else f" (80% range ${self.low:,.0f}M-${self.high:,.0f}M; growth {g10:+.1%} to "
            f"{g90:+.1%})"
        )
        return (
            f"Level assumption: {self.series} reaches ${self.level:,.0f}M by "
            f"{label(self.by)} from ${self.base:,.0f}M in {label(self.base_year)}: "
            f"{g50:+.1%} a year in {span_label(*self.years)}{spread}."
        )


def has_levels(scenario: Scenario) -> bool:
    """Whether any growth range of ``scenario`` is written as a level."""
    return any(isinstance(g, LevelRange) for _, ranges in _lists(scenario) for g in ranges)


def _lists(scenario: Scenario) -> list[tuple[tuple[str | int, ...], list[Any]]]:
    out: list[tuple[tuple[str | int, ...], list[Any]]] = []
    if isinstance(scenario.growth, list):
        out.append((("growth",), list(scenario.growth)))
    for i, c in enumerate(scenario.components or []):
        if c.growth is not None:
            out.append((("components", i, "growth"), list(c.growth)))
    return out


class _Update(TypedDict, total=False):
    """The fields of a scenario that resolving its levels replaces."""

    growth: list[GrowthRange]
    components: list[Component]


def resolve_levels(
    scenario: Scenario, *, base_year: int, series_bases: tuple[float, ...]
) -> Scenario:
    """Replace every level assumption by the growth it implies from the base.

    Parameters
    ----------
    scenario : Scenario
    base_year : int
        The projection's base year.
    series_bases : tuple of float
        Base-year value of each simulated series (``Timeline.series_bases``), USD million.

    Returns
    -------
    Scenario
        Unchanged when it has no level assumption; else the scenario with ``dist:
        percentiles`` ranges in their place, its provenance kept, and ``scenario.levels`` the
        resolved :class:`LevelFit` list.

    Raises
    ------
    ScenarioError
        At the range's line: it does not start in the first projected year, its series' base
        is zero, it sits in a top-level growth that several components share, or the growth
        it implies lies outside ``limits`` (the level could not be reached).
    """
    if not has_levels(scenario):
        return scenario
    fits: list[LevelFit] = []
    update: _Update = {}
    names = scenario.series_names
    for path, ranges in _lists(scenario):
        if path == ("growth",) and scenario.components is not None:
            users = [c.name for c in scenario.components if c.growth is None]
            if any(isinstance(g, LevelRange) for g in ranges) and len(users) != 1:
                where = next(i for i, g in enumerate(ranges) if isinstance(g, LevelRange))
                raise _error(
                    scenario,
                    (*path, where, "level"),
                    f"a level in the top-level growth is shared by the components "
                    f"{', '.join(users) or '(none)'}; put it in one component's growth",
                )
            series = users[0] if users else "total"
        else:
            series = names[path[1]] if path[0] == "components" else "total"  # type: ignore[index]
        base = series_bases[names.index(series)]
        new: list[GrowthRange] = []
        for i, g in enumerate(ranges):
            if not isinstance(g, LevelRange):
                new.append(g)
                continue
            fit = _fit(scenario, (*path, i), g, series=series, base=base, base_year=base_year)
            fits.append(fit)
            g10, g50, g90 = fit.growth
            new.append(
                TypeAdapter(GrowthRange).validate_python(
                    {
                        "years": f"{g.years[0]}-{g.years[1]}",
                        "dist": "percentiles",
                        "p10": g10,
                        "p50": g50,
                        "p90": g90,
                    }
                )
            )
        if path == ("growth",):
            update["growth"] = new
        else:
            comps = list(update.get("components") or scenario.components or [])
            idx = int(path[1])
            comps[idx] = comps[idx].model_copy(update={"growth": new})
            update["components"] = comps
    # Resolving does not make a variant: the result keeps the file's provenance.
    out = scenario.model_copy(update=update).with_provenance(scenario.provenance)
    object.__setattr__(out, "__pydantic_fields_set__", set(scenario.model_fields_set))
    out._levels = tuple(fits)
    return out


def _fit(
    scenario: Scenario,
    path: tuple[str | int, ...],
    g: LevelRange,
    *,
    series: str,
    base: float,
    base_year: int,
) -> LevelFit:
    first = base_year + 1
    if g.years[0] != first:
        raise _error(
            scenario,
            (*path, "years"),
            f"a level is reached from the base ({label(base_year, long=True)}), so its range "
            f"must start in {label(first, long=True)} (got {g.years[0]}-{g.years[1]})",
        )
    if base <= 0:
        raise _error(
            scenario,
            (*path, "level"),
            f"{series} has a base of {base:g} in {base_year}; no growth rate reaches a level "
            "from zero",
        )
    n = g.target_year - base_year
    low = g.low if g.low is not None else g.level
    high = g.high if g.high is not None else g.level
    growth = tuple((v / base) ** (1.0 / n) - 1.0 + g.shift for v in (low, g.level, high))
    floor, cap = scenario.limits.floor, scenario.limits.cap
    if growth[0] < floor or growth[2] > cap:
        bad = growth[0] if growth[0] < floor else growth[2]
        raise _error(
            scenario,
            (*path, "level"),
            f"reaching {low if bad == growth[0] else high:g} by FY{g.target_year} from "
            f"{base:g} in FY{base_year} takes {bad:+.1%} a year, outside limits "
            f"[{floor:g}, {cap:g}]; is the level in USD million?",
        )
    return LevelFit(
        series=series,
        years=(g.years[0], g.years[1]),
        by=g.target_year,
        base_year=base_year,
        base=float(base),
        level=float(g.level),
        low=float(low),
        high=float(high),
        growth=(float(growth[0]), float(growth[1]), float(growth[2])),
    )


def _error(scenario: Scenario, path: tuple[str | int, ...], message: str) -> ScenarioError:
    file, line = scenario.provenance.locate(path)
    return ScenarioError(message, file=file, line=line, key=format_path(path))


__all__ = ["LevelFit", "has_levels", "resolve_levels"]
