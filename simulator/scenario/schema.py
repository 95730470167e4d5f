"""The scenario schema: the frozen, typed and closed :class:`Scenario` (pydantic v2,
``extra="forbid"``), its checks across parts, and its :class:`Provenance`.

A scenario declares assumptions only. Growth rates are fractions (0.19 = +19% a year); money is
USD million; years are fiscal years (2026 = FY2026, July 2025 – June 2026). The parts it holds
(growth ranges, levers, shocks, components, targets) are in :mod:`simulator.scenario.parts`
and are named here too, so ``simulator.scenario.schema`` stays the one import for the format;
its JSON Schema is :mod:`simulator.scenario.json_schema`.

Reading files (line numbers, ``extends``) lives in :mod:`simulator.scenario.loader`; this
module only says what a valid scenario is. See ``docs/scenario-reference.md`` for every key.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    ValidationInfo,
    model_validator,
)

from simulator.errors import did_you_mean
from simulator.scenario.distributions import DistributionBase
from simulator.scenario.parts import (
    FILE_CHECKS,
    FIRST_FISCAL_YEAR,
    LARGE_GROWTH_KEY,
    LAST_FISCAL_YEAR,
    OFFICIAL_KIND,
    URAAN_TARGETS,
    Component,
    Distribution,
    ExplicitBase,
    Frozen,
    GrowthItem,
    GrowthRange,
    LevelRange,
    Lever,
    Limits,
    RecordGrowth,
    SchemaIssue,
    Shock,
    Target,
    _growth_rule,
    _list_or_rule,
    _map_or_word,
    _targets,
    is_official_kind,
)

__all__ = [
    "FILE_CHECKS",
    "FIRST_FISCAL_YEAR",
    "LARGE_GROWTH_KEY",
    "LAST_FISCAL_YEAR",
    "OFFICIAL_KIND",
    "URAAN_TARGETS",
    "Component",
    "Distribution",
    "ExplicitBase",
    "GrowthRange",
    "LevelRange",
    "Lever",
    "Limits",
    "Provenance",
    "RecordGrowth",
    "Scenario",
    "SchemaIssue",
    "Shock",
    "Target",
    "Where",
    "growth_for_year",
    "is_official_kind",
]

Where = tuple[str, int]  # (file, 1-based line)


class Provenance(Frozen):
    """Where a scenario came from: its file, the file's digest and the line of every key.

    A scenario loaded from a file has ``file``, ``sha256`` and ``lines``. A variant derived from
    one (by :meth:`Scenario.model_copy` with changes, as goal seek and sensitivity make) is not
    that file: it keeps ``file`` for messages, records the parent's digest in ``derived_from``,
    and has no ``sha256`` and no line map of its own.

    Attributes
    ----------
    file : str or None — the scenario file (the parent's, for a derived variant)
    sha256 : str or None — digest of the file and its ``extends`` chain; None when derived
    derived_from : str or None — the parent's sha256, for a derived variant
    lines : object or None — the loaded YAML mapping, whose nodes carry ``where`` and ``lines``
        (file, line) attributes (:mod:`simulator.scenario.loader`)
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    file: str | None = None
    sha256: str | None = None
    derived_from: str | None = None
    lines: Any = Field(default=None, repr=False)

    @property
    def derived(self) -> bool:
        """True for a variant made from another scenario rather than read from a file."""
        return self.derived_from is not None

    def locate(self, path: tuple[str | int, ...]) -> tuple[str | None, int | None]:
        """File and line of a key path (the nearest enclosing key that exists).

        Without a line map (a derived variant, or a scenario built in code) it is the file
        alone, with no line.
        """
        cur: Any = self.lines
        if cur is None:
            return self.file, None
        where: Where | None = getattr(cur, "where", None)
        for p in path:
            lines: Any = getattr(cur, "lines", None)
            in_map = isinstance(cur, dict) and isinstance(lines, dict) and p in cur
            in_list = isinstance(cur, list) and isinstance(p, int) and 0 <= p < len(cur)
            if not (in_map or (in_list and lines)):
                break
            where, cur = lines[p], cur[p]
        return (where[0], where[1]) if where else (self.file, None)

    def derive(self) -> Provenance:
        """The provenance of a variant made from a scenario with this provenance."""
        return Provenance(file=self.file, derived_from=self.sha256 or self.derived_from)


class Scenario(Frozen):
    """A complete set of growth assumptions.

    Attributes mirror the YAML keys; see ``docs/scenario-reference.md``.
    """

    name: str = Field(min_length=1)
    description: str = ""
    extends: str | None = None
    base: Annotated[
        Annotated[Literal["history"], Tag("Word")] | Annotated[ExplicitBase, Tag("Mapping")],
        Discriminator(_map_or_word),
    ] = "history"
    horizon: Annotated[int, Field(ge=FIRST_FISCAL_YEAR, le=LAST_FISCAL_YEAR)] = 2030
    paths: Annotated[int, Field(ge=1, le=100_000_000)] = 100_000
    seed: Annotated[int, Field(ge=0)] | None = None
    growth: (
        Annotated[
            Annotated[list[GrowthItem], Tag("List")] | Annotated[RecordGrowth, Tag("Rule")],
            Discriminator(_list_or_rule),
            BeforeValidator(_growth_rule),
        ]
        | None
    ) = None
    persistence: Annotated[float, Field(ge=-0.99, le=0.99, allow_inf_nan=False)] = 0.0
    targets: Annotated[list[Target], BeforeValidator(_targets)] = Field(
        default_factory=lambda: list(URAAN_TARGETS)
    )
    components: list[Component] | None = None
    correlation: list[list[Annotated[float, Field(allow_inf_nan=False)]]] | None = None
    levers: list[Lever] = Field(default_factory=list)
    shocks: list[Shock] = Field(default_factory=list)
    limits: Limits = Field(default_factory=Limits)
    actuals: str | None = None
    nowcast: bool = True
    #: Where the normal scores come from: plain Monte Carlo or randomized scrambled Sobol.
    sampler: Literal["mc", "sobol"] = "mc"
    #: Growth parameters above 1 (100% a year) are refused as percent-for-fraction typos
    #: unless this (or the item's own ``allow_large_growth``) says they are meant.
    allow_large_growth: bool = False

    _provenance: Provenance = PrivateAttr(default_factory=Provenance)
    _growth_rule: Any = PrivateAttr(default=None)
    _levels: Any = PrivateAttr(default=())

    @property
    def provenance(self) -> Provenance:
        """Where the scenario came from (set by the loader; derived for a changed copy)."""
        return self._provenance

    def with_provenance(self, provenance: Provenance) -> Scenario:
        """This scenario with ``provenance`` (a copy; the loader calls it)."""
        new = super().model_copy()
        new._provenance = provenance
        return new

    def model_copy(
        self, *, update: Mapping[str, object] | None = None, deep: bool = False
    ) -> Scenario:
        """A copy; with ``update``, a derived variant that does not claim this file's digest."""
        new = super().model_copy(update=update, deep=deep)
        if update:
            new._provenance = self._provenance.derive()
        return new

    @property
    def file(self) -> str | None:
        """File the scenario was loaded from (or that a derived variant was made from)."""
        return self._provenance.file

    @property
    def sha256(self) -> str | None:
        """Digest of the scenario file (and its ``extends`` chain); None when derived or built."""
        return self._provenance.sha256

    @property
    def growth_rule(self) -> Any:
        """The fitted rule (``simulator.stats.record_rule.RecordFit``) once ``growth: record``
        has been resolved (``Projection.scenario`` holds the resolved scenario), else None."""
        return self._growth_rule

    @property
    def levels(self) -> tuple[Any, ...]:
        """The level assumptions as resolved (``simulator.scenario.levels.LevelFit``), once
        resolved against the base (``Projection.scenario`` holds the resolved scenario)."""
        return tuple(self._levels)

    @model_validator(mode="after")
    def _cross_checks(self, info: ValidationInfo) -> Scenario:
        if isinstance(self.growth, list):
            _no_overlap(self.growth, ("growth",))
        if self.components is None:
            if self.growth is None:
                raise SchemaIssue(("growth",), "required: a list of year ranges, each with a dist")
            if self.correlation is not None:
                raise SchemaIssue(("correlation",), "needs components; there are none")
            named: list[tuple[str, list[Any]]] = [
                ("levers", list(self.levers)),
                ("shocks", list(self.shocks)),
            ]
            for kind, items in named:
                for i, item in enumerate(items):
                    if item.components:
                        raise SchemaIssue(
                            (kind, i, "components"),
                            f"names component '{item.components[0]}', but the scenario has no "
                            "components; drop the key to apply it to the total",
                        )
            for i, t in enumerate(self.targets):
                if t.component is not None:
                    raise SchemaIssue(
                        ("targets", i, "component"),
                        f"names component '{t.component}', but the scenario has no "
                        "components; drop the key to judge the target on the total",
                    )
        else:
            names = [c.name for c in self.components]
            _unique(names, ("components",))
            rest = [i for i, c in enumerate(self.components) if c.base == "rest"]
            if len(rest) > 1:
                raise SchemaIssue(
                    ("components", rest[1], "base"), "only one component may have base: rest"
                )
            for i, c in enumerate(self.components):
                if c.growth is None and self.growth is None:
                    raise SchemaIssue(
                        ("components", i, "growth"),
                        f"component '{c.name}' has no growth and there is no top-level growth",
                    )
                _no_overlap(c.growth, ("components", i, "growth"))
            groups: list[tuple[str, list[Any]]] = [
                ("levers", list(self.levers)),
                ("shocks", list(self.shocks)),
            ]
            for kind, items in groups:
                for i, item in enumerate(items):
                    for cname in item.components or []:
                        if cname not in names:
                            raise SchemaIssue(
                                (kind, i, "components"),
                                f"unknown component '{cname}'{did_you_mean(cname, names)}; "
                                f"expected one of: {', '.join(names)}",
                            )
            for i, t in enumerate(self.targets):
                if t.component is not None and t.component not in names:
                    raise SchemaIssue(
                        ("targets", i, "component"),
                        f"unknown component '{t.component}'{did_you_mean(t.component, names)}; "
                        f"expected one of: {', '.join(names)}",
                    )
            _check_correlation(self.correlation, len(names))
        _check_ramps(self.levers)
        if (info.context or {}).get(FILE_CHECKS):
            if not self.allow_large_growth:
                _check_large_growth(self)
            _check_target_years(self)
        _unique([lv.name for lv in self.levers], ("levers",))
        _unique([s.name for s in self.shocks], ("shocks",))
        _unique([t.name for t in self.targets], ("targets",))
        return self

    @property
    def series_names(self) -> tuple[str, ...]:
        """Names of the simulated series: the components, or ``("total",)``."""
        if self.components is None:
            return ("total",)
        return tuple(c.name for c in self.components)


def _check_large_growth(scenario: Scenario) -> None:
    """Refuse growth parameters above 1 (100% a year): almost always a percent typed for a
    fraction (``mean: 25`` for 0.25). An item, or the file, says ``allow_large_growth: true``
    when it means it."""
    items: list[tuple[tuple[str | int, ...], Any, Any]] = []
    for i, g in enumerate(scenario.growth if isinstance(scenario.growth, list) else []):
        items.append((("growth", i), g, g))
    for c, comp in enumerate(scenario.components or []):
        for i, g in enumerate(comp.growth or []):
            items.append((("components", c, "growth", i), g, g))
    for i, lv in enumerate(scenario.levers):
        items.append((("levers", i), lv, lv))
    for i, sh in enumerate(scenario.shocks):
        items.append((("shocks", i, "impact"), sh, sh.impact))
    for path, item, dist in items:
        if isinstance(item, LevelRange):
            continue
        found = None if item.allow_large_growth else dist.large_growth()
        if found is not None:
            key, value = found
            raise SchemaIssue((*path, key), _large_message(value, key))
    cap = scenario.limits.cap
    if cap > 1 and not scenario.limits.allow_large_growth:
        raise SchemaIssue(("limits", "cap"), _large_message(cap, "cap"))


def _check_target_years(scenario: Scenario) -> None:
    """A target the file names must lie within the horizon (it would only read "n/a").

    The default ``uraan`` set is exempt: it is the same three targets whatever the horizon,
    and one beyond it is reported as "beyond horizon".
    """
    for i, t in enumerate(scenario.targets):
        if t.fiscal_year > scenario.horizon and t not in URAAN_TARGETS:
            raise SchemaIssue(
                ("targets", i, "fiscal_year"),
                f"FY{t.fiscal_year} is after the horizon {scenario.horizon}, so it cannot be "
                f"judged; set horizon: {t.fiscal_year} or drop the target",
            )


def _large_message(value: float, key: str) -> str:
    where = "the item" if key != "cap" else "limits"
    return (
        f"growth is a fraction: {value:g}% is {value / 100:g} (got {value:g}); if you mean "
        f"{value:.0%} a year, add {LARGE_GROWTH_KEY}: true to {where} (or at the top of the file)"
    )


def _check_ramps(levers: list[Any]) -> None:
    """A lever's ramp must fit inside its own years."""
    for i, lv in enumerate(levers):
        span = lv.years[1] - lv.years[0] + 1
        if lv.ramp is not None and lv.ramp > span:
            raise SchemaIssue(
                ("levers", i, "ramp"),
                f"ramp of {lv.ramp} years is longer than the lever's years "
                f"{lv.years[0]}-{lv.years[1]} ({span} years); use a ramp of 1-{span}",
            )


def _unique(names: list[str], path: tuple[str | int, ...]) -> None:
    for i, n in enumerate(names):
        if n in names[:i]:
            raise SchemaIssue((*path, i, "name"), f"duplicate name '{n}'; names must be unique")


def _no_overlap(ranges: list[Any] | None, path: tuple[str | int, ...]) -> None:
    if not ranges:
        return
    order = sorted(range(len(ranges)), key=lambda i: ranges[i].years)
    for a, b in itertools.pairwise(order):
        (a0, a1), (b0, b1) = ranges[a].years, ranges[b].years
        if b0 <= a1:
            raise SchemaIssue(
                (*path, b, "years"),
                f"year ranges {a0}-{a1} and {b0}-{b1} overlap; each year must be covered "
                "exactly once",
            )


def _check_correlation(corr: list[list[float]] | None, n: int) -> None:
    if corr is None:
        return
    if len(corr) != n or any(len(row) != n for row in corr):
        raise SchemaIssue(
            ("correlation",), f"must be a {n}x{n} matrix, one row and column per component"
        )
    for i in range(n):
        if corr[i][i] != 1:
            raise SchemaIssue(
                ("correlation", i, i), f"diagonal entries must be 1 (got {corr[i][i]:g})"
            )
        for j in range(n):
            if not -1 <= corr[i][j] <= 1:
                raise SchemaIssue(
                    ("correlation", i, j), f"entries must lie in [-1, 1] (got {corr[i][j]:g})"
                )
            if corr[i][j] != corr[j][i]:
                raise SchemaIssue(
                    ("correlation", i, j),
                    f"must be symmetric: [{i}][{j}] = {corr[i][j]:g} but [{j}][{i}] = "
                    f"{corr[j][i]:g}",
                )


def growth_for_year(ranges: list[Any], year: int) -> DistributionBase | None:
    """The growth range covering fiscal ``year``, or None."""
    for r in ranges:
        if r.years[0] <= year <= r.years[1]:
            return r  # type: ignore[no-any-return]
    return None
