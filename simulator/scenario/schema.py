"""The scenario schema: frozen, typed and closed (pydantic v2, ``extra="forbid"``).

A scenario declares assumptions only. Growth rates are fractions (0.19 = +19% a year); money is
USD million; years are fiscal years (2026 = FY2026, July 2025 – June 2026).

Reading files (line numbers, ``extends``) lives in :mod:`simulator.scenario.loader`; this
module only says what a valid scenario is. See ``docs/scenario-reference.md`` for every key.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    ValidationInfo,
    WithJsonSchema,
    create_model,
    field_validator,
    model_validator,
)

from simulator.errors import did_you_mean
from simulator.fiscal import FIRST, LAST, SPAN_PATTERN, parse_span
from simulator.scenario.distributions import DISTRIBUTIONS, DistributionBase
from simulator.scenario.distributions import Distribution as Distribution

FIRST_FISCAL_YEAR = FIRST
LAST_FISCAL_YEAR = LAST


def _parse_years(value: Any) -> Any:
    """Accept 2027, "FY2027", "2026-2030" or "FY26-FY30" (inclusive) and return (start, end)."""
    return parse_span(value)


def _check_span(value: tuple[int, int]) -> tuple[int, int]:
    start, end = value
    for y in value:
        if not FIRST_FISCAL_YEAR <= y <= LAST_FISCAL_YEAR:
            raise ValueError(f"fiscal year {y} out of range {FIRST_FISCAL_YEAR}-{LAST_FISCAL_YEAR}")
    if start > end:
        raise ValueError(f"range {start}-{end} runs backwards; write it as {end}-{start}")
    return value


YearSpan = Annotated[
    tuple[int, int],
    BeforeValidator(_parse_years),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer"},
                {"type": "string", "pattern": SPAN_PATTERN},
            ],
            "description": "fiscal year (2027, FY2027) or inclusive range (2026-2030, FY26-FY30)",
        }
    ),
]
"""An inclusive range of fiscal years, written ``2026-2030`` or ``2027``."""


class SchemaIssue(ValueError):
    """A cross-field problem, with the key path (relative to the model) that it concerns."""

    def __init__(self, path: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.path = path


class Frozen(BaseModel):
    """Base of every schema model: immutable and closed to unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


def _span_valid(cls: type[BaseModel], value: tuple[int, int]) -> tuple[int, int]:
    return _check_span(value)


def _ranged(name: str, extra: dict[str, Any], doc: str) -> Any:
    """Build the discriminated union of ``dist`` classes, each with ``extra`` fields added.

    This keeps YAML flat (``- years: 2026-2027 / dist: normal / mean: ... / sd: ...``) while the
    distribution registry stays the single place that lists distributions.
    """
    members = []
    for dname, dcls in DISTRIBUTIONS.items():
        members.append(
            create_model(
                f"{name}_{dname}",
                __base__=dcls,
                __doc__=doc,
                __validators__={"span": field_validator("years")(_span_valid)},
                **extra,
            )
        )
    return Annotated[Union[tuple(members)], Field(discriminator="dist")]  # noqa: UP007


class _Ranged(DistributionBase):
    """Static type of a growth range or lever (the runtime type is a tagged union)."""

    years: tuple[int, int]
    name: str
    components: list[str] | None
    description: str
    ramp: int | None
    allow_large_growth: bool


#: Validation context key (``Scenario.model_validate(data, context={FILE_CHECKS: True})``): the
#: loader's plausibility checks on what a user wrote, such as percent-for-fraction typos. A
#: scenario built in code (a sweep's or calibration's variant) is not checked for them.
FILE_CHECKS = "file_checks"

#: The key that lets an item (or, at the top, the whole file) hold growth above 100% a year.
LARGE_GROWTH_KEY = "allow_large_growth"
_LARGE = (bool, False)


if TYPE_CHECKING:
    GrowthRange = _Ranged
    Lever = _Ranged
else:
    GrowthRange = _ranged(
        "GrowthRange",
        {"years": (YearSpan, ...), LARGE_GROWTH_KEY: _LARGE},
        "Annual growth (0.19 = +19%) of a series over a range of fiscal years.",
    )
    Lever = _ranged(
        "Lever",
        {
            "name": (str, Field(min_length=1)),
            "years": (YearSpan, ...),
            "components": (list[str] | None, None),
            "description": (str, ""),
            "ramp": (Annotated[int, Field(ge=1)] | None, None),
            LARGE_GROWTH_KEY: _LARGE,
        },
        "A named policy or market change: adds an uncertain amount (drawn once per path) to "
        "annual growth in every year of its range; with ``ramp: N`` it phases in linearly "
        "over its first N years (1/N, 2/N, ... of the drawn amount).",
    )


class Shock(Frozen):
    """A named event that may strike in a window of fiscal years.

    In a year it strikes, that year's level is multiplied by ``1 + impact`` (roughly, ``impact``
    is added to that year's growth). With ``duration`` N (default 1) the same drawn impact
    lowers each of the N consecutive years from the strike year, so the level ends
    ``(1 + impact) ** N`` below where it would have been. With ``recovery`` r, the year after
    the last is multiplied by ``(1 + impact) ** (-r * N)``: r = 1 regains the whole lost level,
    r = 0 none of it.
    """

    name: str = Field(min_length=1)
    years: YearSpan
    probability: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
    once: bool = False
    impact: Distribution
    recovery: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)] = 0.0
    duration: Annotated[int, Field(ge=1, le=100)] = 1
    components: list[str] | None = None
    description: str = ""
    allow_large_growth: bool = False

    _span = field_validator("years")(_span_valid)

    @model_validator(mode="after")
    def _impact_above_minus_one(self) -> Shock:
        # Bounded impacts must stay above -1; unbounded ones (normal, t, ...) are floored at
        # -0.99 by the engine, as documented.
        bound = self.impact.lowest()
        if bound is None:
            return self
        lowest, key = bound
        if lowest <= -1:
            raise SchemaIssue(
                ("impact", key),
                f"must be > -1: a fall of 100% or more is impossible (got {lowest:g})",
            )
        return self


class Limits(Frozen):
    """Floor and cap on each year's growth, so compounding cannot run away."""

    floor: Annotated[float, Field(gt=-1, allow_inf_nan=False)] = -0.5
    cap: Annotated[float, Field(gt=-1, allow_inf_nan=False)] = 1.0
    allow_large_growth: bool = False

    @model_validator(mode="after")
    def _ordered(self) -> Limits:
        if self.floor > self.cap:
            raise ValueError(f"need floor <= cap (got floor {self.floor:g} > cap {self.cap:g})")
        return self


class ComponentBase(Frozen):
    """Base-year value of a component: a value (USD million), a share of the total, or the rest."""

    value: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None
    share: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)] | None = None

    @model_validator(mode="after")
    def _one_of(self) -> ComponentBase:
        if (self.value is None) == (self.share is None):
            raise ValueError("give exactly one of value (USD million) or share (0-1)")
        return self


def _component_base(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {"value": value}
    return value


def _map_or_word(value: Any) -> str:
    """Route a union of "a keyword or a mapping" by the input's shape (one clear error, not two)."""
    return "Mapping" if isinstance(value, dict | BaseModel) else "Word"


class Component(Frozen):
    """A named part of the total with its own base and growth."""

    name: str = Field(min_length=1)
    base: Annotated[
        Annotated[ComponentBase, Tag("Mapping")] | Annotated[Literal["rest"], Tag("Word")],
        Discriminator(_map_or_word),
        BeforeValidator(_component_base),
    ]
    growth: list[GrowthRange] | None = None
    description: str = ""


#: Growth rules a scenario may name instead of a list of ranges.
GROWTH_RULES: tuple[str, ...] = ("record",)


class RecordGrowth(Frozen):
    """``growth: record``: growth estimated from the annual record up to the base year.

    The rule (``simulator.stats.record_rule``, ``docs/calibration.md``) fits the centre, the
    spread with its parameter uncertainty (a Student-t predictive), and the persistence of log
    growth to the comparable SBP fiscal-year totals up to the base year, so it can be replayed
    at any past origin. ``run`` prints what it resolves to.
    """

    rule: Literal["record"] = "record"
    window: Annotated[int, Field(ge=4, le=100)] | None = None
    tails: Literal["student", "normal"] = "student"


def _growth_rule(value: Any) -> Any:
    if isinstance(value, str):
        if value in GROWTH_RULES:
            return {"rule": value}
        raise ValueError(
            f"unknown growth rule '{value}'{did_you_mean(value, GROWTH_RULES)}; expected "
            "'record', {rule: record, window: N, tails: student|normal}, or a list of year "
            "ranges, each with a dist"
        )
    return value


def _list_or_rule(value: Any) -> str:
    return "Rule" if isinstance(value, dict | RecordGrowth) else "List"


class ExplicitBase(Frozen):
    """An explicit base year: fiscal year and value (USD million, from 0.01 to 10,000,000:
    $10,000 to $10 trillion, so a typo in the exponent is refused rather than overflowing)."""

    fiscal_year: Annotated[int, Field(ge=FIRST_FISCAL_YEAR, le=LAST_FISCAL_YEAR)]
    value: Annotated[float, Field(ge=0.01, le=1e7, allow_inf_nan=False)]


#: The ``kind`` of a government target; every other kind (an industry projection, an
#: unofficial estimate, a plain "target") is not official.
OFFICIAL_KIND = "official target"


def is_official_kind(kind: str) -> bool:
    """True only for :data:`OFFICIAL_KIND` ("unofficial estimate" is not official)."""
    return kind == OFFICIAL_KIND


class Target(Frozen):
    """A level to reach in a fiscal year (USD million).

    With ``component`` it is judged on that component's paths (its base, its level), not on
    the total's. ``source`` is free text (a URL) saying where the level comes from.
    """

    name: str = Field(min_length=1)
    fiscal_year: Annotated[int, Field(ge=FIRST_FISCAL_YEAR, le=LAST_FISCAL_YEAR)]
    value: Annotated[float, Field(gt=0, allow_inf_nan=False)]
    kind: str = "target"
    component: str | None = None
    source: str = ""

    @property
    def official(self) -> bool:
        """Whether this is an official (government) target: the headline prefers these."""
        return is_official_kind(self.kind)

    @staticmethod
    def headline(targets: Sequence[Target]) -> Target | None:
        """The target a headline leads with: the last official target, else the last one.

        The one rule for titles, the report and sensitivity; pass the projected targets.
        """
        pool = [t for t in targets if t.official] or list(targets)
        return max(pool, key=lambda t: t.fiscal_year) if pool else None


#: The default target set, ``targets: uraan``.
URAAN_TARGETS: tuple[Target, ...] = (
    Target(name="Uraan Pakistan FY26", fiscal_year=2026, value=5000, kind="official target"),
    Target(name="Uraan Pakistan FY29", fiscal_year=2029, value=10000, kind="official target"),
    Target(name="$20B by 2030", fiscal_year=2030, value=20000, kind="industry projection"),
)


def _targets(value: Any) -> Any:
    if value == "uraan":
        return [t.model_dump() for t in URAAN_TARGETS]
    if isinstance(value, str):
        raise ValueError(
            f"unknown target set '{value}'{did_you_mean(value, ['uraan'])}; expected 'uraan' or "
            "a list of {name, fiscal_year, value}"
        )
    return value


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
            Annotated[list[GrowthRange], Tag("List")] | Annotated[RecordGrowth, Tag("Rule")],
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
        self, *, update: Mapping[str, Any] | None = None, deep: bool = False
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
    items: list[tuple[tuple[str | int, ...], Any, DistributionBase]] = []
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


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a scenario file, for editors and yaml-language-server.

    Examples
    --------
    >>> json_schema()["properties"]["persistence"]["maximum"]
    0.99
    """
    schema = Scenario.model_json_schema()
    # Shorthands that validators expand before the models see them: ``targets: uraan`` and a
    # component ``base: 328`` (USD million).
    props = schema["properties"]
    props["targets"] = {
        "anyOf": [{"const": "uraan", "type": "string"}, props["targets"]],
        "description": "'uraan' (the default set) or a list of {name, fiscal_year, value}",
    }
    props["growth"] = {
        "anyOf": [{"const": "record", "type": "string"}, props["growth"]],
        "description": (
            "'record' (the record rule, estimated from the annual record up to the base year), "
            "{rule: record, window, tails}, or a list of year ranges, each with a dist"
        ),
    }
    cbase = schema["$defs"]["Component"]["properties"]["base"]
    cbase["oneOf"] = [{"type": "number", "minimum": 0}, *cbase["oneOf"]]
    cbase["description"] = "USD million, {value}, {share} (0-1), or 'rest'"
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
        "title": "simulator scenario",
        "description": (
            "Assumptions for projecting Pakistan's IT exports. Growth is a fraction "
            "(0.19 = +19%), money is USD million, years are fiscal years (2026 = FY2026). "
            "See docs/scenario-reference.md."
        ),
    }
